"""JOSE/COSE speed: issuing and verifying a credential as ``vc+jwt`` (EdDSA, ES256, ES256K),
as a VCDM 1.1 JWT-VC (EdDSA) and as ``vc+cose`` (EdDSA), against panva's ``jose`` (npm) timed
inside Node in the same run (interop/node/jose.mjs, op "bench"), and against the raw
Ed25519 verification underneath.

What is timed:

- staffvc verify = the whole recorder-style verification: decode the token, resolve the
  (cached) did:key ``kid`` with its relationship and controller checks, verify the signature
  with the algorithm pinned from the key, parse the payload, record the checks;
- jose verify = ``compactVerify`` (``jwtVerify`` for JWT-VC 1.1) with the key already
  imported: signature and, for JWTs, the time claims, no key resolution;
- jose has no ES256K; the harness does that row with node:crypto (OpenSSL).

Ratios are peer / staffvc (above 1: staffvc is faster) and staffvc / raw for the last row.
Run: ``python benchmarks/bench_jose.py``; it takes well under a minute.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519

from staffvc.did import Resolver, did_key, vm_id_of
from staffvc.keys import KeyPair, KeyType
from staffvc.proofs.jose import (
    decode_compact,
    issue_jwt_vc_v11,
    issue_vc_cose,
    issue_vc_jwt,
    verify_jwt_vc_v11,
    verify_vc_cose,
    verify_vc_jose,
)
from staffvc.results import CheckRecorder, Stage

RUNS, CALLS, WARMUP = 7, 200, 50
NODE_ITERATIONS = 200
HARNESS = Path(__file__).resolve().parent.parent / "interop" / "node" / "jose.mjs"
NOW = datetime(2026, 3, 1, tzinfo=UTC)
LEEWAY = timedelta(seconds=60)
STAGES = (Stage.PARSE, Stage.PURPOSE, Stage.PROOF)


def staff_credential(issuer: str, *, v11: bool = False) -> dict[str, Any]:
    """A made-up NHS training credential (~1 KB of JSON)."""
    document: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:3f6c2a9e-7b1d-4c8e-9a57-0d4e2b6f8c13",
        "type": ["VerifiableCredential", "StaffTrainingCredential"],
        "name": "NHS Statutory and Mandatory Training: Information Governance",
        "issuer": issuer,
        "validFrom": "2026-01-15T09:00:00Z",
        "credentialSubject": {
            "id": "urn:uuid:9b2d7c41-5e3a-4f86-b0c9-1a7e8d2f6c45",
            "givenName": "Priya",
            "familyName": "Raman",
            "professionalRegistration": "NMC 12A3456E",
            "employer": {"name": "Example Teaching Hospitals NHS FT", "odsCode": "RXX"},
            "training": {
                "cstfSubject": "Information Governance and Data Security",
                "level": 1,
                "completedOn": "2026-01-12",
                "provider": "e-Learning for Healthcare",
            },
        },
    }
    if v11:
        document["@context"] = ["https://www.w3.org/2018/credentials/v1"]
        del document["validFrom"]
        document["issuanceDate"] = "2026-01-15T09:00:00Z"
        document["expirationDate"] = "2027-01-15T09:00:00Z"
    return document


def per_call_ms(fn: Callable[[], object]) -> float:
    """Median ms/op over RUNS runs of CALLS calls, after warm-up."""
    for _ in range(WARMUP):
        fn()
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for _ in range(CALLS):
            fn()
        samples.append((time.perf_counter() - start) / CALLS * 1e3)
    return statistics.median(samples)


@dataclass
class Row:
    name: str
    issue: float
    verify: float
    peer_issue: float | None = None
    peer_verify: float | None = None
    node_requests: tuple[dict[str, Any], dict[str, Any]] | None = None


def _signer(key_type: KeyType) -> tuple[KeyPair, str]:
    pair = KeyPair.generate(key_type)
    return pair.with_key_id(vm_id_of(pair.public_key)), str(did_key(pair.public_key))


def _checked(recorder: CheckRecorder) -> None:
    if not recorder.result().ok:
        raise RuntimeError("benchmark token did not verify:\n" + recorder.result().explain())


def jwt_row(key_type: KeyType, resolver: Resolver) -> Row:
    signer, did = _signer(key_type)
    document = staff_credential(did)
    token = issue_vc_jwt(document, signer=signer)

    def verify() -> CheckRecorder:
        recorder = CheckRecorder(required=STAGES)
        verify_vc_jose(
            token, recorder, resolver=resolver, now=NOW, leeway=LEEWAY, expected_typ=("vc+jwt",)
        )
        return recorder

    _checked(verify())
    alg = signer.algorithm.value
    header = {"typ": "vc+jwt", "cty": "vc", "kid": signer.key_id}
    base = {"alg": alg, "iterations": NODE_ITERATIONS, "runs": RUNS}
    sign = {**base, "op": "bench", "what": "sign", "jwk": signer.private_jwk(), "header": header}
    sign["payload"] = json.dumps(document)
    check = {**base, "op": "bench", "what": "verify", "jwk": signer.public_key.to_jwk()}
    check["token"] = token
    return Row(
        f"vc+jwt {alg}",
        per_call_ms(lambda: issue_vc_jwt(document, signer=signer)),
        per_call_ms(verify),
        node_requests=(sign, check),
    )


def v11_row(resolver: Resolver) -> Row:
    signer, did = _signer(KeyType.ED25519)
    document = staff_credential(did, v11=True)
    token = issue_jwt_vc_v11(document, signer=signer)

    def verify() -> CheckRecorder:
        recorder = CheckRecorder(required=STAGES)
        verify_jwt_vc_v11(
            token, recorder, resolver=resolver, now=NOW, leeway=LEEWAY, expected_typ=("JWT",)
        )
        return recorder

    _checked(verify())
    claims = json.loads(decode_compact(token).payload)
    base = {"alg": "EdDSA", "iterations": NODE_ITERATIONS, "runs": RUNS}
    sign = {**base, "op": "bench", "what": "sign", "jwk": signer.private_jwk()}
    sign |= {"header": {"typ": "JWT", "kid": signer.key_id}, "payload": json.dumps(claims)}
    check = {**base, "op": "bench", "what": "verify", "jwk": signer.public_key.to_jwk()}
    check |= {"token": token, "jwt": True, "currentDate": NOW.isoformat()}
    return Row(
        "jwt-vc-1.1 EdDSA",
        per_call_ms(lambda: issue_jwt_vc_v11(document, signer=signer)),
        per_call_ms(verify),
        node_requests=(sign, check),
    )


def cose_row(resolver: Resolver) -> Row:
    signer, did = _signer(KeyType.ED25519)
    document = staff_credential(did)
    data = issue_vc_cose(document, signer=signer)

    def verify() -> CheckRecorder:
        recorder = CheckRecorder(required=STAGES)
        verify_vc_cose(data, recorder, resolver=resolver, now=NOW, leeway=LEEWAY)
        return recorder

    _checked(verify())
    return Row(
        "vc+cose EdDSA",
        per_call_ms(lambda: issue_vc_cose(document, signer=signer)),
        per_call_ms(verify),
    )


def paired_ed25519(resolver: Resolver) -> tuple[float, float, float]:
    """vc+jwt EdDSA verification against cryptography's Ed25519 verify of the same signing
    input, timed in alternating runs so both see the same machine load; returns both
    medians (ms/op) and the median of the per-run ratios."""
    signer, did = _signer(KeyType.ED25519)
    token = issue_vc_jwt(staff_credential(did), signer=signer)
    jws = decode_compact(token)
    key = ed25519.Ed25519PublicKey.from_public_bytes(signer.public_key.raw)

    def ours() -> None:
        recorder = CheckRecorder(required=STAGES)
        verify_vc_jose(
            token, recorder, resolver=resolver, now=NOW, leeway=LEEWAY, expected_typ=("vc+jwt",)
        )

    def raw() -> None:
        key.verify(jws.signature, jws.signing_input)

    def timed(fn: Callable[[], object]) -> float:
        start = time.perf_counter()
        for _ in range(CALLS):
            fn()
        return (time.perf_counter() - start) / CALLS * 1e3

    for _ in range(WARMUP):
        ours()
        raw()
    pairs = [(timed(ours), timed(raw)) for _ in range(2 * RUNS)]
    return (
        statistics.median(p[0] for p in pairs),
        statistics.median(p[1] for p in pairs),
        statistics.median(p[0] / p[1] for p in pairs),
    )


def run_node(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None or not (HARNESS.parent / "node_modules" / "jose").is_dir():
        raise RuntimeError("node or interop/node/node_modules is missing")
    done = subprocess.run(
        [node, str(HARNESS)],
        input=json.dumps({"op": "batch", "requests": requests}),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    answer = json.loads(done.stdout)
    if not answer.get("ok"):
        raise RuntimeError(f"jose harness failed: {answer}")
    results = answer["results"]
    for result in results:
        if not result.get("ok"):
            raise RuntimeError(f"jose harness request failed: {result}")
    return list(results)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _ratio(peer: float | None, ours: float) -> str:
    return "-" if peer is None else f"{peer / ours:.2f}x"


def main() -> None:
    resolver = Resolver()
    rows = [jwt_row(k, resolver) for k in (KeyType.ED25519, KeyType.P256, KeyType.SECP256K1)]
    rows += [v11_row(resolver), cose_row(resolver)]
    paired_ours, raw, ratio = paired_ed25519(resolver)
    note = ""
    requests = [r for row in rows if row.node_requests for r in row.node_requests]
    try:
        answers = iter(run_node(requests))
        for row in rows:
            if row.node_requests:
                row.peer_issue = float(next(answers)["msPerOp"])
                row.peer_verify = float(next(answers)["msPerOp"])
    except (RuntimeError, OSError, subprocess.SubprocessError, ValueError, KeyError) as exc:
        note = f"jose (npm) not measured: {exc}"[:200]
    print(f"JOSE/COSE: NHS training credential; ms/op, medians of {RUNS} runs.")
    print("ratio = jose (npm) / staffvc (>1: staffvc is faster); '-' = no peer.")
    print()
    print("| format | staffvc issue | jose issue | ratio | staffvc verify | jose verify | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row.name} | {_ms(row.issue)} | {_ms(row.peer_issue)} | "
            f"{_ratio(row.peer_issue, row.issue)} | {_ms(row.verify)} | "
            f"{_ms(row.peer_verify)} | {_ratio(row.peer_verify, row.verify)} |"
        )
    print(f"| raw Ed25519 verify (cryptography) | - | - | - | {_ms(raw)} | - | - |")
    print()
    print(
        f"vc+jwt EdDSA verify / raw Ed25519 verify: {ratio:.2f}x (goal: within 2x; "
        f"alternating runs, {_ms(paired_ours)} vs {_ms(raw)} ms/op)"
    )
    if note:
        print(note)


if __name__ == "__main__":
    main()
