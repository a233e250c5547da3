"""Helpers for the SD-JWT and SD-JWT VC tests: the two vector files, the processed payloads
the drafts print, deterministic randomness, did:key issuers and one-call verification.

Imported as ``spec.sd_jwt.sd_jwt_helpers`` (``tests`` is on ``pythonpath``)."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from staffvc.did import Resolver, did_key, vm_id_of
from staffvc.keys import KeyPair, KeyType, PublicKey, b64url_decode
from staffvc.proofs.jose.sd_jwt import did_issuer_key_resolver, verify_sd_jwt
from staffvc.results import CheckRecorder, Code, Outcome, Stage, VerificationResult
from support import load_vector, shared_dir

RFC_FILE = "sd-jwt/sd-jwt-rfc9901-draft22-examples.json"
VC_FILE = "sd-jwt/sd-jwt-vc-draft18-examples.json"
RFC: dict[str, Any] = load_vector(RFC_FILE)
VC: dict[str, Any] = load_vector(VC_FILE)
RFC_TEXT = "sd-jwt/draft-ietf-oauth-selective-disclosure-jwt-22.txt"
VC_TEXT = "sd-jwt/draft-ietf-oauth-sd-jwt-vc-18.txt"

ISSUER_KEY = PublicKey.from_jwk(RFC["issuerPublicJwk"])
ISSUER_PAIR = KeyPair.from_jwk(RFC["issuerPrivateJwk_from_settings"])
HOLDER_PAIR = KeyPair.from_jwk(RFC["holderPrivateJwk_from_settings"])
NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def split(token: str) -> tuple[str, list[str], str]:
    """Issuer JWT, disclosures and the last part (KB-JWT or "") of a compact SD-JWT."""
    parts = token.split("~")
    return parts[0], parts[1:-1], parts[-1]


def b64json(part: str) -> Any:
    return json.loads(b64url_decode(part))


def jwt_payload(jwt: str) -> Any:
    return b64json(jwt.split(".")[1])


def jwt_header(jwt: str) -> Any:
    return b64json(jwt.split(".")[0])


# --- the drafts' printed Processed SD-JWT Payloads ---------------------------------------


def printed_processed_payloads(relative: str) -> list[Any]:
    """Every JSON block the draft prints after "the Verifier will have ...", in order."""
    lines = (shared_dir() / "vectors" / relative).read_text(encoding="utf-8").splitlines()
    found: list[Any] = []
    for number, line in enumerate(lines):
        if "Verifier will have" not in line:
            continue
        start = next(i for i in range(number, len(lines)) if lines[i] == "   {")
        end = next(i for i in range(start, len(lines)) if lines[i] == "   }")
        found.append(json.loads("\n".join(lines[start : end + 1])))
    return found


# --- deterministic randomness -------------------------------------------------------------


class CountingRandom:
    """``random_bytes`` for tests: SHA-256 of a seed and a counter, as many bytes as asked."""

    def __init__(self, seed: str = "staffvc") -> None:
        self.seed = seed
        self.calls: list[int] = []

    def __call__(self, size: int) -> bytes:
        self.calls.append(size)
        out = b""
        block = 0
        while len(out) < size:
            text = f"{self.seed}/{len(self.calls)}/{block}".encode()
            out += hashlib.sha256(text).digest()
            block += 1
        return out[:size]


def salts_of(disclosures: Iterable[str]) -> Callable[[int], bytes]:
    """``random_bytes`` that hands out the salts of ``disclosures``, in order."""
    queue = [b64url_decode(b64json(d)[0]) for d in disclosures]

    def take(size: int) -> bytes:
        assert size == 16, "only salts are expected"
        return queue.pop(0)

    return take


def disclosure_pointers(serialization: str) -> dict[str, int]:
    """For an SD-JWT with SHA-256 digests: the JSON pointer of each disclosure's claim in the
    fully disclosed payload → the disclosure's position. Written independently of staffvc's
    own processing, as a second opinion."""
    jwt, disclosures, _ = split(serialization)
    by_digest = {
        base64.urlsafe_b64encode(hashlib.sha256(d.encode()).digest()).rstrip(b"=").decode(): i
        for i, d in enumerate(disclosures)
    }
    found: dict[str, int] = {}

    def walk(value: Any, pointer: str) -> None:
        if isinstance(value, dict):
            for name, child in value.items():
                if name != "_sd":
                    walk(child, f"{pointer}/{name}")
            for digest in value.get("_sd", []):
                if digest in by_digest:
                    _, name, child = b64json(disclosures[by_digest[digest]])
                    found[f"{pointer}/{name}"] = by_digest[digest]
                    walk(child, f"{pointer}/{name}")
        elif isinstance(value, list):
            position = 0
            for element in value:
                if isinstance(element, dict) and list(element) == ["..."]:
                    if element["..."] not in by_digest:
                        continue
                    index = by_digest[element["..."]]
                    found[f"{pointer}/{position}"] = index
                    element = b64json(disclosures[index])[1]
                walk(element, f"{pointer}/{position}")
                position += 1

    walk(jwt_payload(jwt), "")
    return found


def reorder_like_issuance(value: Any, pointer: str, rank: dict[str, int]) -> Any:
    """``value`` with each object's members ordered so that a depth-first issuer (children
    first, members in order) meets the disclosable claims in the order of ``rank``: the
    order of the example's disclosures, which its generator made in that order."""

    def child(name: str) -> str:
        return pointer + "/" + name.replace("~", "~0").replace("/", "~1")

    if isinstance(value, dict):

        def first(name: str) -> float:
            here = child(name)
            ranks = [r for p, r in rank.items() if p == here or p.startswith(here + "/")]
            return min(ranks) if ranks else float("inf")

        return {
            k: reorder_like_issuance(value[k], child(k), rank) for k in sorted(value, key=first)
        }
    if isinstance(value, list):
        return [reorder_like_issuance(v, f"{pointer}/{i}", rank) for i, v in enumerate(value)]
    return value


