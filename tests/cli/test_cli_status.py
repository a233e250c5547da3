"""`staffvc issue --status` and `staffvc status ...`: the revocation round trip of issue 5.

A credential issued with status entries verifies VALID against the published lists, INVALID
(CREDENTIAL_REVOKED) once revoked and republished; a suspended one is INVALID
(CREDENTIAL_SUSPENDED) and VALID again after reinstatement.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from clisupport import CREDENTIAL, key_file, run

BASE = "https://status.trust-zz9.example.nhs.uk/lists"


class Passport:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.key = key_file(tmp_path, "Ed25519")
        self.db = tmp_path / "status.db"
        self.lists = tmp_path / "lists"

    def issue(self, fmt: str = "eddsa-rdfc-2022") -> str:
        code, out, err = run(
            "issue",
            "--key",
            str(self.key),
            "--format",
            fmt,
            "--status",
            str(self.db),
            "--status-base-url",
            BASE,
            stdin=json.dumps(CREDENTIAL),
        )
        assert code == 0, err
        return out

    def status(self, command: str, credential_id: str) -> dict[str, Any]:
        code, out, err = run("status", command, "--db", str(self.db), credential_id)
        assert code == 0, err
        result: dict[str, Any] = json.loads(out)
        return result

    def publish(self) -> dict[str, str]:
        code, out, err = run(
            "status",
            "publish",
            "--db",
            str(self.db),
            "--key",
            str(self.key),
            "--base-url",
            BASE,
            "--out-dir",
            str(self.lists),
        )
        assert code == 0, err
        written: dict[str, str] = json.loads(out)
        return written

    def verify(self, secured: str) -> tuple[int, dict[str, Any]]:
        lists = [a for p in sorted(self.lists.iterdir()) for a in ("--status-list", str(p))]
        code, out, err = run("verify", *lists, stdin=secured)
        assert out, err
        result: dict[str, Any] = json.loads(out)
        return code, result


def codes(result: dict[str, Any]) -> set[str]:
    return {c["code"] for c in result["checks"] if c["code"]}


@pytest.mark.parametrize("fmt", ["eddsa-rdfc-2022", "vc+jwt"])
def test_revoke_suspend_reinstate_round_trip(tmp_path: Path, fmt: str) -> None:
    passport = Passport(tmp_path)
    secured = passport.issue(fmt)
    published = passport.publish()
    assert len(published) == 2  # one revocation list, one suspension list
    code, result = passport.verify(secured)
    assert (code, result["verdict"]) == (0, "VALID"), result
    assert any(c["stage"] == "STATUS" and c["outcome"] == "PASSED" for c in result["checks"])

    code, out, _ = run("verify", stdin=secured)  # no lists: the status check cannot run
    assert code == 3
    assert json.loads(out)["verdict"] == "INDETERMINATE"

    credential_id = _credential_id(secured)
    assert passport.status("suspend", credential_id)["changed"] is True
    passport.publish()
    code, result = passport.verify(secured)
    assert (code, result["verdict"]) == (1, "INVALID")
    assert "CREDENTIAL_SUSPENDED" in codes(result)

    assert passport.status("reinstate", credential_id)["status"] == 0
    passport.publish()
    code, result = passport.verify(secured)
    assert (code, result["verdict"]) == (0, "VALID"), result

    assert passport.status("revoke", credential_id)["status"] == 1
    code, result = passport.verify(secured)  # not yet republished: the old list still says 0
    assert result["verdict"] == "VALID"
    passport.publish()
    code, result = passport.verify(secured)
    assert (code, result["verdict"]) == (1, "INVALID")
    assert "CREDENTIAL_REVOKED" in codes(result)
    shown = passport.status("show", credential_id)
    assert shown["revocation"]["status"] == 1
    assert shown["suspension"]["status"] == 0


def _credential_id(secured: str) -> str:
    if secured.lstrip().startswith("{"):
        return str(json.loads(secured)["id"])
    from staffvc.proofs.jose import decode_compact

    return str(json.loads(decode_compact(secured.strip()).payload)["id"])


def test_status_commands_refuse_bad_input(tmp_path: Path) -> None:
    passport = Passport(tmp_path)
    code, _, err = run("status", "revoke", "--db", str(passport.db), "urn:uuid:nope")
    assert code == 2
    assert "no status registry" in err
    passport.issue()
    code, _, err = run("status", "revoke", "--db", str(passport.db), "urn:uuid:nope")
    assert code == 1
    assert "urn:uuid:nope" in err
    code, _, err = run("status", "show", "--db", str(passport.db), "urn:uuid:nope")
    assert code == 2
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"not a database" * 100)
    code, _, err = run("status", "show", "--db", str(corrupt))
    assert code == 1
    assert corrupt.read_bytes() == b"not a database" * 100  # never replaced by a fresh registry
    code, _, err = run(
        "issue",
        "--key",
        str(passport.key),
        "--format",
        "eddsa-rdfc-2022",
        "--status",
        str(passport.db),
        stdin=json.dumps(CREDENTIAL),
    )
    assert code == 2
    assert "--status-base-url" in err


def test_status_show_lists(tmp_path: Path) -> None:
    passport = Passport(tmp_path)
    passport.issue()
    code, out, err = run("status", "show", "--db", str(passport.db))
    assert code == 0, err
    lists = json.loads(out)
    assert {entry["statusPurpose"] for entry in lists} == {"revocation", "suspension"}
    assert all(entry["length"] == 131072 and entry["allocated"] == 1 for entry in lists)
