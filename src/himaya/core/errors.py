"""Errors raised by services, shown to users in their language.

``ApplicationError`` is a business rule refusing an action (one message).
``InvalidInput`` names each bad field. Pages show them beside the form;
the API returns them as JSON (see config.api).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils.functional import Promise


class ApplicationError(Exception):
    def __init__(self, message: str | Promise, *, code: str = "refused", status: int = 400):
        self.message = message
        self.code = code
        self.status = status
        super().__init__(str(message))


class InvalidInput(ApplicationError):
    def __init__(self, errors: dict[str, list[Any]]):
        self.errors = {field: [str(m) for m in messages] for field, messages in errors.items()}
        first = next(iter(self.errors.values()), [""])[0]
        super().__init__(first, code="invalid")


class NotFound(ApplicationError):
    """The record does not exist or is outside the user's scope (never say which)."""

    def __init__(self) -> None:
        from django.utils.translation import gettext_lazy as _

        super().__init__(_("Not found."), code="not_found", status=404)


@contextmanager
def fields_named(**names: str) -> Iterator[None]:
    """A service's ``InvalidInput`` with its fields renamed as the caller names them
    (the API's ``provider_id`` for the service's ``provider``)."""
    try:
        yield
    except InvalidInput as invalid:
        invalid.errors = {names.get(k, k): v for k, v in invalid.errors.items()}
        raise
