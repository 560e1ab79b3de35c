"""Pages of the Japanese language course (issue 7).

Participants see the intakes, enrol, read the released materials and hand in tests; CLAIR
runs the intakes, adds materials and tests, marks, and sees the figures (who may do what
is the access policy). Everything is read through `selectors_course`, so an id the user
may not see is a 404; files stream through views that check first. Writes go through
`services_course`.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from apps.core import access
from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.core.views import AccessRequiredMixin
from apps.learning import course, selectors_course, services_course
from apps.learning.models import CourseIntake, Enrolment, Submission


def _flags(user) -> dict:
    """What the user may do on the course pages, for the templates."""
    return {
        "can_change": access.allowed(user, "change", CourseIntake),
        "can_enrol": access.allowed(user, "enrol", CourseIntake),
        "sees_results": selectors_course.sees_results(user),
        "can_mark": access.allowed(user, "mark", Submission),
    }


def _titled(objects):
    """The bilingual title in the reader's language, as `.title`, for templates."""
    objects = list(objects)
    for obj in objects:
        obj.title = obj.text("title")
    return objects


# --- forms ----------------------------------------------------------------------------------


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class IntakeForm(forms.ModelForm):
    class Meta:
        model = CourseIntake
        fields = [
            "level",
            "title_en",
            "title_ja",
            "enrol_opens",
            "enrol_closes",
            "capacity",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "enrol_opens": DateTimeInput(),
            "enrol_closes": DateTimeInput(),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def clean(self):
        data = super().clean()
        opens, closes = data.get("enrol_opens"), data.get("enrol_closes")
        if opens and closes and closes <= opens:
            self.add_error("enrol_closes", _("Enrolment must close after it opens."))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The course must end after it starts."))
        return data


class MaterialForm(forms.Form):
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=200)
    title_ja = forms.CharField(
        label=gettext_lazy("Title (Japanese)"), max_length=200, required=False
    )
    release_on = forms.DateField(label=gettext_lazy("Released on"), widget=DateInput())
    file = forms.FileField(
        label=gettext_lazy("File (PDF, JPEG or PNG)"), widget=forms.ClearableFileInput()
    )


class TestForm(forms.Form):
    number = forms.IntegerField(label=gettext_lazy("Test number"), min_value=1)
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=200)
    title_ja = forms.CharField(
        label=gettext_lazy("Title (Japanese)"), max_length=200, required=False
    )
    due_at = forms.DateTimeField(label=gettext_lazy("Due"), widget=DateTimeInput())


class SubmitForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Your answers (PDF, JPEG or PNG)"))


# --- participants and CLAIR -----------------------------------------------------------------


class IntakeListView(AccessRequiredMixin, TemplateView):
    permission = ("view", CourseIntake)
    template_name = "course/intake_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        flags = _flags(user)
        intakes = _titled(selectors_course.intake_list(user=user))
        own = {
            e.intake_id: e
            for e in selectors_course.enrolment_list(user=user).filter(
                participant=user, state=Enrolment.State.ENROLLED
            )
        }
        now = timezone.now()
        rows = []
        for intake in intakes:
            problem = None
            if flags["can_enrol"] and intake.pk not in own:
                problem = course.window_problem(intake, now)
                if problem is None and intake.enrolled >= intake.capacity:
                    problem = _("This intake is full.")
                if problem is None:
                    problem = course.eligibility_problem(user=user, intake=intake)
            rate = None
            if flags["sees_results"]:
                rate = round(100 * intake.completed / intake.enrolled) if intake.enrolled else 0
            rows.append(
                {
                    "intake": intake,
                    "enrolment": own.get(intake.pk),
                    "problem": problem,
                    "rate": rate,
                }
            )
        context.update(rows=rows, **flags)
        return context


class IntakeDetailView(AccessRequiredMixin, TemplateView):
    permission = ("view", CourseIntake)
    template_name = "course/intake_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        intake = selectors_course.intake_get(user=user, pk=self.kwargs["pk"])
        intake.title = intake.text("title")
        flags = _flags(user)
        enrolment = selectors_course.enrolment_own(user=user, intake=intake)
        context.update(intake=intake, enrolment=enrolment, today=timezone.localdate(), **flags)
        if flags["sees_results"]:
            enrolments = list(
                selectors_course.enrolment_list(user=user, intake=intake).order_by(
                    "participant__last_name", "participant__first_name"
                )
            )
            context.update(
                materials=_titled(selectors_course.material_list(user=user, intake=intake)),
                tests=_titled(selectors_course.coursetest_list(user=user, intake=intake)),
                enrolments=enrolments,
                submissions=selectors_course.submission_list(user=user, intake=intake).order_by(
                    "test__number", "enrolment__participant__last_name"
                ),
                stats=selectors_course.intake_stats(user=user, intake=intake),
            )
        elif enrolment is not None:
            mine = {
                s.test_id: s for s in selectors_course.submission_list(user=user, intake=intake)
            }
            tests = _titled(selectors_course.coursetest_list(user=user, intake=intake))
            context.update(
                materials=_titled(selectors_course.material_list(user=user, intake=intake)),
                test_rows=[{"test": t, "submission": mine.get(t.pk)} for t in tests],
                submit_form=SubmitForm(),
                passed=course.qualifying_submissions(enrolment).count(),
                tests_required=course.TESTS_REQUIRED,
                pass_mark=course.PASS_MARK,
                now=timezone.now(),
            )
        else:
            problem = course.window_problem(intake) or course.eligibility_problem(
                user=user, intake=intake
            )
            if problem is None and intake.enrolled >= intake.capacity:
                problem = _("This intake is full.")
            context["problem"] = problem
        return context


