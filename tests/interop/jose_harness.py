"""Run the jose (npm) harness, interop/node/jose.mjs, from Python tests and benchmarks.

One Node process per call; :func:`run_batch` sends many sign/verify requests at once so a
test module pays Node's start-up cost once.
"""

from __future__ import annotations

from typing import Any

from nodeharness import NODE_DIR, run_harness, run_harness_batch

HARNESS = NODE_DIR / "jose.mjs"


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Send one request; return its JSON answer (``ok`` may be false)."""
    return run_harness(HARNESS.name, request, needs="jose")


def run_batch(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run ``requests`` in one Node process; one answer per request, in order."""
    return run_harness_batch(HARNESS.name, requests, needs="jose")


def sign_request(
    private_jwk: dict[str, str], alg: str, header: dict[str, Any], payload: str
) -> dict[str, Any]:
    return {"op": "sign", "jwk": private_jwk, "alg": alg, "header": header, "payload": payload}


def verify_request(
    public_jwk: dict[str, str], alg: str, token: str, *, jwt: bool = False, now: str = ""
) -> dict[str, Any]:
    request: dict[str, Any] = {"op": "verify", "jwk": public_jwk, "alg": alg, "token": token}
    if jwt:
        request["jwt"] = True
        request["currentDate"] = now
    return request
