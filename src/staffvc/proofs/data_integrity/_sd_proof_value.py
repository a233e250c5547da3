"""ecdsa-sd-2023 proof values: ``u`` + base64url(header || CBOR array) (VC-DI-ECDSA §3.5.2-3.5.8).

Parsing is strict because the bytes come from whoever presents the credential: exact header,
exactly one untagged CBOR item with nothing after it, and every component of the exact type
and length. Any deviation is a coded :class:`~staffvc.results.CheckFailed`, never another
exception, so that a malformed proof cannot pass or crash verification.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import cbor2

from staffvc.keys import multibase_decode, multibase_encode
from staffvc.results import CheckFailed, Code

__all__ = [
    "BASE_HEADER",
    "DERIVED_HEADER",
    "BaseProofValue",
    "DerivedProofValue",
    "parse_base",
    "parse_derived",
    "serialize_base",
    "serialize_derived",
]

BASE_HEADER = b"\xd9\x5d\x00"
DERIVED_HEADER = b"\xd9\x5d\x01"
SIGNATURE_LENGTH = 64  # P-256 r || s
PUBLIC_KEY_LENGTH = 35  # Multikey p256-pub: 0x80 0x24 + 33-byte compressed point
HMAC_LENGTH = 32  # SHA-256: the HMAC key and each HMAC'd blank node label
_POINTER = "/proofValue"


@dataclass(frozen=True, slots=True)
class BaseProofValue:
    """What the issuer gives the holder (never to be shown to a verifier)."""

    base_signature: bytes
    public_key: bytes
    hmac_key: bytes
    signatures: list[bytes]
    mandatory_pointers: list[str]

    def __repr__(self) -> str:  # the HMAC key lets anyone link hidden blank nodes
        return f"BaseProofValue(signatures={len(self.signatures)}, hmac_key=<hidden>)"


@dataclass(frozen=True, slots=True)
class DerivedProofValue:
    """What the holder shows a verifier."""

    base_signature: bytes
    public_key: bytes
    signatures: list[bytes]
    label_map: dict[str, str]
    """Verifier's canonical label (``c14nN``) to the signed label (``u`` + base64url)."""
    mandatory_indexes: list[int]


def _encode(header: bytes, components: list[object]) -> str:
    return multibase_encode(header + cbor2.dumps(components), "u")


def serialize_base(value: BaseProofValue) -> str:
    """serializeBaseProofValue (§3.5.2)."""
    return _encode(
        BASE_HEADER,
        [
            value.base_signature,
            value.public_key,
            value.hmac_key,
            list(value.signatures),
            list(value.mandatory_pointers),
        ],
    )


def serialize_derived(value: DerivedProofValue) -> str:
    """serializeDerivedProofValue (§3.5.7), with compressLabelMap (§3.5.5)."""
    compressed = {
        int(key.removeprefix("c14n")): multibase_decode(label, allowed="u")
        for key, label in sorted(value.label_map.items(), key=lambda kv: int(kv[0][4:]))
    }
    return _encode(
        DERIVED_HEADER,
        [
            value.base_signature,
            value.public_key,
            list(value.signatures),
            compressed,
            list(value.mandatory_indexes),
        ],
    )


def _fail(detail: str) -> CheckFailed:
    return CheckFailed(Code.PROOF_VERIFICATION_ERROR, detail, pointer=_POINTER)


