"""RFC 7515 §5.2 (message validation) and §7.1 (compact serialization), RFC 7797 and RFC 8725
(JWT best practices) as staffvc applies them: strict parts and base64url, limits, an
allow-list of algorithms pinned from the key, refused headers. Every refusal is coded."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from staffvc.keys import KeyPair, KeyType, b64url_decode, b64url_encode
from staffvc.proofs.jose import (
    JoseAlgorithmError,
    JoseError,
    JoseHeaderError,
    JoseLimitError,
    JoseLimits,
    JoseMalformedError,
    JoseSignatureError,
    JoseSigningError,
    decode_compact,
    sign_compact,
    verify_compact,
)

KEY = KeyPair.generate(KeyType.ED25519)


def _b64json(value: Any) -> str:
    return b64url_encode(json.dumps(value, separators=(",", ":")).encode())


def _token(header: Any, payload: bytes = b'{"a":1}', signature: bytes = b"\x00" * 64) -> str:
    head = header if isinstance(header, str) else _b64json(header)
    return f"{head}.{b64url_encode(payload)}.{b64url_encode(signature)}"


def _signed(header: dict[str, Any], payload: bytes = b'{"a":1}', key: KeyPair = KEY) -> str:
    head = _b64json(header)
    body = b64url_encode(payload)
    return f"{head}.{body}.{b64url_encode(key.sign(f'{head}.{body}'.encode()))}"


def _code(token: str | bytes, **kw: Any) -> str:
    with pytest.raises(JoseError) as caught:
        decode_compact(token, **kw)
    return caught.value.code


# --- round trip ------------------------------------------------------------------------------


@pytest.mark.parametrize("key_type", list(KeyType)[:4])
def test_sign_then_decode_and_verify(key_type: KeyType) -> None:
    key = KeyPair.generate(key_type).with_key_id("did:example:1#k")
    token = sign_compact({"typ": "JWT"}, b"hello", signer=key)
    decoded = decode_compact(token)
    assert decoded.header == {"alg": key.algorithm.value, "typ": "JWT", "kid": "did:example:1#k"}
    assert decoded.payload == b"hello"
    verify_compact(decoded, key.public_key)


def test_sign_keeps_an_explicit_kid_and_refuses_a_disagreeing_alg() -> None:
    key = KEY.with_key_id("did:example:1#k")
    assert decode_compact(sign_compact({"kid": "other"}, b"x", signer=key)).kid == "other"
    with pytest.raises(JoseAlgorithmError):
        sign_compact({"alg": "ES256"}, b"x", signer=key)
    assert decode_compact(sign_compact({"alg": "EdDSA"}, b"x", signer=KEY)).kid is None


@pytest.mark.parametrize(
    "header",
    [{"jku": "https://example.com/jwks"}, {"x5u": "https://e"}, {"x5c": ["AA"]}, {"b64": False}],
)
def test_sign_refuses_headers_it_would_refuse_to_verify(header: dict[str, Any]) -> None:
    with pytest.raises(JoseHeaderError):
        sign_compact(header, b"x", signer=KEY)


def test_sign_refuses_a_header_that_is_not_json() -> None:
    with pytest.raises(JoseSigningError) as caught:
        sign_compact({"n": float("nan")}, b"x", signer=KEY)
    assert caught.value.code == "PROOF_GENERATION_ERROR"


def test_a_failing_signer_is_a_coded_error() -> None:
    class Broken:
        algorithm = KEY.algorithm
        key_id = None

        def sign(self, data: bytes) -> bytes:
            raise RuntimeError("hsm offline")

    with pytest.raises(JoseSigningError):
        sign_compact({}, b"x", signer=Broken())


# --- structure and base64url (§7.1) -----------------------------------------------------------


@pytest.mark.parametrize("token", ["", "abc", "a.b", "a.b.c.d", "...."])
def test_not_three_parts(token: str) -> None:
    assert _code(token) == "PARSING_ERROR"


def _mutate_part(token: str, index: int, new: str) -> str:
    parts = token.split(".")
    parts[index] = new
    return ".".join(parts)


@pytest.mark.parametrize("index", [0, 1, 2])
@pytest.mark.parametrize(
    "change",
    [
        lambda p: p + "=",  # padding
        lambda p: p + "==",
        lambda p: p.replace("-", "+").replace("_", "/") + "+/",  # standard alphabet
        lambda p: p[:-1] + "é",  # non-ASCII
        lambda p: p + " ",  # whitespace
        lambda p: p + "A" * ((1 - len(p)) % 4),  # length 4n+1 is never base64url
    ],
)
def test_malformed_base64url_in_any_part(index: int, change: Any) -> None:
    token = _signed({"alg": "EdDSA"})
    part = token.split(".")[index]
    assert _code(_mutate_part(token, index, change(part))) == "PARSING_ERROR"


def test_stray_trailing_bits_are_not_canonical() -> None:
    token = _signed({"alg": "EdDSA"}, payload=b"ab")  # "YWI": the last char carries 2 spare bits
    body = token.split(".")[1]
    assert body == "YWI"
    assert _code(_mutate_part(token, 1, "YWJ")) == "PARSING_ERROR"


def test_bytes_tokens_are_accepted_and_non_ascii_bytes_refused() -> None:
    token = _signed({"alg": "EdDSA"})
    assert decode_compact(token.encode()).payload == b'{"a":1}'
    assert _code(token.encode() + b"\xff") == "PARSING_ERROR"
    with pytest.raises(JoseMalformedError):
        decode_compact(12345)  # type: ignore[arg-type]


def test_the_fast_base64url_agrees_with_the_keys_one() -> None:
    # Every 2- and 3-character string over a few interesting characters.
    alphabet = "AB_-+/=é Q"
    for a in alphabet:
        for b in alphabet:
            for c in ("", *alphabet):
                text = a + b + c
                try:
                    expected: bytes | None = b64url_decode(text)
                except ValueError:
                    expected = None
                token = _mutate_part(_signed({"alg": "EdDSA"}), 1, text)
                try:
                    got: bytes | None = decode_compact(token).payload
                except JoseMalformedError:
                    got = None
                assert got == expected, text


# --- header (§4.1, RFC 8725 §3.1) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ({"alg": "none"}, "UNSUPPORTED_ALGORITHM"),
        ({"alg": "None"}, "UNSUPPORTED_ALGORITHM"),
        ({"alg": "HS256"}, "UNSUPPORTED_ALGORITHM"),
        ({"alg": "RS256"}, "UNSUPPORTED_ALGORITHM"),
        ({"alg": "PS256"}, "UNSUPPORTED_ALGORITHM"),
        ({"alg": "ES512"}, "UNSUPPORTED_ALGORITHM"),
        ({"alg": 1}, "PARSING_ERROR"),
        ({}, "PARSING_ERROR"),
        ({"alg": "EdDSA", "jku": "https://evil.example/jwks"}, "UNSUPPORTED_HEADER"),
        ({"alg": "EdDSA", "x5u": "https://evil.example/cert"}, "UNSUPPORTED_HEADER"),
        ({"alg": "EdDSA", "x5c": ["MIIB"]}, "UNSUPPORTED_HEADER"),
        ({"alg": "EdDSA", "b64": False, "crit": ["b64"]}, "UNSUPPORTED_HEADER"),
        ({"alg": "EdDSA", "b64": "no"}, "PARSING_ERROR"),
        ({"alg": "EdDSA", "crit": ["exp"], "exp": 1}, "UNSUPPORTED_HEADER"),
        ({"alg": "EdDSA", "crit": []}, "PARSING_ERROR"),
        ({"alg": "EdDSA", "crit": "exp", "exp": 1}, "PARSING_ERROR"),
        ({"alg": "EdDSA", "crit": ["exp"]}, "PARSING_ERROR"),  # names an absent header
        ({"alg": "EdDSA", "crit": ["exp", "exp"], "exp": 1}, "PARSING_ERROR"),
        ({"alg": "EdDSA", "crit": ["alg"]}, "PARSING_ERROR"),  # a registered name
        ({"alg": "EdDSA", "crit": [1]}, "PARSING_ERROR"),
    ],
)
def test_refused_headers(header: dict[str, Any], code: str) -> None:
    assert _code(_token(header)) == code


def test_crit_understood_by_the_caller_is_accepted() -> None:
    token = _token({"alg": "EdDSA", "crit": ["exp"], "exp": 1})
    assert decode_compact(token, understood_crit={"exp"}).header["exp"] == 1


@pytest.mark.parametrize(
    "header_json",
    [
        b'{"alg":"EdDSA","alg":"none"}',  # duplicate member (RFC 7515 §5.2 step 4)
        b'["alg","EdDSA"]',
        b'"EdDSA"',
        b"{alg:EdDSA}",
        b'{"alg":"EdDSA","n":NaN}',
        b'{"alg":"EdDSA"}\xff',
        b"",
    ],
)
def test_header_must_be_a_strict_json_object(header_json: bytes) -> None:
    assert _code(_token(b64url_encode(header_json))) == "PARSING_ERROR"


def test_header_json_may_not_be_utf16() -> None:
    head = b64url_encode('{"alg":"EdDSA"}'.encode("utf-16"))
    assert _code(_token(head)) == "PARSING_ERROR"


# --- limits -----------------------------------------------------------------------------------


def test_oversized_tokens_headers_and_deep_json() -> None:
    limits = JoseLimits(max_token_bytes=1000, max_header_bytes=100, max_json_depth=4)
    assert _code("a" * 1001, limits=limits) == "LIMIT_EXCEEDED"
    assert _code(("a" * 1001).encode(), limits=limits) == "LIMIT_EXCEEDED"
    big_header = _token({"alg": "EdDSA", "pad": "x" * 200})
    assert _code(big_header, limits=limits) == "LIMIT_EXCEEDED"
    deep_header = _token({"alg": "EdDSA", "d": [[[[[1]]]]]})
    assert _code(deep_header, limits=limits) == "LIMIT_EXCEEDED"
    deep_payload = decode_compact(_token({"alg": "EdDSA"}, b'{"a":[[[[[1]]]]]}'), limits=limits)
    with pytest.raises(JoseLimitError):
        deep_payload.json_payload(limits=limits)
    # many brackets that do not nest: over the fast-path count, still within the depth limit
    wide = b'{"a":[' + b",".join([b"[1]"] * 50) + b"]}"
    assert decode_compact(_token({"alg": "EdDSA"}, wide)).json_payload(limits=limits)["a"]


def test_the_default_limits_refuse_a_huge_token() -> None:
    assert _code("a." * 200_000) == "LIMIT_EXCEEDED"


# --- payload ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[1,2]",
        b'"text"',
        b"1",
        b'{"a":1,"a":2}',
        b"\xff\xfe",
        b"{}{}",
        b"",
        b"\xef\xbb\xbf{}",  # a UTF-8 byte order mark
        b'{"n":' + b"9" * 5000 + b"}",  # over Python's int-digits cap: a ValueError inside
        b'{"a":[' + b"[1]," * 40 + b"1]," + b'"n":' + b"9" * 5000 + b"}",  # the same, slow path
    ],
)
def test_json_payload_must_be_one_strict_object(payload: bytes) -> None:
    with pytest.raises(JoseMalformedError) as caught:
        decode_compact(_signed({"alg": "EdDSA"}, payload)).json_payload()
    assert caught.value.code == "PARSING_ERROR"


# --- verification: algorithm pinned from the key (RFC 8725 §3.1) ------------------------------


@pytest.mark.parametrize(
    ("alg", "key_type"),
    [
        ("ES256", KeyType.ED25519),
        ("EdDSA", KeyType.P256),
        ("ES384", KeyType.P256),
        ("ES256", KeyType.P384),
        ("ES256", KeyType.SECP256K1),
        ("ES256K", KeyType.P256),
    ],
)
def test_alg_must_be_allowed_for_the_key(alg: str, key_type: KeyType) -> None:
    key = KeyPair.generate(key_type)
    decoded = decode_compact(_token({"alg": alg}))
    with pytest.raises(JoseAlgorithmError) as caught:
        verify_compact(decoded, key.public_key)
    assert caught.value.code == "UNSUPPORTED_ALGORITHM"


def test_ed25519_fully_specified_name_is_accepted() -> None:
    key = KEY.with_algorithm("Ed25519")
    token = sign_compact({}, b"x", signer=key)
    verify_compact(decode_compact(token), KEY.public_key)


def test_hs256_with_the_public_key_as_secret_is_refused() -> None:
    import hashlib
    import hmac

    secret = KEY.public_key.raw
    head, body = _b64json({"alg": "HS256"}), b64url_encode(b'{"a":1}')
    mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    assert _code(f"{head}.{body}.{b64url_encode(mac)}") == "UNSUPPORTED_ALGORITHM"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda s: b"",  # stripped
        lambda s: s[:-1],  # truncated
        lambda s: s[:10],
        lambda s: bytes([s[0] ^ 1]) + s[1:],  # one bit flipped
        lambda s: s + b"\x00",
    ],
)
def test_bad_signatures(tamper: Any) -> None:
    for key_type in (KeyType.ED25519, KeyType.P256):
        key = KeyPair.generate(key_type)
        token = sign_compact({}, b"payload", signer=key)
        head, body, sig = token.split(".")
        forged = f"{head}.{body}.{b64url_encode(tamper(b64url_decode(sig)))}"
        with pytest.raises(JoseSignatureError) as caught:
            verify_compact(decode_compact(forged), key.public_key)
        assert caught.value.code == "CRYPTOGRAPHIC_SECURITY_ERROR"


def test_another_keys_signature_does_not_verify() -> None:
    token = sign_compact({}, b"payload", signer=KeyPair.generate())
    with pytest.raises(JoseSignatureError):
        verify_compact(decode_compact(token), KEY.public_key)


def test_embedded_jwk_must_be_the_verifying_key() -> None:
    same = sign_compact({"jwk": KEY.public_key.to_jwk()}, b"x", signer=KEY)
    verify_compact(decode_compact(same), KEY.public_key)
    attacker = KeyPair.generate()
    other = sign_compact({"jwk": attacker.public_key.to_jwk()}, b"x", signer=attacker)
    with pytest.raises(JoseHeaderError) as caught:
        verify_compact(decode_compact(other), KEY.public_key)
    assert caught.value.code == "UNSUPPORTED_HEADER"
    for bad in ({"kty": "OKP"}, "jwk"):
        token = sign_compact({"jwk": bad}, b"x", signer=KEY)
        with pytest.raises(JoseError):
            verify_compact(decode_compact(token), KEY.public_key)


def test_the_signing_input_is_the_received_text() -> None:
    # A header with insignificant whitespace still verifies: nothing is re-serialized.
    head = b64url_encode(b'{ "alg" : "EdDSA" }')
    body = b64url_encode(b"x")
    sig = b64url_encode(KEY.sign(f"{head}.{body}".encode()))
    verify_compact(decode_compact(f"{head}.{body}.{sig}"), KEY.public_key)


def test_base64_std_signature_is_refused_even_if_it_decodes() -> None:
    token = _token({"alg": "EdDSA"}, signature=b"\xfb\xff" * 32)
    head, body, sig = token.split(".")
    std = base64.b64encode(b64url_decode(sig)).decode()
    assert "+" in std
    assert "/" in std
    assert decode_compact(token).signature == b"\xfb\xff" * 32
    assert _code(f"{head}.{body}.{std}") == "PARSING_ERROR"
