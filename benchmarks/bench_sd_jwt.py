"""SD-JWT VC speed: staffvc against the Python reference ``sd-jwt`` 0.10.4, in the same run.

Four operations on one NHS staff-identity SD-JWT VC (EdDSA issuer, P-256 holder key in
``cnf``, six selectively disclosable claims, one of them nested):

- issue: claims → issued SD-JWT (all disclosures);
- present + KB: issued SD-JWT → presentation of one claim with an ES256 KB-JWT;
- verify: a presentation of one claim, no key binding, issuer key already resolved;
- verify + KB: the same with the KB-JWT checked (nonce, aud, sd_hash; ES256).

Both libraries verify the very same tokens (made by staffvc, which the reference accepts;
see tests/interop/test_sd_jwt_reference.py). Each figure is the median of RUNS runs of
CALLS calls after warm-up, the two libraries alternating run by run so that machine noise
hits both alike. ratio = reference / staffvc: above 1 means staffvc is faster.

Run: ``.venv/bin/python benchmarks/bench_sd_jwt.py`` (about 15 s).
"""

from __future__ import annotations

import secrets
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from jwcrypto.jwk import JWK
from sd_jwt.common import SDObj
from sd_jwt.holder import SDJWTHolder
from sd_jwt.issuer import SDJWTIssuer
from sd_jwt.verifier import SDJWTVerifier

from staffvc.did import did_key, vm_id_of
from staffvc.keys import KeyPair, KeyType, PublicKey
from staffvc.proofs.jose.sd_jwt import KeyBinding, present_sd_jwt
from staffvc.proofs.jose.sd_jwt_vc import issue_sd_jwt_vc, verify_sd_jwt_vc
from staffvc.results import CheckRecorder, Stage

RUNS, CALLS, WARMUP = 9, 200, 50
NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
NONCE, AUD = "bench-nonce-5f2c", "https://verifier.nhs.example"
VCT = "https://nhs.example/vct/staff-identity"
DISCLOSABLE = [
    "/given_name",
    "/family_name",
    "/email",
    "/professional_registration",
    "/professional_registration/number",
    "/employer",
]


def claims_for(issuer: str) -> dict[str, Any]:
    return {
        "iss": issuer,
        "iat": int(NOW.timestamp()) - 3600,
        "exp": int(NOW.timestamp()) + 365 * 86400,
        "given_name": "Priya",
        "family_name": "Raman",
        "email": "priya.raman@example.nhs.uk",
        "professional_registration": {"body": "NMC", "number": "12A3456E"},
        "employer": "Example Teaching Hospitals NHS Foundation Trust",
    }


def reference_claims(issuer: str) -> dict[Any, Any]:
    plain = claims_for(issuer)
    return {
        "iss": issuer,
        "vct": VCT,
        "iat": plain["iat"],
        "exp": plain["exp"],
        SDObj("given_name"): plain["given_name"],
        SDObj("family_name"): plain["family_name"],
        SDObj("email"): plain["email"],
        SDObj("professional_registration"): {"body": "NMC", SDObj("number"): "12A3456E"},
        SDObj("employer"): plain["employer"],
    }


def median_ms(pairs: list[tuple[str, Callable[[], object]]]) -> dict[str, float]:
    """Median ms/op of each function, measured in alternating runs."""
    for _, fn in pairs:
        for _ in range(WARMUP):
            fn()
    samples: dict[str, list[float]] = {name: [] for name, _ in pairs}
    for _ in range(RUNS):
        for name, fn in pairs:
            start = time.perf_counter()
            for _ in range(CALLS):
                fn()
            samples[name].append((time.perf_counter() - start) / CALLS * 1e3)
    return {name: statistics.median(values) for name, values in samples.items()}


def staffvc_verifier(public: PublicKey, *, kb: bool) -> Callable[[str], object]:
    def resolve(header: Any, payload: Any, /) -> PublicKey:
        return public  # the issuer key, resolved once: a verifier's cache

    def verify(token: str) -> object:
        recorder = CheckRecorder(required=[Stage.PARSE, Stage.PROOF])
        found = verify_sd_jwt_vc(
            token,
            recorder,
            resolve_issuer_key=resolve,
            now=NOW,
            leeway=timedelta(seconds=30),
            expected_nonce=NONCE if kb else None,
            expected_audience=AUD if kb else None,
            require_key_binding=kb,
            expected_vct=VCT,
        )
        if found.payload is None:
            raise RuntimeError(recorder.result().explain())
        return found.payload

    return verify


