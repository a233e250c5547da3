"""Run the vc.js harness (interop/node/vcjs.mjs) from Python tests.

One Node process per call: :func:`run_batch` sends a list of ``issue``/``derive``/``verify``
requests as one ``batch`` request, so a whole test module pays Node's start-up cost once or
twice (three times for ecdsa-sd-2023: issue, then derive, then verify what was derived).
"""

from __future__ import annotations

from typing import Any

from nodeharness import NODE_DIR, run_harness, run_harness_batch

HARNESS = NODE_DIR / "vcjs.mjs"


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Send one request to the harness; return its JSON answer (``ok`` may be false)."""
    return run_harness(HARNESS.name, request)


def run_batch(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run ``requests`` in one Node process; one answer per request, in order."""
    return run_harness_batch(HARNESS.name, requests)


def derive_request(
    credential: dict[str, Any], selective_pointers: list[str], *, proof_id: str | None = None
) -> dict[str, Any]:
    """vc.js as the ecdsa-sd-2023 holder: ``vc.derive`` with these selective pointers.

    The answer's ``document`` reveals the base proof's mandatory pointers plus
    ``selective_pointers``, under a derived proof."""
    request: dict[str, Any] = {
        "op": "derive",
        "credential": credential,
        "selectivePointers": selective_pointers,
    }
    if proof_id is not None:
        request["proofId"] = proof_id
    return request
