"""Bitstring Status List v1.0 §2.2 BitstringStatusListCredential (BSL-07): building the
unsigned list credential, reading one from outside, and signing it with Data Integrity
(the message-list terms must survive JSON-LD safe mode)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from spec.bitstring_status_list.statuskit import (
    LIST_URL,
    NOW,
    TRUST,
    bits_with,
    list_credential,
    real_verifier,
    sign,
)
from staffvc.errors import MalformedStatusError, UnsupportedStatusTypeError
from staffvc.results import Verdict
from staffvc.status import (
    BSL_LIST_TYPE,
    Bitstring,
    build_status_list_credential,
    read_status_list,
)
from support import load_vector

VECTORS = load_vector("bitstring-status-list/bitstring-status-list-vectors.json")
MESSAGES = [
    {"status": "0x0", "message": "valid"},
    {"status": "0x1", "message": "under_review"},
    {"status": "0x2", "message": "restricted"},
    {"status": "0x3", "message": "undefined"},
]


def test_the_spec_example_list_credential_reads() -> None:
    example = next(
        e["json"]
        for e in VECTORS["specExamples"]
        if e["title"] == "Example BitstringStatusListCredential"
    )
    view = read_status_list(example)
    assert view.list_type == BSL_LIST_TYPE
    assert view.issuer == "did:example:12345"
    assert view.purposes == ("revocation",)
    assert view.valid_from == datetime(2021, 4, 5, 14, 27, 40, tzinfo=UTC)
    assert view.valid_until is None
    assert not view.legacy


def test_built_list_credential_has_the_data_model_shape() -> None:
    document = list_credential(ttl_ms=300_000)
    assert document["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert document["id"] == LIST_URL
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["issuer"] == TRUST.did
    assert document["validFrom"] == "2026-02-28T12:00:00Z"
    assert document["validUntil"] == "2026-03-02T12:00:00Z"
    subject = document["credentialSubject"]
    assert subject["id"] == f"{LIST_URL}#list"
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    assert subject["ttl"] == 300_000
    assert Bitstring.decode(subject["encodedList"]) == bits_with()
    view = read_status_list(document)
    assert view.ttl_ms == 300_000
    assert view.issuer == TRUST.did


def test_several_purposes_in_one_list() -> None:
    document = list_credential(purpose=["revocation", "suspension"])
    assert document["credentialSubject"]["statusPurpose"] == ["revocation", "suspension"]
    assert read_status_list(document).purposes == ("revocation", "suspension")


def test_a_message_list_states_its_size_and_messages() -> None:
    document = list_credential(
        bitstring=Bitstring(131_072, status_size=2), purpose="message", status_messages=MESSAGES
    )
    subject = document["credentialSubject"]
    assert subject["statusSize"] == 2
    assert subject["statusMessages"] == MESSAGES
    view = read_status_list(document)
    assert view.status_size == 2
    assert [m.message for m in view.messages] == [m["message"] for m in MESSAGES]


def test_signed_lists_verify_including_message_lists() -> None:
    """The message terms are defined in an added context, so RDFC signing in safe mode
    (which refuses terms JSON-LD would drop) accepts the list and the Verifier verifies it."""
    verify = real_verifier()
    plain = sign(list_credential(bitstring=bits_with(5)))
    message = sign(
        list_credential(
            bitstring=Bitstring(131_072, status_size=2), purpose="message", status_messages=MESSAGES
        )
    )
    for document in (plain, message):
        result = verify(document)
        assert result.verdict is Verdict.VALID, result.explain()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"bitstring": Bitstring(131_071)},
        {"status_purpose": []},
        {"status_purpose": ""},
        {"ttl_ms": -1},
        {"valid_from": NOW, "valid_until": NOW - timedelta(seconds=1)},
        {"version": "3.0"},
        {"status_purpose": "message"},
        {"bitstring": Bitstring(131_072, status_size=2)},
        {"bitstring": Bitstring(131_072, status_size=2), "status_messages": MESSAGES[:2]},
        {"version": "1.1", "valid_from": None},
        {"version": "1.1", "bitstring": Bitstring(131_072, status_size=2)},
        {"version": "1.1", "status_purpose": ["revocation", "suspension"]},
    ],
)
def test_build_refuses_lists_that_would_not_conform(kwargs: dict[str, Any]) -> None:
    arguments: dict[str, Any] = {
        "list_url": LIST_URL,
        "issuer": TRUST.did,
        "status_purpose": "revocation",
        "bitstring": bits_with(),
        "valid_from": NOW,
        "valid_until": None,
    }
    arguments.update(kwargs)
    with pytest.raises(ValueError):
        build_status_list_credential(**arguments)


def test_an_ecosystem_minimum_allows_shorter_lists() -> None:
    document = build_status_list_credential(
        list_url=LIST_URL,
        issuer={"id": TRUST.did, "name": "NHS Trust"},
        status_purpose="revocation",
        bitstring=Bitstring(1024),
        valid_from=None,
        valid_until=None,
        min_length=1024,
    )
    assert "validFrom" not in document
    assert read_status_list(document).issuer == TRUST.did


# --- reading from outside -------------------------------------------------------------------


def _mutate(path: str, value: Any) -> dict[str, Any]:
    document = copy.deepcopy(list_credential())
    target = document
    *parents, last = path.split("/")
    for part in parents:
        target = target[part]
    if value is None:
        del target[last]
    else:
        target[last] = value
    return document


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("issuer", None),
        ("issuer", 42),
        ("issuer", {"name": "no id"}),
        ("credentialSubject", None),
        ("credentialSubject", [{"a": 1}, {"b": 2}]),
        ("credentialSubject/type", "StatusList2021"),
        ("credentialSubject/statusPurpose", None),
        ("credentialSubject/statusPurpose", [1]),
        ("credentialSubject/statusPurpose", []),
        ("credentialSubject/encodedList", None),
        ("credentialSubject/encodedList", ""),
        ("credentialSubject/ttl", -5),
        ("credentialSubject/ttl", "300"),
        ("credentialSubject/statusSize", 0),
        ("credentialSubject/statusSize", 10**9),
        ("credentialSubject/statusPurpose", "message"),
        ("credentialSubject/statusMessages", [{"status": "0x0", "message": "only one"}]),
        ("validFrom", "yesterday"),
        ("validUntil", 1735689600),
        ("validUntil", "2020-01-01T00:00:00Z"),
    ],
)
def test_malformed_list_credentials_are_malformed_value_errors(path: str, value: Any) -> None:
    with pytest.raises(MalformedStatusError) as caught:
        read_status_list(_mutate(path, value))
    assert caught.value.code == "MALFORMED_VALUE_ERROR"


@pytest.mark.parametrize("types", [["VerifiableCredential"], "VerifiableCredential", None])
def test_a_credential_that_is_not_a_status_list_is_unsupported(types: Any) -> None:
    with pytest.raises(UnsupportedStatusTypeError):
        read_status_list(_mutate("type", types))


@pytest.mark.parametrize("value", [None, "credential", [], 1])
def test_a_list_credential_must_be_an_object(value: Any) -> None:
    with pytest.raises(MalformedStatusError):
        read_status_list(value)