def reference_verifier(public: PublicKey, *, kb: bool) -> Callable[[str], object]:
    issuer_jwk = JWK(**public.to_jwk())

    def verify(token: str) -> object:
        verifier = SDJWTVerifier(
            token,
            lambda iss, header: issuer_jwk,
            expected_aud=AUD if kb else None,
            expected_nonce=NONCE if kb else None,
        )
        return verifier.get_verified_payload()

    return verify


def rows() -> list[tuple[str, float, float]]:
    issuer = KeyPair.generate(KeyType.ED25519)
    issuer = issuer.with_key_id(vm_id_of(issuer.public_key))
    issuer_did = str(did_key(issuer.public_key))
    holder = KeyPair.generate(KeyType.P256)
    issuer_jwk, holder_jwk = JWK(**issuer.private_jwk()), JWK(**holder.private_jwk())
    binding = KeyBinding(signer=holder, nonce=NONCE, audience=AUD, issued_at=NOW)

    def ours_issue() -> str:
        return issue_sd_jwt_vc(
            claims_for(issuer_did),
            signer=issuer,
            vct=VCT,
            disclosable=DISCLOSABLE,
            random_bytes=secrets.token_bytes,
            holder_key=holder.public_key,
        )

    def reference_issue() -> str:
        made = SDJWTIssuer(
            reference_claims(issuer_did),
            issuer_jwk,
            holder_key=holder_jwk,
            sign_alg="EdDSA",
            extra_header_parameters={"typ": "dc+sd-jwt", "kid": issuer.key_id},
        )
        return str(made.sd_jwt_issuance)

    issued = ours_issue()

    def ours_present() -> str:
        return present_sd_jwt(issued, disclose=["/given_name"], key_binding=binding)

    def reference_present() -> str:
        made = SDJWTHolder(issued)
        made.create_presentation(
            {"given_name": True}, nonce=NONCE, aud=AUD, holder_key=holder_jwk, sign_alg="ES256"
        )
        return str(made.sd_jwt_presentation)

    plain = present_sd_jwt(issued, disclose=["/given_name"], key_binding=None)
    bound = ours_present()
    ours_verify, ref_verify = (
        staffvc_verifier(issuer.public_key, kb=False),
        reference_verifier(issuer.public_key, kb=False),
    )
    ours_verify_kb, ref_verify_kb = (
        staffvc_verifier(issuer.public_key, kb=True),
        reference_verifier(issuer.public_key, kb=True),
    )
    if ours_verify(plain) != ref_verify(plain) or ours_verify_kb(bound) != ref_verify_kb(bound):
        raise RuntimeError("staffvc and the reference disagree on the processed payload")

    table: list[tuple[str, float, float]] = []
    for label, ours, reference in (
        ("SD-JWT VC issue (6 disclosable, EdDSA)", ours_issue, reference_issue),
        ("holder present, 1 claim + KB-JWT (ES256)", ours_present, reference_present),
        ("verify, 1 disclosed claim (EdDSA, cached key)", lambda: ours_verify(plain),
         lambda: ref_verify(plain)),
        ("verify + KB-JWT, 1 disclosed claim", lambda: ours_verify_kb(bound),
         lambda: ref_verify_kb(bound)),
    ):  # fmt: skip
        found = median_ms([("staffvc", ours), ("reference", reference)])
        table.append((label, found["staffvc"], found["reference"]))
    return table


def main() -> None:
    """Print the SD-JWT table (markdown)."""
    print(
        f"SD-JWT VC, staffvc vs sd-jwt 0.10.4 (jwcrypto), same tokens, same run; ms/op, "
        f"median of {RUNS} runs of {CALLS}. ratio = reference / staffvc (>1: staffvc faster)."
    )
    print()
    print("| operation | staffvc ms/op | sd-jwt 0.10.4 ms/op | ratio |")
    print("|---|---:|---:|---:|")
    for label, ours, reference in rows():
        print(f"| {label} | {ours:.3f} | {reference:.3f} | {reference / ours:.2f}x |")


if __name__ == "__main__":
    main()
