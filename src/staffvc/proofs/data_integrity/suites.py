"""Cryptosuites: how one kind of Data Integrity proof turns a document into signed bytes.

A :class:`Cryptosuite` is small (the vc.js lesson): a name, the proof ``type`` it writes,
the key types it accepts, and two operations, make a ``proofValue`` and check one. Everything
common to all proofs (options, purposes, sets, chains, key resolution) lives in
:mod:`staffvc.proofs.data_integrity.proof`.

Five suites share one algorithm, "canonicalize, hash, sign" (:class:`HashAndSignSuite`):

=======================  ==============  =========  ==========================  ===========
suite                    proof type      transform  hash (proof config || doc)  keys
=======================  ==============  =========  ==========================  ===========
eddsa-rdfc-2022          DataIntegrity   RDFC-1.0   SHA-256                     Ed25519
eddsa-jcs-2022           DataIntegrity   JCS        SHA-256                     Ed25519
ecdsa-rdfc-2019          DataIntegrity   RDFC-1.0   SHA-256 / SHA-384 (P-384)   P-256, P-384
ecdsa-jcs-2019           DataIntegrity   JCS        SHA-256 / SHA-384 (P-384)   P-256, P-384
Ed25519Signature2020     (itself)        RDFC-1.0   SHA-256                     Ed25519
=======================  ==============  =========  ==========================  ===========
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import base58

from staffvc.jsonld import DocumentLoader, RdfcHash, canonicalize_jcs, canonicalize_rdfc
from staffvc.keys import KeyType, PublicKey, Signer
from staffvc.results import CheckFailed, Code
from staffvc.safejson import JsonObject, JsonValue, as_list

__all__ = [
    "DATA_INTEGRITY_PROOF",
    "DI_CONTEXTS",
    "HASH_AND_SIGN_SUITES",
    "KEY_TYPE_OF_ALGORITHM",
    "Cryptosuite",
    "HashAndSignSuite",
    "require_key_and_context",
    "suite_for_proof",
    "with_suite_context",
]

DATA_INTEGRITY_PROOF = "DataIntegrityProof"

KEY_TYPE_OF_ALGORITHM = {
    "EdDSA": KeyType.ED25519,
    "Ed25519": KeyType.ED25519,
    "ES256": KeyType.P256,
    "ES384": KeyType.P384,
    "ES256K": KeyType.SECP256K1,
}
"""The key type behind a signer's algorithm (a Signer need not expose its key)."""


@runtime_checkable
class Cryptosuite(Protocol):
    """One Data Integrity cryptosuite (or legacy proof type)."""

    @property
    def name(self) -> str:
        """``cryptosuite`` value, or the proof type for legacy suites."""
        ...

    @property
    def proof_type(self) -> str: ...

    def supports(self, key_type: KeyType) -> bool: ...

    def prepare(self, unsecured: JsonObject) -> JsonObject:
        """The document to sign: ``unsecured`` with the context that defines this suite's
        proof terms appended to ``@context`` when it is not there yet."""
        ...

    def create_proof(
        self, unsecured: JsonObject, options: JsonObject, signer: Signer, *, loader: DocumentLoader
    ) -> JsonObject:
        """The proof (``options`` plus ``proofValue``) over ``unsecured``."""
        ...

    def verify_proof(
        self, unsecured: JsonObject, proof: JsonObject, key: PublicKey, *, loader: DocumentLoader
    ) -> None:
        """Return if ``proof`` is a valid signature by ``key`` over ``unsecured``; raise
        :class:`~staffvc.results.CheckFailed` (coded) otherwise."""
        ...


_SIGNATURE_LENGTH = {KeyType.ED25519: 64, KeyType.P256: 64, KeyType.P384: 96}


