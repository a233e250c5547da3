"""Running one of the offline Node harnesses in interop/node from Python tests.

A harness reads one JSON request on stdin and writes one JSON answer on stdout. One Node
process per call; a ``batch`` request sends many at once, so a test module pays Node's
start-up cost once.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

NODE_DIR = Path(__file__).resolve().parent.parent / "interop" / "node"
TIMEOUT_S = 120


class HarnessError(RuntimeError):
    """The harness did not answer with a result (not: a document failed to verify)."""


def run_harness(script: str, request: dict[str, Any], *, needs: str = "") -> dict[str, Any]:
    """Send ``request`` to ``interop/node/<script>``; its JSON answer (``ok`` may be false).

    ``needs`` names a package that must be installed under node_modules (default: any)."""
    node = shutil.which("node")
    if node is None:
        raise HarnessError(f"node is not on PATH ({script} needs Node >= 20)")
    if not (NODE_DIR / "node_modules" / needs).is_dir():
        raise HarnessError(f"run `npm ci --prefix {NODE_DIR}` first")
    done = subprocess.run(
        [node, str(NODE_DIR / script)],
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


def run_harness_batch(
    script: str, requests: list[dict[str, Any]], *, needs: str = ""
) -> list[dict[str, Any]]:
    """Run ``requests`` in one Node process; one answer per request, in order."""
    answer = run_harness(script, {"op": "batch", "requests": requests}, needs=needs)
    results = answer.get("results")
    if answer.get("ok") is not True or not isinstance(results, list):
        raise HarnessError(f"batch failed: {answer.get('error', answer)!r}")
    if len(results) != len(requests):
        raise HarnessError(f"batch answered {len(results)} of {len(requests)} requests")
    return results
