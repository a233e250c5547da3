"""Credentials and presentations as documents: the VC Data Model's rules (1.1 and 2.0)."""

from staffvc.credentials.envelope import (
    VC_V1,
    VC_V2,
    DocumentKind,
    Envelope,
    check_envelope,
)
from staffvc.credentials.validity import check_validity

__all__ = ["VC_V1", "VC_V2", "DocumentKind", "Envelope", "check_envelope", "check_validity"]
