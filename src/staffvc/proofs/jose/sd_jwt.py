"""SD-JWT (RFC 9901): the issuer, the holder and the verifier of selectively disclosable JWTs.

- :func:`issue_sd_jwt` conceals the claims named by JSON pointers (RFC 6901) into the claims
  as given: object members and array elements, at any depth, also inside claims that are
  themselves disclosable (recursive disclosures). Salts and decoys come from an injected
  ``random_bytes``; the JWT is signed through :mod:`staffvc.proofs.jose.jws`.
- :func:`present_sd_jwt` keeps the disclosures for the claims the holder names (with the same
  pointers, into the fully disclosed payload), plus those they sit in, and adds a KB-JWT.
- :func:`verify_sd_jwt` never raises on bad input: it records one coded check per step in a
  :class:`~staffvc.results.CheckRecorder`, in the specification's order (decode → issuer
  signature → reveal → time claims → key binding), and returns the Processed SD-JWT Payload
  only when every check it recorded passed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from staffvc.did import DidResolver, Relationship
from staffvc.keys import Algorithm, KeyType, PublicKey, Signer
from staffvc.proofs.jose._sd_common import (
    DEFAULT_HASH,
    DEFAULT_SD_LIMITS,
    KB_TYP,
    SD_ALG,
    DisclosureSelectionError,
    MalformedSdJwtError,
    ReservedClaimError,
    SdJwtError,
    SdJwtLimits,
    b64_digest,
    decode_disclosure,
    format_pointer,
    hash_function,
    join_compact,
    parse_pointer,
    split_compact,
)
from staffvc.proofs.jose._sd_issue import Path, build_sd_payload, value_at
from staffvc.proofs.jose._sd_reveal import Revealed, reveal
from staffvc.proofs.jose._sd_verify import IssuerKeyResolver, run_pipeline
from staffvc.proofs.jose.jws import JoseError, decode_compact, sign_compact
from staffvc.results import CheckFailed, CheckRecorder, Stage
from staffvc.safejson import JsonObject, JsonValue

__all__ = [
    "DEFAULT_KB_MAX_AGE",
    "DEFAULT_SD_LIMITS",
    "DisclosureSelectionError",
    "IssuerKeyError",
    "IssuerKeyResolver",
    "IssuerMismatchError",
    "KeyBinding",
    "MalformedSdJwtError",
    "ReservedClaimError",
    "SdJwtError",
    "SdJwtLimits",
    "did_issuer_key_resolver",
    "issue_sd_jwt",
    "present_sd_jwt",
    "sd_jwt_required_stages",
    "verify_sd_jwt",
]

DEFAULT_KB_MAX_AGE = timedelta(minutes=5)
"""How old a KB-JWT (its ``iat``) may be, beyond the leeway: it proves a fresh presentation."""


class IssuerKeyError(SdJwtError):
    """No verification method of the issuer can be named from the header (no ``kid``)."""

    code = "INVALID_VERIFICATION_METHOD_URL"


class IssuerMismatchError(SdJwtError):
    """The signing key is not controlled by the issuer the payload names (or names none)."""

    code = "CONTROLLER_MISMATCH"


# --- issuer ----------------------------------------------------------------------------------


def _validity_claim(path: Path) -> str | None:
    """RFC 9901 §9.7: what decides authenticity or validity stays in plain text."""
    top = path[0]
    if len(path) == 1 and top in ("iss", "exp", "nbf", "aud", "cnf"):
        return f"{top} controls the validity of the SD-JWT (RFC 9901 §9.7)"
    if top == "cnf":
        return "the holder's key stays in plain text (RFC 9901 §9.7)"
    return None


def issue_sd_jwt(
    claims: JsonObject,
    *,
    signer: Signer,
    disclosable: Collection[str],
    random_bytes: Callable[[int], bytes],
    typ: str,
    holder_key: PublicKey | None,
    decoys: int | Mapping[str, int] = 0,
    hash_alg: str = DEFAULT_HASH,
    extra_header: Mapping[str, JsonValue] | None = None,
) -> str:
    """A compact SD-JWT (``<JWT>~<D1>~...~<Dn>~``) of ``claims``.

    ``disclosable`` names the claims to conceal by JSON pointer (``/address/region``,
    ``/nationalities/1``, ``/address`` and its members together for recursive disclosure).
    ``iss``, ``exp``, ``nbf``, ``aud`` (its entries may be) and ``cnf`` cannot be made
    disclosable. ``random_bytes(n)`` must return ``n`` cryptographically secure random bytes
    (``secrets.token_bytes`` in production); it supplies 128-bit salts and the decoys.
    ``decoys`` is a count per object with disclosable members, or a mapping from JSON pointer
    (``""`` is the top level) to count. ``holder_key`` becomes ``cnf.jwk`` for key binding.
    """
    return issue_with_rules(
        claims,
        signer=signer,
        disclosable=disclosable,
        random_bytes=random_bytes,
        typ=typ,
        holder_key=holder_key,
        decoys=decoys,
        hash_alg=hash_alg,
        extra_header=extra_header,
        forbidden=_validity_claim,
    )


def issue_with_rules(
    claims: JsonObject,
    *,
    signer: Signer,
    disclosable: Collection[str],
    random_bytes: Callable[[int], bytes],
    typ: str,
    holder_key: PublicKey | None,
    decoys: int | Mapping[str, int],
    hash_alg: str,
    extra_header: Mapping[str, JsonValue] | None,
    forbidden: Callable[[Path], str | None],
    cty: str | None = None,
) -> str:
    """:func:`issue_sd_jwt` with a profile's own rule of what must stay in plain text."""
    hash_fn = hash_function(hash_alg)
    if not isinstance(typ, str) or not typ:
        raise SdJwtError("typ must be a non-empty string (SD-JWTs are explicitly typed)")
    if isinstance(disclosable, str):
        raise SdJwtError("disclosable is a collection of JSON pointers, not one string")
    if holder_key is not None:
        if holder_key.key_type is KeyType.X25519:
            raise SdJwtError("an X25519 key cannot sign a KB-JWT; give the holder's signing key")
        if isinstance(claims, dict) and "cnf" in claims:
            raise ReservedClaimError("claims hold 'cnf' and a holder_key was given; give one")
    built = build_sd_payload(
        claims,
        disclosable=disclosable,
        forbidden=forbidden,
        decoys=decoys,
        random_bytes=random_bytes,
        hash_fn=hash_fn,
    )
    payload: JsonObject = dict(built.payload)
    payload[SD_ALG] = hash_alg
    if holder_key is not None:
        payload["cnf"] = {"jwk": dict(holder_key.to_jwk())}
    header: dict[str, JsonValue] = {"typ": typ}
    if cty is not None:
        header["cty"] = cty
    for name, value in (extra_header or {}).items():
        if name in ("alg", "typ", "cty"):
            raise SdJwtError(f"extra_header may not set {name!r}")
        header[name] = value
    try:
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise SdJwtError(f"claims are not JSON: {exc}") from None
    jwt = sign_compact(header, body.encode("utf-8"), signer=signer)
    return join_compact(jwt, built.disclosures)


