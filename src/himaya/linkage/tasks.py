"""Background tasks of the linkage (django-tasks; run by ``himaya db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def linkage_run_job(run_id: int) -> None:
    """Run a queued linkage run (``services.linkage_run_execute``)."""
    from himaya.linkage import services  # noqa: PLC0415 - services import this module

    services.linkage_run_execute(run_id=run_id)
