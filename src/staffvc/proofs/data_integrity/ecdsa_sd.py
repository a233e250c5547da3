"""ecdsa-sd-2023: ECDSA selective disclosure (W3C VC Data Integrity ECDSA Cryptosuites 1.0 §3.6).

Three parties, three operations:

- the issuer adds a *base proof* (:class:`EcdsaSd2023` through
  :func:`~staffvc.proofs.data_integrity.add_proof`): every canonical statement is signed on
  its own with a one-time P-256 key, and the issuer's key signs that key together with the
  statements the ``mandatory_pointers`` select (those are always disclosed);
- the holder calls :func:`derive_proof` with the JSON Pointers they choose to reveal; it needs
  no key, only the base proof, which also holds the HMAC key that hides blank node labels;
- the verifier checks the *derived proof* (:meth:`EcdsaSd2023.verify_proof`). A base proof
  is refused there: it carries the HMAC key, so showing it to a verifier would undo the
  unlinkability of blank nodes, and the specification only defines verifying derived proofs.

Keys: the issuer key is P-256 (ES256). P-384 is not offered: §3.5.8 fixes the derived proof's
base signature at 64 bytes and its HMAC'd labels at 32, which only a P-256 issuer produces.

Errors when verifying follow §3.5.8 and §3.6.7: PROOF_VERIFICATION_ERROR for a proof value
that does not parse and for any signature that does not verify; MALFORMED_PROOF_ERROR when
there is no proofValue string at all. Holder and issuer errors are
:class:`~staffvc.proofs.data_integrity.ProofGenerationError`.
"""

from __future__ import annotations

import copy
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from staffvc.errors import InvalidKeyError, StaffVCError
from staffvc.jsonld import (
    DEFAULT_CANONICALIZATION_LIMITS,
    CanonicalizationLimits,
    DocumentLoader,
    canonicalize_rdfc,
)
from staffvc.jsonld.dataset import canonical_labels, to_dataset
from staffvc.keys import (
    KeyPair,
    KeyType,
    PublicKey,
    Signer,
    decode_multicodec_key,
    multibase_decode,
)
from staffvc.proofs.data_integrity._sd_groups import (
    GroupingError,
    canonicalize_and_group,
    hmac_label_map_factory,
    label_map_factory,
    label_replacement_canonicalize,
)
from staffvc.proofs.data_integrity._sd_proof_value import (
    HMAC_LENGTH,
    BaseProofValue,
    DerivedProofValue,
    parse_base,
    parse_derived,
    serialize_base,
    serialize_derived,
)
from staffvc.proofs.data_integrity._sd_select import PointerError, parse_pointer, select_json_ld
from staffvc.proofs.data_integrity.common import ProofGenerationError, proofs_of
from staffvc.proofs.data_integrity.suites import (
    DATA_INTEGRITY_PROOF,
    DI_CONTEXTS,
    KEY_TYPE_OF_ALGORITHM,
    require_key_and_context,
    with_suite_context,
)
from staffvc.results import CheckFailed, Code
from staffvc.safejson import JsonObject

__all__ = ["SUITE_NAME", "EcdsaSd2023", "derive_proof"]

SUITE_NAME = "ecdsa-sd-2023"
_KEY_ATTEMPTS = 16  # a random 32-byte string is a valid P-256 scalar with p > 1 - 2**-32