@dataclass(frozen=True, slots=True)
class HashAndSignSuite:
    """A suite that signs ``hash(canonical proof config) || hash(canonical document)``."""

    name: str
    proof_type: str
    transform: str  # "rdfc" or "jcs"
    key_types: frozenset[KeyType]
    suite_contexts: tuple[str, ...]
    """Contexts any one of which defines the proof's terms; the last is added if none is."""

    def supports(self, key_type: KeyType) -> bool:
        return key_type in self.key_types

    def prepare(self, unsecured: JsonObject) -> JsonObject:
        return with_suite_context(unsecured, self.suite_contexts)

    def create_proof(
        self, unsecured: JsonObject, options: JsonObject, signer: Signer, *, loader: DocumentLoader
    ) -> JsonObject:
        key_type = KEY_TYPE_OF_ALGORITHM[signer.algorithm]
        proof = dict(options)
        if self.transform == "jcs" and "@context" in unsecured:
            proof["@context"] = unsecured["@context"]  # JCS proofs carry the context
        data = self._hash_data(unsecured, proof, key_type, loader=loader)
        proof["proofValue"] = "z" + base58.b58encode(signer.sign(data)).decode("ascii")
        return proof

    def verify_proof(
        self, unsecured: JsonObject, proof: JsonObject, key: PublicKey, *, loader: DocumentLoader
    ) -> None:
        unsecured = _apply_proof_context(unsecured, proof)
        require_key_and_context(self, key, unsecured, self.suite_contexts)
        signature = _decode_proof_value(proof.get("proofValue"), _SIGNATURE_LENGTH[key.key_type])
        data = self._hash_data(unsecured, proof, key.key_type, loader=loader)
        if not key.verify(signature, data):
            raise CheckFailed(
                Code.PROOF_VERIFICATION_ERROR,
                "the signature does not match the document and proof options",
                pointer="/proofValue",
            )

    def _hash_data(
        self, unsecured: JsonObject, proof: JsonObject, key_type: KeyType, *, loader: DocumentLoader
    ) -> bytes:
        config = {k: v for k, v in proof.items() if k != "proofValue"}
        if "@context" in unsecured and (self.transform == "rdfc" or "@context" not in config):
            config["@context"] = unsecured["@context"]
        sha384 = key_type is KeyType.P384
        digest = hashlib.sha384 if sha384 else hashlib.sha256
        if self.transform == "rdfc":
            rdfc_hash = RdfcHash.SHA384 if sha384 else RdfcHash.SHA256
            canonical_config = canonicalize_rdfc(config, loader=loader, hash_algorithm=rdfc_hash)
            canonical_doc = canonicalize_rdfc(unsecured, loader=loader, hash_algorithm=rdfc_hash)
            return (
                digest(canonical_config.encode()).digest() + digest(canonical_doc.encode()).digest()
            )
        return (
            digest(canonicalize_jcs(config)).digest() + digest(canonicalize_jcs(unsecured)).digest()
        )


def with_suite_context(unsecured: JsonObject, contexts: tuple[str, ...]) -> JsonObject:
    """``unsecured`` with ``contexts[-1]`` appended unless one of ``contexts`` is there."""
    present = as_list(unsecured.get("@context"))
    if any(c in present for c in contexts):
        return unsecured
    return {**unsecured, "@context": [*present, contexts[-1]]}


def require_key_and_context(
    suite: Cryptosuite, key: PublicKey, unsecured: JsonObject, contexts: tuple[str, ...]
) -> None:
    """The checks every suite makes before touching a signature: the key fits the suite, and
    the document's @context defines the proof's terms (else they would fall to @vocab)."""
    if not suite.supports(key.key_type):
        raise CheckFailed(
            Code.INVALID_VERIFICATION_METHOD,
            f"{suite.name} cannot use a {key.key_type} key",
            pointer="/verificationMethod",
        )
    if not any(c in as_list(unsecured.get("@context")) for c in contexts):
        raise CheckFailed(
            Code.MALFORMED_PROOF_ERROR,
            f"the document's @context does not define {suite.proof_type} terms "
            f"(expected one of {', '.join(contexts)})",
            pointer="/@context",
        )


