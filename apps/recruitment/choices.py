from django.db import models
from django.utils.translation import gettext_lazy as _


class Position(models.TextChoices):
    ALT = "ALT", _("Assistant Language Teacher (ALT)")
    CIR = "CIR", _("Coordinator for International Relations (CIR)")
    SEA = "SEA", _("Sports Exchange Advisor (SEA)")


class JapaneseLevel(models.TextChoices):
    NONE = "NONE", _("None")
    N5 = "N5", _("JLPT N5")
    N4 = "N4", _("JLPT N4")
    N3 = "N3", _("JLPT N3")
    N2 = "N2", _("JLPT N2")
    N1 = "N1", _("JLPT N1")


class DrivingLicence(models.TextChoices):
    NONE = "NONE", _("No licence")
    AUTOMATIC = "AUTOMATIC", _("Automatic only")
    MANUAL = "MANUAL", _("Manual and automatic")


class LocationPreference(models.TextChoices):
    URBAN = "URBAN", _("Urban")
    SEMI_URBAN = "SEMI_URBAN", _("Semi-urban")
    RURAL = "RURAL", _("Rural")
    NONE = "NONE", _("No preference")
