"""StatusRegistry's arguments: what it refuses, and why (BSL §3.2 minimum length, §6.5)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from staffvc.clock import FixedClock
from staffvc.errors import StatusListLengthError, StatusRegistryConfigError
from staffvc.status.bitstring import MIN_LIST_LENGTH
from staffvc.status.registry import MAX_LIST_LENGTH, StatusRegistry
from staffvc.status.sqlite_store import SqliteStatusStore
from status.postgres import BASE_URL, ISSUER, NOW


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[SqliteStatusStore]:
    with SqliteStatusStore(tmp_path / "status.db") as store:
        yield store


def _make(store: SqliteStatusStore, **changes: Any) -> StatusRegistry:
    arguments: dict[str, Any] = {
        "base_url": BASE_URL,
        "issuer": ISSUER,
        "random_bytes": os.urandom,
        "clock": FixedClock(NOW),
    }
    arguments.update(changes)
    return StatusRegistry(store, **arguments)


@pytest.mark.parametrize("length", [MIN_LIST_LENGTH - 8, 16_384, 8])
def test_lists_shorter_than_the_minimum_are_refused(sqlite: SqliteStatusStore, length: int) -> None:
    with pytest.raises(StatusListLengthError) as caught:
        _make(sqlite, list_length=length)
    assert caught.value.code == "STATUS_LIST_LENGTH_ERROR"


@pytest.mark.parametrize("length", [MAX_LIST_LENGTH + 8, MIN_LIST_LENGTH + 1, True, "131072"])
def test_other_bad_lengths_are_refused(sqlite: SqliteStatusStore, length: object) -> None:
    with pytest.raises(StatusRegistryConfigError):
        _make(sqlite, list_length=length)


def test_a_longer_list_is_allowed(sqlite: SqliteStatusStore) -> None:
    registry = _make(sqlite, list_length=2 * MIN_LIST_LENGTH)
    registry.allocate("urn:cred:a")
    assert {info.length for info in registry.lists()} == {2 * MIN_LIST_LENGTH}


@pytest.mark.parametrize(
    "base_url",
    [
        "http://status.example.nhs.uk/lists",
        "ftp://status.example.nhs.uk",
        "https://status.example.nhs.uk/lists?x=1",
        "https://status.example.nhs.uk/lists#frag",
        "https://user:pw@status.example.nhs.uk/lists",
        "https:///lists",
        "status.example.nhs.uk/lists",
        "https://status.example.nhs.uk/a b",
        "",
        42,
    ],
)
def test_bad_base_urls_are_refused(sqlite: SqliteStatusStore, base_url: object) -> None:
    with pytest.raises(StatusRegistryConfigError) as caught:
        _make(sqlite, base_url=base_url)
    assert caught.value.code == "STATUS_REGISTRY_CONFIG_ERROR"


@pytest.mark.parametrize(
    ("base_url", "prefix"),
    [
        ("https://status.example.nhs.uk/lists/", "https://status.example.nhs.uk/lists/"),
        ("http://localhost:8080/status", "http://localhost:8080/status/"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/"),
    ],
)
def test_list_urls_hang_off_the_base_url(
    sqlite: SqliteStatusStore, base_url: str, prefix: str
) -> None:
    registry = _make(sqlite, base_url=base_url)
    for entry in registry.allocate("urn:cred:a"):
        url = str(entry["statusListCredential"])
        assert url.startswith(prefix)
        assert "/" not in url[len(prefix) :]


@pytest.mark.parametrize(
    "changes",
    [
        {"issuer": "example"},
        {"issuer": ""},
        {"issuer": 7},
        {"random_bytes": b"not callable"},
        {"clock": "now"},
        {"purposes": ()},
        {"purposes": ("revocation", "revocation")},
        {"purposes": ("refresh",)},
        {"purposes": ("message",)},
    ],
    ids=str,
)
def test_bad_arguments_are_refused(sqlite: SqliteStatusStore, changes: dict[str, Any]) -> None:
    with pytest.raises(StatusRegistryConfigError):
        _make(sqlite, **changes)


def test_one_purpose_may_be_given_as_a_string(sqlite: SqliteStatusStore) -> None:
    registry = _make(sqlite, purposes="suspension")
    assert registry.purposes == ("suspension",)
    [entry] = registry.allocate("urn:cred:a")
    assert entry["statusPurpose"] == "suspension"


def test_the_registry_closes_its_store(sqlite: SqliteStatusStore) -> None:
    from staffvc.errors import StatusStoreUnavailableError

    with _make(sqlite) as registry:
        assert registry.store is sqlite
    with pytest.raises(StatusStoreUnavailableError):
        sqlite.lists()
