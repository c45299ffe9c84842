"""Analysts send a survey file from the web, follow it, then read and download its results."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from himaya.audit.events import AuditEvent
from himaya.audit.models import AuditEntry
from himaya.core.errors import ApplicationError, InvalidInput
from himaya.survey import services
from himaya.survey.models import SurveyEstimate, SurveyRun, SurveyStatus
from himaya.survey.pipeline import Request, run
from himaya.survey.services import SurveyIn, run_folder
from himaya.survey.synthetic import generate

pytestmark = pytest.mark.django_db

IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any, tmp_path: Path) -> None:
    settings.TASKS = IMMEDIATE_TASKS
    settings.SURVEY_DIR = tmp_path / "surveys"


@pytest.fixture(scope="module")
def mics_csv() -> bytes:
    out = io.BytesIO()
    generate(1500, seed=11).write_csv(out)
    return out.getvalue()


def _send(client: Client, content: bytes, **fields: str) -> Any:
    data = {"title": "MICS test", "mapping": "mics6", "ruleset": "sdg-8.7.1", "singleton": "center"}
    data.update(fields)
    upload = SimpleUploadedFile(fields.pop("name", "fs.csv"), content, content_type="text/csv")
    return client.post(reverse("survey:list"), {**data, "file": upload})


def test_an_analyst_sends_a_file_and_reads_its_tables_map_and_files(
    world: Any, client: Client, mics_csv: bytes, tmp_path: Path
) -> None:
    client.force_login(world.analyst)
    sent = _send(client, mics_csv)

    survey = SurveyRun.objects.get()
    assert sent.status_code == 302
    assert sent["Location"].endswith(reverse("survey:detail", args=[survey.pk]))
    assert survey.status == SurveyStatus.DONE
    assert len(survey.checksum) == 64
    assert survey.ruleset_version
    # The stored estimates are the pipeline's, to the last digit.
    path = tmp_path / "direct.csv"
    path.write_bytes(mics_csv)
    direct = run(Request(input=path, mapping="mics6")).estimates
    overall = direct.filter((pl.col("indicator") == "child_labour") & (pl.col("domain") == "all"))
    stored = SurveyEstimate.objects.get(run=survey, indicator="child_labour", domain="all")
    assert stored.estimate == overall.get_column("estimate").item()
    assert stored.se == overall.get_column("se").item()

    with translation.override("en"):
        page = client.get(reverse("survey:detail", args=[survey.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "PR.3.4" in body
    assert 'class="region-map"' in body
    assert survey.checksum in body
    for name in ("estimates.csv", "tables.xlsx", "sdmx.csv", "PR.3.1.svg"):
        assert name in survey.outputs
        response = client.get(reverse("survey:file", args=[survey.pk, name]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content)  # type: ignore[attr-defined]
    # The workbook speaks the sender's language (French, the default, here).
    book = openpyxl.load_workbook(run_folder(survey.key) / "outputs" / "tables.xlsx")
    assert survey.language.startswith("fr")
    assert book["PR.3.1"]["A1"].value.startswith("Tableau PR.3.1 : ")
    # Only the run's outputs are served, never the file sent.
    assert client.get(reverse("survey:file", args=[survey.pk, "input.csv"])).status_code == 404
    assert AuditEntry.objects.filter(event=AuditEvent.SURVEY_DOWNLOADED).count() == 4


def test_a_bad_file_is_refused_at_once_naming_the_column(
    world: Any, client: Client, mics_csv: bytes
) -> None:
    client.force_login(world.analyst)
    no_weight = _send(client, mics_csv, weight="nope")
    assert no_weight.status_code == 400
    assert "nope" in no_weight.content.decode()
    negative = mics_csv.replace(b"\n1,", b"\n1,", 1)
    frame = pl.read_csv(io.BytesIO(negative), infer_schema=False)
    frame = frame.with_columns(pl.lit("-1").alias("fsweight"))
    out = io.BytesIO()
    frame.write_csv(out)
    # A negative weight is found by the worker: the run fails, saying so, nothing stored.
    _send(client, out.getvalue())
    failed = SurveyRun.objects.get()
    assert failed.status == SurveyStatus.FAILED
    assert "fsweight" in failed.error
    assert SurveyEstimate.objects.count() == 0
    wrong_type = _send(client, b"not a survey", name="fs.txt")
    assert wrong_type.status_code == 400
    assert SurveyRun.objects.count() == 1


def test_only_analysts_of_the_organisation_see_a_run(
    world: Any, client: Client, mics_csv: bytes, django_user_model: Any
) -> None:
    from himaya.accounts.models import Organisation, OrganisationKind, Role

    survey = services.survey_run_start(
        actor=world.analyst,
        source=io.BytesIO(mics_csv),
        file_name="fs.csv",
        data=SurveyIn(title="MICS", mapping="mics6"),
    )
    other = django_user_model.objects.create(
        username="other-analyst",
        role=Role.ANALYST,
        organisation=Organisation.objects.create(
            name="HCP", kind=OrganisationKind.MINISTRY, territory_code=""
        ),
    )
    for user in (other, world.supervisor, world.worker, world.administrator):
        client.force_login(user)
        assert client.get(reverse("survey:detail", args=[survey.pk])).status_code == 404
        assert (
            client.get(reverse("survey:file", args=[survey.pk, "estimates.csv"])).status_code == 404
        )
    for user in (world.supervisor, world.worker):
        client.force_login(user)
        assert client.get(reverse("survey:list")).status_code == 404
    with pytest.raises(ApplicationError):
        services.survey_run_start(
            actor=world.worker, source=io.BytesIO(mics_csv), file_name="fs.csv", data=SurveyIn("x")
        )
    with pytest.raises(InvalidInput) as refused:
        services.survey_run_start(
            actor=world.analyst,
            source=io.BytesIO(mics_csv),
            file_name="fs.csv",
            data=SurveyIn("x", mapping="no-such-mapping"),
        )
    assert "mapping" in refused.value.errors


def test_a_running_estimation_is_polled_then_the_page_reloads(world: Any, client: Client) -> None:
    survey = SurveyRun.objects.create(
        organisation=world.analyst.organisation,
        created_by=world.analyst,
        title="t",
        file_name="fs.csv",
        checksum="0" * 64,
        key="a" * 32,
        language="fr",
        ruleset="sdg-8.7.1",
        singleton="center",
        status=SurveyStatus.RUNNING,
        stage="estimating",
        progress=10,
    )
    client.force_login(world.analyst)
    polled = client.get(reverse("survey:progress", args=[survey.pk]), HTTP_HX_REQUEST="true")
    assert 'value="10"' in polled.content.decode()
    assert "HX-Refresh" not in polled
    SurveyRun.objects.filter(pk=survey.pk).update(status=SurveyStatus.DONE)
    ended = client.get(reverse("survey:progress", args=[survey.pk]), HTTP_HX_REQUEST="true")
    assert ended["HX-Refresh"] == "true"
