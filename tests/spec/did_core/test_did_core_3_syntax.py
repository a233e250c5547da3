"""DID Core 1.0 §3.1 (DID syntax) and §3.2 (DID URL syntax)."""

from __future__ import annotations

import pytest

from staffvc.did import parse_did, parse_did_url
from staffvc.errors import InvalidDidError, InvalidDidUrlError


@pytest.mark.parametrize(
    "did",
    [
        "did:example:123",
        "did:web:example.nhs.uk",
        "did:web:example.nhs.uk%3A8443:trusts:rx1",
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        "did:example:a:b:c",
    ],
)
def test_3_1_valid_dids(did: str) -> None:
    assert parse_did(did).did == did


@pytest.mark.parametrize(
    "did",
    [
        "",
        "did:",
        "did:example",
        "did:example:",
        "did:Example:123",  # method names are lower case
        "DID:example:123",
        "did:example:12 3",
        "did:example:123:",  # the last segment must not be empty
        "did:example:%zz",
        "did:example:123#frag",  # a DID URL, not a DID
        "did:example:" + "a" * 9000,
    ],
)
def test_3_1_invalid_dids(did: str) -> None:
    with pytest.raises(InvalidDidError):
        parse_did(did)


def test_3_2_did_url_parts() -> None:
    url = parse_did_url("did:example:123/path/to?service=files&x=1#key-1")
    assert url.did == "did:example:123"
    assert url.method == "example"
    assert url.path == "/path/to"
    assert url.query == "service=files&x=1"
    assert url.fragment == "key-1"
    assert str(url) == "did:example:123/path/to?service=files&x=1#key-1"


@pytest.mark.parametrize(
    "url",
    [
        "did:example:123#frag ment",
        "did:example:123/^bar^",
        "did:example:123?query=`",
        "did:example:123#a#b",
        "notadid#frag",
    ],
)
def test_3_2_invalid_did_urls(url: str) -> None:
    with pytest.raises(InvalidDidUrlError):
        parse_did_url(url)