@dataclass(frozen=True, slots=True)
class EcdsaSd2023:
    """The ecdsa-sd-2023 cryptosuite: creates base proofs, verifies derived proofs.

    ``mandatory_pointers`` (JSON Pointers into the credential) select what every derived
    proof must reveal; an issuer normally makes ``/issuer`` mandatory. ``random_bytes(n)`` is
    the source of the HMAC key (first call, 32 bytes) and of the one-time proof key's scalar
    (next call, 32 bytes, repeated in the negligible case it is out of range); inject a fixed
    one only to reproduce test vectors.
    """

    mandatory_pointers: Sequence[str] = ()
    random_bytes: Callable[[int], bytes] = field(default=os.urandom, repr=False)
    limits: CanonicalizationLimits = DEFAULT_CANONICALIZATION_LIMITS

    def __post_init__(self) -> None:
        pointers = tuple(self.mandatory_pointers)
        for pointer in pointers:
            parse_pointer(pointer)  # PointerError (a ValueError) if malformed
        object.__setattr__(self, "mandatory_pointers", pointers)

    @property
    def name(self) -> str:
        return SUITE_NAME

    @property
    def proof_type(self) -> str:
        return DATA_INTEGRITY_PROOF

    def supports(self, key_type: KeyType) -> bool:
        return key_type is KeyType.P256

    def prepare(self, unsecured: JsonObject) -> JsonObject:
        return with_suite_context(unsecured, DI_CONTEXTS)

    # --- issuer: base proof (§3.6.1-3.6.5) -------------------------------------------------

    def create_proof(
        self, unsecured: JsonObject, options: JsonObject, signer: Signer, *, loader: DocumentLoader
    ) -> JsonObject:
        if KEY_TYPE_OF_ALGORITHM.get(signer.algorithm) is not KeyType.P256:
            raise ProofGenerationError(f"{SUITE_NAME} signs with P-256 (ES256) keys only")
        if "proof" in unsecured:
            raise ProofGenerationError(f"{SUITE_NAME} base proofs cannot be chained")
        if options.get("type") != DATA_INTEGRITY_PROOF or options.get("cryptosuite") != SUITE_NAME:
            raise ProofGenerationError(
                f"proof options must name {DATA_INTEGRITY_PROOF}/{SUITE_NAME}"
            )
        proof = dict(options)
        proof_hash = _proof_hash(unsecured, proof, loader=loader)
        hmac_key = self._random(HMAC_LENGTH, "HMAC key")
        try:
            grouped = canonicalize_and_group(
                unsecured,
                hmac_label_map_factory(hmac_key),
                {"mandatory": self.mandatory_pointers},
                loader=loader,
                limits=self.limits,
            )
        except (PointerError, GroupingError) as exc:
            raise ProofGenerationError(f"mandatory pointers: {exc}") from exc
        mandatory = grouped.groups["mandatory"]
        proof_key = self._proof_key()
        public_key = multibase_decode(proof_key.public_key.to_multikey())
        mandatory_hash = hashlib.sha256("".join(mandatory.matching.values()).encode()).digest()
        proof["proofValue"] = serialize_base(
            BaseProofValue(
                base_signature=signer.sign(proof_hash + public_key + mandatory_hash),
                public_key=public_key,
                hmac_key=hmac_key,
                signatures=[proof_key.sign(nq.encode()) for nq in mandatory.non_matching.values()],
                mandatory_pointers=list(self.mandatory_pointers),
            )
        )
        return proof

    def _random(self, length: int, what: str) -> bytes:
        value = self.random_bytes(length)
        if not isinstance(value, bytes) or len(value) != length:
            raise ProofGenerationError(f"random_bytes({length}) gave no {length}-byte {what}")
        return value

    def _proof_key(self) -> KeyPair:
        for _ in range(_KEY_ATTEMPTS):
            scalar = self._random(32, "proof key scalar")
            try:
                return KeyPair.from_private_bytes(KeyType.P256, scalar)
            except InvalidKeyError:  # 0 or not below the group order: draw again
                continue
        raise ProofGenerationError("random_bytes gave no valid P-256 scalar")

    # --- verifier: derived proof (§3.5.9, §3.6.7) ------------------------------------------

    def verify_proof(
        self, unsecured: JsonObject, proof: JsonObject, key: PublicKey, *, loader: DocumentLoader
    ) -> None:
        require_key_and_context(self, key, unsecured, DI_CONTEXTS)
        derived = parse_derived(proof.get("proofValue"))
        proof_key = _proof_public_key(derived.public_key)
        try:
            nquads, _ = label_replacement_canonicalize(
                to_dataset(unsecured, loader=loader),
                label_map_factory(derived.label_map),
                limits=self.limits,
            )
        except GroupingError as exc:
            raise CheckFailed(
                Code.PROOF_VERIFICATION_ERROR, str(exc), pointer="/proofValue"
            ) from exc
        if derived.mandatory_indexes and derived.mandatory_indexes[-1] >= len(nquads):
            raise CheckFailed(
                Code.PROOF_VERIFICATION_ERROR,
                f"mandatoryIndexes name statement {derived.mandatory_indexes[-1]}; "
                f"the document has {len(nquads)}",
                pointer="/proofValue",
            )
        wanted = set(derived.mandatory_indexes)
        mandatory = [nq for i, nq in enumerate(nquads) if i in wanted]
        non_mandatory = [nq for i, nq in enumerate(nquads) if i not in wanted]
        if len(derived.signatures) != len(non_mandatory):
            raise CheckFailed(
                Code.PROOF_VERIFICATION_ERROR,
                f"the proof has {len(derived.signatures)} statement signatures; the document "
                f"has {len(non_mandatory)} statements that are not mandatory",
                pointer="/proofValue",
            )
        proof_hash = _proof_hash(unsecured, proof, loader=loader)
        mandatory_hash = hashlib.sha256("".join(mandatory).encode()).digest()
        if not key.verify(derived.base_signature, proof_hash + derived.public_key + mandatory_hash):
            raise CheckFailed(
                Code.PROOF_VERIFICATION_ERROR,
                "the base signature does not match the proof options, the proof key and the "
                "mandatory statements",
                pointer="/proofValue",
            )
        for index, (signature, nq) in enumerate(
            zip(derived.signatures, non_mandatory, strict=True)
        ):
            if not proof_key.verify(signature, nq.encode()):
                raise CheckFailed(
                    Code.PROOF_VERIFICATION_ERROR,
                    f"the signature of disclosed statement {index} does not match it",
                    pointer="/proofValue",
                )


