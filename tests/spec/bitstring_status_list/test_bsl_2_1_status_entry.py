"""Bitstring Status List v1.0 §2.1 BitstringStatusListEntry (BSL-01 … BSL-06, BSL-17):
every MUST of the entry, read from outside (MALFORMED_VALUE_ERROR) and when building."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from staffvc.errors import MalformedStatusError, UnsupportedStatusTypeError
from staffvc.status import (
    EntryType,
    StatusMessage,
    build_status_entry,
    parse_status_entry,
)
from support import load_vector

VECTORS = load_vector("bitstring-status-list/bitstring-status-list-vectors.json")
URL = "https://example.com/credentials/status/3"
BASE: dict[str, Any] = {
    "id": "https://example.com/credentials/status/3#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "94567",
    "statusListCredential": URL,
}
MESSAGES = [
    {"status": "0x0", "message": "pending_review"},
    {"status": "0x1", "message": "accepted"},
    {"status": "0x2", "message": "rejected"},
    {"status": "0x3", "message": "undefined"},
]


def _with(**changes: Any) -> dict[str, Any]:
    entry = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value
    return entry


def test_spec_example_entries_parse() -> None:
    examples = [e["json"] for e in VECTORS["specExamples"] if e["json"]]
    entries = []
    for example in examples:
        status = example.get("credentialStatus")
        entries.extend(status if isinstance(status, list) else [status] if status else [])
    assert len(entries) == 3
    parsed = [parse_status_entry(e) for e in entries]
    assert [(p.purpose, p.index) for p in parsed] == [
        ("revocation", 94567),
        ("suspension", 23452),
        ("revocation", 94567),
    ]
    assert all(p.type is EntryType.BITSTRING and p.status_size == 1 for p in parsed)


def test_the_message_example_with_four_messages_parses() -> None:
    entry = parse_status_entry(
        _with(statusPurpose="message", statusSize=2, statusMessage=MESSAGES, id=None)
    )
    assert entry.status_size == 2
    assert entry.messages[2] == StatusMessage(2, "rejected")
    assert entry.message_for(1) == "accepted"


def test_without_status_message_one_bit_values_read_set_and_unset() -> None:
    entry = parse_status_entry(BASE)
    assert (entry.message_for(0), entry.message_for(1)) == ("unset", "set")


def test_status_reference_may_be_one_url_or_several() -> None:
    one = parse_status_entry(_with(statusReference="https://example.org/status-dictionary/"))
    many = parse_status_entry(_with(statusReference=["https://a.example/", "https://b.example/"]))
    assert one.references == ("https://example.org/status-dictionary/",)
    assert len(many.references) == 2


def test_custom_purposes_are_allowed() -> None:
    assert parse_status_entry(_with(statusPurpose="staff-passport-review")).purpose


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"statusListIndex": 94567}, "index as a number"),
        ({"statusListIndex": "-1"}, "negative index"),
        ({"statusListIndex": "0x10"}, "hex index"),
        ({"statusListIndex": "1e3"}, "exponent"),
        ({"statusListIndex": " 1"}, "whitespace"),
        ({"statusListIndex": ""}, "empty index"),
        ({"statusListIndex": "9" * 1001}, "absurdly long index"),
        ({"statusListIndex": None}, "missing index"),
        ({"statusPurpose": None}, "missing purpose"),
        ({"statusPurpose": ["revocation"]}, "purpose as a list"),
        ({"statusPurpose": ""}, "empty purpose"),
        ({"statusListCredential": None}, "missing list URL"),
        ({"statusListCredential": "not a url"}, "list URL not a URL"),
        ({"statusListCredential": 3}, "list URL a number"),
        ({"id": URL}, "id is the list URL"),
        ({"id": "no scheme"}, "id not a URL"),
        ({"statusSize": 0}, "statusSize zero"),
        ({"statusSize": "1"}, "statusSize a string"),
        ({"statusSize": True}, "statusSize a boolean"),
        ({"statusSize": 9, "statusMessage": []}, "statusSize over 8"),
        ({"statusSize": 2}, "statusSize 2 without messages"),
        ({"statusSize": 2, "statusMessage": MESSAGES[:3]}, "three messages for size 2"),
        ({"statusMessage": MESSAGES}, "four messages for size 1"),
        ({"statusSize": 2, "statusMessage": [*MESSAGES[:3], MESSAGES[0]]}, "duplicate status"),
        (
            {"statusSize": 2, "statusMessage": [*MESSAGES[:3], {"status": "0x4", "message": ""}]},
            "status value out of range",
        ),
        (
            {"statusMessage": [{"status": "0", "message": "a"}, {"status": "0x1", "message": "b"}]},
            "status not 0x-prefixed",
        ),
        (
            {"statusMessage": [{"status": "0x0"}, {"status": "0x1", "message": "b"}]},
            "message missing",
        ),
        ({"statusMessage": ["0x0", "0x1"]}, "messages not objects"),
        ({"statusReference": "relative/path"}, "reference not a URL"),
        ({"statusReference": []}, "empty reference list"),
        ({"type": ["BitstringStatusListEntry", "Other"]}, "two types"),
        ({"type": None}, "no type"),
    ],
)
def test_malformed_entries_are_malformed_value_errors(changes: dict[str, Any], why: str) -> None:
    with pytest.raises(MalformedStatusError) as caught:
        parse_status_entry(_with(**changes))
    assert caught.value.code == "MALFORMED_VALUE_ERROR", why


@pytest.mark.parametrize("value", [None, "entry", 3, ["a"], []])
def test_an_entry_must_be_an_object(value: Any) -> None:
    with pytest.raises(MalformedStatusError):
        parse_status_entry(value)


@pytest.mark.parametrize(
    "kind", ["RevocationList2020Status", "CRLEntry", "bitstringstatuslistentry"]
)
def test_unknown_entry_types_are_unsupported_not_malformed(kind: str) -> None:
    with pytest.raises(UnsupportedStatusTypeError) as caught:
        parse_status_entry(_with(type=kind))
    assert caught.value.code == "UNKNOWN_STATUS_TYPE"


def test_large_indexes_are_arbitrary_size_integers() -> None:
    assert parse_status_entry(_with(statusListIndex="123456789012345678901234567890")).index == (
        123456789012345678901234567890
    )
    assert parse_status_entry(_with(statusListIndex="007")).index == 7


# --- building -------------------------------------------------------------------------------


def test_build_status_entry_round_trips() -> None:
    entry = build_status_entry(
        list_url=URL, index=94567, status_purpose="revocation", entry_id=f"{URL}#94567"
    )
    assert entry == BASE
    assert parse_status_entry(entry).index == 94567


def test_build_a_message_entry() -> None:
    entry = build_status_entry(
        list_url=URL,
        index=492847,
        status_purpose="message",
        status_size=2,
        status_messages=MESSAGES,
        status_reference="https://example.org/status-dictionary/",
    )
    assert entry["statusSize"] == 2
    assert entry["statusMessage"] == MESSAGES
    assert entry["statusListIndex"] == "492847"
    assert "id" not in entry


@pytest.mark.parametrize(
    "kwargs",
    [
        {"index": -1},
        {"index": True},
        {"list_url": "nope"},
        {"status_purpose": ""},
        {"status_size": 2},
        {"status_size": 2, "status_messages": MESSAGES[:2]},
        {"entry_id": URL},
    ],
)
def test_build_status_entry_refuses_what_would_not_conform(kwargs: dict[str, Any]) -> None:
    arguments: dict[str, Any] = {"list_url": URL, "index": 1, "status_purpose": "revocation"}
    arguments.update(kwargs)
    with pytest.raises(ValueError):
        build_status_entry(**arguments)
