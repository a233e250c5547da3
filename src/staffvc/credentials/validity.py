"""Validity periods (VCDM 2.0 §4.9 validFrom/validUntil; VCDM 1.1 issuanceDate/expirationDate)."""

from __future__ import annotations

from datetime import datetime

from staffvc.clock import parse_datetime
from staffvc.results import CheckFailed, Code
from staffvc.safejson import JsonObject

__all__ = ["check_validity"]

_MEMBERS = {"2.0": ("validFrom", "validUntil"), "1.1": ("issuanceDate", "expirationDate")}


def check_validity(credential: JsonObject, *, version: str, now: datetime) -> None:
    """Raise CheckFailed unless ``now`` lies in the credential's validity period."""
    start_name, end_name = _MEMBERS[version]
    start = _instant(credential, start_name)
    end = _instant(credential, end_name)
    if start is not None and end is not None and start > end:
        raise CheckFailed(
            Code.RANGE_ERROR, f"{start_name} is after {end_name}", pointer=f"/{end_name}"
        )
    if start is not None and now < start:
        raise CheckFailed(
            Code.CREDENTIAL_NOT_YET_VALID,
            f"valid from {start.isoformat()}, checked at {now.isoformat()}",
            pointer=f"/{start_name}",
        )
    if end is not None and now > end:
        raise CheckFailed(
            Code.CREDENTIAL_EXPIRED,
            f"expired at {end.isoformat()}, checked at {now.isoformat()}",
            pointer=f"/{end_name}",
        )


def _instant(credential: JsonObject, name: str) -> datetime | None:
    value = credential.get(name)
    if value is None:
        return None
    try:
        if not isinstance(value, str):
            raise ValueError(name)
        return parse_datetime(value)
    except ValueError:
        raise CheckFailed(
            Code.MALFORMED_VALUE_ERROR, f"{name} is not a dateTimeStamp", pointer=f"/{name}"
        ) from None
