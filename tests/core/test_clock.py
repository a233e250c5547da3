"""The injected clock and dateTimeStamp parsing (VCDM 2.0 §4.9, §5.8)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from staffvc.clock import Clock, FixedClock, SystemClock, parse_datetime


def test_fixed_clock_is_a_clock_and_moves_only_when_told() -> None:
    clock = FixedClock(datetime(2026, 11, 21, 12, 0, tzinfo=UTC))
    assert isinstance(clock, Clock)
    assert isinstance(SystemClock(), Clock)
    assert clock.now() == clock.now()
    clock.advance(timedelta(days=1))
    assert clock.now() == datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="timezone-aware"):
        FixedClock(datetime(2026, 1, 1))


def test_system_clock_is_aware() -> None:
    assert SystemClock().now().tzinfo is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-21T10:00:00Z", datetime(2026, 11, 21, 10, tzinfo=UTC)),
        ("2026-11-21T12:00:00+02:00", datetime(2026, 11, 21, 10, tzinfo=UTC)),
        ("2026-11-21T10:00:00", datetime(2026, 11, 21, 10, tzinfo=UTC)),  # §5.8: read as UTC
    ],
)
def test_parse_datetime(text: str, expected: datetime) -> None:
    value = parse_datetime(text)
    assert value == expected
    assert value.tzinfo == UTC


def test_parse_datetime_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        parse_datetime("yesterday")
