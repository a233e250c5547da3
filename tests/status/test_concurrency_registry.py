"""Several OS processes on one store: no index given twice, nothing lost, and a writer
killed with SIGKILL mid-allocation leaves the store whole. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import sqlite3
import time
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest

from staffvc.status.store import REVOCATION, SUSPENSION
from status.postgres import StoreSpec, allocate_many, allocate_until_killed, open_registry

WORKERS, PER_WORKER = 4, 500  # 2,000 credentials, 4,000 indexes per store
"""4 processes x 250 credentials x 2 purposes = 2,000 allocations at once."""
KILL_ROUNDS, KILL_AFTER = 3, 30


def _query(spec: StoreSpec, sql: str) -> list[tuple[Any, ...]]:
    kind, where = spec
    if kind == "sqlite":
        with closing(sqlite3.connect(where)) as conn:
            return [tuple(r) for r in conn.execute(sql)]
    with psycopg.connect(where) as conn:
        return [tuple(r) for r in conn.execute(sql)]


def _assert_store_consistent(spec: StoreSpec) -> dict[str, dict[str, tuple[str, int]]]:
    """Every invariant that a crash or a race could break; returns the allocations."""
    rows = _query(
        spec,
        "SELECT a.credential_id, a.purpose, l.url, a.idx FROM staffvc_status_allocations a "
        "JOIN staffvc_status_lists l ON l.list_id = a.list_id",
    )
    places = Counter((url, idx) for _, _, url, idx in rows)
    assert not [p for p, n in places.items() if n > 1], "an index was given twice"
    held: dict[str, dict[str, tuple[str, int]]] = {}
    for credential_id, purpose, url, idx in rows:
        held.setdefault(credential_id, {})[purpose] = (url, idx)
    half = [cid for cid, purposes in held.items() if set(purposes) != {REVOCATION, SUSPENSION}]
    assert half == [], "credentials with only some of their entries"
    # One statement, so one snapshot: a killed client's last COMMIT may still be landing on
    # the server while this runs, and two separate reads could straddle it.
    mismatched = _query(
        spec,
        "SELECT l.list_id, l.allocated, (SELECT count(*) FROM staffvc_status_allocations a "
        "WHERE a.list_id = l.list_id) FROM staffvc_status_lists l",
    )
    assert [row for row in mismatched if row[1] != row[2]] == []
    return held


@pytest.mark.slow
def test_processes_allocating_at_once_never_share_an_index(
    store_spec: StoreSpec, tmp_path: Path
) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS)
    outputs = [tmp_path / f"worker-{n}.json" for n in range(WORKERS)]
    processes = [
        context.Process(
            target=allocate_many,
            args=(store_spec, f"urn:w{n}:", PER_WORKER, 100 + n, barrier, str(out)),
        )
        for n, out in enumerate(outputs)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * WORKERS
    returned: dict[str, dict[str, tuple[str, int]]] = {}
    for out in outputs:
        for credential_id, entries in json.loads(out.read_text())["results"]:
            returned[credential_id] = {purpose: (url, idx) for purpose, url, idx in entries}
    assert len(returned) == WORKERS * PER_WORKER
    held = _assert_store_consistent(store_spec)
    assert held == returned  # every allocation recorded exactly as it was handed out
    # SQLite fills one list per purpose at a time; PostgreSQL lets concurrent writers fill
    # up to open_lists (4) side by side.
    most = 1 if store_spec[0] == "sqlite" else 4
    for purpose in (REVOCATION, SUSPENSION):
        per_list = Counter(entries[purpose][0] for entries in returned.values())
        assert sum(per_list.values()) == WORKERS * PER_WORKER
        assert 1 <= len(per_list) <= most


def _complete_lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    return lines[:-1]  # the last piece is empty, or a line the kill cut short


def test_a_writer_killed_mid_allocation_loses_nothing_it_returned(
    store_spec: StoreSpec, tmp_path: Path
) -> None:
    context = multiprocessing.get_context("spawn")
    reported: dict[str, dict[str, tuple[str, int]]] = {}
    jitter = random.Random(99)
    for round_ in range(KILL_ROUNDS):
        out = tmp_path / f"killed-{round_}.jsonl"
        process = context.Process(
            target=allocate_until_killed, args=(store_spec, f"urn:k{round_}:", str(out))
        )
        process.start()
        deadline = time.monotonic() + 60
        while len(_complete_lines(out)) < KILL_AFTER:
            assert process.is_alive(), "the writer died on its own"
            assert time.monotonic() < deadline, "the writer made no progress"
            time.sleep(0.005)
        time.sleep(jitter.uniform(0, 0.01))  # land anywhere inside an allocation
        assert process.pid is not None
        os.kill(process.pid, signal.SIGKILL)
        process.join(timeout=30)
        assert process.exitcode == -signal.SIGKILL
        for line in _complete_lines(out):
            credential_id, entries = json.loads(line)
            reported[credential_id] = {purpose: (url, idx) for purpose, url, idx in entries}
    assert len(reported) >= KILL_ROUNDS * KILL_AFTER

    held = _assert_store_consistent(store_spec)
    for credential_id, entries in reported.items():
        assert held.get(credential_id) == entries
    # The store opens cleanly (SQLite runs its integrity check on open) and carries on:
    registry = open_registry(store_spec, seed=5)
    try:
        for credential_id in list(reported)[:5]:
            again = registry.allocate(credential_id)
            assert {
                e["statusPurpose"]: (e["statusListCredential"], int(e["statusListIndex"]))
                for e in again
            } == reported[credential_id]
        registry.allocate("urn:after-the-crash")
        registry.revoke("urn:after-the-crash")
        assert registry.status_of("urn:after-the-crash").revoked is True
    finally:
        registry.close()
    _assert_store_consistent(store_spec)
