"""What several apps' models share (abstract: no table of its own)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BackgroundJob(models.Model):
    """Work done by a background task (django-tasks) for a user: a linkage run, a
    survey estimation, an import. Each keeps its own ``status`` (queued, running, done,
    failed, with its own labels); this holds the task's bookkeeping."""

    status: str
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def in_progress(self) -> bool:
        """Waiting to start or running: its page polls until it ends."""
        return self.status in ("queued", "running")
