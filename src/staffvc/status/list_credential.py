"""Status list credentials: build them (issuer side, unsigned) and read them (verifier side).

A ``BitstringStatusListCredential`` (Bitstring Status List v1.0 §2.2, VCDM 2.0) or, with
``version="1.1"``, a ``StatusList2021Credential`` (CCG StatusList2021, VCDM 1.1). Building
returns the unsigned credential; the issuer secures it (Data Integrity ``add_proof``) and
publishes it at ``list_url``. Reading (:func:`read_status_list`) checks the list's own data
model and returns a :class:`StatusListView`; it does not verify proofs (the caller's
credential verifier does that) and does not decode the bitstring (that is capped and done
once per list by the checker).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from staffvc.clock import parse_datetime
from staffvc.credentials import VC_V1, VC_V2
from staffvc.errors import MalformedStatusError, UnsupportedStatusTypeError
from staffvc.proofs.data_integrity import format_datetime
from staffvc.safejson import JsonObject, JsonValue
from staffvc.status.bitstring import MAX_STATUS_SIZE, MIN_LIST_LENGTH, Bitstring
from staffvc.status.entry import StatusMessage, parse_status_messages

__all__ = [
    "BSL_LIST_TYPE",
    "BSL_SUBJECT_TYPE",
    "SL2021_CONTEXT",
    "SL2021_LIST_TYPE",
    "SL2021_SUBJECT_TYPE",
    "StatusListView",
    "build_status_list_credential",
    "read_status_list",
]

BSL_LIST_TYPE = "BitstringStatusListCredential"
BSL_SUBJECT_TYPE = "BitstringStatusList"
SL2021_LIST_TYPE = "StatusList2021Credential"
SL2021_SUBJECT_TYPE = "StatusList2021"
SL2021_CONTEXT = "https://w3id.org/vc/status-list/2021/v1"

_STATUS_NS = "https://www.w3.org/ns/credentials/status#"
_MESSAGE_TERMS: JsonObject = {
    # The VCDM 2.0 context defines encodedList, statusPurpose and ttl for a
    # BitstringStatusList, but not statusSize and statusMessages (§2.2 requires them for
    # message lists); without these terms JSON-LD would drop them and Data Integrity
    # signing (safe mode) refuse the list.
    "statusSize": {
        "@id": _STATUS_NS + "statusSize",
        "@type": "http://www.w3.org/2001/XMLSchema#integer",
    },
    "statusMessages": {
        "@id": _STATUS_NS + "statusMessage",
        "@context": {
            "message": _STATUS_NS + "message",
            "status": _STATUS_NS + "status",
        },
    },
}


def build_status_list_credential(
    *,
    list_url: str,
    issuer: str | JsonObject,
    status_purpose: str | Sequence[str],
    bitstring: Bitstring,
    valid_from: datetime | None,
    valid_until: datetime | None,
    ttl_ms: int | None = None,
    status_messages: Sequence[JsonObject] | None = None,
    version: str = "2.0",
    min_length: int = MIN_LIST_LENGTH,
) -> JsonObject:
    """The unsigned status list credential for ``bitstring``, published at ``list_url``.

    ``version="2.0"`` gives a BitstringStatusListCredential (the default); ``"1.1"`` a
    StatusList2021Credential (one-bit lists; ``valid_from`` becomes the required
    ``issuanceDate``). A list shorter than ``min_length`` entries, or a message list
    without one message per value, is refused with ValueError.
    """
    purposes = [status_purpose] if isinstance(status_purpose, str) else list(status_purpose)
    if not purposes or not all(isinstance(p, str) and p for p in purposes):
        raise ValueError("status_purpose must be one or more non-empty strings")
    if bitstring.length < min_length:
        raise ValueError(f"a status list needs at least {min_length} entries (herd privacy)")
    if ttl_ms is not None and (isinstance(ttl_ms, bool) or ttl_ms < 0):
        raise ValueError("ttl_ms must be a non-negative number of milliseconds")
    if valid_from is not None and valid_until is not None and valid_from > valid_until:
        raise ValueError("valid_from is after valid_until")
    purpose: JsonValue = purposes[0] if len(purposes) == 1 else list(purposes)
    if version == "1.1":
        return _status_list_2021(list_url, issuer, purpose, bitstring, valid_from, valid_until)
    if version != "2.0":
        raise ValueError('version must be "2.0" or "1.1"')
    subject: JsonObject = {
        "id": f"{list_url}#list",
        "type": BSL_SUBJECT_TYPE,
        "statusPurpose": purpose,
        "encodedList": bitstring.encode(),
    }
    if ttl_ms is not None:
        subject["ttl"] = ttl_ms
    context: list[JsonValue] = [VC_V2]
    needs_messages = "message" in purposes or bitstring.status_size > 1
    if needs_messages or status_messages is not None:
        if status_messages is None:
            raise ValueError("a message list (or statusSize > 1) needs status_messages")
        messages = [dict(item) for item in status_messages]
        try:
            parse_status_messages(
                list(messages), status_size=bitstring.status_size, member="statusMessages"
            )
        except MalformedStatusError as exc:
            raise ValueError(exc.message) from None
        subject["statusSize"] = bitstring.status_size
        subject["statusMessages"] = list(messages)
        context.append(dict(_MESSAGE_TERMS))
    credential: JsonObject = {
        "@context": context,
        "id": list_url,
        "type": ["VerifiableCredential", BSL_LIST_TYPE],
        "issuer": issuer,
    }
    if valid_from is not None:
        credential["validFrom"] = format_datetime(valid_from)
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until)
    credential["credentialSubject"] = subject
    return credential


def _status_list_2021(
    list_url: str,
    issuer: str | JsonObject,
    purpose: JsonValue,
    bitstring: Bitstring,
    valid_from: datetime | None,
    valid_until: datetime | None,
) -> JsonObject:
    if bitstring.status_size != 1:
        raise ValueError("StatusList2021 lists have one-bit entries")
    if not isinstance(purpose, str):
        raise ValueError("a StatusList2021 list has one statusPurpose")
    if valid_from is None:
        raise ValueError("a VCDM 1.1 credential needs valid_from (its issuanceDate)")
    credential: JsonObject = {
        "@context": [VC_V1, SL2021_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", SL2021_LIST_TYPE],
        "issuer": issuer,
        "issuanceDate": format_datetime(valid_from),
    }
    if valid_until is not None:
        credential["expirationDate"] = format_datetime(valid_until)
    credential["credentialSubject"] = {
        "id": f"{list_url}#list",
        "type": SL2021_SUBJECT_TYPE,
        "statusPurpose": purpose,
        # the CCG form: base64url of the GZIP stream, without the multibase prefix
        "encodedList": bitstring.encode()[1:],
    }
    return credential


@dataclass(frozen=True, slots=True)
class StatusListView:
    """What a verifier reads from a status list credential, before decoding its bitstring."""

    list_type: str
    """BitstringStatusListCredential or StatusList2021Credential."""
    issuer: str
    purposes: tuple[str, ...]
    encoded_list: str
    valid_from: datetime | None
    valid_until: datetime | None
    ttl_ms: int | None = None
    status_size: int | None = None
    """The list's own statusSize, when it states one."""
    messages: tuple[StatusMessage, ...] = ()

    @property
    def legacy(self) -> bool:
        """A StatusList2021 list (base64 without multibase prefix is accepted)."""
        return self.list_type == SL2021_LIST_TYPE


