"""The Node harness around Digital Bazaar's vc.js (interop/node) works offline and agrees
with the W3C vectors, so interop failures later point at staffvc, not at the harness."""

from __future__ import annotations

import os
import subprocess

from support import REPO, shared_dir


def test_vcjs_harness_selftest_passes() -> None:
    env = {**os.environ, "STAFFVC_VECTORS": str(shared_dir() / "vectors")}
    done = subprocess.run(
        ["node", str(REPO / "interop" / "node" / "selftest.mjs")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all checks passed" in done.stdout
