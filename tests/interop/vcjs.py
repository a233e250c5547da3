"""Run the vc.js harness (interop/node/vcjs.mjs) from Python tests.

One Node process per call: :func:`run_batch` sends a list of ``issue``/``derive``/``verify``
requests as one ``batch`` request, so a whole test module pays Node's start-up cost once or
twice (three times for ecdsa-sd-2023: issue, then derive, then verify what was derived).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

from support import REPO

HARNESS = REPO / "interop" / "node" / "vcjs.mjs"
TIMEOUT_S = 120


class HarnessError(RuntimeError):
    """The harness did not answer with a result (not: a credential failed to verify)."""


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Send one request to the harness; return its JSON answer (``ok`` may be false)."""
    node = shutil.which("node")
    if node is None:
        raise HarnessError("node is not on PATH (the vc.js interop tests need Node >= 20)")
    if not (HARNESS.parent / "node_modules").is_dir():
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
