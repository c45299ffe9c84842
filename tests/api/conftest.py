"""Calling the API as one of the world's users, with a bearer token."""

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client


@dataclass
class Caller:
    """One user's API client: ``caller.get("/api/cases/")``, ``caller.post(path, body)``."""

    client: Client
    token: str
    language: str = "fr"
    headers: dict[str, str] = field(default_factory=dict)

    def _headers(self, language: str | None) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.token}",
            "Accept-Language": language or self.language,
            **self.headers,
        }

    def get(
        self, path: str, params: dict[str, Any] | None = None, *, language: str | None = None
    ) -> Any:
        return self.client.get(path, params or {}, headers=self._headers(language))

    def post(self, path: str, body: Any = None, *, language: str | None = None) -> Any:
        data = "" if body is None else json.dumps(body, default=str)
        return self.client.post(
            path, data, content_type="application/json", headers=self._headers(language)
        )


@pytest.fixture
def caller(world: Any) -> Any:
    """``caller(world.worker)``: an API client authenticated as that user."""
    from himaya.accounts.services import api_token_create

    made: dict[int, Caller] = {}

    def make(user: Any, language: str = "fr") -> Caller:
        if user.pk not in made:
            made[user.pk] = Caller(Client(), api_token_create(user=user, name="tests"))
        return Caller(made[user.pk].client, made[user.pk].token, language)

    return make


def keys_of(value: Any) -> set[str]:
    """Every key of a JSON document, at any depth."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()
