"""Evidence of visits: photos and PDF documents, checked by content, stored
outside the web root, served to the visit's office only."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import Client
from PIL import Image
from tests.inspection.conftest import plan_visit

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.core.errors import ApplicationError, InvalidInput, NotFound
from himaya.inspection.models import Evidence, Visit
from himaya.inspection.services import evidence as services
from himaya.inspection.services import visits


def _image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


JPEG = _image("JPEG")
PNG = _image("PNG")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(28)
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(64)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"

OTHERS = ["other_office_inspector", "far_inspector", "worker", "provider", "analyst"]


@pytest.fixture(autouse=True)
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return Path(settings.EVIDENCE_DIR)


def _files(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.is_file()] if directory.exists() else []


def _upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _add(world: Any, visit: Visit, content: bytes = JPEG, name: str = "photo.jpg") -> Evidence:
    return services.evidence_add(
        actor=world.inspector, visit=visit, upload=_upload(content, name), description="Register"
    )


def _nothing_kept(directory: Path) -> None:
    assert _files(directory) == []
    assert not Evidence.objects.exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.EVIDENCE_ADDED).exists()


# --- Adding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (JPEG, "photo.jpg", "image/jpeg"),
        (PNG, "capture.png", "image/png"),
        (PDF, "registre.pdf", "application/pdf"),
        (WEBP, "photo.webp", "image/webp"),
        (HEIC, "IMG_0001.HEIC", "image/heic"),
    ],
)
def test_a_photo_or_a_pdf_is_stored_outside_the_web_root(
    world: Any, visit: Visit, evidence_dir: Path, content: bytes, name: str, content_type: str
) -> None:
    evidence = _add(world, visit, content, name)

    assert (evidence.visit, evidence.original_name, evidence.uploaded_by) == (
        visit,
        name,
        world.inspector,
    )
    assert (evidence.content_type, evidence.size) == (content_type, len(content))
    assert evidence.description == "Register"
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    stored = evidence_dir / evidence.key[:2] / evidence.key
    assert _files(evidence_dir) == [stored]
    assert stored.read_bytes() == content
    assert len(evidence.key) == 32 and name not in str(stored)
    static_root = Path(django_settings.STATIC_ROOT).resolve()
    assert static_root not in stored.resolve().parents
    entry = AuditEntry.objects.get(event=AuditEvent.EVIDENCE_ADDED)
    assert (entry.actor, entry.object_id) == (world.inspector, str(evidence.pk))
    assert entry.detail["sha256"] == evidence.sha256
    assert entry.detail["visit"] == visit.pk


def test_the_browser_s_content_type_is_not_trusted(world: Any, visit: Visit) -> None:
    upload = _upload(PNG, "photo.jpg", content_type="application/x-msdownload")
    evidence = services.evidence_add(actor=world.inspector, visit=visit, upload=upload)
    assert evidence.content_type == "image/png"


def test_a_supervisor_of_the_office_adds_evidence(world: Any, offices: Any, visit: Visit) -> None:
    evidence = services.evidence_add(
        actor=offices.inspection_supervisor, visit=visit, upload=_upload(JPEG)
    )
    assert evidence.uploaded_by == offices.inspection_supervisor


def test_an_empty_file_is_refused(world: Any, visit: Visit, evidence_dir: Path) -> None:
    with pytest.raises(InvalidInput) as refused:
        _add(world, visit, b"")
    assert refused.value.errors == {"file": [str(services.EVIDENCE_EMPTY)]}
    _nothing_kept(evidence_dir)


def test_a_file_too_large_is_refused(
    world: Any, visit: Visit, evidence_dir: Path, settings: Any
) -> None:
    settings.HIMAYA_EVIDENCE_MAX_BYTES = len(JPEG)
    with pytest.raises(InvalidInput) as refused:
        _add(world, visit, JPEG + b"\x00")
    message = refused.value.errors["file"][0]
    assert message == services.EVIDENCE_TOO_LARGE % {"size": filesizeformat(len(JPEG))}
    _nothing_kept(evidence_dir)

    assert _add(world, visit, JPEG).size == len(JPEG)  # exactly the limit is accepted


def test_a_file_too_large_is_found_however_its_size_is_declared(
    world: Any, visit: Visit, evidence_dir: Path, settings: Any
) -> None:
    settings.HIMAYA_EVIDENCE_MAX_BYTES = 1000
    upload = _upload(JPEG[:10] + bytes(300 * 1024))
    upload.size = 10  # what the client says
    with pytest.raises(InvalidInput) as refused:
        services.evidence_add(actor=world.inspector, visit=visit, upload=upload)
    too_large = services.EVIDENCE_TOO_LARGE % {"size": filesizeformat(1000)}
    assert refused.value.errors["file"] == [too_large]
    _nothing_kept(evidence_dir)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (EXE, "photo.jpg", services.EVIDENCE_DISGUISED),
        (EXE, "rapport.PDF", services.EVIDENCE_DISGUISED),
        (SVG, "photo.jpg", services.EVIDENCE_DISGUISED),
        (SVG, "plan.svg", services.EVIDENCE_TYPE),
        (HTML, "page.html", services.EVIDENCE_TYPE),
        (EXE, "setup.exe", services.EVIDENCE_TYPE),
        (b"\x00\x00\x00\x18ftypisom" + bytes(32), "video.heic", services.EVIDENCE_DISGUISED),
    ],
)
def test_a_file_that_is_not_a_photo_or_a_pdf_is_refused(
    world: Any, visit: Visit, evidence_dir: Path, content: bytes, name: str, message: Any
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _add(world, visit, content, name)
    assert refused.value.errors == {"file": [str(message)]}
    _nothing_kept(evidence_dir)


def test_a_description_too_long_or_with_nul_is_refused(
    world: Any, visit: Visit, evidence_dir: Path
) -> None:
    for description in ("x" * 301, "a\x00b"):
        with pytest.raises(InvalidInput) as refused:
            services.evidence_add(
                actor=world.inspector, visit=visit, upload=_upload(JPEG), description=description
            )
        assert list(refused.value.errors) == ["description"]
    _nothing_kept(evidence_dir)


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("..\\..\\Windows\\photo.jpg", "photo.jpg"),
        ("/var/www/static/x.jpg", "x.jpg"),
        ("..", "file"),
        ("photo\x00\r\n.jpg", "photo .jpg"),
        ("photo\u202egpj.exe", "photogpj.exe"),
        ("ص" * 300 + ".jpg", "ص" * 196 + ".jpg"),
    ],
)
def test_a_file_name_is_cleaned_and_never_used_as_a_path(
    world: Any, visit: Visit, evidence_dir: Path, tmp_path: Path, name: str, kept: str
) -> None:
    upload = io.BytesIO(JPEG)
    upload.name = name
    evidence = services.evidence_add(actor=world.inspector, visit=visit, upload=upload)

    assert evidence.original_name == kept
    assert len(evidence.original_name) <= 200
    assert _files(evidence_dir) == [evidence_dir / evidence.key[:2] / evidence.key]
    assert [p.name for p in tmp_path.iterdir()] == ["evidence"]


def test_the_download_name_carries_the_real_type(world: Any, visit: Visit) -> None:
    evidence = _add(world, visit, PDF, "page.html")
    assert services.download_name(evidence) == "page.html.pdf"
    assert services.download_name(_add(world, visit, JPEG, "IMG.JPEG")) == "IMG.JPEG"


def test_a_database_failure_leaves_no_file(
    world: Any, visit: Visit, evidence_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(Evidence, "save", fail)
    with pytest.raises(RuntimeError):
        _add(world, visit)
    _nothing_kept(evidence_dir)


def test_a_cancelled_visit_takes_no_evidence(
    world: Any, establishment: Any, evidence_dir: Path
) -> None:
    planned = plan_visit(world, establishment)
    visits.visit_cancel(actor=world.inspector, visit=planned)
    with pytest.raises(ApplicationError) as refused:
        _add(world, planned)
    assert refused.value.code == "visit_cancelled"
    _nothing_kept(evidence_dir)


@pytest.mark.parametrize("who", ["other_office_inspector", "far_inspector"])
def test_staff_out_of_scope_add_and_open_nothing(
    world: Any, offices: Any, visit: Visit, evidence_dir: Path, who: str
) -> None:
    evidence = _add(world, visit)
    actor = getattr(offices, who)
    with pytest.raises(NotFound):
        services.evidence_add(actor=actor, visit=visit, upload=_upload(JPEG))
    with pytest.raises(NotFound):
        services.evidence_open(actor=actor, evidence=evidence)
    assert Evidence.objects.count() == 1 and len(_files(evidence_dir)) == 1
    assert not AuditEntry.objects.filter(event=AuditEvent.EVIDENCE_DOWNLOADED).exists()


@pytest.mark.parametrize("who", ["worker", "provider", "analyst"])
def test_others_are_refused_by_the_services(world: Any, visit: Visit, who: str) -> None:
    evidence = _add(world, visit)
    with pytest.raises(ApplicationError) as refused:
        services.evidence_add(actor=getattr(world, who), visit=visit, upload=_upload(JPEG))
    assert refused.value.status in (403, 404)
    with pytest.raises(ApplicationError):
        services.evidence_open(actor=getattr(world, who), evidence=evidence)


def test_opening_evidence_is_audited(world: Any, visit: Visit) -> None:
    evidence = _add(world, visit, PDF, "registre.pdf")
    handle, content_type, name = services.evidence_open(actor=world.inspector, evidence=evidence)
    with handle:
        assert handle.read() == PDF
    assert (content_type, name) == ("application/pdf", "registre.pdf")
    entry = AuditEntry.objects.get(event=AuditEvent.EVIDENCE_DOWNLOADED)
    assert (entry.actor, entry.object_id) == (world.inspector, str(evidence.pk))


# --- Pages ----------------------------------------------------------------------------


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _page(visit: Visit, language: str = "fr") -> str:
    return f"/{language}/inspection/visits/{visit.pk}/evidence/"


def _download(evidence: Evidence) -> str:
    return f"/fr/inspection/evidence/{evidence.pk}/"


def test_the_evidence_page_lists_the_files_and_offers_an_upload(
    client: Client, world: Any, visit: Visit
) -> None:
    evidence = _add(world, visit, JPEG, "atelier <b>.jpg")
    _as(client, world.inspector)

    response = client.get(_page(visit))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and 'id="visit-evidence"' in html
    assert "atelier &lt;b&gt;.jpg" in html and "Register" in html
    assert f'href="{_download(evidence)}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'accept="image/jpeg,' in html and "application/pdf" in html
    assert 'capture="environment"' in html
    assert "inspector" in html  # who added it

    partial = client.get(_page(visit), headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert 'id="visit-evidence"' in partial.content.decode()
    assert "HX-Request" in partial["Vary"]

    arabic = client.get(_page(visit, "ar"))
    assert arabic.status_code == 200 and 'dir="rtl"' in arabic.content.decode()


def test_uploading_through_the_page(client: Client, world: Any, visit: Visit) -> None:
    _as(client, world.inspector)
    response = client.post(
        _page(visit), {"file": _upload(PNG, "capture.png"), "description": "Le registre"}
    )

    assert response.status_code == 302
    assert response["Location"] == _page(visit)
    evidence = Evidence.objects.get()
    assert (evidence.original_name, evidence.description) == ("capture.png", "Le registre")
    followed = client.get(_page(visit)).content.decode()
    assert "capture.png" in followed


def test_a_photo_taken_with_the_phone_is_uploaded(client: Client, world: Any, visit: Visit) -> None:
    _as(client, world.inspector)
    response = client.post(_page(visit), {"photo": _upload(JPEG, "image.jpg")})
    assert response.status_code == 302
    assert Evidence.objects.get().content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("content", "name", "message", "field"),
    [
        (EXE, "photo.jpg", services.EVIDENCE_DISGUISED, "file"),
        (SVG, "plan.svg", services.EVIDENCE_TYPE, "file"),
        (b"", "empty.jpg", services.EVIDENCE_EMPTY, "file"),
        (EXE, "photo.jpg", services.EVIDENCE_DISGUISED, "photo"),
    ],
)
def test_a_refused_upload_says_why_and_keeps_nothing(
    client: Client,
    world: Any,
    visit: Visit,
    evidence_dir: Path,
    content: bytes,
    name: str,
    message: Any,
    field: str,
) -> None:
    _as(client, world.inspector)
    response = client.post(_page(visit, "en"), {field: _upload(content, name)})

    assert response.status_code == 400
    html = response.content.decode()
    assert str(message) in html
    assert f'id="id_{field}_error"' in html
    _nothing_kept(evidence_dir)


def test_an_upload_without_a_file_or_with_two_is_refused(
    client: Client, world: Any, visit: Visit, evidence_dir: Path
) -> None:
    _as(client, world.inspector)
    assert client.post(_page(visit), {"description": "x"}).status_code == 400
    both = {"file": _upload(JPEG), "photo": _upload(PNG, "b.png")}
    response = client.post(_page(visit, "en"), both)
    assert response.status_code == 400
    assert "not both" in response.content.decode()
    _nothing_kept(evidence_dir)


def test_a_path_traversal_name_through_the_page_is_neutralised(
    client: Client, world: Any, visit: Visit, evidence_dir: Path, tmp_path: Path
) -> None:
    _as(client, world.inspector)
    upload = _upload(JPEG, "..\\..\\..\\static\\evil.jpg")
    assert client.post(_page(visit), {"file": upload}).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "evil.jpg"
    assert _files(tmp_path) == [evidence_dir / evidence.key[:2] / evidence.key]


def test_the_inspector_downloads_a_file(client: Client, world: Any, visit: Visit) -> None:
    evidence = _add(world, visit, JPEG, "photo atelier.jpg")
    _as(client, world.inspector)

    response = client.get(_download(evidence))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG  # type: ignore[attr-defined]
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'attachment; filename="photo atelier.jpg"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    entry = AuditEntry.objects.get(event=AuditEvent.EVIDENCE_DOWNLOADED)
    assert (entry.actor, entry.object_id) == (world.inspector, str(evidence.pk))


def test_a_download_name_in_arabic_is_encoded(client: Client, world: Any, visit: Visit) -> None:
    evidence = _add(world, visit, PDF, 'محضر "1".pdf')
    _as(client, world.inspector)
    response = client.get(_download(evidence))
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert '"1"' not in response["Content-Disposition"]
    response.close()


@pytest.mark.parametrize("who", OTHERS)
def test_others_find_neither_the_page_nor_the_files(
    client: Client, world: Any, offices: Any, visit: Visit, evidence_dir: Path, who: str
) -> None:
    evidence = _add(world, visit)
    _as(client, getattr(offices, who))

    assert client.get(_page(visit)).status_code == 404
    assert client.get(_page(visit), headers={"HX-Request": "true"}).status_code == 404
    assert client.post(_page(visit), {"file": _upload(PNG, "x.png")}).status_code == 404
    assert client.get(_download(evidence)).status_code == 404
    assert Evidence.objects.count() == 1 and len(_files(evidence_dir)) == 1
    assert not AuditEntry.objects.filter(event=AuditEvent.EVIDENCE_DOWNLOADED).exists()


def test_the_pages_need_a_login(client: Client, world: Any, visit: Visit) -> None:
    evidence = _add(world, visit)
    assert client.get(_page(visit)).status_code == 302
    assert client.get(_download(evidence)).status_code == 302


def test_an_unknown_file_or_visit_is_not_found(client: Client, world: Any, visit: Visit) -> None:
    _as(client, world.inspector)
    assert client.get("/fr/inspection/evidence/999999/").status_code == 404
    assert client.get("/fr/inspection/visits/999999/evidence/").status_code == 404


def test_a_file_missing_on_disk_is_not_found(
    client: Client, world: Any, visit: Visit, evidence_dir: Path
) -> None:
    evidence = _add(world, visit)
    (evidence_dir / evidence.key[:2] / evidence.key).unlink()
    _as(client, world.inspector)
    assert client.get(_download(evidence)).status_code == 404
    assert not AuditEntry.objects.filter(event=AuditEvent.EVIDENCE_DOWNLOADED).exists()


def test_evidence_may_not_live_under_a_served_directory(
    world: Any, visit: Visit, settings: Any
) -> None:
    settings.EVIDENCE_DIR = Path(settings.STATIC_ROOT) / "evidence"
    with pytest.raises(ImproperlyConfigured, match="EVIDENCE_DIR"):
        _add(world, visit)
    assert not Evidence.objects.exists()
