"""Forms of the embassy and consulate pages. They parse input; the services decide."""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core import limits
from apps.core.forms import ShortListChoiceField
from apps.core.models import ProgrammeYear, User
from apps.core.templatetags.formats import when
from apps.recruitment.choices import Position
from apps.recruitment.models import Application, InterviewSlot, RubricCriterion

Status = Application.Status

SORT_CHOICES = [
    ("-created", _("Newest first")),
    ("number", _("Application number")),
    ("name", _("Name (A to Z)")),
    ("-name", _("Name (Z to A)")),
    ("-score", _("Screening score (highest first)")),
    ("score", _("Screening score (lowest first)")),
    ("submitted", _("Submitted (earliest first)")),
    ("-submitted", _("Submitted (latest first)")),
    ("-number", _("Application number (highest first)")),
    ("position", _("Position (A to Z)")),
    ("-position", _("Position (Z to A)")),
    ("status", _("Status (A to Z)")),
    ("-status", _("Status (Z to A)")),
    ("eligibility", _("Eligibility (A to Z)")),
    ("-eligibility", _("Eligibility (Z to A)")),
    ("reviewers", _("Reviewers (fewest first)")),
    ("-reviewers", _("Reviewers (most first)")),
]
DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def _any(label):
    return [("", label)]


