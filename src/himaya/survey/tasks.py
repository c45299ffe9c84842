"""Background tasks of the survey estimates (django-tasks; run by ``himaya db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def survey_estimate_job(survey_id: int) -> None:
    """Estimate a survey file sent by an analyst (``services.survey_run_execute``)."""
    from himaya.survey import services  # noqa: PLC0415 - services import this module

    services.survey_run_execute(survey_id=survey_id)