def read_status_list(document: JsonValue) -> StatusListView:
    """Check a status list credential's data model (not its proofs) and read its members.

    Raises :class:`MalformedStatusError` (``MALFORMED_VALUE_ERROR``) for a list that breaks
    the data model and :class:`UnsupportedStatusTypeError` for a credential that is not a
    status list staffvc reads.
    """
    if not isinstance(document, dict):
        raise MalformedStatusError("a status list credential must be a JSON object")
    types = document.get("type")
    type_list = types if isinstance(types, list) else [types]
    if BSL_LIST_TYPE in type_list:
        list_type, subject_type = BSL_LIST_TYPE, BSL_SUBJECT_TYPE
        start_name, end_name = "validFrom", "validUntil"
    elif SL2021_LIST_TYPE in type_list:
        list_type, subject_type = SL2021_LIST_TYPE, SL2021_SUBJECT_TYPE
        # VCDM 1.1 names (a StatusList2021 list may also be a VCDM 2.0 credential)
        start_name = "issuanceDate" if "validFrom" not in document else "validFrom"
        end_name = "expirationDate" if "validUntil" not in document else "validUntil"
    else:
        raise UnsupportedStatusTypeError(
            f"type must include {BSL_LIST_TYPE} (or {SL2021_LIST_TYPE})"
        )
    issuer = _issuer(document.get("issuer"))
    subject = document.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    if not isinstance(subject, dict):
        raise MalformedStatusError("a status list has one credentialSubject object")
    kind = subject.get("type")
    if kind != subject_type and kind != [subject_type]:
        raise MalformedStatusError(f"credentialSubject.type must be {subject_type}")
    purposes = _purposes(subject.get("statusPurpose"))
    encoded = subject.get("encodedList")
    if not isinstance(encoded, str) or not encoded:
        raise MalformedStatusError("credentialSubject.encodedList must be a string")
    ttl = subject.get("ttl")
    if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 0):
        raise MalformedStatusError("credentialSubject.ttl must be a non-negative integer")
    size = subject.get("statusSize")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
        raise MalformedStatusError("credentialSubject.statusSize must be a positive integer")
    if size is not None and size > MAX_STATUS_SIZE:
        raise MalformedStatusError(f"statusSize above {MAX_STATUS_SIZE} is not supported")
    messages: tuple[StatusMessage, ...] = ()
    raw_messages = subject.get("statusMessages")
    if "message" in purposes and (size is None or raw_messages is None):
        raise MalformedStatusError("a message list must state statusSize and statusMessages")
    if raw_messages is not None:
        messages = parse_status_messages(
            raw_messages, status_size=size or 1, member="statusMessages"
        )
    start = _instant(document.get(start_name), start_name)
    end = _instant(document.get(end_name), end_name)
    if start is not None and end is not None and start > end:
        raise MalformedStatusError(f"{start_name} is after {end_name}")
    return StatusListView(
        list_type=list_type,
        issuer=issuer,
        purposes=purposes,
        encoded_list=encoded,
        valid_from=start,
        valid_until=end,
        ttl_ms=ttl,
        status_size=size,
        messages=messages,
    )


def _issuer(value: JsonValue) -> str:
    party = value.get("id") if isinstance(value, dict) else value
    if not isinstance(party, str) or not party or ":" not in party:
        raise MalformedStatusError("issuer must be a URL or an object whose id is a URL")
    return party


def _purposes(value: JsonValue) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(p, str) and p for p in items):
        raise MalformedStatusError("credentialSubject.statusPurpose must be one or more strings")
    return tuple(str(p) for p in items)


def _instant(value: JsonValue, name: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise MalformedStatusError(f"{name} must be a dateTimeStamp")
    try:
        return parse_datetime(value)
    except ValueError:
        raise MalformedStatusError(f"{name} must be a dateTimeStamp") from None
