"""Proof purposes: why a proof was made, and what a verifier must check because of it.

A proof names its purpose (``proofPurpose``). Verification states the purpose it expects:
:class:`AssertionPurpose` for credentials (the issuer asserts the claims; the signing key
must be under ``assertionMethod`` of the issuer's DID document) and
:class:`AuthenticationPurpose` for presentations (the holder proves control of a key
under ``authentication``, bound to the verifier's ``challenge`` and optional ``domain``).
A proof with another purpose, a missing or wrong challenge, or a wrong domain fails.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from staffvc.did import Relationship
from staffvc.results import CheckFailed, Code
from staffvc.safejson import JsonObject

__all__ = ["AssertionPurpose", "AuthenticationPurpose", "ProofPurpose"]


@dataclass(frozen=True, slots=True)
class AssertionPurpose:
    """``assertionMethod``: an issuer asserting claims (credentials, status lists)."""

    term = "assertionMethod"
    relationship = Relationship.ASSERTION_METHOD

    def options(self) -> JsonObject:
        """Members this purpose adds to new proofs."""
        return {}

    def check(self, proof: JsonObject) -> None:
        """Nothing beyond the purpose itself: raise nothing."""


@dataclass(frozen=True, slots=True)
class AuthenticationPurpose:
    """``authentication``: a holder presenting, bound to a verifier's challenge and domain.

    When verifying, ``challenge`` is required and must match exactly; when ``domain`` is
    given the proof's ``domain`` must contain it (a string or a list of strings).
    """

    challenge: str
    domain: str | None = None
    term = "authentication"
    relationship = Relationship.AUTHENTICATION

    def __post_init__(self) -> None:
        if not isinstance(self.challenge, str) or not self.challenge:
            raise ValueError("an authentication proof needs a non-empty challenge")
        if self.domain is not None and (not isinstance(self.domain, str) or not self.domain):
            raise ValueError("domain, when given, must be a non-empty string")

    def options(self) -> JsonObject:
        options: JsonObject = {"challenge": self.challenge}
        if self.domain is not None:
            options["domain"] = self.domain
        return options

    def check(self, proof: JsonObject) -> None:
        challenge = proof.get("challenge")
        if not isinstance(challenge, str):
            raise CheckFailed(
                Code.INVALID_CHALLENGE_ERROR, "the proof has no challenge", pointer="/challenge"
            )
        if not hmac.compare_digest(challenge.encode(), self.challenge.encode()):
            raise CheckFailed(
                Code.INVALID_CHALLENGE_ERROR,
                "the proof's challenge is not the expected one",
                pointer="/challenge",
            )
        if self.domain is None:
            return
        domain = proof.get("domain")
        domains = domain if isinstance(domain, list) else [domain]
        if self.domain not in domains:
            raise CheckFailed(
                Code.INVALID_DOMAIN_ERROR,
                "the proof's domain is not the expected one",
                pointer="/domain",
            )


ProofPurpose = AssertionPurpose | AuthenticationPurpose
