"""Keys: generation, JWK and Multikey conversion, signing and verification.

The only package of staffvc that touches cryptographic primitives.
"""

from staffvc.keys.algorithms import (
    DEFAULT_ALGORITHM,
    SIGNING_ALGORITHMS,
    Algorithm,
    KeyType,
    check_algorithm,
)
from staffvc.keys.encoding import b64url_decode, b64url_encode, multibase_decode, multibase_encode
from staffvc.keys.jwk import jwk_thumbprint, parse_jwk
from staffvc.keys.keypair import KeyPair, PublicKey
from staffvc.keys.multikey import decode_multicodec_key, decode_multikey, encode_multikey
from staffvc.keys.signer import SignatureVerifier, Signer

__all__ = [
    "DEFAULT_ALGORITHM",
    "SIGNING_ALGORITHMS",
    "Algorithm",
    "KeyPair",
    "KeyType",
    "PublicKey",
    "SignatureVerifier",
    "Signer",
    "b64url_decode",
    "b64url_encode",
    "check_algorithm",
    "decode_multicodec_key",
    "decode_multikey",
    "encode_multikey",
    "jwk_thumbprint",
    "multibase_decode",
    "multibase_encode",
    "parse_jwk",
]
