"""StatusListSource implementations: the offline InMemoryStatusListSource and the cached
HttpStatusListSource, over real HTTPS (a throw-away CA) on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from spec.bitstring_status_list.statuskit import (
    NOW,
    TRUST,
    bits_with,
    credential,
    list_credential,
    real_verifier,
    run_check,
    sign,
)
from staffvc.clock import FixedClock
from staffvc.errors import StatusRetrievalError
from staffvc.fetch import HttpsFetcher
from staffvc.results import Code, Verdict
from staffvc.status import (
    HttpStatusListSource,
    InMemoryStatusListSource,
    StatusChecker,
    StatusListSource,
    TokenStatusList,
    build_status_entry,
    build_status_list_token_payload,
    sign_status_list_token,
)
from support import LocalServer, Route, local_server

# --- in memory ------------------------------------------------------------------------------


def test_in_memory_source_serves_copies() -> None:
    document = list_credential()
    source = InMemoryStatusListSource({"https://a.example/1": document})
    assert isinstance(source, StatusListSource)
    first = source.get("https://a.example/1", now=NOW)
    assert first == document
    first["issuer"] = "did:example:mallory"
    document["issuer"] = "did:example:mallory"
    assert source.get("https://a.example/1", now=NOW)["issuer"] == TRUST.did
    source.put("https://a.example/2", "a.b.c")
    assert source.get("https://a.example/2", now=NOW) == "a.b.c"
    source.remove("https://a.example/1")
    with pytest.raises(StatusRetrievalError) as caught:
        source.get("https://a.example/1", now=NOW)
    assert caught.value.code == "STATUS_RETRIEVAL_ERROR"
    with pytest.raises(TypeError):
        source.publish("https://a.example/3", 42)  # type: ignore[arg-type]
    assert "1 lists" in repr(source)


# --- over HTTPS -----------------------------------------------------------------------------


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LocalServer]:
    with local_server(tls_dir=tmp_path) as running:
        yield running


def _serve(server: LocalServer, path: str, document: Any, **headers: str) -> str:
    body = document.encode() if isinstance(document, str) else json.dumps(document).encode()
    server.routes[path] = Route(body=body, headers={"Content-Type": "application/vc", **headers})
    return f"https://localhost:{server.port}{path}"


def _source(server: LocalServer, clock: FixedClock, **kw: Any) -> HttpStatusListSource:
    return HttpStatusListSource(HttpsFetcher(ssl_context=server.ssl_context()), clock=clock, **kw)


def test_a_list_is_fetched_once_and_served_from_cache(server: LocalServer) -> None:
    url = _serve(server, "/lists/1", list_credential(ttl_ms=60_000))
    clock = FixedClock(NOW)
    source = _source(server, clock)
    assert source.get(url, now=NOW)["issuer"] == TRUST.did
    clock.advance(timedelta(seconds=59))
    assert source.get(url, now=clock.now())["issuer"] == TRUST.did
    assert server.requests == ["/lists/1"]


def test_the_lists_ttl_in_milliseconds_is_respected(server: LocalServer) -> None:
    url = _serve(server, "/lists/1", list_credential(ttl_ms=60_000))
    clock = FixedClock(NOW)
    source = _source(server, clock, default_ttl=timedelta(hours=1))
    source.get(url, now=NOW)
    clock.advance(timedelta(seconds=60))
    source.get(url, now=clock.now())
    assert len(server.requests) == 2


def test_without_a_ttl_the_default_applies_and_zero_means_no_cache(server: LocalServer) -> None:
    plain = _serve(server, "/lists/1", list_credential())
    zero = _serve(server, "/lists/2", list_credential(ttl_ms=0))
    clock = FixedClock(NOW)
    source = _source(server, clock, default_ttl=timedelta(minutes=2))
    for _ in range(3):
        source.get(plain, now=NOW)
        source.get(zero, now=NOW)
    assert server.requests == ["/lists/1", "/lists/2", "/lists/2", "/lists/2"]
    clock.advance(timedelta(minutes=2))
    source.get(plain, now=clock.now())
    assert server.requests.count("/lists/1") == 2


def test_a_huge_ttl_is_capped(server: LocalServer) -> None:
    url = _serve(server, "/lists/1", list_credential(ttl_ms=10**15, valid_until=None))
    clock = FixedClock(NOW)
    source = _source(server, clock, max_ttl=timedelta(hours=1))
    source.get(url, now=NOW)
    clock.advance(timedelta(hours=1))
    source.get(url, now=clock.now())
    assert len(server.requests) == 2


def test_a_cached_list_is_never_served_past_its_valid_until(server: LocalServer) -> None:
    url = _serve(
        server,
        "/lists/1",
        list_credential(ttl_ms=3_600_000, valid_until=NOW + timedelta(seconds=30)),
    )
    clock = FixedClock(NOW)
    source = _source(server, clock)
    source.get(url, now=NOW)
    source.get(url, now=NOW + timedelta(seconds=30))
    assert len(server.requests) == 1
    source.get(url, now=NOW + timedelta(seconds=31))  # expired: fetched again, not cached
    source.get(url, now=NOW + timedelta(seconds=32))
    assert len(server.requests) == 3


def test_status_list_tokens_are_cached_by_their_ttl_in_seconds(server: LocalServer) -> None:
    payload = build_status_list_token_payload(
        uri="https://status.example/1",
        status_list=TokenStatusList(16),
        issued_at=NOW,
        expires_at=NOW + timedelta(hours=1),
        ttl_s=30,
    )
    text = sign_status_list_token(payload, signer=TRUST.key)
    url = _serve(server, "/tokens/1", text + "\n")
    clock = FixedClock(NOW)
    source = _source(server, clock, default_ttl=timedelta(hours=1))
    assert source.get(url, now=NOW) == text
    clock.advance(timedelta(seconds=29))
    source.get(url, now=clock.now())
    assert len(server.requests) == 1
    clock.advance(timedelta(seconds=1))
    source.get(url, now=clock.now())
    assert len(server.requests) == 2
    source.get(url, now=NOW + timedelta(hours=2))  # past exp: never from cache
    assert len(server.requests) == 3


def test_the_cache_keeps_at_most_max_cached_lists(server: LocalServer) -> None:
    urls = [_serve(server, f"/lists/{i}", list_credential()) for i in range(3)]
    source = _source(server, FixedClock(NOW), max_cached=2)
    for url in [*urls, urls[0]]:
        source.get(url, now=NOW)
    assert server.requests == ["/lists/0", "/lists/1", "/lists/2", "/lists/0"]
    source.clear()
    source.get(urls[2], now=NOW)
    assert server.requests[-1] == "/lists/2"


@pytest.mark.parametrize(
    ("route", "why"),
    [
        (Route(status=404, body=b"missing"), "not found"),
        (Route(status=500, body=b"oops"), "server error"),
        (Route(status=302, body=b"", headers={"Location": "https://evil.example/"}), "redirect"),
        (Route(body=b"{not json"), "bad JSON"),
        (Route(body=b"[1, 2]"), "JSON but not an object"),
        (Route(body=b'{"a": 1, "a": 2}'), "duplicate members"),
        (Route(body=b"\xff\xfe garbage"), "neither JSON nor JWT"),
        (Route(body=b"just-a-string"), "not a JWT"),
        (Route(body=b"{" + b" " * 5000 + b"}"), "over the size cap"),
    ],
)
def test_retrieval_failures_are_status_retrieval_errors(
    server: LocalServer, route: Route, why: str
) -> None:
    server.routes["/lists/1"] = route
    source = _source(server, FixedClock(NOW), max_bytes=4096)
    with pytest.raises(StatusRetrievalError) as caught:
        source.get(f"https://localhost:{server.port}/lists/1", now=NOW)
    assert caught.value.code == "STATUS_RETRIEVAL_ERROR", why


def test_an_untrusted_certificate_is_a_retrieval_error(server: LocalServer) -> None:
    url = _serve(server, "/lists/1", list_credential())
    source = HttpStatusListSource(HttpsFetcher(), clock=FixedClock(NOW))
    with pytest.raises(StatusRetrievalError):
        source.get(url, now=NOW)


def test_bad_configuration_is_refused(server: LocalServer) -> None:
    fetcher = HttpsFetcher(ssl_context=server.ssl_context())
    with pytest.raises(ValueError):
        HttpStatusListSource(fetcher, clock=FixedClock(NOW), max_bytes=0)
    with pytest.raises(ValueError):
        HttpStatusListSource(fetcher, clock=FixedClock(NOW), default_ttl=timedelta(seconds=-1))
    assert "HttpStatusListSource" in repr(HttpStatusListSource(fetcher, clock=FixedClock(NOW)))


def test_the_checker_over_https_end_to_end(server: LocalServer) -> None:
    path = "/lists/1"
    url = f"https://localhost:{server.port}{path}"
    signed = sign(list_credential(bitstring=bits_with(7), url=url, ttl_ms=300_000))
    _serve(server, path, signed)
    checker = StatusChecker(
        _source(server, FixedClock(NOW)), verify_list_credential=real_verifier()
    )
    revoked = credential(build_status_entry(list_url=url, index=7, status_purpose="revocation"))
    clear = credential(build_status_entry(list_url=url, index=8, status_purpose="revocation"))
    status, result = run_check(checker, revoked)
    assert (status.revoked, result.codes()) == (True, [Code.CREDENTIAL_REVOKED])
    status, result = run_check(checker, clear)
    assert (status.revoked, result.verdict) == (False, Verdict.VALID)
    assert server.requests == [path]
    server.routes[path] = Route(status=503, body=b"down")
    checker = StatusChecker(
        _source(server, FixedClock(NOW)), verify_list_credential=real_verifier()
    )
    status, result = run_check(checker, clear)
    assert (status.checked, result.verdict) == (False, Verdict.INDETERMINATE)
    assert result.codes() == [Code.STATUS_RETRIEVAL_ERROR]
