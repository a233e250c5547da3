"""Status list speed: encoding and decoding Bitstring Status Lists, and a verifier's status
lookup in a list it already verified.

Rows (median of several runs, after warm-up):

- encode / decode of one 131,072-entry list with ~1% of entries set (GZIP + base64url);
- building and encoding the 12 lists that hold 1.5 million staff (131,072 entries each,
  ~1% set), as unsigned BitstringStatusListCredentials;
- a status lookup through :class:`StatusChecker` (in-memory source, a stub list verifier that
  returns a VALID result made of real PASSED checks), the list already verified and decoded:
  what each credential verification pays for its status once the list is cached;
- the raw ``Bitstring.get`` underneath, for scale.

Run: ``python -m benchmarks.bench_status_lists`` (or ``python benchmarks/bench_status_lists.py``).
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from staffvc.results import Check, CheckRecorder, Stage, VerificationResult
from staffvc.status import (
    MIN_LIST_LENGTH,
    Bitstring,
    InMemoryStatusListSource,
    StatusChecker,
    build_status_entry,
    build_status_list_credential,
)

NOW = datetime(2026, 3, 1, tzinfo=UTC)
ISSUER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
LIST_URL = "https://status.trust.example.nhs.uk/lists/{}"
STAFF = 1_500_000
LISTS = -(-STAFF // MIN_LIST_LENGTH)  # 12
REVOKED_SHARE = 0.01
RUNS = 5


def _median_seconds(fn: Callable[[], object], *, calls: int, runs: int = RUNS) -> float:
    for _ in range(max(1, calls // 10)):
        fn()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        timings.append((time.perf_counter() - start) / calls)
    return statistics.median(timings)


def _filled_list(rng: random.Random) -> Bitstring:
    bitstring = Bitstring(MIN_LIST_LENGTH)
    for index in rng.sample(range(MIN_LIST_LENGTH), int(MIN_LIST_LENGTH * REVOKED_SHARE)):
        bitstring.set(index, 1)
    return bitstring


def _list_credential(index: int, bitstring: Bitstring) -> dict[str, Any]:
    return build_status_list_credential(
        list_url=LIST_URL.format(index),
        issuer=ISSUER,
        status_purpose="revocation",
        bitstring=bitstring,
        valid_from=NOW - timedelta(days=1),
        valid_until=NOW + timedelta(days=1),
        ttl_ms=300_000,
    )


def _valid(document: object) -> VerificationResult:
    recorder = CheckRecorder(required=[Stage.PROOF], subject="status list")
    recorder.add(Check.passed(Stage.PROOF, "proof[0].signature"))
    return recorder.result()


def measure() -> list[tuple[str, float, str]]:
    """(row, value, unit) for each row of the table."""
    rng = random.Random(20260301)
    bitstring = _filled_list(rng)
    encoded = bitstring.encode()
    rows = [
        ("encode one 131,072-entry list", _median_seconds(bitstring.encode, calls=50) * 1e3, "ms"),
        (
            "decode one 131,072-entry list",
            _median_seconds(lambda: Bitstring.decode(encoded), calls=200) * 1e3,
            "ms",
        ),
    ]

    def twelve_lists() -> None:
        for index in range(LISTS):
            _list_credential(index, _filled_list(rng))

    rows.append(
        (
            f"build + encode {LISTS} lists ({STAFF:,} staff, 1% set)",
            _median_seconds(twelve_lists, calls=1, runs=3) * 1e3,
            "ms",
        )
    )
    source = InMemoryStatusListSource({LIST_URL.format(0): _list_credential(0, bitstring)})
    checker = StatusChecker(source, verify_list_credential=_valid)
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": ISSUER,
        "credentialSubject": {"id": "did:example:staff-1"},
        "credentialStatus": build_status_entry(
            list_url=LIST_URL.format(0), index=94567, status_purpose="revocation"
        ),
    }

    def lookup() -> None:
        recorder = CheckRecorder(required=[Stage.STATUS])
        if not checker.check(credential, recorder, now=NOW).checked:
            raise RuntimeError("the benchmark list did not check")

    rows.append(
        (
            "status lookup, cached list (StatusChecker)",
            _median_seconds(lookup, calls=2000) * 1e6,
            "µs",
        )
    )
    rows.append(
        (
            "Bitstring.get (raw bit read)",
            _median_seconds(lambda: bitstring.get(94567), calls=200_000) * 1e6,
            "µs",
        )
    )
    return rows


def main() -> None:
    """Print the status-list table (markdown)."""
    rows = measure()
    print("### Status lists\n")
    print("| operation | time per op |")
    print("|---|---:|")
    for name, value, unit in rows:
        print(f"| {name} | {value:.3g} {unit} |")


if __name__ == "__main__":
    main()