def _decode_proof_value(value: JsonValue, length: int) -> bytes:
    if not isinstance(value, str) or not value:
        raise CheckFailed(
            Code.MALFORMED_PROOF_ERROR, "proofValue is missing", pointer="/proofValue"
        )
    if not value.startswith("z"):
        raise CheckFailed(
            Code.MALFORMED_PROOF_ERROR,
            "proofValue must be multibase base58btc (start with 'z')",
            pointer="/proofValue",
        )
    try:
        signature = base58.b58decode(value[1:])
    except ValueError:
        raise CheckFailed(
            Code.MALFORMED_PROOF_ERROR, "proofValue is not base58btc", pointer="/proofValue"
        ) from None
    if len(signature) != length:
        raise CheckFailed(
            Code.MALFORMED_PROOF_ERROR,
            f"proofValue holds {len(signature)} bytes; a signature here has {length}",
            pointer="/proofValue",
        )
    return signature


def _apply_proof_context(unsecured: JsonObject, proof: JsonObject) -> JsonObject:
    """DI 1.0 §4.4: a proof's own @context must be a prefix of the document's, and is then
    the context the document is verified under."""
    if "@context" not in proof:
        return unsecured
    proof_context = as_list(proof["@context"])
    document_context = as_list(unsecured.get("@context"))
    if document_context[: len(proof_context)] != proof_context:
        raise CheckFailed(
            Code.PROOF_VERIFICATION_ERROR,
            "the proof's @context does not match the start of the document's @context",
            pointer="/@context",
        )
    return {**unsecured, "@context": proof["@context"]}


_ED = frozenset({KeyType.ED25519})
_EC = frozenset({KeyType.P256, KeyType.P384})
DI_CONTEXTS = (
    "https://www.w3.org/ns/credentials/v2",
    "https://w3id.org/security/data-integrity/v1",
    "https://w3id.org/security/data-integrity/v2",
)
_ED2020_CONTEXTS = ("https://w3id.org/security/suites/ed25519-2020/v1",)

HASH_AND_SIGN_SUITES: dict[str, Cryptosuite] = {
    s.name: s
    for s in (
        HashAndSignSuite("eddsa-rdfc-2022", DATA_INTEGRITY_PROOF, "rdfc", _ED, DI_CONTEXTS),
        HashAndSignSuite("eddsa-jcs-2022", DATA_INTEGRITY_PROOF, "jcs", _ED, DI_CONTEXTS),
        HashAndSignSuite("ecdsa-rdfc-2019", DATA_INTEGRITY_PROOF, "rdfc", _EC, DI_CONTEXTS),
        HashAndSignSuite("ecdsa-jcs-2019", DATA_INTEGRITY_PROOF, "jcs", _EC, DI_CONTEXTS),
        HashAndSignSuite(
            "Ed25519Signature2020", "Ed25519Signature2020", "rdfc", _ED, _ED2020_CONTEXTS
        ),
    )
}
"""The five hash-and-sign suites by name (the full default set is ``registry.SUITES``)."""


def suite_for_proof(
    proof: Mapping[str, JsonValue], suites: Mapping[str, Cryptosuite]
) -> Cryptosuite | None:
    """The suite that verifies ``proof``: by ``cryptosuite`` for DataIntegrityProof, else by
    proof ``type`` (legacy suites); None when staffvc does not know it."""
    proof_type = proof.get("type")
    if proof_type == DATA_INTEGRITY_PROOF:
        name = proof.get("cryptosuite")
        suite = suites.get(name) if isinstance(name, str) else None
        return suite if suite is not None and suite.proof_type == DATA_INTEGRITY_PROOF else None
    if isinstance(proof_type, str):
        suite = suites.get(proof_type)
        return suite if suite is not None and suite.proof_type == proof_type else None
    return None
