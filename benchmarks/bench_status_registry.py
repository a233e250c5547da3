"""`make bench` rows for the issuer's status registry (staffvc.status.registry).

Allocation throughput: each "credential" is one ``StatusRegistry.allocate`` call, which
gives the credential two entries (revocation and suspension) in one durable transaction
(SQLite: WAL, synchronous=FULL; PostgreSQL: fsync and synchronous_commit on). Writers are
separate OS processes (multiprocessing, spawn) that start together at a barrier; the rate is
all their credentials divided by the slowest writer's time. PostgreSQL is a throw-away
server started here the way the tests start theirs (tests/status/postgres.py).

Publication: 12 lists of 131,072 entries (NHS scale: ~1.5 million staff), 5% of entries
set, read from the store, built into BitstringStatusListCredentials (GZIP + base64url) and,
in a second row, signed with eddsa-rdfc-2022.

Absolute numbers on a small shared machine; the point is the order of magnitude.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))

from staffvc.clock import FixedClock  # noqa: E402
from staffvc.did import did_key, vm_id_of  # noqa: E402
from staffvc.jsonld import BundledLoader  # noqa: E402
from staffvc.keys import KeyPair  # noqa: E402
from staffvc.proofs import AssertionPurpose  # noqa: E402
from staffvc.proofs.data_integrity import add_proof  # noqa: E402
from staffvc.safejson import JsonObject  # noqa: E402
from staffvc.status.bitstring import MIN_LIST_LENGTH  # noqa: E402
from staffvc.status.registry import StatusRegistry  # noqa: E402
from staffvc.status.sqlite_store import SqliteStatusStore  # noqa: E402
from staffvc.status.store import REVOCATION, Allocation, ListShape  # noqa: E402
from status.postgres import (  # noqa: E402 - needs tests/ on sys.path first
    StoreSpec,
    allocate_many,
    running_server,
)

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LISTS, SET_FRACTION = 12, 0.05
PUBLISH_RUNS = 3


def allocation_rate(spec: StoreSpec, workers: int, per_worker: int, tmp: Path) -> float:
    """Credentials allocated per second by ``workers`` processes together."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(workers)
    outputs = [tmp / f"{spec[0]}-{workers}-{n}-{time.monotonic_ns()}.json" for n in range(workers)]
    processes = [
        context.Process(
            target=allocate_many,
            args=(spec, f"urn:bench:{workers}:{n}:", per_worker, 1000 + n, barrier, str(out)),
        )
        for n, out in enumerate(outputs)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
    if any(p.exitcode != 0 for p in processes):
        raise RuntimeError(f"a writer failed: {[p.exitcode for p in processes]}")
    slowest = max(json.loads(out.read_text())["elapsed"] for out in outputs)
    return workers * per_worker / slowest


def publish_seconds(tmp: Path) -> tuple[float, float]:
    """Median seconds to publish 12 full-size lists: unsigned, and signed (eddsa-rdfc-2022)."""
    key = KeyPair.from_private_bytes("Ed25519", bytes(range(32)))
    clock = FixedClock(NOW)
    store = SqliteStatusStore(tmp / "publish.db")
    registry = StatusRegistry(
        store,
        base_url="https://status.example.nhs.uk/lists",
        issuer=str(did_key(key.public_key)),
        random_bytes=random.Random(1).randbytes,
        clock=clock,
        purposes=(REVOCATION,),
    )
    rng = random.Random(2)
    for n in range(LISTS):
        list_id = f"list-{n:02d}"
        url = f"https://status.example.nhs.uk/lists/{list_id}"
        store.create_list(
            list_id=list_id, url=url, shape=ListShape(REVOCATION, MIN_LIST_LENGTH), now=NOW
        )
        store.import_allocations(
            (
                Allocation(f"urn:bench:{n}:{i}", REVOCATION, list_id, url, i, status=1)
                for i in rng.sample(range(MIN_LIST_LENGTH), int(MIN_LIST_LENGTH * SET_FRACTION))
            ),
            now=NOW,
        )
    signer = key.with_key_id(vm_id_of(key.public_key))
    loader = BundledLoader()

    def unsigned(credential: JsonObject) -> JsonObject:
        return credential

    def signed(credential: JsonObject) -> JsonObject:
        return add_proof(
            credential,
            signer,
            suite="eddsa-rdfc-2022",
            purpose=AssertionPurpose(),
            created=NOW,
            loader=loader,
        )

    results = []
    for sign in (unsigned, signed):
        samples = []
        for _ in range(PUBLISH_RUNS):
            start = time.perf_counter()
            published = registry.publish_all(sign=sign, valid_for=timedelta(days=1))
            samples.append(time.perf_counter() - start)
            assert len(published) == LISTS
        results.append(statistics.median(samples))
    registry.close()
    return results[0], results[1]


def main() -> None:
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="staffvc-bench-") as folder:
        tmp = Path(folder)
        one = allocation_rate(("sqlite", str(tmp / "one.db")), 1, 2000, tmp)
        rows.append(("SQLite, 1 writer", f"{one:,.0f} credentials/s ({2 * one:,.0f} entries/s)"))
        four = allocation_rate(("sqlite", str(tmp / "four.db")), 4, 500, tmp)
        rows.append(("SQLite, 4 writer processes", f"{four:,.0f} credentials/s"))
        with running_server() as server:
            database = "bench"
            server.create_database(database)
            pg_one = allocation_rate(
                ("postgres", server.create_schema(database, "one")), 1, 600, tmp
            )
            rows.append(("PostgreSQL, 1 writer", f"{pg_one:,.0f} credentials/s"))
            pg_four = allocation_rate(
                ("postgres", server.create_schema(database, "four")), 4, 300, tmp
            )
            rows.append(("PostgreSQL, 4 writer processes", f"{pg_four:,.0f} credentials/s"))
        plain, signed = publish_seconds(tmp)
        rows.append(
            (f"publish {LISTS} lists x {MIN_LIST_LENGTH:,} (build + GZIP)", f"{plain:.2f} s")
        )
        rows.append((f"publish {LISTS} lists, signed eddsa-rdfc-2022", f"{signed:.2f} s"))
    print("| status registry | result |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