class StaffChoiceField(ShortListChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class ApplicationFilterForm(forms.Form):
    """The list's filters. `filters()` gives them as plain values for the selector, the
    same values a background export keeps."""

    year = ShortListChoiceField(
        label=_("Programme year"),
        queryset=ProgrammeYear.objects.order_by("-year"),
        to_field_name="year",
        required=False,
        empty_label=None,
    )
    q = forms.CharField(
        label=_("Name or application number"), required=False, max_length=limits.SEARCH
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_any(_("Any status")) + [c for c in Status.choices if c[0] != Status.DRAFT],
    )
    position = forms.ChoiceField(
        label=_("Position"), required=False, choices=_any(_("Any position")) + Position.choices
    )
    eligibility = forms.ChoiceField(
        label=_("Eligibility"),
        required=False,
        choices=_any(_("Any")) + Application.Eligibility.choices,
    )
    score_min = forms.DecimalField(
        label=_("Score from"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    score_max = forms.DecimalField(
        label=_("Score to"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    reviewer = StaffChoiceField(
        label=_("Reviewer"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    # The sort: the select's and the column headings' (`?o=`; `?sort=` of old links too).
    o = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = staff

    def filters(self) -> dict:
        """The valid filters as plain values; a field with an error is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        filters = {}
        if data.get("year"):
            filters["programme_year"] = data["year"].pk
        for name in ("q", "status", "position", "eligibility"):
            if data.get(name):
                filters[name] = data[name]
        if data.get("o"):
            filters["sort"] = data["o"]
        for name in ("score_min", "score_max"):
            if data.get(name) is not None:
                filters[name] = str(data[name])
        if data.get("reviewer"):
            filters["reviewer"] = data["reviewer"].pk
        return filters


class BulkActionForm(forms.Form):
    ASSIGN = "assign"
    INVITE = "invite"
    DECIDE = "decide"
    FORWARD = "forward"

    applications = forms.ModelMultipleChoiceField(
        label=_("Applications"),
        queryset=Application.objects.none(),
        error_messages={"required": _("Select at least one application.")},
    )
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (ASSIGN, _("Assign to reviewer")),
            (INVITE, _("Invite to interview")),
            (DECIDE, _("Record decision")),
            (FORWARD, _("Forward to CLAIR")),
        ],
    )
    reviewer = StaffChoiceField(
        label=_("Reviewer"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Choose a reviewer"),
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=_any(_("Choose a decision"))
        + [(s.value, s.label) for s in (Status.SHORTLISTED, Status.ALTERNATE, Status.NOT_SELECTED)],
    )

    def __init__(self, *args, applications, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications
        self.fields["reviewer"].queryset = staff

    def clean(self):
        data = super().clean()
        if data.get("action") == self.ASSIGN and not data.get("reviewer"):
            self.add_error("reviewer", _("Choose the reviewer to assign."))
        if data.get("action") == self.DECIDE and not data.get("decision"):
            self.add_error("decision", _("Choose the decision to record."))
        return data


class CorrectionForm(forms.Form):
    message = forms.CharField(
        label=_("What must be corrected"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    due = forms.DateField(
        label=_("Corrected document due"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ScoreForm(forms.Form):
    """One field per rubric criterion, and a comment."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria: list[RubricCriterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        fields = {}
        for criterion in criteria:
            fields[f"c{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                min_value=0,
                max_value=criterion.max_score,
                help_text=_("0 to %(max)s; weight %(weight)s")
                % {"max": criterion.max_score, "weight": criterion.weight},
            )
        # The criteria first, then the comment.
        self.fields = {**fields, "comment": self.fields["comment"]}

    def points(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class ScoreCorrectionForm(ScoreForm):
    """The reviewer's own score again, filled with what they recorded, and why it changes."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, score, **kwargs):
        initial = {f"c{k}": v for k, v in score.points.items()}
        initial["comment"] = score.comment
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["reason"] = copy.deepcopy(self.base_fields["reason"])


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        start = when(obj.starts_at)  # in the reader's zone, labelled
        free = obj.capacity - getattr(obj, "booked", 0)
        return _("%(start)s, %(place)s (%(free)s of %(capacity)s free)") % {
            "start": start,
            "place": obj.location or obj.online_url,
            "free": free,
            "capacity": obj.capacity,
        }


class SlotAssignForm(forms.Form):
    slot = SlotChoiceField(
        label=_("Interview slot"), queryset=InterviewSlot.objects.none(), empty_label=None
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (s.value, s.label) for s in (Status.SHORTLISTED, Status.ALTERNATE, Status.NOT_SELECTED)
        ],
    )
    alternate_rank = forms.IntegerField(
        label=_("Alternate rank"),
        required=False,
        min_value=1,
        help_text=_("Only for alternates; left empty, the next rank is given."),
    )


class UpgradeForm(forms.Form):
    reply_due = forms.DateField(
        label=_("Reply due"), widget=forms.DateInput(attrs={"type": "date"})
    )


class InterviewSlotForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )
    location = forms.CharField(label=_("Place"), required=False, max_length=200)
    online_url = forms.URLField(
        label=_("Online meeting link"),
        required=False,
        max_length=limits.URL,
        assume_scheme="https",
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=100, initial=1)
    panel = StaffMultipleChoiceField(
        label=_("Panel"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = staff


class InterviewDayForm(forms.Form):
    """A day of back-to-back interview slots (recruitment.services.interview_slots_create_day)."""

    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    first_start = forms.TimeField(
        label=_("First slot starts"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    last_end = forms.TimeField(
        label=_("Last slot ends by"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    length = forms.IntegerField(
        label=_("Length of each slot (minutes)"), min_value=5, max_value=480, initial=30
    )
    location = forms.CharField(label=_("Place"), required=False, max_length=200)
    online_url = forms.URLField(
        label=_("Online meeting link"),
        required=False,
        max_length=limits.URL,
        assume_scheme="https",
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=100, initial=1)
    panel = StaffMultipleChoiceField(
        label=_("Panel"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, staff, **kwargs):
        kwargs.setdefault("prefix", "day")
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = staff


class RubricCriterionForm(forms.Form):
    name_en = forms.CharField(label=_("Criterion (English)"), max_length=150)
    name_ja = forms.CharField(label=_("Criterion (Japanese)"), max_length=150, required=False)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)
    max_score = forms.IntegerField(label=_("Highest score"), min_value=1, max_value=100, initial=5)


class ReleaseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked every decision. Tell all applicants their result now."),
        error_messages={"required": _("Tick the box to confirm the release.")},
    )