# --- holder ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyBinding:
    """What a holder's KB-JWT binds a presentation to (RFC 9901 §4.3)."""

    signer: Signer
    """The holder's key: the one named by ``cnf`` in the SD-JWT."""
    nonce: str
    """The verifier's nonce for this transaction."""
    audience: str
    """The verifier (``aud``): one string."""
    issued_at: datetime
    """When the KB-JWT is made (``iat``); timezone-aware."""

    def __post_init__(self) -> None:
        if not isinstance(self.nonce, str) or not self.nonce:
            raise SdJwtError("a KB-JWT nonce must be a non-empty string")
        if not isinstance(self.audience, str) or not self.audience:
            raise SdJwtError("a KB-JWT audience must be a non-empty string")
        if self.issued_at.tzinfo is None or self.issued_at.utcoffset() is None:
            raise SdJwtError("issued_at must be timezone-aware")


class _KbSigner:
    """The holder's signer without a ``kid``: the KB-JWT is checked with ``cnf``."""

    __slots__ = ("_signer",)

    def __init__(self, signer: Signer) -> None:
        self._signer = signer

    @property
    def algorithm(self) -> Algorithm:
        return self._signer.algorithm

    @property
    def key_id(self) -> str | None:
        return None

    def sign(self, data: bytes) -> bytes:
        return self._signer.sign(data)


def _holder_view(sd_jwt: str, limits: SdJwtLimits) -> tuple[str, tuple[str, ...], Revealed, str]:
    """Issuer JWT, disclosures, everything revealed, and ``_sd_alg`` of an issued SD-JWT."""
    try:
        parts = split_compact(sd_jwt, limits)
        if parts.kb_jwt is not None:
            raise MalformedSdJwtError("an SD-JWT+KB is not an issued SD-JWT (RFC 9901 §7.2)")
        payload = decode_compact(parts.issuer_jwt, limits=limits.jose).json_payload(
            limits=limits.jose
        )
        alg = payload.get(SD_ALG, DEFAULT_HASH)
        if not isinstance(alg, str):
            raise MalformedSdJwtError("_sd_alg is not a string")
        hash_fn = hash_function(alg)
        disclosures = [decode_disclosure(d, i, limits) for i, d in enumerate(parts.disclosures)]
        full = reveal(payload, disclosures, hash_fn, limits)
    except CheckFailed as exc:
        raise MalformedSdJwtError(f"{exc.code}: {exc.detail}") from None
    except JoseError as exc:
        raise MalformedSdJwtError(f"{exc.code}: {exc.message}") from None
    return parts.issuer_jwt, parts.disclosures, full, alg


def _select(full: Revealed, disclose: Collection[str]) -> list[int]:
    wanted: set[int] = set()
    for pointer in disclose:
        path = parse_pointer(pointer)
        value_at(full.payload, path, pointer)
        canonical = format_pointer(path)
        for index in full.order:
            where = full.pointers[index]
            if (
                where == canonical
                or where.startswith(canonical + "/")
                or canonical.startswith(where + "/")
            ):
                wanted.add(index)
    return [index for index in full.order if index in wanted]


