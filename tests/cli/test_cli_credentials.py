"""`staffvc issue`, `present` and `verify`: the contract scripts rely on, end to end."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from staffvc.cli import main
from staffvc.did import did_key
from staffvc.keys import KeyPair

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


SUITE_KEYS = [
    ("eddsa-rdfc-2022", "Ed25519"),
    ("eddsa-jcs-2022", "Ed25519"),
    ("ecdsa-rdfc-2019", "P-256"),
    ("ecdsa-rdfc-2019", "P-384"),
    ("ecdsa-jcs-2019", "P-256"),
    ("Ed25519Signature2020", "Ed25519"),
]


@pytest.mark.parametrize(("suite", "key_type"), SUITE_KEYS)
def test_issue_then_verify(tmp_path: Path, suite: str, key_type: str) -> None:
    key = key_file(tmp_path, key_type)
    code, out, err = run(
        "issue",
        "--key",
        str(key),
        "--format",
        suite,
        "--created",
        "2026-11-21T10:00:00Z",
        stdin=json.dumps(CREDENTIAL),
    )
    assert code == 0, err
    secured = json.loads(out)
    pair = KeyPair.from_jwk(json.loads(key.read_text()))
    assert secured["issuer"] == did_key(pair.public_key)
    assert secured["proof"]["created"] == "2026-11-21T10:00:00Z"
    (tmp_path / "vc.json").write_text(out)
    code, out, err = run("verify", str(tmp_path / "vc.json"))
    assert (code, err) == (0, "")
    assert json.loads(out)["verdict"] == "VALID"


def test_ed25519_issue_is_reproducible(tmp_path: Path) -> None:
    key = key_file(tmp_path, "Ed25519")
    args = (
        "issue",
        "--key",
        str(key),
        "--format",
        "eddsa-rdfc-2022",
        "--created",
        "2026-11-21T10:00:00Z",
    )
    first = run(*args, stdin=json.dumps(CREDENTIAL))[1]
    second = run(*args, stdin=json.dumps(CREDENTIAL))[1]
    assert first == second


def test_verify_exit_codes_and_json(tmp_path: Path) -> None:
    key = key_file(tmp_path, "Ed25519")
    signed = json.loads(
        run(
            "issue", "--key", str(key), "--format", "eddsa-rdfc-2022", stdin=json.dumps(CREDENTIAL)
        )[1]
    )
    signed["credentialSubject"]["name"] = "Resuscitation"
    code, out, _ = run("verify", stdin=json.dumps(signed))
    assert code == 1
    result = json.loads(out)
    assert result["verdict"] == "INVALID"
    assert any(c["code"] == "PROOF_VERIFICATION_ERROR" for c in result["checks"])
    signed["proof"]["cryptosuite"] = "unknown-2030"
    code, out, _ = run("verify", stdin=json.dumps(signed))
    assert code == 3
    assert json.loads(out)["verdict"] == "INDETERMINATE"
    code, out, _ = run("verify", stdin="eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln")
    assert code == 1  # a compact JWS that is no credential: verified as one, and refused
    assert json.loads(out)["verdict"] == "INVALID"
    code, out, _ = run("verify", stdin="{not json")
    assert code == 1
    assert json.loads(out)["checks"][0]["code"] == "PARSING_ERROR"


def test_verify_now_option(tmp_path: Path) -> None:
    key = key_file(tmp_path, "Ed25519")
    signed = run(
        "issue",
        "--key",
        str(key),
        "--format",
        "eddsa-jcs-2022",
        stdin=json.dumps({**CREDENTIAL, "validUntil": "2027-01-01T00:00:00Z"}),
    )[1]
    assert run("verify", "--now", "2026-06-01T00:00:00Z", stdin=signed)[0] == 0
    code, out, _ = run("verify", "--now", "2028-01-01T00:00:00Z", stdin=signed)
    assert code == 1
    assert "CREDENTIAL_EXPIRED" in out
    assert run("verify", "--now", "soon", stdin=signed)[0] == 2


def test_present_then_verify_with_challenge_and_domain(tmp_path: Path) -> None:
    issuer, holder = (
        key_file(tmp_path, "P-256", "issuer.jwk"),
        key_file(tmp_path, "Ed25519", "holder.jwk"),
    )
    vc = run(
        "issue", "--key", str(issuer), "--format", "ecdsa-rdfc-2019", stdin=json.dumps(CREDENTIAL)
    )[1]
    (tmp_path / "vc.json").write_text(vc)
    code, vp, err = run(
        "present",
        "--key",
        str(holder),
        "--challenge",
        "c-123",
        "--domain",
        "https://trust.example.nhs.uk",
        "--format",
        "eddsa-rdfc-2022",
        str(tmp_path / "vc.json"),
    )
    assert code == 0, err
    ok = run("verify", "--challenge", "c-123", "--domain", "https://trust.example.nhs.uk", stdin=vp)
    assert ok[0] == 0, ok[1]
    result = json.loads(ok[1])
    assert result["nested"][0]["verdict"] == "VALID"
    assert (
        run("verify", "--challenge", "c-999", "--domain", "https://trust.example.nhs.uk", stdin=vp)[
            0
        ]
        == 1
    )
    assert run("verify", stdin=vp)[0] == 1  # a presentation without the verifier's challenge


@pytest.mark.parametrize(
    ("argv", "stdin", "code"),
    [
        (["issue", "--format", "eddsa-rdfc-2022"], "{}", 2),
        (["issue", "--key", "/nonexistent.jwk", "--format", "eddsa-rdfc-2022"], "{}", 2),
        (["issue", "--key", "KEY", "--format", "vc+cose", "--vct", "x"], json.dumps(CREDENTIAL), 2),
        (["issue", "--key", "KEY", "--format", "nope"], json.dumps(CREDENTIAL), 2),
        (["issue", "--key", "KEY", "--format", "ecdsa-rdfc-2019"], json.dumps(CREDENTIAL), 1),
        (["issue", "--key", "KEY", "--format", "eddsa-rdfc-2022"], "[1]", 2),
        (["issue", "--key", "KEY", "--format", "eddsa-rdfc-2022"], "{bad", 1),
        (
            ["issue", "--key", "KEY", "--format", "eddsa-rdfc-2022", "--created", "x"],
            json.dumps(CREDENTIAL),
            2,
        ),
        (["issue", "--key", "KEY", "--format", "eddsa-rdfc-2022"], json.dumps({"type": "x"}), 1),
        (["verify", "/nonexistent.json"], "", 2),
    ],
    ids=[
        "no-key",
        "missing-key-file",
        "vct-without-sd-jwt",
        "unknown-format",
        "key-does-not-fit-suite",
        "not-an-object",
        "bad-json",
        "bad-created",
        "no-context",
        "missing-input",
    ],
)
def test_bad_usage_and_input(tmp_path: Path, argv: list[str], stdin: str, code: int) -> None:
    key = key_file(tmp_path, "Ed25519")
    argv = [str(key) if a == "KEY" else a for a in argv]
    status, out, err = run(*argv, stdin=stdin)
    assert status == code, err
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("staffvc: error:")


def test_ecdsa_sd_issue_derive_verify(tmp_path: Path) -> None:
    key = key_file(tmp_path, "P-256")
    credential = {
        **CREDENTIAL,
        "credentialSubject": {
            "id": "did:example:staff-1",
            "name": "Fire Safety",
            "description": "Level 1",
        },
    }
    code, base, err = run(
        "issue",
        "--key",
        str(key),
        "--format",
        "ecdsa-sd-2023",
        "--mandatory-pointer",
        "/issuer",
        "--mandatory-pointer",
        "/credentialSubject/id",
        stdin=json.dumps(credential),
    )
    assert code == 0, err
    # a base proof is for the holder only: verifiers refuse it
    assert run("verify", stdin=base)[0] == 1
    code, derived, err = run("derive", "--reveal", "/credentialSubject/name", stdin=base)
    assert code == 0, err
    subject = json.loads(derived)["credentialSubject"]
    assert subject == {"id": "did:example:staff-1", "name": "Fire Safety"}  # description withheld
    code, out, _ = run("verify", stdin=derived)
    assert code == 0, out
    assert run("derive", "--reveal", "/credentialSubject/nothing", stdin=base)[0] == 1
    assert (
        run(
            "issue",
            "--key",
            str(key),
            "--format",
            "ecdsa-sd-2023",
            "--mandatory-pointer",
            "bad",
            stdin=json.dumps(credential),
        )[0]
        == 2
    )
