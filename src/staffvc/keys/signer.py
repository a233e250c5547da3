"""The two small interfaces every proof format signs and verifies through.

A :class:`Signer` is all a proof needs from a private key: an algorithm, a key id and a
``sign`` method. In-memory :class:`~staffvc.keys.KeyPair` objects implement it; so can an
HSM or a cloud KMS client, so the private key never has to enter this process.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from staffvc.keys.algorithms import Algorithm

__all__ = ["SignatureVerifier", "Signer"]


@runtime_checkable
class Signer(Protocol):
    """Signs bytes with one private key.

    ``sign`` returns the signature in the JOSE form that every staffvc proof format uses:
    64 raw bytes for Ed25519, and the fixed-length ``r || s`` concatenation (not DER) for
    ECDSA. ``key_id`` is the verification method (a DID URL) the signature will be checked
    against, or None when the caller supplies it separately.
    """

    @property
    def algorithm(self) -> Algorithm: ...

    @property
    def key_id(self) -> str | None: ...

    def sign(self, data: bytes) -> bytes: ...


@runtime_checkable
class SignatureVerifier(Protocol):
    """Checks signatures made by one public key; returns False, never raises, for a bad one."""

    @property
    def algorithm(self) -> Algorithm: ...

    def verify(self, signature: bytes, data: bytes) -> bool: ...
