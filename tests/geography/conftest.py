"""Fixtures of the geography tests: the full load, and the small geography of ``testing``."""

from typing import Any

import pytest

from himaya.geography.services import geography_load
from himaya.geography.testing import SmallGeography, load_small_geography


@pytest.fixture
def geography(db: None) -> dict[str, int]:
    """The whole geography (12 regions, 83 provinces, 1,503 communes), with boundaries.

    The packages are read once per process (``geography_source`` is cached), so
    after the first test this costs only the inserts.
    """
    return geography_load()


@pytest.fixture
def small_geography(db: None) -> SmallGeography:
    return load_small_geography()


@pytest.fixture
def logged_in_client(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client
