"""DID and DID URL syntax (DID Core 1.0 §3.1, §3.2; RFC 3986 for path, query, fragment)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NewType

from staffvc.errors import InvalidDidError, InvalidDidUrlError

__all__ = ["Did", "DidUrl", "parse_did", "parse_did_url"]

Did = NewType("Did", str)
"""A string known to be a syntactically valid DID (no path, query or fragment)."""

_PCT = r"%[0-9A-Fa-f]{2}"
_IDCHAR = rf"(?:[A-Za-z0-9._-]|{_PCT})"
_DID = rf"did:(?P<method>[a-z0-9]+):(?P<msid>(?:{_IDCHAR}*:)*{_IDCHAR}+)"
_PCHAR = rf"(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|{_PCT})"
_DID_URL = re.compile(
    rf"(?P<did>{_DID})(?P<path>(?:/{_PCHAR}*)*)"
    rf"(?:\?(?P<query>(?:{_PCHAR}|[/?])*))?(?:#(?P<fragment>(?:{_PCHAR}|[/?])*))?"
)
_DID_ONLY = re.compile(_DID)

MAX_DID_LENGTH = 8192
"""Longest DID or DID URL accepted (did:jwk embeds a whole key, so allow room)."""


@dataclass(frozen=True, slots=True)
class DidUrl:
    """A parsed DID URL; ``path`` is "" or starts with "/", ``query``/``fragment`` may be None."""

    did: Did
    method: str
    method_specific_id: str
    path: str
    query: str | None
    fragment: str | None

    def __str__(self) -> str:
        text = self.did + self.path
        if self.query is not None:
            text += "?" + self.query
        if self.fragment is not None:
            text += "#" + self.fragment
        return text


def parse_did(text: str) -> DidUrl:
    """Parse a bare DID; :class:`InvalidDidError` unless ``text`` is one."""
    if not isinstance(text, str) or len(text) > MAX_DID_LENGTH:
        raise InvalidDidError("a DID must be a string of at most 8192 characters")
    match = _DID_ONLY.fullmatch(text)
    if match is None:
        raise InvalidDidError(f"not a valid DID: {_shorten(text)!r}")
    return DidUrl(Did(text), match["method"], match["msid"], "", None, None)


def parse_did_url(text: str) -> DidUrl:
    """Parse a DID URL; :class:`InvalidDidUrlError` unless ``text`` is one."""
    if not isinstance(text, str) or len(text) > MAX_DID_LENGTH:
        raise InvalidDidUrlError("a DID URL must be a string of at most 8192 characters")
    match = _DID_URL.fullmatch(text)
    if match is None:
        if not text.startswith("did:") or _DID_ONLY.match(text) is None:
            # does not even start with a DID
            raise InvalidDidUrlError(f"not a valid DID URL: {_shorten(text)!r}")
        raise InvalidDidUrlError(
            f"not a valid DID URL (bad path, query or fragment): {_shorten(text)!r}"
        )
    return DidUrl(
        Did(match["did"]),
        match["method"],
        match["msid"],
        match["path"],
        match["query"],
        match["fragment"],
    )


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
