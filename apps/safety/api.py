"""Safety confirmation in the API (issue 8).

- `/api/v1/safety-checks/`: the checks the caller may see (`selectors_safety`, the same
  as the pages), each with the counts of the answers they may count. CLAIR starts one
  (POST), closes it (`close/`), reminds those who have not answered (`remind/`).
  `answers/` lists a check's answers the caller may read (CLAIR all, an organisation its
  own participants', a mission its nationals'); `countries/` the counts by country (all
  MOFA HQ sees); `export/` queues a CSV or Excel file of the same.
- `/api/v1/safety-answers/<id>/`: one answer; `assign/` (CLAIR), `record/` (the
  participant's organisation, on their behalf).
- `/api/v1/safety-checks/recipients/?prefectures=28&prefectures=01`: before starting,
  how many participants a check for those prefectures would ask (CLAIR), counted by the
  same rule the start uses; the start's answer carries the same count (`total`).
- `/api/v1/safety-answer/<token>/`: the personal link, without signing in: GET shows the
  check's message and the current answer, POST answers. An unknown token is 404; a
  closed check's link answers 410.
- `/api/v1/my-safety-answers/`: the signed-in participant's own answers in open checks;
  `<id>/answer/` answers one (status, then the optional note and location). Anyone
  else's answer is 404; for anyone in no check the list is empty.
Anyone else (MIC, MEXT, participants) sees no check: lists are empty, ids 404.
"""

from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import fields as api_fields
from apps.core.api.columns import narrow
from apps.core.api.common import (
    CallerLocaleMixin,
    ExportSerializer,
    JobOutputSerializer,
    NamedChoiceField,
    id_field,
    note_field,
    text_field,
)
from apps.core.api.filters import (
    BlankChoiceFilter,
    FilteredListMixin,
    ListFilters,
    list_filters,
)
from apps.core.api.pagination import CountedPagination
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.core.disclosure_api import CountField
from apps.core.models import Prefecture
from apps.safety import jobs, rules, selectors, services
from apps.safety.models import SafetyAnswer, SafetyCheck


