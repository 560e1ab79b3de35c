"""The Japanese language course in the API (issue 7): `/api/v1/courses/` (intakes, with
their materials, tests, figures, enrolling and export), `/api/v1/enrolments/` (the
caller's or, for CLAIR, all; withdraw; certificate) and `/api/v1/course-submissions/`
(hand in, mark, download).

Reads go through `selectors_course` and writes through `services_course`, the same as
the pages: an id the caller may not see answers 404, an action the access policy does
not give the caller 403.
"""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import fields as api_fields
from apps.core.api.common import (
    DOCUMENT_TYPES,
    ExportSerializer,
    FileNegotiation,
    JobOutputSerializer,
    document_response,
    file_responses,
    id_field,
)
from apps.core.api.filters import FilteredListMixin, IntegerFilter, ListFilters, list_filters
from apps.core.api.pagination import CountedPagination
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.learning import course, selectors_course, services_course
from apps.learning.models import CourseIntake, CourseMaterial, CourseTest, Enrolment, Submission

RUNS_COURSE = _lazy("Only CLAIR runs the Japanese language course.")
NO_SUCH_TEST = _lazy("No such test, or not one of your course's.")


class IntakeSerializer(api_fields.ModelSerializer):
    title = serializers.SerializerMethodField()
    enrolled = serializers.IntegerField(read_only=True)

    class Meta:
        model = CourseIntake
        fields = [
            "id",
            "level",
            "title",
            "title_en",
            "title_ja",
            "enrol_opens",
            "enrol_closes",
            "capacity",
            "enrolled",
            "starts_on",
            "ends_on",
        ]
        read_only_fields = ["id", "title", "enrolled"]

    def get_title(self, obj) -> str:
        return obj.text("title")


class MaterialSerializer(api_fields.ModelSerializer):
    title = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    file = serializers.FileField(write_only=True)

    class Meta:
        model = CourseMaterial
        fields = ["id", "intake", "title", "title_en", "title_ja", "release_on", "filename"]
        fields += ["download_url", "file"]
        read_only_fields = ["id", "intake", "title", "filename", "download_url"]

    def get_title(self, obj) -> str:
        return obj.text("title")

    def get_download_url(self, obj) -> str:
        return f"/api/v1/course-materials/{obj.pk}/download/"


class TestSerializer(api_fields.ModelSerializer):
    title = serializers.SerializerMethodField()

    class Meta:
        model = CourseTest
        fields = ["id", "intake", "number", "title", "title_en", "title_ja", "due_at"]
        read_only_fields = ["id", "intake", "title"]

    def get_title(self, obj) -> str:
        return obj.text("title")


class EnrolmentSerializer(api_fields.ModelSerializer):
    participant = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "intake",
            "participant",
            "state",
            "created_at",
            "certificate_number",
            "certificate_issued_at",
        ]
        read_only_fields = fields

    def get_participant(self, obj) -> str:
        person = obj.participant
        return person.get_full_name() or person.username


class SubmissionSerializer(api_fields.ModelSerializer):
    class Meta:
        model = Submission
        fields = [
            "id",
            "test",
            "enrolment",
            "filename",
            "submitted_at",
            "on_time",
            "score",
            "marked_at",
        ]
        read_only_fields = fields


class SubmitSerializer(api_fields.Serializer):
    test = id_field()
    file = serializers.FileField()


class MarkSerializer(api_fields.Serializer):
    score = serializers.IntegerField(min_value=0, max_value=100)


class StatsSerializer(api_fields.Serializer):
    enrolled = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    capacity = serializers.IntegerField()
    submissions = serializers.IntegerField()
    late = serializers.IntegerField()
    unmarked = serializers.IntegerField()
    completed = serializers.IntegerField()
    completion_rate = serializers.IntegerField()
    tests_required = serializers.IntegerField()
    pass_mark = serializers.IntegerField()


class CourseViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Course intakes: participants and CLAIR read them; CLAIR creates and changes them,
    adds materials and tests, and reads the figures; participants enrol."""

    serializer_class = IntakeSerializer
    pagination_class = CountedPagination
    queryset = CourseIntake.objects.none()
    access_model = CourseIntake
    model_action_perms = {"create": "add"}
    # Materials and tests are read by whoever sees the intake; adding one is a change of
    # the intake, which the service asks for.
    action_perms = {
        "enrol": "enrol",
        "materials": "view",
        "tests": "view",
        "stats": "results",
        "export": "results",
    }
    action_messages = {
        "create": RUNS_COURSE,
        "update": RUNS_COURSE,
        "partial_update": RUNS_COURSE,
        "enrol": _lazy("Only participants enrol in the Japanese language course."),
        "stats": RUNS_COURSE,
        "export": _lazy("Only CLAIR exports the course's enrolments."),
    }

    def get_queryset(self):
        return selectors_course.intake_list(user=self.request.user).order_by("-starts_on", "pk")

    def perform_create(self, serializer):
        serializer.instance = services_course.intake_create(
            by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services_course.intake_update(
            by=self.request.user, intake=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=None, responses={201: EnrolmentSerializer})
    @action(detail=True, methods=["post"])
    def enrol(self, request, pk=None):
        intake = self.get_object()
        enrolment = services_course.enrol(by=request.user, intake=intake)
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], responses={200: MaterialSerializer(many=True)})
    @extend_schema(
        methods=["post"], request=MaterialSerializer, responses={201: MaterialSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=MaterialSerializer,
        pagination_class=None,  # an intake's few materials, as one list
    )
    def materials(self, request, pk=None):
        intake = self.get_object()
        if request.method == "POST":
            serializer = MaterialSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            material = services_course.material_create(
                by=request.user,
                intake=intake,
                title_en=data["title_en"],
                title_ja=data.get("title_ja", ""),
                release_on=data["release_on"],
                uploaded=data["file"],
            )
            return Response(MaterialSerializer(material).data, status=status.HTTP_201_CREATED)
        materials = selectors_course.material_list(user=request.user, intake=intake)
        return Response(MaterialSerializer(materials, many=True).data)

    @extend_schema(methods=["get"], responses={200: TestSerializer(many=True)})
    @extend_schema(methods=["post"], request=TestSerializer, responses={201: TestSerializer})
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=TestSerializer,
        pagination_class=None,  # an intake's few tests, as one list
    )
    def tests(self, request, pk=None):
        intake = self.get_object()
        if request.method == "POST":
            serializer = TestSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            test = services_course.test_create(
                by=request.user,
                intake=intake,
                number=data["number"],
                title_en=data["title_en"],
                title_ja=data.get("title_ja", ""),
                due_at=data["due_at"],
            )
            return Response(TestSerializer(test).data, status=status.HTTP_201_CREATED)
        tests = selectors_course.coursetest_list(user=request.user, intake=intake)
        return Response(TestSerializer(tests, many=True).data)

    @extend_schema(responses={200: StatsSerializer})
    @action(detail=True, methods=["get"], serializer_class=StatsSerializer)
    def stats(self, request, pk=None):
        intake = self.get_object()
        return Response(selectors_course.intake_stats(user=request.user, intake=intake))

    @extend_schema(request=ExportSerializer, responses={202: JobOutputSerializer})
    @action(detail=True, methods=["post"], serializer_class=ExportSerializer)
    def export(self, request, pk=None):
        intake = self.get_object()
        serializer = ExportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = course.export_start(
            by=request.user, intake=intake, file_format=serializer.validated_data["format"]
        )
        return Response({"job": job.pk, "url": job.get_absolute_url()}, status=202)


class EnrolmentFilters(ListFilters):
    intake = IntegerFilter(help_text="Intake id")

    class Meta(ListFilters.Meta):
        model = Enrolment


class EnrolmentViewSet(RestrictedQuerysetMixin, FilteredListMixin, viewsets.ReadOnlyModelViewSet):
    """The caller's enrolments (CLAIR: all), with withdrawing and the certificate."""

    serializer_class = EnrolmentSerializer
    pagination_class = CountedPagination
    filterset_class = EnrolmentFilters
    queryset = Enrolment.objects.none()
    action_perms = {"withdraw": "withdraw"}
    action_messages = {"withdraw": _lazy("You can only withdraw your own enrolment.")}

    def get_queryset(self):
        qs = selectors_course.enrolment_list(user=self.request.user).order_by("pk")
        intake = list_filters(self).get("intake") if self.action == "list" else None
        if intake is not None:
            qs = qs.filter(intake_id=intake)
        return qs

    @extend_schema(request=None, responses={200: EnrolmentSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        enrolment = services_course.withdraw(by=request.user, enrolment=self.get_object())
        return Response(EnrolmentSerializer(enrolment).data)

    @extend_schema(responses=file_responses("application/pdf", description="The certificate"))
    @action(detail=True, methods=["get"], content_negotiation_class=FileNegotiation)
    def certificate(self, request, pk=None):
        enrolment = selectors_course.certificate_enrolment_get(user=request.user, pk=pk)
        response = HttpResponse(course.certificate_pdf(enrolment), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{course.certificate_filename(enrolment)}"'
        )
        return response


class SubmissionViewSet(
    RestrictedQuerysetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Submissions: the participant's own (and handing in), all for CLAIR (and marking)."""

    serializer_class = SubmissionSerializer
    pagination_class = CountedPagination
    queryset = Submission.objects.none()
    access_model = Submission
    model_action_perms = {"create": "add"}
    action_perms = {"mark": "mark"}
    action_messages = {
        "create": _lazy("Only participants hand in tests."),
        "mark": RUNS_COURSE,
    }

    def get_queryset(self):
        return selectors_course.submission_list(user=self.request.user).order_by("pk")

    @extend_schema(request=SubmitSerializer, responses={201: SubmissionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            test = selectors_course.coursetest_get(
                user=request.user, pk=serializer.validated_data["test"]
            )
        except Http404:
            # A test named in the body, not in the address: the body is what is wrong.
            raise exceptions.ValidationError({"test": [NO_SUCH_TEST]}) from None
        submission = services_course.submit(
            by=request.user, test=test, uploaded=serializer.validated_data["file"]
        )
        return Response(SubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MarkSerializer, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"], serializer_class=MarkSerializer)
    def mark(self, request, pk=None):
        submission = self.get_object()
        serializer = MarkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submission = services_course.submission_mark(
            by=request.user, submission=submission, score=serializer.validated_data["score"]
        )
        return Response(SubmissionSerializer(submission).data)

    @extend_schema(responses=file_responses(*DOCUMENT_TYPES, description="The handed-in file"))
    @action(detail=True, methods=["get"], content_negotiation_class=FileNegotiation)
    def download(self, request, pk=None):
        submission = self.get_object()
        return document_response(submission.file, filename=submission.filename)


class MaterialViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Released materials of the caller's intakes (CLAIR: all) and their files."""

    serializer_class = MaterialSerializer
    pagination_class = CountedPagination
    queryset = CourseMaterial.objects.none()

    def get_queryset(self):
        return selectors_course.material_list(user=self.request.user).order_by("pk")

    @extend_schema(responses=file_responses(*DOCUMENT_TYPES, description="The material's file"))
    @action(detail=True, methods=["get"], content_negotiation_class=FileNegotiation)
    def download(self, request, pk=None):
        material = self.get_object()
        return document_response(material.file, filename=material.filename)


urlpatterns: list = []


def register(router) -> None:
    router.register("courses", CourseViewSet, basename="course")
    router.register("enrolments", EnrolmentViewSet, basename="enrolment")
    router.register("course-materials", MaterialViewSet, basename="course-material")
    router.register("course-submissions", SubmissionViewSet, basename="course-submission")
