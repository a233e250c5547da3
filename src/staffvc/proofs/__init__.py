"""Proof formats: Data Integrity (embedded proofs) and, later, JOSE/COSE envelopes."""

from staffvc.proofs.purposes import AssertionPurpose, AuthenticationPurpose, ProofPurpose

__all__ = ["AssertionPurpose", "AuthenticationPurpose", "ProofPurpose"]
