"""StatusList2021 (W3C CCG, the predecessor of Bitstring Status List), as deployed by
Microsoft Entra Verified ID: ``StatusList2021Entry`` entries and ``StatusList2021Credential``
lists in VCDM 1.1 credentials, context ``https://w3id.org/vc/status-list/2021/v1``.

The validation algorithm is Bitstring Status List's with one-bit entries; the difference on
the wire is the ``encodedList``, which the CCG text describes as base64 of the GZIP stream
*without* the multibase ``u`` prefix. staffvc reads both forms and writes the unprefixed
base64url one (as Digital Bazaar's ``vc-status-list`` does). Reading and checking are shared
with Bitstring Status List (:func:`~staffvc.status.entry.parse_status_entry`,
:func:`~staffvc.status.list_credential.read_status_list`, the checker); this module builds
the legacy forms, for tests and for issuers that must still serve StatusList2021.
"""

from __future__ import annotations

from datetime import datetime

from staffvc.errors import MalformedStatusError
from staffvc.safejson import JsonObject
from staffvc.status.bitstring import MIN_LIST_LENGTH, Bitstring
from staffvc.status.entry import EntryType, parse_status_entry
from staffvc.status.list_credential import (
    SL2021_CONTEXT,
    SL2021_LIST_TYPE,
    SL2021_SUBJECT_TYPE,
    build_status_list_credential,
)

__all__ = [
    "SL2021_CONTEXT",
    "SL2021_ENTRY_TYPE",
    "SL2021_LIST_TYPE",
    "SL2021_SUBJECT_TYPE",
    "build_status_list_2021_credential",
    "build_status_list_2021_entry",
]

SL2021_ENTRY_TYPE = EntryType.STATUS_LIST_2021.value


def build_status_list_2021_entry(
    *, list_url: str, index: int, status_purpose: str, entry_id: str | None = None
) -> JsonObject:
    """A ``StatusList2021Entry`` (the credential carrying it also lists
    :data:`SL2021_CONTEXT` in its ``@context``, after the VCDM 1.1 one)."""
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError("index must be a non-negative int")
    entry: JsonObject = {
        "id": entry_id if entry_id is not None else f"{list_url}#{index}",
        "type": SL2021_ENTRY_TYPE,
        "statusPurpose": status_purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }
    try:
        parse_status_entry(entry)
    except MalformedStatusError as exc:
        raise ValueError(exc.message) from None
    return entry


def build_status_list_2021_credential(
    *,
    list_url: str,
    issuer: str | JsonObject,
    status_purpose: str,
    bitstring: Bitstring,
    valid_from: datetime,
    valid_until: datetime | None,
    min_length: int = MIN_LIST_LENGTH,
) -> JsonObject:
    """The unsigned ``StatusList2021Credential`` (VCDM 1.1: ``valid_from`` is its
    ``issuanceDate``, ``valid_until`` its ``expirationDate``)."""
    return build_status_list_credential(
        list_url=list_url,
        issuer=issuer,
        status_purpose=status_purpose,
        bitstring=bitstring,
        valid_from=valid_from,
        valid_until=valid_until,
        version="1.1",
        min_length=min_length,
    )
