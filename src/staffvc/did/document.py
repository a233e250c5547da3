"""DID documents as received, and the verification methods in them.

:class:`DidDocument` is a read-only view over the JSON of a DID document that answers the
questions a verifier asks: which verification method has this id, and is it authorised for
this relationship. :func:`public_key_of` turns a verification method into a
:class:`~staffvc.keys.PublicKey`, checking that the method's type fits the key.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

import base58

from staffvc.did.syntax import Did, parse_did
from staffvc.errors import (
    InvalidDidDocumentError,
    InvalidDidError,
    InvalidKeyError,
    InvalidPublicKeyError,
    InvalidPublicKeyLengthError,
    InvalidVerificationMethodError,
    KeyLengthError,
    StaffVCError,
    UnsupportedKeyTypeError,
    UnsupportedPublicKeyTypeError,
)
from staffvc.keys import KeyType, PublicKey
from staffvc.safejson import JsonObject, JsonValue

__all__ = [
    "DidDocument",
    "Relationship",
    "VerificationMethod",
    "as_did_key_errors",
    "public_key_of",
]


class Relationship(StrEnum):
    """Verification relationships (DID Core §5.3)."""

    AUTHENTICATION = "authentication"
    ASSERTION_METHOD = "assertionMethod"
    KEY_AGREEMENT = "keyAgreement"
    CAPABILITY_INVOCATION = "capabilityInvocation"
    CAPABILITY_DELEGATION = "capabilityDelegation"


@dataclass(frozen=True, slots=True)
class VerificationMethod:
    """A verification method taken from a resolved DID document, with its parsed key."""

    id: str
    type: str
    controller: str
    public_key: PublicKey
    document: DidDocument


class DidDocument:
    """A read-only view of a DID document.

    The constructor checks the structure a verifier relies on (an ``id`` that is a DID,
    verification methods with ``id``, ``type`` and ``controller``, relationships that are
    lists of ids or embedded methods) and raises :class:`InvalidDidDocumentError` otherwise.
    Relative ids (``#key-1``) are read against the document's ``id``.
    """

    __slots__ = ("_data", "_id", "_methods", "_parsed", "_relationships")

    def __init__(self, data: Mapping[str, JsonValue]) -> None:
        if not isinstance(data, Mapping):
            raise InvalidDidDocumentError("a DID document must be a JSON object")
        doc_id = data.get("id")
        if not isinstance(doc_id, str):
            raise InvalidDidDocumentError("a DID document must have an 'id' string")
        try:
            self._id = parse_did(doc_id).did
        except InvalidDidError:
            raise InvalidDidDocumentError(f"DID document id {doc_id!r} is not a DID") from None
        self._data: JsonObject = copy.deepcopy(dict(data))  # nobody else can mutate it
        self._methods: dict[str, JsonObject] = {}
        self._relationships: dict[Relationship, tuple[str, ...]] = {}
        self._parsed: dict[str, VerificationMethod] = {}
        for i, vm in enumerate(self._list("verificationMethod")):
            if not isinstance(vm, dict):
                raise InvalidDidDocumentError(f"verificationMethod[{i}] must be an object")
            self._add_method(vm, f"verificationMethod[{i}]")
        for rel in Relationship:
            ids: list[str] = []
            for i, entry in enumerate(self._list(rel.value)):
                where = f"{rel.value}[{i}]"
                if isinstance(entry, str):
                    ids.append(self._absolute(entry))
                elif isinstance(entry, dict):
                    ids.append(self._add_method(entry, where))
                else:
                    raise InvalidDidDocumentError(f"{where} must be an id or an object")
            self._relationships[rel] = tuple(ids)

    @property
    def id(self) -> Did:
        return self._id

    def to_json(self) -> JsonObject:
        """A deep copy of the document's JSON (the view itself is never mutated)."""
        return copy.deepcopy(self._data)

    def method_ids(self) -> Iterator[str]:
        return iter(self._methods)

    def has_method(self, vm_id: str) -> bool:
        return vm_id in self._methods

    def method(self, vm_id: str) -> JsonObject | None:
        """The verification method with absolute id ``vm_id``, embedded or listed, or None."""
        found = self._methods.get(vm_id)
        return copy.deepcopy(found) if found is not None else None

    def relationship(self, relationship: Relationship) -> tuple[str, ...]:
        """Absolute ids of the methods authorised for ``relationship``."""
        return self._relationships[relationship]

    def authorizes(self, vm_id: str, relationship: Relationship) -> bool:
        return vm_id in self._relationships[relationship]

    def verification_method(self, vm_id: str) -> VerificationMethod:
        """The verification method ``vm_id`` with its public key parsed (parsed once)."""
        parsed = self._parsed.get(vm_id)
        if parsed is not None:
            return parsed
        vm = self._methods.get(vm_id)
        if vm is None:
            raise InvalidVerificationMethodError(f"{self._id} has no verification method {vm_id}")
        parsed = VerificationMethod(
            id=vm_id,
            type=str(vm["type"]),
            controller=self._absolute(str(vm["controller"])),
            public_key=public_key_of(vm),
            document=self,
        )
        self._parsed[vm_id] = parsed
        return parsed

    def __repr__(self) -> str:
        return f"DidDocument({self._id}, methods={list(self._methods)})"

    # --- internals -----------------------------------------------------------------------

    def _list(self, name: str) -> list[JsonValue]:
        value = self._data.get(name, [])
        if not isinstance(value, list):
            raise InvalidDidDocumentError(f"DID document member {name!r} must be a list")
        return value

    def _absolute(self, vm_id: str) -> str:
        return self._id + vm_id if vm_id.startswith("#") else vm_id

    def _add_method(self, vm: JsonObject, where: str) -> str:
        for member in ("id", "type", "controller"):
            if not isinstance(vm.get(member), str):
                raise InvalidDidDocumentError(f"{where} must have a string {member!r}")
        vm_id = self._absolute(str(vm["id"]))
        if vm_id in self._methods and self._methods[vm_id] != vm:
            raise InvalidDidDocumentError(f"{where}: two different methods share id {vm_id}")
        self._methods[vm_id] = vm
        return vm_id


# verification method type -> (key types it may hold, how the key is written)
_MULTIBASE_TYPES: dict[str, frozenset[KeyType]] = {
    "Multikey": frozenset(KeyType),
    "Ed25519VerificationKey2020": frozenset({KeyType.ED25519}),
    "X25519KeyAgreementKey2020": frozenset({KeyType.X25519}),
}
_JWK_TYPES: dict[str, frozenset[KeyType]] = {
    "JsonWebKey": frozenset(KeyType),
    "JsonWebKey2020": frozenset(KeyType),
    "EcdsaSecp256k1VerificationKey2019": frozenset({KeyType.SECP256K1}),
}
_BASE58_TYPES: dict[str, KeyType] = {
    "Ed25519VerificationKey2018": KeyType.ED25519,
    "X25519KeyAgreementKey2019": KeyType.X25519,
    "EcdsaSecp256k1VerificationKey2019": KeyType.SECP256K1,
}


def public_key_of(vm: Mapping[str, JsonValue]) -> PublicKey:
    """The public key a verification method holds, checked against the method's type.

    Supports ``Multikey`` and ``Ed25519VerificationKey2020`` / ``X25519KeyAgreementKey2020``
    (``publicKeyMultibase``), ``JsonWebKey`` / ``JsonWebKey2020`` (``publicKeyJwk``), and the
    older ``Ed25519VerificationKey2018``, ``X25519KeyAgreementKey2019`` and
    ``EcdsaSecp256k1VerificationKey2019`` (``publicKeyBase58``, or JWK for the last).
    """
    vm_type = vm.get("type")
    vm_id = vm.get("id", "?")
    try:
        if vm_type in _MULTIBASE_TYPES and "publicKeyMultibase" in vm:
            text = vm["publicKeyMultibase"]
            if not isinstance(text, str):
                raise InvalidKeyError("publicKeyMultibase must be a string")
            key = PublicKey.from_multikey(text)
            allowed = _MULTIBASE_TYPES[str(vm_type)]
        elif vm_type in _JWK_TYPES and "publicKeyJwk" in vm:
            jwk = vm["publicKeyJwk"]
            if not isinstance(jwk, dict):
                raise InvalidKeyError("publicKeyJwk must be an object")
            key = PublicKey.from_jwk(jwk)
            allowed = _JWK_TYPES[str(vm_type)]
        elif vm_type in _BASE58_TYPES and "publicKeyBase58" in vm:
            text = vm["publicKeyBase58"]
            if not isinstance(text, str):
                raise InvalidKeyError("publicKeyBase58 must be a string")
            try:
                raw = base58.b58decode(text)
            except ValueError as exc:
                raise InvalidKeyError("publicKeyBase58 is not base58") from exc
            key_type = _BASE58_TYPES[str(vm_type)]
            key = PublicKey.from_raw(key_type, raw)
            allowed = frozenset({key_type})
        else:
            raise InvalidVerificationMethodError(
                f"verification method {vm_id} of type {vm_type!r} has no key staffvc can read"
            )
    except InvalidVerificationMethodError:
        raise
    except StaffVCError as exc:
        raise InvalidVerificationMethodError(f"verification method {vm_id}: {exc.message}") from exc
    if key.key_type not in allowed:
        raise InvalidVerificationMethodError(
            f"verification method {vm_id} of type {vm_type} cannot hold a {key.key_type} key"
        )
    return key


@contextmanager
def as_did_key_errors() -> Iterator[None]:
    """Re-raise key errors as the DID Resolution codes a DID method must report:
    wrong length → ``invalidPublicKeyLength``, unsupported type → ``unsupportedPublicKeyType``,
    any other bad key → ``invalidPublicKey``."""
    try:
        yield
    except KeyLengthError as exc:
        raise InvalidPublicKeyLengthError(exc.message) from exc
    except UnsupportedKeyTypeError as exc:
        raise UnsupportedPublicKeyTypeError(exc.message) from exc
    except InvalidKeyError as exc:
        raise InvalidPublicKeyError(exc.message) from exc