def present_sd_jwt(
    sd_jwt: str,
    *,
    disclose: Collection[str],
    key_binding: KeyBinding | None,
    limits: SdJwtLimits = DEFAULT_SD_LIMITS,
) -> str:
    """A presentation of ``sd_jwt`` revealing the claims named in ``disclose``.

    Pointers address the fully disclosed payload (array indices as issued). Naming a claim
    reveals it whole (with every disclosable claim inside it) and the disclosures it sits in;
    name the members instead to reveal only part of an object. Disclosures keep the order
    in which the payload refers to them. With ``key_binding`` the result is an SD-JWT+KB
    whose KB-JWT (``typ: kb+jwt``) signs ``nonce``, ``aud``, ``iat`` and ``sd_hash``.
    """
    if isinstance(disclose, str):
        raise SdJwtError("disclose is a collection of JSON pointers, not one string")
    issuer_jwt, disclosures, full, alg = _holder_view(sd_jwt, limits)
    chosen = [disclosures[i] for i in _select(full, disclose)]
    presented = join_compact(issuer_jwt, chosen)
    if key_binding is None:
        return presented
    if not isinstance(full.payload.get("cnf"), dict):
        raise SdJwtError("the SD-JWT has no cnf claim: it cannot be key-bound")
    claims = {
        "nonce": key_binding.nonce,
        "aud": key_binding.audience,
        "iat": int(key_binding.issued_at.timestamp()),
        "sd_hash": b64_digest(hash_function(alg), presented),
    }
    body = json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return presented + sign_compact({"typ": KB_TYP}, body, signer=_KbSigner(key_binding.signer))


# --- verifier --------------------------------------------------------------------------------


def sd_jwt_required_stages(*, key_binding: bool) -> tuple[Stage, ...]:
    """The stages an SD-JWT verification must pass: PARSE and PROOF, plus HOLDER_BINDING
    when key binding is required. (VALIDITY is checked whenever time claims are present.)"""
    stages = (Stage.PARSE, Stage.PROOF)
    return (*stages, Stage.HOLDER_BINDING) if key_binding else stages


def verify_sd_jwt(
    token: str | bytes,
    recorder: CheckRecorder,
    *,
    resolve_issuer_key: IssuerKeyResolver,
    now: datetime,
    leeway: timedelta,
    expected_nonce: str | None,
    expected_audience: str | None,
    require_key_binding: bool,
    expected_typ: Collection[str],
    limits: SdJwtLimits = DEFAULT_SD_LIMITS,
    kb_max_age: timedelta = DEFAULT_KB_MAX_AGE,
) -> JsonObject | None:
    """Verify an SD-JWT or SD-JWT+KB, recording checks; the Processed SD-JWT Payload, or None.

    The issuer key comes from ``resolve_issuer_key`` (see :func:`did_issuer_key_resolver`)
    and pins the algorithm. Whether key binding is required is the caller's policy, never
    inferred from the token (§7.3): with ``require_key_binding`` a missing or bad KB-JWT
    fails; a KB-JWT that is present is checked either way. ``expected_typ`` lists accepted
    ``typ`` values (empty: any). Returns None unless every check recorded here passed.
    """
    processed = run_pipeline(
        token,
        recorder,
        resolve_issuer_key=resolve_issuer_key,
        now=now,
        leeway=leeway,
        expected_nonce=expected_nonce,
        expected_audience=expected_audience,
        require_key_binding=require_key_binding,
        expected_typ=expected_typ,
        limits=limits,
        kb_max_age=kb_max_age,
    )
    return None if processed is None else processed.payload


def issuer_of(payload: Mapping[str, JsonValue]) -> str | None:
    """The issuer a signed payload names: ``iss``, or a VCDM ``issuer`` (URL or object id)."""
    iss = payload.get("iss")
    issuer = payload.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    if iss is not None and not isinstance(iss, str):
        raise IssuerMismatchError("iss is not a string")
    if isinstance(iss, str) and isinstance(issuer, str) and iss != issuer:
        raise IssuerMismatchError("iss and issuer name different issuers")
    if isinstance(iss, str):
        return iss
    return issuer if isinstance(issuer, str) else None


def did_issuer_key_resolver(resolver: DidResolver) -> IssuerKeyResolver:
    """Issuer keys from DIDs: ``kid`` is a DID URL (or ``#fragment`` of the issuer's DID)
    whose verification method is under ``assertionMethod`` and controlled by the issuer
    (``iss``, or the VCDM ``issuer``). Caching is the resolver's."""

    def resolve(header: JsonObject, payload: JsonObject, /) -> PublicKey:
        issuer = issuer_of(payload)
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise IssuerKeyError("the header has no 'kid' naming the issuer's key")
        if issuer is None:
            raise IssuerMismatchError("the payload names no issuer to bind the key to")
        if kid.startswith("#"):
            kid = issuer + kid
        vm = resolver.dereference(kid, relationship=Relationship.ASSERTION_METHOD)
        if vm.controller != issuer:
            raise IssuerMismatchError(f"the key is controlled by {vm.controller}, not {issuer}")
        return vm.public_key

    return resolve
