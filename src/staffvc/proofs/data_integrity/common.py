"""What every Data Integrity module shares: the generation error, times, the proof set."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from staffvc.errors import StaffVCError
from staffvc.safejson import JsonValue

__all__ = ["ProofGenerationError", "format_datetime", "proofs_of"]


class ProofGenerationError(StaffVCError):
    """A proof could not be created from the given document and options."""

    code = "PROOF_GENERATION_ERROR"


def format_datetime(instant: datetime) -> str:
    """XML Schema dateTimeStamp in UTC with ``Z`` and whole seconds, as proofs carry it."""
    if instant.tzinfo is None:
        raise ProofGenerationError("proof times must be timezone-aware")
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def proofs_of(document: Mapping[str, JsonValue]) -> list[JsonValue]:
    """The document's proofs as a list (``proof`` may be one object or a set)."""
    proof = document.get("proof")
    if proof is None:
        return []
    return list(proof) if isinstance(proof, list) else [proof]