# --- DID-bound keys -----------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    pair: KeyPair
    did: str

    @property
    def public(self) -> PublicKey:
        return self.pair.public_key


def did_party(key_type: KeyType = KeyType.ED25519) -> Party:
    pair = KeyPair.generate(key_type)
    return Party(pair.with_key_id(vm_id_of(pair.public_key)), str(did_key(pair.public_key)))


RESOLVER = Resolver()
DID_KEYS = did_issuer_key_resolver(RESOLVER)


# --- one-call verification ----------------------------------------------------------------


def verify(
    token: str | bytes,
    *,
    resolve: Any = DID_KEYS,
    now: datetime = NOW,
    leeway: timedelta = timedelta(seconds=30),
    nonce: str | None = None,
    audience: str | None = None,
    require_kb: bool = False,
    typ: Collection[str] = ("example+sd-jwt",),
    **options: Any,
) -> tuple[VerificationResult, Any]:
    """Verify with :func:`verify_sd_jwt`; (result, processed payload or None)."""
    stages = [Stage.PARSE, Stage.PROOF] + ([Stage.HOLDER_BINDING] if require_kb else [])
    recorder = CheckRecorder(required=stages)
    payload = verify_sd_jwt(
        token,
        recorder,
        resolve_issuer_key=resolve,
        now=now,
        leeway=leeway,
        expected_nonce=nonce,
        expected_audience=audience,
        require_key_binding=require_kb,
        expected_typ=typ,
        **options,
    )
    return recorder.result(), payload


def failed(result: VerificationResult) -> dict[str, Code | None]:
    """Check name → code of every FAILED or ERROR check."""
    return {c.name: c.code for c in result.checks if c.outcome in (Outcome.FAILED, Outcome.ERROR)}


def outcome(result: VerificationResult, name: str) -> Outcome:
    (check,) = [c for c in result.checks if c.name == name]
    return check.outcome


# --- hand-made tokens, for inputs the issuer API refuses to make ----------------------------


def make_disclosure(salt: str, *rest: Any, ascii_json: bool = True) -> str:
    """A disclosure of ``[salt, *rest]`` (``rest`` is ``[name, value]`` or ``[value]``)."""
    text = json.dumps([salt, *rest], ensure_ascii=ascii_json)
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def sha256_digest(text: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()


def craft(
    signer: KeyPair,
    payload: dict[str, Any],
    disclosures: Iterable[str] = (),
    *,
    header: dict[str, Any] | None = None,
) -> str:
    """An SD-JWT whose issuer JWT signs ``payload`` as given (no checks of any kind)."""
    from staffvc.proofs.jose.jws import sign_compact

    jwt = sign_compact(
        {"typ": "example+sd-jwt", **(header or {})}, json.dumps(payload).encode(), signer=signer
    )
    return "~".join([jwt, *disclosures]) + "~"
