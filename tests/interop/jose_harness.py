"""Run the jose (npm) harness, interop/node/jose.mjs, from Python tests and benchmarks.

One Node process per call; :func:`run_batch` sends many sign/verify requests at once so a
test module pays Node's start-up cost once.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

HARNESS = Path(__file__).resolve().parents[2] / "interop" / "node" / "jose.mjs"
TIMEOUT_S = 120


class HarnessError(RuntimeError):
    """The harness did not answer with a result (not: a token failed to verify)."""


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Send one request; return its JSON answer (``ok`` may be false)."""
    node = shutil.which("node")
    if node is None:
        raise HarnessError("node is not on PATH (the jose interop tests need Node >= 20)")
    if not (HARNESS.parent / "node_modules" / "jose").is_dir():
        raise HarnessError(f"run `npm ci --prefix {HARNESS.parent}` first")
    done = subprocess.run(
        [node, str(HARNESS)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    try:
        answer = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise HarnessError(
            f"harness gave no JSON (exit {done.returncode}): {done.stdout!r} {done.stderr!r}"
        ) from None
    if not isinstance(answer, dict):
        raise HarnessError(f"harness answer is not an object: {answer!r}")
    return answer


def run_batch(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run ``requests`` in one Node process; one answer per request, in order."""
    answer = run({"op": "batch", "requests": requests})
    results = answer.get("results")
    if answer.get("ok") is not True or not isinstance(results, list):
        raise HarnessError(f"batch failed: {answer.get('error', answer)!r}")
    if len(results) != len(requests):
        raise HarnessError(f"batch answered {len(results)} of {len(requests)} requests")
    return results


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
