"""Background tasks of the inspectorate (django-tasks; run by ``himaya db_worker``)."""

from __future__ import annotations

from django_tasks import task

from himaya.inspection.services import import_jobs


@task()
def establishments_import_job(job_id: int) -> None:
    """Run an import job of establishments (``services.import_jobs``)."""
    import_jobs.establishment_import_run(job_id=job_id)
