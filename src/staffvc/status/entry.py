"""Status entries (``credentialStatus`` members): build them, and read them from outside.

Bitstring Status List v1.0 §2.1 (``BitstringStatusListEntry``) and its predecessor, the CCG
StatusList2021 (``StatusList2021Entry``, single-bit, used by Microsoft Entra Verified ID).
Reading is strict: each MUST of the data model that an entry breaks is a
:class:`~staffvc.errors.MalformedStatusError` (``MALFORMED_VALUE_ERROR``), so that a
verifier never guesses which list position a credential meant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from staffvc.errors import MalformedStatusError, UnsupportedStatusTypeError
from staffvc.safejson import JsonObject, JsonValue
from staffvc.status.bitstring import MAX_STATUS_SIZE

__all__ = [
    "KNOWN_PURPOSES",
    "EntryType",
    "StatusEntry",
    "StatusMessage",
    "build_status_entry",
    "parse_status_entry",
    "parse_status_messages",
]

KNOWN_PURPOSES = frozenset({"revocation", "suspension", "refresh", "message"})
"""The status purposes whose meaning the spec fixes; other strings are allowed."""

_INDEX = re.compile(r"[0-9]+")
_SPACE = re.compile(r"\s")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_MAX_INDEX_DIGITS = 1000
"""A longer ``statusListIndex`` cannot address any list that fits in memory."""


class EntryType(StrEnum):
    """The status entry types staffvc reads."""

    BITSTRING = "BitstringStatusListEntry"
    STATUS_LIST_2021 = "StatusList2021Entry"


@dataclass(frozen=True, slots=True)
class StatusMessage:
    """One ``statusMessage`` element: a status value and its message."""

    status: int
    message: str

    def to_json(self) -> JsonObject:
        return {"status": hex(self.status), "message": self.message}


@dataclass(frozen=True, slots=True)
class StatusEntry:
    """A status entry read from a credential: where its status lives and how to read it."""

    type: EntryType
    list_url: str
    index: int
    purpose: str
    status_size: int = 1
    messages: tuple[StatusMessage, ...] = ()
    entry_id: str | None = None
    references: tuple[str, ...] = ()

    def message_for(self, value: int) -> str:
        """The message the issuer committed to for ``value`` ("set"/"unset" by default)."""
        for item in self.messages:
            if item.status == value:
                return item.message
        if self.status_size == 1 and value in (0, 1):
            return "set" if value else "unset"
        return hex(value)


def build_status_entry(
    *,
    list_url: str,
    index: int,
    status_purpose: str,
    status_size: int = 1,
    status_messages: Sequence[JsonObject] | None = None,
    entry_id: str | None = None,
    status_reference: str | Sequence[str] | None = None,
) -> JsonObject:
    """A ``BitstringStatusListEntry`` for ``credentialStatus``; ValueError if it would not
    conform (statusSize > 1 needs 2**statusSize ``status_messages``)."""
    entry: JsonObject = {}
    if entry_id is not None:
        entry["id"] = entry_id
    entry["type"] = EntryType.BITSTRING.value
    entry["statusPurpose"] = status_purpose
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError("index must be a non-negative int")
    entry["statusListIndex"] = str(index)
    entry["statusListCredential"] = list_url
    if status_size != 1:
        entry["statusSize"] = status_size
    if status_messages is not None:
        entry["statusMessage"] = [dict(item) for item in status_messages]
    if status_reference is not None:
        entry["statusReference"] = (
            status_reference if isinstance(status_reference, str) else list(status_reference)
        )
    try:
        parse_status_entry(entry)
    except MalformedStatusError as exc:
        raise ValueError(exc.message) from None
    return entry


def parse_status_entry(value: JsonValue) -> StatusEntry:
    """Read one ``credentialStatus`` member from outside.

    Raises :class:`MalformedStatusError` when it breaks its data model and
    :class:`UnsupportedStatusTypeError` when its ``type`` is not one staffvc reads.
    """
    if not isinstance(value, dict):
        raise MalformedStatusError("a credentialStatus entry must be an object")
    kind = value.get("type")
    if not isinstance(kind, str):
        if isinstance(kind, list) and len(kind) == 1 and isinstance(kind[0], str):
            kind = kind[0]
        else:
            raise MalformedStatusError("credentialStatus.type must be one string")
    try:
        entry_type = EntryType(kind)
    except ValueError:
        raise UnsupportedStatusTypeError(f"unsupported credentialStatus type {kind!r}") from None
    entry_id = value.get("id")
    if entry_id is not None and not _is_url(entry_id):
        raise MalformedStatusError("credentialStatus.id must be a URL")
    list_url = value.get("statusListCredential")
    if not isinstance(list_url, str) or not _is_url(list_url):
        raise MalformedStatusError("statusListCredential must be a URL")
    if entry_id is not None and entry_id == list_url:
        raise MalformedStatusError("credentialStatus.id must not be the status list's URL")
    purpose = value.get("statusPurpose")
    if not isinstance(purpose, str) or not purpose:
        raise MalformedStatusError("statusPurpose must be a non-empty string")
    index = _index(value.get("statusListIndex"))
    if entry_type is EntryType.STATUS_LIST_2021:
        if "statusSize" in value or "statusMessage" in value:
            raise MalformedStatusError("a StatusList2021Entry has one-bit entries only")
        return StatusEntry(
            type=entry_type,
            list_url=list_url,
            index=index,
            purpose=purpose,
            entry_id=entry_id if isinstance(entry_id, str) else None,
        )
    size = value.get("statusSize", 1)
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise MalformedStatusError("statusSize must be an integer greater than zero")
    if size > MAX_STATUS_SIZE:
        raise MalformedStatusError(f"statusSize above {MAX_STATUS_SIZE} is not supported")
    raw_messages = value.get("statusMessage")
    if size > 1 and raw_messages is None:
        raise MalformedStatusError("statusSize above 1 needs statusMessage")
    messages = (
        parse_status_messages(raw_messages, status_size=size, member="statusMessage")
        if raw_messages is not None
        else ()
    )
    return StatusEntry(
        type=entry_type,
        list_url=list_url,
        index=index,
        purpose=purpose,
        status_size=size,
        messages=messages,
        entry_id=entry_id if isinstance(entry_id, str) else None,
        references=_references(value.get("statusReference")),
    )


def parse_status_messages(
    value: JsonValue, *, status_size: int, member: str
) -> tuple[StatusMessage, ...]:
    """A ``statusMessage(s)`` array: exactly one message for each of the 2**statusSize
    values, each ``{"status": "0x…", "message": "…"}``; MalformedStatusError otherwise."""
    if not 1 <= status_size <= MAX_STATUS_SIZE:
        raise MalformedStatusError(f"statusSize must be in 1..{MAX_STATUS_SIZE}")
    count = 1 << status_size
    if not isinstance(value, list) or len(value) != count:
        raise MalformedStatusError(f"{member} must be an array of {count} messages")
    seen: set[int] = set()
    out: list[StatusMessage] = []
    for item in value:
        if not isinstance(item, dict):
            raise MalformedStatusError(f"each {member} element must be an object")
        status, message = item.get("status"), item.get("message")
        if not isinstance(status, str) or not _HEX.fullmatch(status):
            raise MalformedStatusError(f"{member} status must be a hex string such as 0x1")
        if not isinstance(message, str):
            raise MalformedStatusError(f"{member} message must be a string")
        number = int(status, 16)
        if number >= count or number in seen:
            raise MalformedStatusError(f"{member} must give each status value once")
        seen.add(number)
        out.append(StatusMessage(number, message))
    return tuple(sorted(out, key=lambda m: m.status))


def _index(value: JsonValue) -> int:
    if not isinstance(value, str) or not _INDEX.fullmatch(value):
        raise MalformedStatusError("statusListIndex must be a base-10 integer in a string")
    if len(value) > _MAX_INDEX_DIGITS:
        raise MalformedStatusError("statusListIndex is implausibly long")
    return int(value)


def _references(value: JsonValue) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if not items or not all(_is_url(item) for item in items):
        raise MalformedStatusError("statusReference must be a URL or an array of URLs")
    return tuple(str(item) for item in items)


def _is_url(value: JsonValue) -> bool:
    if not isinstance(value, str) or not value or _SPACE.search(value):
        return False
    return bool(urlsplit(value).scheme)
