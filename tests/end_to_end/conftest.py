"""What the end-to-end tests of jobs share: a real PostgreSQL server for a module's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.postgres import postgres_server


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """A running PostgreSQL server's URL (a cluster of the module's own; see tests/postgres)."""
    with postgres_server() as url:
        yield url
