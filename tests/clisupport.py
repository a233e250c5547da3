"""Running the CLI in-process for tests: arguments in, (exit code, stdout, stderr) out."""

from __future__ import annotations

import io
from pathlib import Path

from staffvc.cli import main

CREDENTIAL = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2",
    ],
    "type": ["VerifiableCredential"],
    "validFrom": "2026-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:staff-1", "name": "Fire Safety"},
}


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def key_file(tmp_path: Path, key_type: str, name: str = "key.jwk") -> Path:
    path = tmp_path / name
    code, _, err = run("key", "generate", "--type", key_type, "--out", str(path))
    assert code == 0, err
    return path