def _components(proof_value: object, header: bytes, kind: str) -> list[object]:
    if not isinstance(proof_value, str) or not proof_value:
        raise CheckFailed(
            Code.MALFORMED_PROOF_ERROR, "proofValue is missing or not a string", pointer=_POINTER
        )
    if not proof_value.startswith("u"):
        raise _fail("an ecdsa-sd-2023 proofValue must be multibase base64url (start with 'u')")
    try:
        data = multibase_decode(proof_value, allowed="u")
    except ValueError:
        raise _fail("proofValue is not base64url without padding") from None
    if data[:3] != header:
        other = BASE_HEADER if header == DERIVED_HEADER else DERIVED_HEADER
        if data[:3] == other:
            raise _fail(_WRONG_KIND[header])
        raise _fail(f"proofValue does not start with the {kind} header 0x{header.hex()}")
    stream = io.BytesIO(data[3:])
    try:
        decoded = cbor2.CBORDecoder(stream).decode()
    except (
        cbor2.CBORError,
        ValueError,
        TypeError,
        LookupError,
        ArithmeticError,
        RecursionError,
    ) as exc:
        # hostile input can make cbor2 raise more than its own errors
        raise _fail(f"the {kind} proofValue is not valid CBOR ({type(exc).__name__})") from None
    if stream.read(1):
        raise _fail(f"the {kind} proofValue has bytes after its CBOR value")
    if not isinstance(decoded, list) or len(decoded) != 5:
        raise _fail(f"the {kind} proofValue must be a CBOR array of five components")
    return decoded


_WRONG_KIND = {
    DERIVED_HEADER: (
        "this is an ecdsa-sd-2023 base proof (header 0xd95d00), which is for the holder only: "
        "a verifier accepts only a derived proof (header 0xd95d01) made with derive_proof"
    ),
    BASE_HEADER: "this is an ecdsa-sd-2023 derived proof (header 0xd95d01), not a base proof",
}


def _bytes(value: object, length: int, what: str) -> bytes:
    if not isinstance(value, bytes) or len(value) != length:
        raise _fail(f"{what} must be a byte string of {length} bytes")
    return value


def _signatures(value: object) -> list[bytes]:
    if not isinstance(value, list):
        raise _fail("signatures must be an array of byte strings")
    return [_bytes(item, SIGNATURE_LENGTH, "each signature") for item in value]


def parse_base(proof_value: object) -> BaseProofValue:
    """parseBaseProofValue (§3.5.3)."""
    signature, public_key, hmac_key, signatures, pointers = _components(
        proof_value, BASE_HEADER, "base"
    )
    if not isinstance(pointers, list) or not all(isinstance(p, str) for p in pointers):
        raise _fail("mandatoryPointers must be an array of strings")
    return BaseProofValue(
        _bytes(signature, SIGNATURE_LENGTH, "the base signature"),
        _bytes(public_key, PUBLIC_KEY_LENGTH, "the proof public key"),
        _bytes(hmac_key, HMAC_LENGTH, "the HMAC key"),
        _signatures(signatures),
        list(pointers),
    )


def _label_map(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise _fail("the label map must be a CBOR map")
    labels: dict[str, str] = {}
    for key, label in value.items():
        if type(key) is not int or key < 0:
            raise _fail("label map keys must be non-negative integers")
        labels[f"c14n{key}"] = multibase_encode(_bytes(label, HMAC_LENGTH, "each label"), "u")
    return labels


def _indexes(value: object) -> list[int]:
    if not isinstance(value, Sequence) or isinstance(value, str | bytes):
        raise _fail("mandatoryIndexes must be an array of integers")
    indexes = list(value)
    if not all(type(i) is int and i >= 0 for i in indexes):
        raise _fail("mandatoryIndexes must be non-negative integers")
    if any(a >= b for a, b in itertools.pairwise(indexes)):
        raise _fail("mandatoryIndexes must be strictly increasing")
    return indexes


def parse_derived(proof_value: object) -> DerivedProofValue:
    """parseDerivedProofValue (§3.5.8), with decompressLabelMap (§3.5.6).

    The proof public key is checked to be 35 bytes, its Multikey length (and the length in
    the published vectors); the REC's "36" in this step contradicts its own §3.6.5.
    """
    signature, public_key, signatures, label_map, indexes = _components(
        proof_value, DERIVED_HEADER, "derived"
    )
    return DerivedProofValue(
        _bytes(signature, SIGNATURE_LENGTH, "the base signature"),
        _bytes(public_key, PUBLIC_KEY_LENGTH, "the proof public key"),
        _signatures(signatures),
        _label_map(label_map),
        _indexes(indexes),
    )
