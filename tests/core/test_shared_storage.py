"""Uploaded files on a store that several web hosts share (MEDIA_STORAGE=s3): a file
uploaded through one host is in the bucket, not on that host's disk, and another host
streams the same bytes through the permission-checked download.

The store is moto's S3 server in a process of its own, spoken to over HTTP as any
S3-compatible store (MinIO, Ceph RGW) would be."""

import json
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from apps.demo.documents import pdf_bytes
from apps.learning.models import LibraryDocument, LibraryVersion
from tests.production_settings import production_settings

pytestmark = pytest.mark.django_db

S3_STORAGE = "storages.backends.s3.S3Storage"
CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_listening(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.skip(f"moto_server exited at start: {log.read_text()[-500:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    process.kill()
    pytest.skip(f"moto_server did not listen on port {port} within 30 s: {log.read_text()[-500:]}")


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    """The address of a real S3 HTTP server on a free loopback port, for this module."""
    moto_server = Path(sys.executable).with_name("moto_server")
    if not moto_server.exists():
        pytest.skip(f"moto_server is not installed beside {sys.executable} (requirements-dev.txt)")
    port = _free_port()
    log = tmp_path_factory.mktemp("moto") / "moto_server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(moto_server), "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_listening(process, port, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint):
    """An empty bucket of this test's own, and a boto3 client that lists it."""
    name = f"jetadmin-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=name)
    return name, client


def _s3_storages(endpoint: str, bucket_name: str) -> dict:
    """STORAGES as production.py builds them for MEDIA_STORAGE=s3 with an endpoint."""
    return {
        "default": {
            "BACKEND": S3_STORAGE,
            "OPTIONS": {
                "bucket_name": bucket_name,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
        "staticfiles": settings.STORAGES["staticfiles"],
    }


def _keys(client, bucket_name: str) -> list[str]:
    return [row["Key"] for row in client.list_objects_v2(Bucket=bucket_name).get("Contents", [])]


def test_a_file_uploaded_through_one_host_is_downloaded_through_another(
    s3_endpoint, bucket, token_client, client_as
):
    bucket_name, s3 = bucket
    content = pdf_bytes("Handbook kept on shared storage")
    storages = _s3_storages(s3_endpoint, bucket_name)

    # The library's FileFields use default_storage, which Django builds again from
    # STORAGES whenever the setting changes (django.test.signals.storages_changed).
    with override_settings(STORAGES=storages):
        response = token_client("clair").post(
            "/api/v1/library/",
            {
                "kind": LibraryDocument.Kind.HANDBOOK,
                "audience": LibraryDocument.Audience.CONTRACTING,
                "title_en": "Handbook on shared storage",
                "file": SimpleUploadedFile("shared.pdf", content, content_type="application/pdf"),
            },
            format="multipart",
        )
    assert response.status_code == 201, response.content
    version = LibraryVersion.objects.get(document_id=response.json()["id"])

    assert _keys(s3, bucket_name) == [version.file.name]
    assert s3.get_object(Bucket=bucket_name, Key=version.file.name)["Body"].read() == content
    assert not (Path(settings.MEDIA_ROOT) / version.file.name).exists()

    # Another host: a storage object of its own (nothing of the upload's left in memory)
    # and another person, whose organisation the handbook is for.
    with override_settings(STORAGES=storages):
        page = client_as("co.hyogo").get(f"/library/versions/{version.pk}/file/")
        assert page.status_code == 200
        assert b"".join(page.streaming_content) == content

        api = token_client("co.hyogo").get(f"/api/v1/library/versions/{version.pk}/file/")
        assert api.status_code == 200
        assert b"".join(api.streaming_content) == content

        # The bucket does not widen who may read: a participant is not the audience.
        outsider = client_as("participant").get(f"/library/versions/{version.pk}/file/")
        assert outsider.status_code == 404


# --- the production settings ------------------------------------------------------------------


def test_production_keeps_uploads_on_the_local_volume_by_default():
    result = production_settings()
    assert result.returncode == 0, result.stderr
    storages = json.loads(result.stdout)
    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_production_puts_uploads_in_a_private_bucket_when_media_storage_is_s3():
    result = production_settings(MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="b")
    assert result.returncode == 0, result.stderr
    storages = json.loads(result.stdout)
    assert storages["default"] == {
        "BACKEND": S3_STORAGE,
        "OPTIONS": {
            "bucket_name": "b",
            "endpoint_url": None,
            "region_name": None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    assert storages["staticfiles"] == {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    }


def test_production_passes_an_s3_compatible_endpoint_and_keys():
    result = production_settings(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="b",
        AWS_S3_ENDPOINT_URL="http://minio:9000",
        AWS_S3_REGION_NAME="eu-west-1",
        AWS_ACCESS_KEY_ID="key",
        AWS_SECRET_ACCESS_KEY="secret",
    )
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout)["default"]["OPTIONS"]
    assert options["endpoint_url"] == "http://minio:9000"
    assert options["region_name"] == "eu-west-1"
    assert (options["access_key"], options["secret_key"]) == ("key", "secret")


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"MEDIA_STORAGE": "s3"}, "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME"),
        ({"MEDIA_STORAGE": "nfs"}, "MEDIA_STORAGE must be local or s3, not 'nfs'"),
    ],
    ids=["s3-without-bucket", "unknown-kind"],
)
def test_production_refuses_to_start_with_an_unusable_media_storage(environment, message):
    result = production_settings(**environment)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr
