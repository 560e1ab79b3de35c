"""The Japanese language course in the API (issue 7): `/api/v1/courses/` (intakes, with
their materials, tests, figures, enrolling and export), `/api/v1/enrolments/` (the
caller's or, for CLAIR, all; withdraw; certificate) and `/api/v1/course-submissions/`
(hand in, mark, download).

Reads go through `selectors_course` and writes through the actors' services, the same as
the pages: an id the caller may not see answers 404.
"""

from django.http import FileResponse, Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.clair import services_course as clair_services
from apps.core.api.common import ExportSerializer
from apps.core.api.pagination import CountedPagination
from apps.core.models import Kind
from apps.learning import course, selectors_course
from apps.learning.models import CourseIntake, CourseMaterial, CourseTest, Enrolment, Submission
from apps.participants import services_course as participant_services


class IntakeSerializer(serializers.ModelSerializer):
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


class MaterialSerializer(serializers.ModelSerializer):
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


class TestSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()

    class Meta:
        model = CourseTest
        fields = ["id", "intake", "number", "title", "title_en", "title_ja", "due_at"]
        read_only_fields = ["id", "intake", "title"]

    def get_title(self, obj) -> str:
        return obj.text("title")


class EnrolmentSerializer(serializers.ModelSerializer):
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


class SubmissionSerializer(serializers.ModelSerializer):
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


class SubmitSerializer(serializers.Serializer):
    test = serializers.IntegerField()
    file = serializers.FileField()


class MarkSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=0, max_value=100)


class StatsSerializer(serializers.Serializer):
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


def _require_clair(request):
    if request.user.kind != Kind.CLAIR:
        raise exceptions.PermissionDenied()


def _stream(file, filename):
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=filename)


class CourseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Course intakes: participants and CLAIR read them; CLAIR creates and changes them."""

    serializer_class = IntakeSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = CountedPagination
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    queryset = CourseIntake.objects.none()

    def get_queryset(self):
        return selectors_course.intake_list(user=self.request.user).order_by("-starts_on", "pk")

    def get_object(self):
        return selectors_course.intake_get(user=self.request.user, pk=self.kwargs["pk"])

    def perform_create(self, serializer):
        _require_clair(self.request)
        serializer.instance = clair_services.intake_create(
            by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        _require_clair(self.request)
        serializer.instance = clair_services.intake_update(
            by=self.request.user, intake=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=None, responses={201: EnrolmentSerializer})
    @action(detail=True, methods=["post"])
    def enrol(self, request, pk=None):
        intake = self.get_object()
        if request.user.kind != Kind.PARTICIPANT:
            raise exceptions.PermissionDenied()
        enrolment = participant_services.enrol(by=request.user, intake=intake)
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], responses={200: MaterialSerializer(many=True)})
    @extend_schema(
        methods=["post"], request=MaterialSerializer, responses={201: MaterialSerializer}
    )
    @action(detail=True, methods=["get", "post"], serializer_class=MaterialSerializer)
    def materials(self, request, pk=None):
        intake = self.get_object()
        if request.method == "POST":
            _require_clair(request)
            serializer = MaterialSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            material = clair_services.material_create(
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
    @action(detail=True, methods=["get", "post"], serializer_class=TestSerializer)
    def tests(self, request, pk=None):
        intake = self.get_object()
        if request.method == "POST":
            _require_clair(request)
            serializer = TestSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            test = clair_services.test_create(
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
        _require_clair(request)
        return Response(selectors_course.intake_stats(user=request.user, intake=intake))

    @extend_schema(request=ExportSerializer, responses={202: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"], serializer_class=ExportSerializer)
    def export(self, request, pk=None):
        intake = self.get_object()
        _require_clair(request)
        serializer = ExportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = course.export_start(
            by=request.user, intake=intake, file_format=serializer.validated_data["format"]
        )
        return Response({"job": job.pk, "url": job.get_absolute_url()}, status=202)


class EnrolmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's enrolments (CLAIR: all), with withdrawing and the certificate."""

    serializer_class = EnrolmentSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = CountedPagination
    queryset = Enrolment.objects.none()

    def get_queryset(self):
        qs = selectors_course.enrolment_list(user=self.request.user).order_by("pk")
        intake = self.request.query_params.get("intake")
        if intake and intake.isdigit():
            qs = qs.filter(intake_id=int(intake))
        return qs

    def get_object(self):
        return selectors_course.enrolment_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=None, responses={200: EnrolmentSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        enrolment = participant_services.withdraw(by=request.user, enrolment=self.get_object())
        return Response(EnrolmentSerializer(enrolment).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def certificate(self, request, pk=None):
        enrolment = selectors_course.certificate_enrolment_get(user=request.user, pk=pk)
        response = HttpResponse(course.certificate_pdf(enrolment), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{course.certificate_filename(enrolment)}"'
        )
        return response


class SubmissionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Submissions: the participant's own (and handing in), all for CLAIR (and marking)."""

    serializer_class = SubmissionSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = CountedPagination
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    queryset = Submission.objects.none()

    def get_queryset(self):
        return selectors_course.submission_list(user=self.request.user).order_by("pk")

    def get_object(self):
        return selectors_course.submission_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=SubmitSerializer, responses={201: SubmissionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        test = selectors_course.coursetest_get(
            user=request.user, pk=serializer.validated_data["test"]
        )
        submission = participant_services.submit(
            by=request.user, test=test, uploaded=serializer.validated_data["file"]
        )
        return Response(SubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MarkSerializer, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"], serializer_class=MarkSerializer)
    def mark(self, request, pk=None):
        submission = self.get_object()
        _require_clair(request)
        serializer = MarkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submission = clair_services.submission_mark(
            by=request.user, submission=submission, score=serializer.validated_data["score"]
        )
        return Response(SubmissionSerializer(submission).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        submission = self.get_object()
        return _stream(submission.file, submission.filename)


class MaterialViewSet(viewsets.ReadOnlyModelViewSet):
    """Released materials of the caller's intakes (CLAIR: all) and their files."""

    serializer_class = MaterialSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = CountedPagination
    queryset = CourseMaterial.objects.none()

    def get_queryset(self):
        return selectors_course.material_list(user=self.request.user).order_by("pk")

    def get_object(self):
        return selectors_course.material_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        material = self.get_object()
        return _stream(material.file, material.filename)


urlpatterns: list = []


def register(router) -> None:
    router.register("courses", CourseViewSet, basename="course")
    router.register("enrolments", EnrolmentViewSet, basename="enrolment")
    router.register("course-materials", MaterialViewSet, basename="course-material")
    router.register("course-submissions", SubmissionViewSet, basename="course-submission")
