from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "apps.recruitment"
    label = "recruitment"
    verbose_name = _("Recruitment and selection")

    def ready(self):
        from apps.core.schedule import schedule_provider_register
        from apps.recruitment.schedule import interview_schedule, interview_schedule_audience

        schedule_provider_register(
            "interviews", interview_schedule, audience=interview_schedule_audience
        )
