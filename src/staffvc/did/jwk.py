"""did:jwk: a DID that is a base64url-encoded public JWK (did:jwk method specification).

The document has one verification method, ``#0``, of type ``JsonWebKey2020``. Its
relationships follow the JWK's ``use``: ``sig`` → the four signing relationships, ``enc`` →
keyAgreement only, absent → all five. A JWK holding private material (``d``) is refused.
"""

from __future__ import annotations

import json

from staffvc.did.document import DidDocument, as_did_key_errors
from staffvc.did.syntax import Did, parse_did
from staffvc.errors import (
    InvalidDidError,
    InvalidPublicKeyError,
    LimitExceededError,
    MethodNotSupportedError,
    StaffVCError,
)
from staffvc.keys import KeyType, PublicKey, b64url_decode, b64url_encode
from staffvc.safejson import JsonLimits, JsonObject, loads

__all__ = ["DidJwkMethod", "did_jwk"]

_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"]
_SIGNING = ("assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation")
_JWK_LIMITS = JsonLimits(max_bytes=4096, max_depth=4)


def did_jwk(public_key: PublicKey) -> Did:
    """The did:jwk DID of ``public_key`` (its minimal public JWK, members sorted)."""
    text = json.dumps(public_key.to_jwk(), separators=(",", ":"), sort_keys=True)
    return Did("did:jwk:" + b64url_encode(text.encode("utf-8")))


class DidJwkMethod:
    """Resolves did:jwk DIDs (pure computation, no network)."""

    method = "jwk"

    def __repr__(self) -> str:
        return "DidJwkMethod()"

    def resolve(self, did: str) -> DidDocument:
        return DidDocument(self.document(did))

    def document(self, did: str) -> JsonObject:
        parsed = parse_did(did)
        if parsed.method != "jwk":
            raise MethodNotSupportedError(f"{parsed.method!r} is not the did:jwk method")
        try:
            jwk = loads(
                b64url_decode(parsed.method_specific_id), limits=_JWK_LIMITS, what="did:jwk JWK"
            )
        except ValueError as exc:
            raise InvalidDidError(f"did:jwk value is not base64url: {exc}") from exc
        except LimitExceededError as exc:
            raise InvalidDidError(exc.message) from exc
        except StaffVCError as exc:
            raise InvalidDidError(f"did:jwk value is not a JSON object: {exc.message}") from exc
        if not isinstance(jwk, dict):
            raise InvalidDidError("did:jwk value must encode a JSON object")
        if "d" in jwk:
            raise InvalidPublicKeyError("did:jwk must not contain private key material ('d')")
        with as_did_key_errors():
            key = PublicKey.from_jwk(jwk)
        use = jwk.get("use")
        if use not in (None, "sig", "enc"):
            raise InvalidPublicKeyError(f"did:jwk JWK has unknown 'use' {use!r}")
        if key.key_type is KeyType.X25519 and use == "sig":
            raise InvalidPublicKeyError("an X25519 key cannot have use 'sig'")
        vm_id = f"{did}#0"
        doc: JsonObject = {
            "@context": list(_CONTEXT),
            "id": did,
            "verificationMethod": [
                {"id": vm_id, "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": jwk}
            ],
        }
        if use != "enc" and key.key_type is not KeyType.X25519:
            for rel in _SIGNING:
                doc[rel] = [vm_id]
        if use != "sig":
            doc["keyAgreement"] = [vm_id]
        return doc
