"""BSL-20: the legacy CCG StatusList2021 (``StatusList2021Entry``,
``StatusList2021Credential``, VCDM 1.1, context https://w3id.org/vc/status-list/2021/v1) is
checked with the same algorithm at statusSize 1; its encodedList is base64 without the
multibase prefix, and both forms are read."""

from __future__ import annotations

import base64
import gzip
from typing import Any

import pytest

from spec.bitstring_status_list.statuskit import (
    LIST_URL,
    NOW,
    bits_with,
    checker_for,
    credential,
    list_credential,
    real_verifier,
    run_check,
    sign,
)
from staffvc.errors import MalformedStatusError
from staffvc.results import Code, Verdict
from staffvc.status import (
    SL2021_CONTEXT,
    Bitstring,
    EntryType,
    build_status_entry,
    build_status_list_2021_credential,
    build_status_list_2021_entry,
    parse_status_entry,
    read_status_list,
)

BITS = bits_with(3, 131_071)


def sl_entry(index: int, purpose: str = "revocation") -> dict[str, Any]:
    return build_status_list_2021_entry(list_url=LIST_URL, index=index, status_purpose=purpose)


@pytest.fixture(scope="module")
def signed_legacy_list() -> dict[str, Any]:
    return sign(list_credential(bitstring=BITS, version="1.1"))


def test_the_legacy_list_credential_shape() -> None:
    document = list_credential(bitstring=BITS, version="1.1")
    assert document["@context"] == ["https://www.w3.org/2018/credentials/v1", SL2021_CONTEXT]
    assert document["type"] == ["VerifiableCredential", "StatusList2021Credential"]
    assert document["issuanceDate"] == "2026-02-28T12:00:00Z"
    assert document["expirationDate"] == "2026-03-02T12:00:00Z"
    subject = document["credentialSubject"]
    assert subject["type"] == "StatusList2021"
    assert not subject["encodedList"].startswith("u")
    view = read_status_list(document)
    assert view.legacy
    assert view.valid_until is not None
    assert Bitstring.decode(subject["encodedList"], legacy_base64=True) == BITS
    with pytest.raises(MalformedStatusError):
        Bitstring.decode(subject["encodedList"])  # not for Bitstring Status List lists


def test_the_legacy_entry_shape() -> None:
    entry = sl_entry(3)
    assert entry == {
        "id": f"{LIST_URL}#3",
        "type": "StatusList2021Entry",
        "statusPurpose": "revocation",
        "statusListIndex": "3",
        "statusListCredential": LIST_URL,
    }
    assert parse_status_entry(entry).type is EntryType.STATUS_LIST_2021


@pytest.mark.parametrize(("index", "revoked"), [(3, True), (131_071, True), (4, False)])
def test_signed_legacy_lists_are_checked(
    signed_legacy_list: dict, index: int, revoked: bool
) -> None:
    checker = checker_for({LIST_URL: signed_legacy_list}, verify=real_verifier())
    status, result = run_check(checker, credential(sl_entry(index), version="1.1"))
    assert status.checked is True
    assert status.revoked is revoked
    assert result.verdict is (Verdict.INVALID if revoked else Verdict.VALID), result.explain()


@pytest.mark.parametrize(
    "encode",
    [
        lambda raw: base64.b64encode(raw).decode(),
        lambda raw: base64.b64encode(raw).decode().rstrip("="),
        lambda raw: base64.urlsafe_b64encode(raw).decode(),
        lambda raw: "u" + base64.urlsafe_b64encode(raw).decode().rstrip("="),
    ],
    ids=["base64-padded", "base64-unpadded", "base64url-padded", "multibase"],
)
def test_legacy_lists_are_read_in_every_base64_form(encode: Any) -> None:
    raw = gzip.compress(BITS.to_bytes(), mtime=0)
    document = list_credential(version="1.1")
    document["credentialSubject"]["encodedList"] = encode(raw)
    status, _ = run_check(checker_for({LIST_URL: document}), credential(sl_entry(3), version="1.1"))
    assert (status.checked, status.revoked) == (True, True)


@pytest.mark.parametrize("encoded", ["H4sI===x", "H4sI@@@@", "QUJD", "H4sIAAAA"])
def test_legacy_lists_that_are_not_base64_gzip_are_malformed(encoded: str) -> None:
    document = list_credential(version="1.1")
    document["credentialSubject"]["encodedList"] = encoded
    _, result = run_check(checker_for({LIST_URL: document}), credential(sl_entry(3), version="1.1"))
    assert result.codes() == [Code.MALFORMED_VALUE_ERROR]


def test_legacy_lists_keep_the_minimum_length() -> None:
    document = list_credential(version="1.1")
    document["credentialSubject"]["encodedList"] = Bitstring(8192).encode()[1:]
    _, result = run_check(checker_for({LIST_URL: document}), credential(sl_entry(3), version="1.1"))
    assert result.codes() == [Code.STATUS_LIST_LENGTH_ERROR]


def test_a_legacy_entry_must_point_at_a_legacy_list() -> None:
    _, result = run_check(
        checker_for({LIST_URL: list_credential()}), credential(sl_entry(3), version="1.1")
    )
    assert result.codes() == [Code.STATUS_VERIFICATION_ERROR]


@pytest.mark.parametrize(
    "extra",
    [{"statusSize": 2}, {"statusMessage": []}],
)
def test_legacy_entries_have_one_bit_entries_only(extra: dict[str, Any]) -> None:
    entry = {**sl_entry(3), **extra}
    with pytest.raises(MalformedStatusError):
        parse_status_entry(entry)


def test_build_legacy_refuses_nonconforming_input() -> None:
    with pytest.raises(ValueError):
        build_status_list_2021_entry(list_url=LIST_URL, index=-1, status_purpose="revocation")
    with pytest.raises(ValueError):
        build_status_list_2021_entry(list_url="nope", index=1, status_purpose="revocation")
    with pytest.raises(ValueError):
        build_status_list_2021_credential(
            list_url=LIST_URL,
            issuer="did:example:1",
            status_purpose="revocation",
            bitstring=Bitstring(1024),
            valid_from=NOW,
            valid_until=None,
        )
    assert build_status_entry(list_url=LIST_URL, index=1, status_purpose="revocation")
