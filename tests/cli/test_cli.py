"""The staffvc command line: `key generate`, `did resolve`, `demo`, errors and exit codes."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from staffvc.cli import main
from staffvc.did import Resolver, did_key
from staffvc.keys import KeyPair, PublicKey
from support import Route, local_server

ED25519_DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("key_type", ["Ed25519", "P-256", "P-384", "secp256k1"])
def test_key_generate_prints_a_private_jwk(key_type: str) -> None:
    code, out, err = run("key", "generate", "--type", key_type)
    assert (code, err) == (0, "")
    jwk = json.loads(out)
    pair = KeyPair.from_jwk(jwk)
    assert jwk["crv"] == key_type
    assert "d" in jwk
    assert jwk["kid"] == f"{did_key(pair.public_key)}#{pair.public_key.to_multikey()}"


def test_key_generate_out_writes_an_owner_only_file_and_prints_the_did(tmp_path: Path) -> None:
    target = tmp_path / "issuer.jwk"
    code, out, _ = run("key", "generate", "--type", "Ed25519", "--out", str(target))
    assert code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    pair = KeyPair.from_jwk(json.loads(target.read_text()))
    assert out.strip() == did_key(pair.public_key)
    assert pair.private_jwk()["d"] not in out
    assert [p.name for p in tmp_path.iterdir()] == ["issuer.jwk"]  # no temp files left


def test_key_generate_never_overwrites_a_key_file(tmp_path: Path) -> None:
    target = tmp_path / "issuer.jwk"
    target.write_text("precious")
    code, out, err = run("key", "generate", "--type", "P-256", "--out", str(target))
    assert code == 2
    assert out == ""
    assert err.startswith("staffvc: error: usage:")
    assert "exists" in err
    assert target.read_text() == "precious"
    assert run("key", "generate", "--type", "P-256", "--out", str(target), "--force")[0] == 0
    KeyPair.from_jwk(json.loads(target.read_text()))


def test_did_resolve_prints_the_document() -> None:
    code, out, err = run("did", "resolve", ED25519_DID)
    assert (code, err) == (0, "")
    assert json.loads(out) == Resolver().resolve(ED25519_DID).to_json()


def test_did_resolve_with_options() -> None:
    code, out, _ = run(
        "did",
        "resolve",
        ED25519_DID,
        "--public-key-format",
        "JsonWebKey2020",
        "--did-context",
        "https://www.w3.org/ns/did/v1.1",
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["verificationMethod"][0]["type"] == "JsonWebKey2020"
    assert doc["@context"][0] == "https://www.w3.org/ns/did/v1.1"


def test_did_resolve_did_web_over_loopback_http() -> None:
    pair = KeyPair.generate()
    with local_server() as server:
        did = f"did:web:localhost%3A{server.port}"
        document = {
            "id": did,
            "verificationMethod": [
                {
                    "id": f"{did}#k",
                    "type": "Multikey",
                    "controller": did,
                    "publicKeyMultibase": pair.public_key.to_multikey(),
                }
            ],
            "assertionMethod": [f"{did}#k"],
        }
        server.routes["/.well-known/did.json"] = Route(body=json.dumps(document).encode())
        code, out, err = run("did", "resolve", did, "--allow-http-host", "localhost")
        assert (code, err) == (0, "")
        assert json.loads(out) == document
        vm = json.loads(out)["verificationMethod"][0]
        assert PublicKey.from_multikey(vm["publicKeyMultibase"]) == pair.public_key


@pytest.mark.parametrize(
    ("argv", "exit_code", "code"),
    [
        (["did", "resolve", "did:key:notz"], 1, "invalidDid"),
        (["did", "resolve", "did:key:zTjsVPtY"], 1, "invalidPublicKeyLength"),
        (["did", "resolve", "did:example:1"], 1, "methodNotSupported"),
        (["did", "resolve", "not-a-did"], 1, "invalidDid"),
        (["did", "resolve", "did:web:127.0.0.1"], 1, "invalidDid"),
        (["did", "resolve", ED25519_DID, "--allow-http-host", "example.com"], 2, "usage"),
        (["key", "generate", "--type", "RSA"], 2, "usage"),
        (["key", "generate"], 2, "usage"),
        (["frobnicate"], 2, "usage"),
        ([], 2, "usage"),
    ],
)
def test_errors_are_one_coded_line_and_json_on_request(
    argv: list[str], exit_code: int, code: str
) -> None:
    status, out, err = run(*argv)
    assert status == exit_code
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"staffvc: error: {code}")
    status, _, err = run(*argv, "--json-errors")
    assert status == exit_code
    _first, second = err.splitlines()
    assert json.loads(second)["error"]["code"] == code


def test_demo_runs() -> None:
    code, out, err = run("demo")
    assert (code, err) == (0, "")
    assert out.count("did:key:") >= 3
    assert "3. New trust verifies: VALID" in out
    assert "4. Edited credential: INVALID" in out
    assert "5. Replayed presentation: INVALID (INVALID_CHALLENGE_ERROR)" in out
    assert "Every step came out as it must." in out


def test_console_script_and_module_entry_points(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    script = Path(sys.executable).with_name("staffvc")
    for command in ([str(script)], [sys.executable, "-m", "staffvc"]):
        done = subprocess.run(
            [*command, "did", "resolve", "did:key:zTjsVPtY"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 1
        assert done.stdout == ""
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith("staffvc: error: invalidPublicKeyLength")
        ok = subprocess.run(
            [*command, "--version"], capture_output=True, text=True, env=env, check=False
        )
        assert ok.returncode == 0
        assert ok.stdout.startswith("staffvc ")
