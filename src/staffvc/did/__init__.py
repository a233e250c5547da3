"""DIDs: did:key, did:jwk and did:web, a caching resolver, and DID URL dereferencing."""

from staffvc.did.document import DidDocument, Relationship, VerificationMethod, public_key_of
from staffvc.did.jwk import DidJwkMethod, did_jwk
from staffvc.did.key import (
    DID_V1,
    DID_V1_1,
    DidKeyMethod,
    DidKeyOptions,
    PublicKeyFormat,
    did_key,
    vm_id_of,
)
from staffvc.did.resolver import DidMethod, DidResolver, Resolver
from staffvc.did.syntax import Did, DidUrl, parse_did, parse_did_url
from staffvc.did.web import DidWebMethod, did_web_url

__all__ = [
    "DID_V1",
    "DID_V1_1",
    "Did",
    "DidDocument",
    "DidJwkMethod",
    "DidKeyMethod",
    "DidKeyOptions",
    "DidMethod",
    "DidResolver",
    "DidUrl",
    "DidWebMethod",
    "PublicKeyFormat",
    "Relationship",
    "Resolver",
    "VerificationMethod",
    "did_jwk",
    "did_key",
    "did_web_url",
    "parse_did",
    "parse_did_url",
    "public_key_of",
    "vm_id_of",
]
