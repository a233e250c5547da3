"""`staffvc issue/present/verify` in the JOSE, COSE and SD-JWT formats (compact on stdout)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from clisupport import key_file, run

KEYS = ["Ed25519", "P-256", "P-384", "secp256k1"]


def credential(holder: str, *, v11: bool = False) -> dict[str, Any]:
    if v11:
        return {
            "@context": [
                "https://www.w3.org/2018/credentials/v1",
                "https://www.w3.org/ns/credentials/examples/v2",
            ],
            "type": ["VerifiableCredential"],
            "issuanceDate": "2026-01-01T00:00:00Z",
            "credentialSubject": {"id": holder, "name": "Fire Safety"},
        }
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2",
        ],
        "type": ["VerifiableCredential"],
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": holder, "name": "Fire Safety", "level": 1},
    }


def holder(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "holder.jwk"
    code, out, err = run("key", "generate", "--type", "Ed25519", "--out", str(path))
    assert code == 0, err
    return path, out.strip()


def verify(token: str, *extra: str) -> tuple[int, dict[str, Any]]:
    code, out, err = run("verify", *extra, stdin=token)
    assert out, err
    return code, json.loads(out)


@pytest.mark.parametrize("key_type", KEYS)
@pytest.mark.parametrize("fmt", ["vc+jwt", "vc+cose", "jwt-vc-1.1"])
def test_issue_then_verify_compact(tmp_path: Path, fmt: str, key_type: str) -> None:
    key = key_file(tmp_path, key_type)
    _, did = holder(tmp_path)
    doc = credential(did, v11=fmt == "jwt-vc-1.1")
    code, token, err = run("issue", "--key", str(key), "--format", fmt, stdin=json.dumps(doc))
    assert code == 0, err
    assert not token.strip().startswith("{")
    code, result = verify(token)
    assert (code, result["verdict"]) == (0, "VALID"), result
    tampered = token.strip()[:-6] + ("AAAAAA" if not token.strip().endswith("AAAAAA") else "BBBBBB")
    code, result = verify(tampered)
    assert code == 1
    assert result["verdict"] == "INVALID"


def test_sd_jwt_issue_present_verify(tmp_path: Path) -> None:
    key = key_file(tmp_path, "P-256")
    holder_key, did = holder(tmp_path)
    code, sd_jwt, err = run(
        "issue",
        "--key",
        str(key),
        "--format",
        "vc+sd-jwt",
        "--disclosable",
        "/credentialSubject/name",
        "--disclosable",
        "/credentialSubject/level",
        stdin=json.dumps(credential(did)),
    )
    assert code == 0, err
    assert "~" in sd_jwt
    (tmp_path / "vc.sd").write_text(sd_jwt)
    code, presented, err = run(
        "present",
        "--key",
        str(holder_key),
        "--format",
        "vc+sd-jwt",
        "--challenge",
        "n-0S6_WzA2Mj",
        "--domain",
        "https://trust.example.nhs.uk",
        "--disclose",
        "/credentialSubject/level",
        str(tmp_path / "vc.sd"),
    )
    assert code == 0, err
    binding = ("--challenge", "n-0S6_WzA2Mj", "--domain", "https://trust.example.nhs.uk")
    code, result = verify(presented, *binding)
    assert (code, result["verdict"]) == (0, "VALID"), result
    assert any(
        c["stage"] == "HOLDER_BINDING" and c["outcome"] == "PASSED" for c in result["checks"]
    )
    code, result = verify(presented, "--challenge", "replayed", "--domain", binding[3])
    assert code == 1
    assert result["verdict"] == "INVALID"


def test_dc_sd_jwt_needs_vct_and_verifies(tmp_path: Path) -> None:
    key = key_file(tmp_path, "Ed25519")
    _, did = holder(tmp_path)
    claims = {"iss": did, "sub": did, "given_name": "Ada"}
    code, _, err = run(
        "issue", "--key", str(key), "--format", "dc+sd-jwt", stdin=json.dumps(claims)
    )
    assert code == 2
    assert "--vct" in err
    claims.pop("iss")
    code, token, err = run(
        "issue",
        "--key",
        str(key),
        "--format",
        "dc+sd-jwt",
        "--vct",
        "https://credentials.example.nhs.uk/staff-identity",
        "--disclosable",
        "/given_name",
        stdin=json.dumps(claims),
    )
    assert code == 0, err
    code, result = verify(token)
    assert (code, result["verdict"]) == (0, "VALID"), result


def test_vp_jwt_envelopes_every_compact_format(tmp_path: Path) -> None:
    key = key_file(tmp_path, "Ed25519")
    holder_key, did = holder(tmp_path)
    files = []
    for fmt in ("vc+jwt", "vc+cose", "vc+sd-jwt"):
        code, token, err = run(
            "issue", "--key", str(key), "--format", fmt, stdin=json.dumps(credential(did))
        )
        assert code == 0, err
        files.append(tmp_path / f"c{len(files)}")
        files[-1].write_text(token)
    args = ("--challenge", "c-1", "--domain", "https://trust.example.nhs.uk")
    code, vp, err = run(
        "present", "--key", str(holder_key), "--format", "vc+jwt", *args, *map(str, files)
    )
    assert code == 0, err
    code, result = verify(vp, *args)
    assert (code, result["verdict"]) == (0, "VALID"), result
    assert [n["verdict"] for n in result["nested"]] == ["VALID"] * 3
    code, result = verify(vp, "--challenge", "other", "--domain", args[3])
    assert code == 1
    assert {c["outcome"] for c in result["checks"] if c["name"].startswith("verifiable")} == {
        "SKIPPED"
    }


def test_vp_jwt_v11_carries_credential_jwts(tmp_path: Path) -> None:
    key = key_file(tmp_path, "secp256k1")
    holder_key, did = holder(tmp_path)
    code, token, err = run(
        "issue",
        "--key",
        str(key),
        "--format",
        "jwt-vc-1.1",
        stdin=json.dumps(credential(did, v11=True)),
    )
    assert code == 0, err
    (tmp_path / "vc.jwt").write_text(token)
    args = ("--challenge", "c-2", "--domain", "https://trust.example.nhs.uk")
    code, vp, err = run(
        "present",
        "--key",
        str(holder_key),
        "--format",
        "jwt-vc-1.1",
        *args,
        str(tmp_path / "vc.jwt"),
    )
    assert code == 0, err
    code, result = verify(vp, *args)
    assert (code, result["verdict"]) == (0, "VALID"), result
    assert [n["verdict"] for n in result["nested"]] == ["VALID"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "vc+jwt", "--disclosable", "/x"], "SD-JWT"),
        (["--format", "vc+sd-jwt", "--vct", "https://x.example"], "--vct"),
        (["--format", "eddsa-rdfc-2022", "--vct", "https://x.example"], "SD-JWT"),
        (["--format", "vc+jwt", "--mandatory-pointer", "/issuer"], "ecdsa-sd-2023"),
        (["--format", "vc+jwt", "--status-base-url", "https://s.example"], "--status"),
    ],
)
def test_issue_usage_errors(tmp_path: Path, argv: list[str], message: str) -> None:
    key = key_file(tmp_path, "Ed25519")
    code, out, err = run("issue", "--key", str(key), *argv, stdin=json.dumps(credential("did:x:y")))
    assert code == 2
    assert message in err
    assert out == ""


def test_present_usage_errors(tmp_path: Path) -> None:
    key = key_file(tmp_path, "Ed25519")
    (tmp_path / "c.json").write_text(json.dumps(credential("did:x:y")))
    code, _, err = run(
        "present",
        "--key",
        str(key),
        "--format",
        "vc+jwt",
        "--challenge",
        "c",
        str(tmp_path / "c.json"),
    )
    assert code == 2
    assert "compact" in err
    code, _, err = run(
        "present",
        "--key",
        str(key),
        "--format",
        "vc+cose",
        "--challenge",
        "c",
        str(tmp_path / "c.json"),
    )
    assert code == 2
    assert "no presentation form" in err