def _check_kind(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(enum_name="SafetyCheckKind", choices=SafetyCheck.Kind.choices, **kwargs)


def _check_state(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(
        enum_name="SafetyCheckState", choices=SafetyCheck.State.choices, **kwargs
    )


def _answer_status(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(
        enum_name="SafetyAnswerStatus", choices=SafetyAnswer.Status.choices, **kwargs
    )


def _answer_given(**kwargs) -> NamedChoiceField:
    """What a person can answer: the statuses without "not answered yet"."""
    given = [choice for choice in SafetyAnswer.Status.choices if choice[0]]
    return NamedChoiceField(enum_name="SafetyAnswerGiven", choices=given, **kwargs)


class SafetyCheckOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    kind = _check_kind()
    title = api_fields.CharField(help_text="In the caller's language")
    title_en = api_fields.CharField()
    title_ja = api_fields.CharField()
    message_en = api_fields.CharField()
    message_ja = api_fields.CharField()
    prefectures = serializers.SerializerMethodField(help_text="JIS codes")
    state = _check_state()
    remind_every_hours = serializers.IntegerField()
    started_at = api_fields.DateTimeField()
    closed_at = api_fields.DateTimeField(allow_null=True)
    total = CountField(
        help_text="Participants in the check that you may count; hidden when small for "
        "a reader who sees no names (MOFA headquarters)."
    )
    safe = CountField()
    need_help = CountField()
    unanswered = CountField()

    def get_prefectures(self, check) -> list[str]:
        codes = check.__dict__.get("prefecture_codes")  # a page of the list: read with it
        return codes if codes is not None else sorted(p.pk for p in check.prefectures.all())


class SafetyCheckInputSerializer(api_fields.Serializer):
    kind = _check_kind()
    title_en = api_fields.CharField(max_length=200)
    title_ja = api_fields.CharField(max_length=200, required=False, allow_blank=True, default="")
    message_en = text_field()
    message_ja = text_field(required=False, allow_blank=True, default="")
    prefectures = serializers.ListField(
        child=api_fields.CharField(max_length=2),
        allow_empty=False,
        max_length=47,
        help_text="JIS codes",
    )
    remind_every_hours = serializers.IntegerField(min_value=1, max_value=48, default=3)


class SafetyAnswerOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    check = serializers.IntegerField(source="safety_check_id")
    participant = serializers.IntegerField(source="participant_id", help_text="User id")
    participant_name = api_fields.CharField(source="participant.get_full_name")
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = api_fields.CharField(source="organisation.name")
    prefecture = api_fields.CharField(source="prefecture_id")
    country = api_fields.CharField(source="country_id")
    status = _answer_status()
    status_label = api_fields.CharField(source="get_status_display")
    note = api_fields.CharField()
    location = api_fields.CharField()
    answered_at = api_fields.DateTimeField(allow_null=True)
    recorded_by = serializers.IntegerField(source="recorded_by_id", allow_null=True)
    recorded_by_name = serializers.SerializerMethodField()
    on_behalf = serializers.SerializerMethodField(
        help_text="Recorded by someone other than the participant"
    )
    assigned_to = serializers.IntegerField(source="assigned_to_id", allow_null=True)

    def get_recorded_by_name(self, answer) -> str:
        by = answer.recorded_by
        return (by.get_full_name() or by.username) if by else ""

    def get_on_behalf(self, answer) -> bool:
        return bool(answer.recorded_by_id and answer.recorded_by_id != answer.participant_id)


class SafetyAnswerInputSerializer(api_fields.Serializer):
    status = _answer_given()
    # The rule's own words for a note too long (apps/safety/rules.py), as the page says.
    note = note_field(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=True,
        error_messages={"max_length": _lazy("Keep the note to {max_length} characters.")},
    )
    location = api_fields.CharField(max_length=300, required=False, allow_blank=True, default="")


class SafetyAssignInputSerializer(api_fields.Serializer):
    assignee = id_field(
        allow_null=True, help_text="A CLAIR staff member's user id; null takes it back"
    )


class SafetyRemindOutputSerializer(api_fields.Serializer):
    sent = serializers.IntegerField(help_text="Reminders sent")


class SafetyCountryOutputSerializer(api_fields.Serializer):
    country = api_fields.CharField(source="country_id")
    country_name_en = api_fields.CharField(source="country__name_en")
    country_name_ja = api_fields.CharField(source="country__name_ja")
    total = CountField()
    safe = CountField()
    need_help = CountField()
    unanswered = CountField()


class SafetyLinkOutputSerializer(api_fields.Serializer):
    check = serializers.IntegerField(source="safety_check_id")
    title = api_fields.CharField(source="safety_check.title")
    message = api_fields.CharField(source="safety_check.message")
    open = serializers.BooleanField(source="safety_check.is_open")
    participant_name = api_fields.CharField(source="participant.get_full_name")
    status = _answer_status()
    note = api_fields.CharField()
    location = api_fields.CharField()
    answered_at = api_fields.DateTimeField(allow_null=True)


class SafetyRecipientsPrefectureSerializer(api_fields.Serializer):
    prefecture = api_fields.CharField(source="prefecture.pk", help_text="JIS code")
    name = api_fields.CharField(source="prefecture.name", help_text="In the caller's language")
    count = serializers.IntegerField()


class SafetyRecipientsOutputSerializer(api_fields.Serializer):
    total = serializers.IntegerField(help_text="Participants the check would ask now")
    prefectures = SafetyRecipientsPrefectureSerializer(many=True)


class SafetyOwnAnswerOutputSerializer(SafetyLinkOutputSerializer):
    id = serializers.IntegerField()
    status_label = api_fields.CharField(source="get_status_display")
    on_behalf = serializers.SerializerMethodField(
        help_text="Recorded by someone other than you (your organisation)"
    )

    def get_on_behalf(self, answer) -> bool:
        return bool(answer.recorded_by_id and answer.recorded_by_id != answer.participant_id)


class SafetyOwnAnswerInputSerializer(SafetyAnswerInputSerializer):
    # Absent, the note and the location given before stay (a one-tap answer).
    note = note_field(
        required=False,
        allow_blank=True,
        trim_whitespace=True,
        error_messages={"max_length": _lazy("Keep the note to {max_length} characters.")},
    )
    location = api_fields.CharField(max_length=300, required=False, allow_blank=True)


class SafetyCheckFilters(ListFilters):
    state = filters.ChoiceFilter(choices=SafetyCheck.State.choices, help_text="Only checks in it")

    class Meta(ListFilters.Meta):
        model = SafetyCheck


class SafetyAnswerFilters(ListFilters):
    # `?status=` (empty) lists those who have not answered yet.
    status = BlankChoiceFilter(choices=SafetyAnswer.Status.choices, help_text="Only these answers")

    class Meta(ListFilters.Meta):
        model = SafetyAnswer


class SafetyCheckViewSet(
    CallerLocaleMixin,
    RestrictedQuerysetMixin,
    FilteredListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Safety checks after a disaster."""

    serializer_class = SafetyCheckOutputSerializer
    pagination_class = CountedPagination
    filterset_class = SafetyCheckFilters
    lookup_value_regex = r"[0-9]+"
    access_model = SafetyCheck
    model_action_perms = {"create": "add", "recipients": "add"}
    action_perms = {
        "close": "change",
        "remind": "change",
        "answers": "view",
        "countries": "view",
        "export": "view",
    }
    action_messages = {
        "create": _lazy("Only CLAIR runs safety checks."),
        "recipients": _lazy("Only CLAIR runs safety checks."),
        "close": _lazy("Only CLAIR runs safety checks."),
        "remind": _lazy("Only CLAIR runs safety checks."),
    }

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.check_list(user=self.request.user)
        if self.action == "list":
            # Counted after the page is cut (paginate_queryset).
            state = list_filters(self).get("state")
            return selectors.checks_visible(user=self.request.user, state=state)
        # An action on one check: the check, not the counts the list and its own address
        # show (a check's page of answers 7.5 ms to 4.6 in one process).
        return selectors.checks_visible(user=self.request.user)

    def paginate_queryset(self, queryset):
        # The counts of the checks answered, the small cells hidden as on the page.
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":  # not a check's page of answers
            page = selectors.counts_attach(page, user=self.request.user)
            selectors.counts_protect(page, user=self.request.user)
        return page

    def get_object(self):
        check = super().get_object()
        if self.action == "retrieve":
            selectors.counts_protect([check], user=self.request.user)
        return check

    def _out(self, check, code=status.HTTP_200_OK):
        check = selectors.check_get(user=self.request.user, pk=check.pk)
        return Response(SafetyCheckOutputSerializer(check).data, status=code)

    @extend_schema(request=SafetyCheckInputSerializer, responses={201: SafetyCheckOutputSerializer})
    def create(self, request):
        """CLAIR starts a check: everyone placed in the prefectures is asked at once."""
        data = SafetyCheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        codes = fields.pop("prefectures")
        if Prefecture.objects.filter(pk__in=codes).count() != len(set(codes)):
            raise exceptions.ValidationError({"prefectures": [_("Unknown prefecture code.")]})
        check = services.safety_check_start(by=request.user, prefectures=codes, **fields)
        return self._out(check, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "prefectures",
                str,
                many=True,
                description="JIS codes of the prefectures struck (repeat the parameter)",
            )
        ],
        responses={200: SafetyRecipientsOutputSerializer},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def recipients(self, request):
        """Before starting: how many participants a check for these prefectures would ask
        now, in all and by prefecture (the rule the start uses to ask them)."""
        codes = sorted(
            {
                code.strip()
                for value in request.query_params.getlist("prefectures")[:47]
                for code in value.split(",")
                if code.strip()
            }
        )
        wellformed = all(code.isascii() and code.isdigit() and len(code) <= 2 for code in codes)
        if not wellformed or Prefecture.objects.filter(pk__in=codes).count() != len(codes):
            raise exceptions.ValidationError({"prefectures": [_("Unknown prefecture code.")]})
        data = selectors.recipients(prefecture_codes=codes)
        return Response(SafetyRecipientsOutputSerializer(data).data)

    @extend_schema(request=None, responses={200: SafetyCheckOutputSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Freeze the check: no more answers, no more reminders."""
        check = self.get_object()
        return self._out(services.safety_check_close(by=request.user, check=check))

    @extend_schema(request=None, responses={200: SafetyRemindOutputSerializer})
    @action(detail=True, methods=["post"])
    def remind(self, request, pk=None):
        """Remind now everyone who has not answered (once an hour at most)."""
        check = self.get_object()
        return Response({"sent": services.safety_check_remind(by=request.user, check=check)})

    @extend_schema(filters=True, responses={200: SafetyAnswerOutputSerializer(many=True)})
    @action(
        detail=True,
        methods=["get"],
        serializer_class=SafetyAnswerOutputSerializer,
        filterset_class=SafetyAnswerFilters,
    )
    def answers(self, request, pk=None):
        """The check's answers the caller may read, with names (MOFA HQ: none)."""
        check = self.get_object()
        answers = selectors.answer_list(
            user=request.user, check=check, status=list_filters(self).get("status")
        )
        # The columns the rows show (the selector joins seven whole tables for a detail,
        # which PostgreSQL took 10 ms to plan); get_recorded_by_name reads recorded_by.
        answers = narrow(answers, SafetyAnswerOutputSerializer).select_related("recorded_by")
        page = self.paginate_queryset(answers)
        return self.get_paginated_response(SafetyAnswerOutputSerializer(page, many=True).data)

    @extend_schema(responses={200: SafetyCountryOutputSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def countries(self, request, pk=None):
        """Counts by the participants' country, without names."""
        check = self.get_object()
        rows = selectors.counts_by_country(user=request.user, check=check)
        return Response(SafetyCountryOutputSerializer(rows, many=True).data)

    @extend_schema(request=ExportSerializer, responses={202: JobOutputSerializer})
    @action(detail=True, methods=["post"], serializer_class=ExportSerializer)
    def export(self, request, pk=None):
        """A CSV or Excel file of what the caller sees of the check, made in the background."""
        check = self.get_object()
        data = ExportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = jobs.safety_export_start(
            by=request.user, check=check, file_format=data.validated_data["format"]
        )
        return Response({"job": job.pk, "url": job.get_absolute_url()}, status=202)


class SafetyAnswerViewSet(
    CallerLocaleMixin, RestrictedQuerysetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """One participant's answer in a check."""

    serializer_class = SafetyAnswerOutputSerializer
    lookup_value_regex = r"[0-9]+"
    action_perms = {"assign": "assign", "record": "record"}
    action_messages = {
        "assign": _lazy("Only CLAIR runs safety checks."),
        "record": _lazy("Only the participant's organisation answers on their behalf."),
    }

    def get_queryset(self):
        return selectors.answer_list(user=self.request.user)

    def _out(self, answer):
        answer = selectors.answer_get(user=self.request.user, pk=answer.pk)
        return Response(SafetyAnswerOutputSerializer(answer).data)

    @extend_schema(
        request=SafetyAssignInputSerializer, responses={200: SafetyAnswerOutputSerializer}
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """CLAIR gives a participant who needs help to a staff member (null: nobody)."""
        answer = self.get_object()
        data = SafetyAssignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignee = None
        if data.validated_data["assignee"] is not None:
            assignee = selectors.clair_staff().filter(pk=data.validated_data["assignee"]).first()
            if assignee is None:
                raise exceptions.ValidationError(
                    {"assignee": [_("Assign to a member of CLAIR's staff.")]}
                )
        return self._out(
            services.safety_answer_assign(by=request.user, answer=answer, assignee=assignee)
        )

    @extend_schema(
        request=SafetyAnswerInputSerializer, responses={200: SafetyAnswerOutputSerializer}
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """The participant's organisation records an answer on their behalf."""
        answer = self.get_object()
        data = SafetyAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._out(
            services.safety_answer_record(by=request.user, answer=answer, **data.validated_data)
        )


class SafetyOwnAnswerViewSet(
    CallerLocaleMixin, RestrictedQuerysetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The signed-in participant's own answers: the open checks that ask them, answered
    here as at their personal link. Only their own: anyone else's id is 404."""

    serializer_class = SafetyOwnAnswerOutputSerializer
    pagination_class = None
    lookup_value_regex = r"[0-9]+"
    # The queryset is the person's own answers (`selectors.own_answers`): an answer that
    # reaches an action is theirs, which is all answering for oneself asks.
    action_perms = {"answer": "view"}
    also_answers = ["410"]  # answering a check closed meanwhile

    def get_queryset(self):
        return selectors.own_answers(
            user=self.request.user, open_only=self.action == "list"
        ).select_related("participant")

    @extend_schema(responses={200: SafetyOwnAnswerOutputSerializer(many=True)})
    def list(self, request):
        """Your answers in the open safety checks that ask you, the newest first."""
        return Response(SafetyOwnAnswerOutputSerializer(self.get_queryset(), many=True).data)

    @extend_schema(
        request=SafetyOwnAnswerInputSerializer, responses={200: SafetyOwnAnswerOutputSerializer}
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Answer for yourself: `status` ("SAFE" or "NEED_HELP"); the note and location
        are optional (left out, those given before stay). 410 once the check is closed."""
        answer = self.get_object()
        data = SafetyOwnAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = {"note": answer.note, "location": answer.location, **data.validated_data}
        try:
            written = services.safety_answer_own(by=request.user, answer=answer, **fields)
        except rules.CheckClosedError as exc:
            raise Gone(exc.message) from None
        written.safety_check = answer.safety_check
        return Response(SafetyOwnAnswerOutputSerializer(written).data)


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_code = "gone"


class SafetyLinkView(APIView):
    """The personal link: no sign-in, the token is the key. 404 for an unknown token,
    410 once the check is closed."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    also_answers = ["410"]

    def _open_answer(self, token) -> SafetyAnswer:
        answer = rules.answer_for_token(token)
        if not answer.safety_check.is_open:
            raise Gone(_("This safety check is closed; answers can no longer be given."))
        return answer

    def _out(self, answer) -> Response:
        with translation.override(answer.participant.language):
            return Response(SafetyLinkOutputSerializer(answer).data)

    @extend_schema(responses={200: SafetyLinkOutputSerializer})
    def get(self, request, token):
        return self._out(self._open_answer(token))

    @extend_schema(request=SafetyAnswerInputSerializer, responses={200: SafetyLinkOutputSerializer})
    def post(self, request, token):
        answer = self._open_answer(token)
        data = SafetyAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            written = rules.answer_write(
                answer=answer, by=answer.participant, **data.validated_data
            )
        except rules.CheckClosedError as exc:
            raise Gone(exc.message) from None
        written.safety_check = answer.safety_check
        return self._out(written)


urlpatterns: list = [
    path("safety-answer/<str:token>/", SafetyLinkView.as_view(), name="safety-answer-link"),
]


def register(router) -> None:
    router.register("safety-checks", SafetyCheckViewSet, basename="safety-check")
    router.register("safety-answers", SafetyAnswerViewSet, basename="safety-answer")
    router.register("my-safety-answers", SafetyOwnAnswerViewSet, basename="safety-own-answer")
