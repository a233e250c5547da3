"""Allocating status entries (Bitstring Status List v1.0 §2.1 entries, §6.5 random indexes),
on both stores."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable

import pytest

from staffvc.clock import FixedClock
from staffvc.errors import StatusRegistryConfigError, StatusStoreConflictError
from staffvc.status.bitstring import MIN_LIST_LENGTH
from staffvc.status.entry import EntryType, parse_status_entry
from staffvc.status.registry import StatusRegistry
from staffvc.status.store import REVOCATION, SUSPENSION, Allocation, StatusStore
from status.postgres import BASE_URL, ISSUER


def _registry(store: StatusStore, clock: FixedClock, seed: int, **kw: object) -> StatusRegistry:
    return StatusRegistry(
        store,
        base_url=BASE_URL,
        issuer=ISSUER,
        random_bytes=random.Random(seed).randbytes,
        clock=clock,
        **kw,  # type: ignore[arg-type]
    )


def test_entries_are_well_formed_bitstring_status_list_entries(registry: StatusRegistry) -> None:
    entries = registry.allocate("urn:uuid:6f1e8a52-0000-4000-8000-000000000001")
    assert [e["statusPurpose"] for e in entries] == [REVOCATION, SUSPENSION]
    parsed = [parse_status_entry(e) for e in entries]
    for entry, raw in zip(parsed, entries, strict=True):
        assert entry.type is EntryType.BITSTRING
        assert entry.status_size == 1
        assert 0 <= entry.index < MIN_LIST_LENGTH
        assert isinstance(raw["statusListIndex"], str)  # BSL-03: a string of digits
        assert entry.list_url.startswith(BASE_URL + "/")
        assert raw["id"] == f"{entry.list_url}#{entry.index}"  # BSL-01: not the list URL
    # one list per purpose, each of the real minimum length
    lists = {info.purpose: info for info in registry.lists()}
    assert set(lists) == {REVOCATION, SUSPENSION}
    assert parsed[0].list_url == lists[REVOCATION].url
    assert parsed[1].list_url == lists[SUSPENSION].url
    assert all(info.length == MIN_LIST_LENGTH and info.allocated == 1 for info in lists.values())


def test_allocation_is_idempotent_per_credential_id(
    registry: StatusRegistry, store: StatusStore
) -> None:
    first = registry.allocate("urn:cred:a")
    registry.allocate("urn:cred:b")
    assert registry.allocate("urn:cred:a") == first
    assert registry.entries("urn:cred:a") == first
    assert [info.allocated for info in registry.lists()] == [2, 2]
    assert [a.index for a in store.allocations("urn:cred:a")] == [
        int(e["statusListIndex"]) for e in first
    ]


def test_purposes_added_later_are_allocated_and_existing_ones_kept(
    store: StatusStore, clock: FixedClock
) -> None:
    only_revocation = _registry(store, clock, 1, purposes=(REVOCATION,))
    [revocation] = only_revocation.allocate("urn:cred:x")
    both = _registry(store, clock, 2)
    entries = both.allocate("urn:cred:x")
    assert entries[0] == revocation
    assert entries[1]["statusPurpose"] == SUSPENSION


def test_indexes_are_random_not_sequential(store: StatusStore, clock: FixedClock) -> None:
    registry = _registry(store, clock, 7, purposes=(REVOCATION,))
    count = 600
    indexes = [int(registry.allocate(f"urn:cred:{i}")[0]["statusListIndex"]) for i in range(count)]
    assert len(set(indexes)) == count
    # spread over the whole list: chi-square over 16 equal buckets (15 df, p = 0.001: 37.7)
    buckets = [0] * 16
    for index in indexes:
        buckets[index * 16 // MIN_LIST_LENGTH] += 1
    expected = count / 16
    assert sum((b - expected) ** 2 / expected for b in buckets) < 37.7
    # no relation between issue order and index (Spearman's rho; sd ~ 1/sqrt(n) = 0.04)
    ranks = {index: rank for rank, index in enumerate(sorted(indexes))}
    n = count
    d2 = sum((i - ranks[index]) ** 2 for i, index in enumerate(indexes))
    rho = 1 - 6 * d2 / (n * (n * n - 1))
    assert abs(rho) < 0.2
    # neighbours in issue order are not neighbours in the list
    assert sum(abs(a - b) <= 2 for a, b in itertools.pairwise(indexes)) <= 2


def test_the_same_seed_gives_the_same_indexes_and_another_seed_others(
    store_factory: Callable[[], StatusStore], clock: FixedClock
) -> None:
    def indexes(seed: int) -> list[str]:
        registry = _registry(store_factory(), clock, seed)
        return [e["statusListIndex"] for i in range(20) for e in registry.allocate(f"urn:c:{i}")]

    assert indexes(1) == indexes(1)
    assert indexes(1) != indexes(2)


def test_a_new_list_opens_when_the_open_one_is_full(store: StatusStore, clock: FixedClock) -> None:
    registry = _registry(store, clock, 11, purposes=(REVOCATION,))
    [first] = registry.allocate("urn:cred:first")
    [info] = registry.lists()
    taken = int(first["statusListIndex"])
    # Fill the list (the real 131,072 entries) except for 1,000 random free indexes ...
    rng = random.Random(5)
    free = set(rng.sample([i for i in range(MIN_LIST_LENGTH) if i != taken], 1000))
    fill = [i for i in range(MIN_LIST_LENGTH) if i != taken and i not in free]
    store.import_allocations(
        (Allocation(f"urn:bulk:{i}", REVOCATION, info.list_id, info.url, i) for i in fill),
        now=clock.now(),
    )
    assert registry.lists()[0].allocated == MIN_LIST_LENGTH - 1000
    # ... so random probing must find them: ten allocations, all inside the free set.
    probed = {int(registry.allocate(f"urn:cred:p{i}")[0]["statusListIndex"]) for i in range(10)}
    assert len(probed) == 10
    assert probed <= free
    # Leave two free: the store ranks among the free indexes instead of probing.
    last_two = sorted(free - probed)[:2]
    rest = sorted(free - probed - set(last_two))
    store.import_allocations(
        (Allocation(f"urn:bulk2:{i}", REVOCATION, info.list_id, info.url, i) for i in rest),
        now=clock.now(),
    )
    got = sorted(int(registry.allocate(f"urn:cred:z{i}")[0]["statusListIndex"]) for i in range(2))
    assert got == last_two
    [full] = registry.lists()
    assert full.full
    assert full.allocated == MIN_LIST_LENGTH
    # The next credential opens a second list, with its own random id and URL.
    [entry] = registry.allocate("urn:cred:next")
    lists = registry.lists()
    assert len(lists) == 2
    assert lists[0].list_id == info.list_id
    assert entry["statusListCredential"] == lists[1].url != info.url
    assert lists[1].allocated == 1


def test_import_refuses_rows_that_clash(store: StatusStore, clock: FixedClock) -> None:
    registry = _registry(store, clock, 3, purposes=(REVOCATION,))
    [entry] = registry.allocate("urn:cred:one")
    [info] = registry.lists()
    index = int(entry["statusListIndex"])
    clash = Allocation("urn:cred:two", REVOCATION, info.list_id, info.url, index)
    with pytest.raises(StatusStoreConflictError) as caught:
        store.import_allocations([clash], now=clock.now())
    assert caught.value.code == "STATUS_STORE_CONFLICT"
    outside = Allocation("urn:cred:two", REVOCATION, info.list_id, info.url, MIN_LIST_LENGTH)
    wrong_purpose = Allocation("urn:cred:two", SUSPENSION, info.list_id, info.url, 1)
    too_big = Allocation("urn:cred:two", REVOCATION, info.list_id, info.url, 1, status=2)
    for bad in (outside, wrong_purpose, too_big):
        with pytest.raises(StatusStoreConflictError):
            store.import_allocations([bad], now=clock.now())
    # nothing of the refused batches was kept
    assert registry.lists()[0].allocated == 1
    assert store.allocations("urn:cred:two") == []


@pytest.mark.parametrize(
    "credential_id", ["", "x" * 2049, "nul\x00byte", 42], ids=["empty", "long", "nul", "int"]
)
def test_bad_credential_ids_are_refused(registry: StatusRegistry, credential_id: object) -> None:
    with pytest.raises(StatusRegistryConfigError) as caught:
        registry.allocate(credential_id)  # type: ignore[arg-type]
    assert caught.value.code == "STATUS_REGISTRY_CONFIG_ERROR"
    assert registry.lists() == []


def test_a_broken_random_source_is_refused(store: StatusStore, clock: FixedClock) -> None:
    short = StatusRegistry(
        store, base_url=BASE_URL, issuer=ISSUER, random_bytes=lambda n: b"\x00", clock=clock
    )
    with pytest.raises(StatusRegistryConfigError):
        short.allocate("urn:cred:a")
    assert store.lists() == []
