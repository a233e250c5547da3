"""did:key (W3C CCG did:key v0.9): create a DID from a public key, and resolve it.

Resolution is pure computation, so did:key needs no network and no cache. The document
layout follows the v0.9 "Document Creation Algorithm": the key is the one verification
method, listed under authentication, assertionMethod, capabilityInvocation and
capabilityDelegation; an Ed25519 key also gets its derived X25519 key, embedded under
keyAgreement; an X25519 key is listed under keyAgreement only.

``@context`` policy (the spec leaves it open, see DK-07): the base DID context
(``https://www.w3.org/ns/did/v1`` by default) followed by the context of each verification
method type used, in order of appearance. With the DID 1.1 context as base, ``Multikey`` and
``JsonWebKey`` need no extra context, which reproduces the spec's examples exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import base58

from staffvc.did.document import DidDocument, as_did_key_errors
from staffvc.did.syntax import Did, parse_did
from staffvc.errors import (
    InvalidDidError,
    InvalidPublicKeyError,
    InvalidPublicKeyTypeError,
    MethodNotSupportedError,
    UnsupportedPublicKeyTypeError,
)
from staffvc.keys import KeyType, PublicKey, decode_multicodec_key, multibase_decode
from staffvc.safejson import JsonObject

__all__ = [
    "DID_V1",
    "DID_V1_1",
    "DidKeyMethod",
    "DidKeyOptions",
    "PublicKeyFormat",
    "did_key",
    "vm_id_of",
]

DID_V1 = "https://www.w3.org/ns/did/v1"
DID_V1_1 = "https://www.w3.org/ns/did/v1.1"


class PublicKeyFormat(StrEnum):
    """Verification method types a did:key document can be expressed in."""

    MULTIKEY = "Multikey"
    JSON_WEB_KEY = "JsonWebKey"
    JSON_WEB_KEY_2020 = "JsonWebKey2020"
    ED25519_VERIFICATION_KEY_2020 = "Ed25519VerificationKey2020"
    X25519_KEY_AGREEMENT_KEY_2020 = "X25519KeyAgreementKey2020"
    # experimental: only with enable_experimental_public_key_types
    ED25519_VERIFICATION_KEY_2018 = "Ed25519VerificationKey2018"
    X25519_KEY_AGREEMENT_KEY_2019 = "X25519KeyAgreementKey2019"
    ECDSA_SECP256K1_VERIFICATION_KEY_2019 = "EcdsaSecp256k1VerificationKey2019"


_EXPERIMENTAL = frozenset(
    {
        PublicKeyFormat.ED25519_VERIFICATION_KEY_2018,
        PublicKeyFormat.X25519_KEY_AGREEMENT_KEY_2019,
        PublicKeyFormat.ECDSA_SECP256K1_VERIFICATION_KEY_2019,
    }
)

_CONTEXT: dict[PublicKeyFormat, str] = {
    PublicKeyFormat.MULTIKEY: "https://w3id.org/security/multikey/v1",
    PublicKeyFormat.JSON_WEB_KEY: "https://w3id.org/security/jwk/v1",
    PublicKeyFormat.JSON_WEB_KEY_2020: "https://w3id.org/security/suites/jws-2020/v1",
    PublicKeyFormat.ED25519_VERIFICATION_KEY_2020: "https://w3id.org/security/suites/ed25519-2020/v1",
    PublicKeyFormat.X25519_KEY_AGREEMENT_KEY_2020: "https://w3id.org/security/suites/x25519-2020/v1",
    PublicKeyFormat.ED25519_VERIFICATION_KEY_2018: "https://w3id.org/security/suites/ed25519-2018/v1",
    PublicKeyFormat.X25519_KEY_AGREEMENT_KEY_2019: "https://w3id.org/security/suites/x25519-2019/v1",
    PublicKeyFormat.ECDSA_SECP256K1_VERIFICATION_KEY_2019: "https://w3id.org/security/suites/secp256k1-2019/v1",
}
_DEFINED_BY_DID_V1_1 = frozenset({PublicKeyFormat.MULTIKEY, PublicKeyFormat.JSON_WEB_KEY})

# The type an X25519 key takes when the requested format is a signature-key type.
_X25519_FORM: dict[PublicKeyFormat, PublicKeyFormat] = {
    PublicKeyFormat.ED25519_VERIFICATION_KEY_2020: PublicKeyFormat.X25519_KEY_AGREEMENT_KEY_2020,
    PublicKeyFormat.ED25519_VERIFICATION_KEY_2018: PublicKeyFormat.X25519_KEY_AGREEMENT_KEY_2019,
}
_ONLY_FOR: dict[PublicKeyFormat, KeyType] = {
    PublicKeyFormat.ED25519_VERIFICATION_KEY_2020: KeyType.ED25519,
    PublicKeyFormat.ED25519_VERIFICATION_KEY_2018: KeyType.ED25519,
    PublicKeyFormat.X25519_KEY_AGREEMENT_KEY_2020: KeyType.X25519,
    PublicKeyFormat.X25519_KEY_AGREEMENT_KEY_2019: KeyType.X25519,
    PublicKeyFormat.ECDSA_SECP256K1_VERIFICATION_KEY_2019: KeyType.SECP256K1,
}
_SIGNING_RELATIONSHIPS = (
    "authentication",
    "assertionMethod",
    "capabilityInvocation",
    "capabilityDelegation",
)


@dataclass(frozen=True, slots=True)
class DidKeyOptions:
    """The resolution options of the did:key spec.

    ``public_key_format`` is a :class:`PublicKeyFormat` value; an unknown one raises
    :class:`UnsupportedPublicKeyTypeError`. Experimental formats also need
    ``enable_experimental_public_key_types`` (else :class:`InvalidPublicKeyTypeError` at
    resolution). ``did_context`` is the first ``@context`` entry.
    """

    public_key_format: PublicKeyFormat | str = PublicKeyFormat.MULTIKEY
    enable_experimental_public_key_types: bool = False
    enable_encryption_key_derivation: bool = True
    did_context: str = DID_V1

    def __post_init__(self) -> None:
        try:
            fmt = PublicKeyFormat(self.public_key_format)
        except ValueError:
            raise UnsupportedPublicKeyTypeError(
                f"unknown publicKeyFormat {self.public_key_format!r}"
            ) from None
        object.__setattr__(self, "public_key_format", fmt)


def did_key(public_key: PublicKey) -> Did:
    """The did:key DID of ``public_key``."""
    return Did("did:key:" + public_key.to_multikey())


def vm_id_of(public_key: PublicKey) -> str:
    """The did:key verification method id (DID URL) of ``public_key``."""
    mb = public_key.to_multikey()
    return f"did:key:{mb}#{mb}"


class DidKeyMethod:
    """Resolves did:key DIDs into DID documents, per ``options``."""

    method = "key"

    def __init__(self, options: DidKeyOptions | None = None) -> None:
        self._options = options or DidKeyOptions()

    def __repr__(self) -> str:
        return f"DidKeyMethod({self._options})"

    def resolve(self, did: str) -> DidDocument:
        return DidDocument(self.document(did))

    def document(self, did: str) -> JsonObject:
        """The DID document of ``did`` as JSON (raises the spec's coded errors)."""
        parsed = parse_did(did)
        if parsed.method != "key":
            raise MethodNotSupportedError(f"{parsed.method!r} is not the did:key method")
        parts = parsed.method_specific_id.split(":")
        if len(parts) == 2:
            version, mb_value = parts
            if not version.isdigit() or int(version) < 1:
                raise InvalidDidError(f"did:key version {version!r} is not a positive integer")
            if int(version) != 1:
                raise InvalidDidError(f"did:key version {version} is not supported (only 1)")
        elif len(parts) == 1:
            mb_value = parts[0]
        else:
            raise InvalidDidError("a did:key has the form did:key[:version]:<multibase>")
        if not mb_value.startswith("z"):
            raise InvalidDidError("a did:key multibase value must start with 'z' (base58btc)")
        key = _decode_key(mb_value)
        return self._build(Did(f"did:key:{mb_value}"), key, mb_value)

    def _build(self, did: Did, key: PublicKey, mb_value: str) -> JsonObject:
        opts = self._options
        fmt = PublicKeyFormat(opts.public_key_format)
        if fmt in _EXPERIMENTAL and not opts.enable_experimental_public_key_types:
            raise InvalidPublicKeyTypeError(
                f"{fmt} is experimental; enable experimental public key types to use it"
            )
        formats: list[PublicKeyFormat] = []
        vm_format = _X25519_FORM.get(fmt, fmt) if key.key_type is KeyType.X25519 else fmt
        main = _verification_method(did, key, mb_value, vm_format)
        formats.append(vm_format)
        doc: JsonObject = {"@context": [], "id": did, "verificationMethod": [main]}
        main_id = f"{did}#{mb_value}"
        if key.key_type is KeyType.X25519:
            doc["keyAgreement"] = [main_id]
        else:
            for rel in _SIGNING_RELATIONSHIPS:
                doc[rel] = [main_id]
            if key.key_type is KeyType.ED25519 and opts.enable_encryption_key_derivation:
                derived = key.to_x25519()
                derived_format = _X25519_FORM.get(fmt, fmt)
                doc["keyAgreement"] = [
                    _verification_method(did, derived, derived.to_multikey(), derived_format)
                ]
                formats.append(derived_format)
        contexts: list[str] = [opts.did_context]
        for f in formats:
            if opts.did_context == DID_V1_1 and f in _DEFINED_BY_DID_V1_1:
                continue
            if _CONTEXT[f] not in contexts:
                contexts.append(_CONTEXT[f])
        doc["@context"] = list(contexts)
        return doc


def _decode_key(mb_value: str) -> PublicKey:
    try:
        data = multibase_decode(mb_value, allowed="z")
    except ValueError as exc:
        raise InvalidDidError(f"a did:key multibase value must be base58btc: {exc}") from exc
    with as_did_key_errors():
        decoded = decode_multicodec_key(data)
        if decoded.private:
            raise InvalidPublicKeyError("a did:key must hold a public key, not a private one")
        return PublicKey.from_raw(decoded.key_type, decoded.raw)


def _verification_method(
    did: Did, key: PublicKey, mb_value: str, fmt: PublicKeyFormat
) -> JsonObject:
    required = _ONLY_FOR.get(fmt)
    if required is not None and key.key_type is not required:
        raise InvalidPublicKeyTypeError(f"{fmt} cannot express a {key.key_type} key")
    vm: JsonObject = {"id": f"{did}#{mb_value}", "type": fmt.value, "controller": did}
    if fmt in (PublicKeyFormat.JSON_WEB_KEY, PublicKeyFormat.JSON_WEB_KEY_2020):
        vm["publicKeyJwk"] = dict(key.to_jwk())
    elif fmt in (
        PublicKeyFormat.ED25519_VERIFICATION_KEY_2018,
        PublicKeyFormat.X25519_KEY_AGREEMENT_KEY_2019,
        PublicKeyFormat.ECDSA_SECP256K1_VERIFICATION_KEY_2019,
    ):
        vm["publicKeyBase58"] = base58.b58encode(key.raw).decode("ascii")
    else:
        vm["publicKeyMultibase"] = mb_value
    return vm
