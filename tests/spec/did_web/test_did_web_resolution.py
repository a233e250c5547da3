"""did:web method specification: DID → URL mapping, fetching through an injected fetcher
with HTTPS, limits, and the document id check. Servers run on 127.0.0.1 in the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from staffvc.did import DidWebMethod, Relationship, Resolver, did_web_url
from staffvc.errors import DidError, InvalidDidError, LimitExceededError
from staffvc.fetch import FetchError, HttpsFetcher
from staffvc.keys import KeyPair, KeyType
from support import Route, local_server


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"),
        ("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"),
        ("did:web:example.com%3A3000", "https://example.com:3000/.well-known/did.json"),
        ("did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json"),
        ("did:web:Example.COM", "https://example.com/.well-known/did.json"),
    ],
)
def test_did_to_https_url(did: str, url: str) -> None:
    assert did_web_url(did) == url


@pytest.mark.parametrize(
    "did",
    [
        "did:web:127.0.0.1",
        "did:web:example.com%3A99999",
        "did:web:example.com%3Aabc",
        "did:web:-bad-.com",
        "did:web:example.com:%2E%2E",
        "did:web:example.com:a%2Fb",
        "did:web:example.com%2Fevil",
    ],
)
def test_invalid_did_web_identifiers(did: str) -> None:
    with pytest.raises(InvalidDidError):
        did_web_url(did)


def _document(did: str, key: KeyPair) -> dict[str, object]:
    vm_id = f"{did}#key-1"
    return {
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/suites/jws-2020/v1",
        ],
        "id": did,
        "verificationMethod": [
            {
                "id": vm_id,
                "type": "JsonWebKey2020",
                "controller": did,
                "publicKeyJwk": key.public_key.to_jwk(),
            }
        ],
        "assertionMethod": ["#key-1"],
    }


def test_resolves_over_https_with_a_test_ca(tmp_path: Path) -> None:
    key = KeyPair.generate(KeyType.SECP256K1)
    with local_server(tls_dir=tmp_path) as server:
        did = f"did:web:localhost%3A{server.port}:issuers:nhs"
        server.routes["/issuers/nhs/did.json"] = Route(
            body=json.dumps(_document(did, key)).encode()
        )
        resolver = Resolver.with_web(HttpsFetcher(ssl_context=server.ssl_context()))
        vm = resolver.dereference(f"{did}#key-1", relationship=Relationship.ASSERTION_METHOD)
        assert vm.public_key == key.public_key
        # cached: a second dereference does not fetch again
        resolver.dereference(f"{did}#key-1", relationship=Relationship.ASSERTION_METHOD)
        assert server.requests == ["/issuers/nhs/did.json"]
        with pytest.raises(DidError) as info:
            resolver.dereference(f"{did}#key-1", relationship=Relationship.AUTHENTICATION)
        assert info.value.code == "INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD"


def test_untrusted_certificate_is_refused(tmp_path: Path) -> None:
    with local_server(tls_dir=tmp_path) as server:
        did = f"did:web:localhost%3A{server.port}"
        resolver = Resolver.with_web(HttpsFetcher())  # system trust store: test CA unknown
        with pytest.raises(DidError) as info:
            resolver.resolve(did)
        assert info.value.code == "internalError"
        assert server.requests == []  # the handshake failed before any request


def _http_method(server_port: int, **kwargs: object) -> tuple[str, DidWebMethod]:
    fetcher = HttpsFetcher(allow_http_hosts=["localhost"])
    return f"did:web:localhost%3A{server_port}", DidWebMethod(fetcher, scheme="http", **kwargs)  # type: ignore[arg-type]


def test_document_id_must_equal_the_did() -> None:
    key = KeyPair.generate()
    with local_server() as server:
        did, method = _http_method(server.port)
        server.routes["/.well-known/did.json"] = Route(
            body=json.dumps(_document("did:web:attacker.example", key)).encode()
        )
        with pytest.raises(DidError) as info:
            method.resolve(did)
        assert info.value.code == "INVALID_CONTROLLED_IDENTIFIER_DOCUMENT_ID"


@pytest.mark.parametrize(
    ("route", "code"),
    [
        (Route(status=404, body=b"no"), "notFound"),
        (Route(status=500, body=b"oops"), "internalError"),
        (Route(status=302, headers={"Location": "https://elsewhere.example/"}), "internalError"),
        (Route(body=b"not json"), "INVALID_CONTROLLED_IDENTIFIER_DOCUMENT"),
        (Route(body=b"[]"), "INVALID_CONTROLLED_IDENTIFIER_DOCUMENT"),
        (Route(body=b'{"id": 5}'), "INVALID_CONTROLLED_IDENTIFIER_DOCUMENT"),
        (
            Route(body=b'{"id": "did:web:x", "id": "did:web:y"}'),
            "INVALID_CONTROLLED_IDENTIFIER_DOCUMENT",
        ),
        (Route(body=b"x", headers={"Content-Encoding": "gzip"}), "internalError"),
    ],
    ids=["404", "500", "redirect", "not-json", "not-object", "bad-id", "duplicate-member", "gzip"],
)
def test_bad_responses_have_coded_errors(route: Route, code: str) -> None:
    with local_server() as server:
        did, method = _http_method(server.port)
        server.routes["/.well-known/did.json"] = route
        with pytest.raises(DidError) as info:
            method.resolve(did)
        assert info.value.code == code


def test_oversized_documents_are_refused() -> None:
    with local_server() as server:
        did, method = _http_method(server.port)
        body = json.dumps({"id": did, "padding": "x" * 300_000}).encode()
        server.routes["/.well-known/did.json"] = Route(body=body)
        with pytest.raises(LimitExceededError):
            method.resolve(did)
        # a server that lies about Content-Length is cut off at the limit all the same
        server.routes["/.well-known/did.json"] = Route(body=body, headers={"Content-Length": "10"})
        with pytest.raises((LimitExceededError, DidError)):
            method.resolve(did)


def test_plain_http_is_refused_unless_allowed_for_loopback() -> None:
    with local_server() as server:
        url = f"http://localhost:{server.port}/.well-known/did.json"
        with pytest.raises(FetchError, match="HTTPS only"):
            HttpsFetcher().fetch(url, accept="*/*", max_bytes=100)
        assert server.requests == []
    with pytest.raises(ValueError, match="loopback"):
        HttpsFetcher(allow_http_hosts=["example.com"])
    with pytest.raises(FetchError, match="scheme"):
        HttpsFetcher().fetch("file:///etc/passwd", accept="*/*", max_bytes=100)


def test_default_resolver_has_no_network_method() -> None:
    assert "web" not in Resolver().methods
    with pytest.raises(DidError) as info:
        Resolver().resolve("did:web:example.nhs.uk")
    assert info.value.code == "methodNotSupported"