class EnrolView(AccessRequiredMixin, View):
    permission = ("enrol", CourseIntake)

    def post(self, request, pk):
        intake = selectors_course.intake_get(user=request.user, pk=pk)
        try:
            services_course.enrol(by=request.user, intake=intake)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("course:intake-list")
        messages.success(
            request, _("You are enrolled in %(intake)s.") % {"intake": intake.text("title")}
        )
        return redirect("course:intake-detail", pk=intake.pk)


class WithdrawView(AccessRequiredMixin, View):
    permission = ("withdraw", Enrolment)

    def post(self, request, pk):
        enrolment = selectors_course.enrolment_get(user=request.user, pk=pk)
        try:
            services_course.withdraw(by=request.user, enrolment=enrolment)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("You have withdrawn from the course."))
        return redirect("course:intake-list")


class SubmitView(AccessRequiredMixin, View):
    permission = ("add", Submission)

    def post(self, request, pk):
        test = selectors_course.coursetest_get(user=request.user, pk=pk)
        form = SubmitForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose a file to upload."))
        else:
            try:
                submission = services_course.submit(
                    by=request.user, test=test, uploaded=form.cleaned_data["file"]
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                if submission.on_time:
                    messages.success(request, _("Your test is handed in."))
                else:
                    messages.warning(
                        request, _("Your test is handed in after the due time: it is marked late.")
                    )
        return redirect("course:intake-detail", pk=test.intake_id)


def _stream(file, filename: str):
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=filename)


@login_required
def material_download(request, pk):
    material = selectors_course.material_get(user=request.user, pk=pk)
    return _stream(material.file, material.filename)


@login_required
def submission_download(request, pk):
    submission = selectors_course.submission_get(user=request.user, pk=pk)
    return _stream(submission.file, submission.filename)


@login_required
def certificate_download(request, pk):
    enrolment = selectors_course.certificate_enrolment_get(user=request.user, pk=pk)
    response = HttpResponse(course.certificate_pdf(enrolment), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{course.certificate_filename(enrolment)}"'
    )
    return response


# --- running the course (CLAIR) ------------------------------------------------------------


class IntakeFormView(AccessRequiredMixin, FormView):
    """A form of those who run the course: an intake, or what is added to one."""

    permission = ("change", CourseIntake)
    template_name = "course/form.html"
    heading = ""

    def get_intake(self):
        return selectors_course.intake_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = self.heading
        context["multipart"] = any(
            isinstance(f, forms.FileField) for f in context["form"].fields.values()
        )
        return context

    def run(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            target = self.run(form)
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("course:intake-detail", pk=target.pk)


class IntakeCreateView(IntakeFormView):
    permission = ("add", CourseIntake)
    form_class = IntakeForm
    heading = gettext_lazy("New course intake")

    def run(self, form):
        return services_course.intake_create(by=self.request.user, **form.cleaned_data)


class IntakeEditView(IntakeFormView):
    form_class = IntakeForm
    heading = gettext_lazy("Change the course intake")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A copy: the service changes the row, not the form's instance.
        kwargs["instance"] = CourseIntake.objects.get(pk=self.get_intake().pk)
        return kwargs

    def run(self, form):
        return services_course.intake_update(
            by=self.request.user, intake=self.get_intake(), **form.cleaned_data
        )


class MaterialCreateView(IntakeFormView):
    form_class = MaterialForm
    heading = gettext_lazy("Add a material")

    def run(self, form):
        data = form.cleaned_data
        material = services_course.material_create(
            by=self.request.user,
            intake=self.get_intake(),
            title_en=data["title_en"],
            title_ja=data["title_ja"],
            release_on=data["release_on"],
            uploaded=data["file"],
        )
        return material.intake


class TestCreateView(IntakeFormView):
    form_class = TestForm
    heading = gettext_lazy("Add a test")

    def run(self, form):
        test = services_course.test_create(
            by=self.request.user, intake=self.get_intake(), **form.cleaned_data
        )
        return test.intake


class MarkView(AccessRequiredMixin, View):
    permission = ("mark", Submission)

    def post(self, request, pk):
        submission = selectors_course.submission_get(user=request.user, pk=pk)
        try:
            services_course.submission_mark(
                by=request.user, submission=submission, score=request.POST.get("score")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The mark is recorded."))
        return redirect("course:intake-detail", pk=submission.test.intake_id)


class ExportView(AccessRequiredMixin, View):
    permission = ("results", CourseIntake)

    def post(self, request, pk):
        intake = selectors_course.intake_get(user=request.user, pk=pk)
        try:
            job = course.export_start(
                by=request.user, intake=intake, file_format=request.POST.get("format", "csv")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("course:intake-detail", pk=intake.pk)
        return redirect(job.get_absolute_url())