# --- holder: derived proof (§3.5.4, §3.6.6) -------------------------------------------------


def derive_proof(
    secured_document: JsonObject,
    selective_pointers: Sequence[str],
    *,
    loader: DocumentLoader,
    limits: CanonicalizationLimits = DEFAULT_CANONICALIZATION_LIMITS,
) -> JsonObject:
    """The document a holder shows: what the base proof's mandatory pointers and
    ``selective_pointers`` select, with a derived ecdsa-sd-2023 proof.

    ``secured_document`` must carry exactly one ecdsa-sd-2023 base proof; other proofs are
    not carried over. Raises :class:`ProofGenerationError` (for example for a pointer that
    matches nothing, or a base proof that does not belong to the document).
    """
    base_proof = _base_proof_of(secured_document)
    try:
        base = parse_base(base_proof.get("proofValue"))
    except CheckFailed as exc:
        raise ProofGenerationError(f"the base proof cannot be read: {exc.detail}") from exc
    document = {k: v for k, v in secured_document.items() if k != "proof"}
    selective = list(selective_pointers)
    combined = [*base.mandatory_pointers, *selective]
    if not combined:
        raise ProofGenerationError("nothing to disclose: no mandatory or selective pointers")
    try:
        grouped = canonicalize_and_group(
            document,
            hmac_label_map_factory(base.hmac_key),
            {"mandatory": base.mandatory_pointers, "selective": selective, "combined": combined},
            loader=loader,
            limits=limits,
        )
        reveal = select_json_ld(combined, document)
    except (PointerError, GroupingError) as exc:
        raise ProofGenerationError(str(exc)) from exc
    assert reveal is not None  # combined is not empty
    groups = grouped.groups
    mandatory, selected = groups["mandatory"].matching, groups["selective"].matching
    if len(base.signatures) != len(groups["mandatory"].non_matching):
        raise ProofGenerationError("the base proof does not belong to this document")
    combined_indexes = list(groups["combined"].matching)
    non_mandatory_indexes = [i for i in range(len(grouped.nquads)) if i not in mandatory]
    canonical = canonical_labels(groups["combined"].dataset, limits=limits)
    new_proof = copy.deepcopy(base_proof)  # the result shares nothing with the input
    new_proof["proofValue"] = serialize_derived(
        DerivedProofValue(
            base_signature=base.base_signature,
            public_key=base.public_key,
            signatures=[
                signature
                for index, signature in zip(non_mandatory_indexes, base.signatures, strict=True)
                if index in selected
            ],
            label_map={c14n: grouped.label_map[label] for label, c14n in canonical.items()},
            mandatory_indexes=[
                relative
                for relative, absolute in enumerate(combined_indexes)
                if absolute in mandatory
            ],
        )
    )
    reveal["proof"] = new_proof
    return reveal


def _base_proof_of(document: JsonObject) -> JsonObject:
    found = [
        p for p in proofs_of(document) if isinstance(p, dict) and p.get("cryptosuite") == SUITE_NAME
    ]
    if len(found) != 1:
        raise ProofGenerationError(
            f"the document must carry exactly one {SUITE_NAME} proof; it has {len(found)}"
        )
    return found[0]


def _proof_hash(unsecured: JsonObject, proof: JsonObject, *, loader: DocumentLoader) -> bytes:
    """SHA-256 of the canonical proof configuration (§3.6.4): the proof without its value,
    under the document's @context."""
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = unsecured.get("@context")
    return hashlib.sha256(canonicalize_rdfc(config, loader=loader).encode()).digest()


def _proof_public_key(multikey: bytes) -> PublicKey:
    try:
        decoded = decode_multicodec_key(multikey)
        if decoded.private or decoded.key_type is not KeyType.P256:
            raise ValueError("not a P-256 public key")
        return PublicKey.from_raw(KeyType.P256, decoded.raw)
    except (StaffVCError, ValueError) as exc:
        raise CheckFailed(
            Code.PROOF_VERIFICATION_ERROR,
            f"the proof public key is not a P-256 Multikey: {exc}",
            pointer="/proofValue",
        ) from None
