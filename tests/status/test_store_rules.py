"""The StatusStore protocol's rules, the same on both stores, and the pure helpers under
them (uniform random draws; the n-th free index)."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffvc.errors import (
    StatusRegistryConfigError,
    StatusStoreConflictError,
    StatusTransitionError,
    UnknownCredentialError,
    UnknownStatusListError,
)
from staffvc.status._store_core import _nth_free
from staffvc.status.registry import randbelow_from
from staffvc.status.store import (
    REVOCATION,
    SUSPENSION,
    Allocation,
    ListName,
    ListShape,
    StatusStore,
)
from status.postgres import BASE_URL, NOW

SHAPE = ListShape(REVOCATION, 131_072)


def _names(prefix: str) -> ListName:
    counter = iter(range(1000))

    def name(purpose: str) -> tuple[str, str]:
        list_id = f"{prefix}-{purpose}-{next(counter)}"
        return list_id, f"{BASE_URL}/{list_id}"

    return name


def test_the_store_satisfies_the_protocol(store: StatusStore) -> None:
    assert isinstance(store, StatusStore)


def test_create_list_refuses_a_taken_id_or_url(store: StatusStore) -> None:
    store.create_list(list_id="a", url=f"{BASE_URL}/a", shape=SHAPE, now=NOW)
    for list_id, url in (("a", f"{BASE_URL}/other"), ("b", f"{BASE_URL}/a")):
        with pytest.raises(StatusStoreConflictError):
            store.create_list(list_id=list_id, url=url, shape=SHAPE, now=NOW)
    assert [i.list_id for i in store.lists()] == ["a"]


@pytest.mark.parametrize(
    "shape",
    [
        ListShape(REVOCATION, 0),
        ListShape(REVOCATION, 1 << 25),
        ListShape(REVOCATION, 131_073),
        ListShape(REVOCATION, 131_072, status_size=0),
        ListShape(REVOCATION, 131_072, status_size=9),
        ListShape("", 131_072),
    ],
    ids=["empty", "huge", "odd-bits", "size-0", "size-9", "no-purpose"],
)
def test_create_list_refuses_impossible_shapes(store: StatusStore, shape: ListShape) -> None:
    with pytest.raises(StatusRegistryConfigError):
        store.create_list(list_id="a", url=f"{BASE_URL}/a", shape=shape, now=NOW)
    assert store.lists() == []


def test_allocate_needs_one_shape_per_purpose(store: StatusStore) -> None:
    for shapes in ([], [SHAPE, SHAPE]):
        with pytest.raises(StatusRegistryConfigError):
            store.allocate(
                "urn:cred:a",
                shapes=shapes,
                randbelow=random.Random(1).randrange,
                name_list=_names("x"),
                now=NOW,
            )
    assert store.allocations("urn:cred:a") == []


def test_a_random_source_out_of_range_is_refused(store: StatusStore) -> None:
    with pytest.raises(StatusRegistryConfigError):
        store.allocate(
            "urn:cred:a",
            shapes=[SHAPE],
            randbelow=lambda n: n,
            name_list=_names("x"),
            now=NOW,
        )
    assert store.lists() == []  # the whole transaction, list creation included, rolled back


def test_multi_bit_statuses_round_trip(store: StatusStore) -> None:
    shape = ListShape("message", 131_072, status_size=2)
    [allocation] = store.allocate(
        "urn:cred:m",
        shapes=[shape],
        randbelow=random.Random(3).randrange,
        name_list=_names("m"),
        now=NOW,
    )
    assert allocation.status_size == 2
    change = store.set_status("urn:cred:m", purpose="message", value=3, now=NOW)
    assert change.changed
    assert change.previous == 0
    snapshot = store.read_list(allocation.list_id)
    assert snapshot.bits.status_size == 2
    assert snapshot.bits.get(allocation.index) == 3
    assert list(snapshot.bits.nonzero()) == [(allocation.index, 3)]
    with pytest.raises(StatusTransitionError):
        store.set_status("urn:cred:m", purpose="message", value=4, now=NOW)


def test_unknown_things_are_reported(store: StatusStore) -> None:
    with pytest.raises(UnknownCredentialError):
        store.set_status("urn:cred:none", purpose=REVOCATION, value=1, now=NOW)
    with pytest.raises(UnknownStatusListError):
        store.read_list("none")
    with pytest.raises(UnknownStatusListError):
        store.record_publication("none", version=0, etag='"x"', now=NOW)
    with pytest.raises(UnknownStatusListError):
        store.import_allocations(
            [Allocation("urn:cred:a", REVOCATION, "none", f"{BASE_URL}/none", 0)], now=NOW
        )
    assert store.allocations("urn:cred:none") == []


def test_a_future_version_cannot_be_recorded_as_published(store: StatusStore) -> None:
    store.create_list(list_id="a", url=f"{BASE_URL}/a", shape=SHAPE, now=NOW)
    with pytest.raises(StatusStoreConflictError):
        store.record_publication("a", version=1, etag='"x"', now=NOW)
    info = store.record_publication("a", version=0, etag='"x"', now=NOW)
    assert (info.published_version, info.etag, info.published_at) == (0, '"x"', NOW)


def test_lists_filter_by_purpose_in_creation_order(store: StatusStore) -> None:
    for n, purpose in enumerate([SUSPENSION, REVOCATION, SUSPENSION]):
        store.create_list(
            list_id=f"l{n}",
            url=f"{BASE_URL}/l{n}",
            shape=ListShape(purpose, 131_072),
            now=NOW,
        )
    assert [i.list_id for i in store.lists()] == ["l0", "l1", "l2"]
    assert [i.list_id for i in store.lists(purpose=SUSPENSION)] == ["l0", "l2"]
    assert store.lists(purpose="refresh") == []


def test_imported_statuses_count_as_changes(store: StatusStore) -> None:
    store.create_list(list_id="a", url=f"{BASE_URL}/a", shape=SHAPE, now=NOW)
    loaded = store.import_allocations(
        [
            Allocation("urn:old:1", REVOCATION, "a", f"{BASE_URL}/a", 10, status=1),
            Allocation("urn:old:2", REVOCATION, "a", f"{BASE_URL}/a", 20),
        ],
        now=NOW,
    )
    assert loaded == 2
    [info] = store.lists()
    assert (info.allocated, info.version) == (2, 1)
    assert list(store.read_list("a").bits.nonzero()) == [(10, 1)]
    assert store.import_allocations([], now=NOW) == 0


# --- pure helpers ------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    length=st.integers(min_value=1, max_value=300),
    data=st.data(),
)
def test_nth_free_is_the_nth_index_not_taken(length: int, data: st.DataObject) -> None:
    used = sorted(data.draw(st.sets(st.integers(0, length - 1), max_size=length - 1)))
    free = [i for i in range(length) if i not in set(used)]
    rank = data.draw(st.integers(0, len(free) - 1))
    assert _nth_free(used, rank, length) == free[rank]


@settings(max_examples=100, deadline=None)
@given(n=st.integers(min_value=1, max_value=1 << 40), seed=st.integers(0, 2**32))
def test_randbelow_stays_in_range(n: int, seed: int) -> None:
    draw = randbelow_from(random.Random(seed).randbytes)
    assert all(0 <= draw(n) < n for _ in range(20))


def test_randbelow_is_uniform() -> None:
    draw = randbelow_from(random.Random(12).randbytes)
    counts = Counter(draw(6) for _ in range(6000))  # 6 is not a power of two: rejection
    assert set(counts) == set(range(6))
    chi2 = sum((c - 1000) ** 2 / 1000 for c in counts.values())
    assert chi2 < 20.5  # 5 degrees of freedom, p = 0.001


def test_randbelow_refuses_a_broken_source() -> None:
    with pytest.raises(StatusRegistryConfigError):
        randbelow_from(lambda n: b"\xff" * n)(6)  # always rejected
    with pytest.raises(StatusRegistryConfigError):
        randbelow_from(lambda n: b"")(6)
    with pytest.raises(StatusRegistryConfigError):
        randbelow_from(lambda n: b"")(0)
    assert randbelow_from(lambda n: b"")(1) == 0
