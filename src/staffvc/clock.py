"""Time, injected: staffvc never reads the system clock except through a :class:`Clock`.

Verifiers, issuers and caches take a clock so that tests, notebooks and the CLI's
``--now`` can fix the instant, and so that validity checks are reproducible.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "FixedClock", "SystemClock", "parse_datetime"]


@runtime_checkable
class Clock(Protocol):
    """A source of the current instant (always timezone-aware, UTC)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


class FixedClock:
    """A clock that reads ``instant`` until moved with :meth:`advance` or :meth:`set`."""

    def __init__(self, instant: datetime) -> None:
        self._instant = _require_aware(instant)

    def now(self) -> datetime:
        return self._instant

    def set(self, instant: datetime) -> None:
        self._instant = _require_aware(instant)

    def advance(self, delta: timedelta) -> None:
        self._instant += delta

    def __repr__(self) -> str:
        return f"FixedClock({self._instant.isoformat()})"


def parse_datetime(text: str) -> datetime:
    """Parse an XML Schema ``dateTimeStamp`` / RFC 3339 instant into an aware UTC datetime.

    A value without an offset is read as UTC (VC Data Model 2.0 §5.8). Raises ValueError.
    """
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _require_aware(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("a clock instant must be timezone-aware")
    return instant.astimezone(UTC)
