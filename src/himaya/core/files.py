"""Directories of private files (evidence, uploads waiting for their import)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def private_directory(setting: str) -> Path:
    """The directory named by ``settings.<setting>``, refused if the web server
    could serve it (it lies in, or is, a static or media directory)."""
    root = Path(getattr(settings, setting)).resolve()
    served = [settings.STATIC_ROOT, getattr(settings, "MEDIA_ROOT", "")]
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        served.append(entry[1] if isinstance(entry, tuple | list) else entry)
    for directory in served:
        if not directory:
            continue
        directory = Path(directory).resolve()
        if root == directory or directory in root.parents:
            raise ImproperlyConfigured(f"{setting} must lie outside every served directory.")
    return root
