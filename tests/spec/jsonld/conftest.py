"""Fixtures for the JSON-LD tests: the official Data Integrity vectors and sample credentials."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest

from staffvc.jsonld import BundledLoader, RdfcHash
from support import CITIZENSHIP_V4RC1, CITIZENSHIP_V4RC1_RECONSTRUCTED, load_vector

V2 = "https://www.w3.org/ns/credentials/v2"


@dataclass(frozen=True)
class VectorCase:
    """One case of the official vectors, with what canonicalizing it needs."""

    name: str
    data: dict[str, Any]

    @property
    def needs_citizenship(self) -> bool:
        return CITIZENSHIP_V4RC1 in self.data["unsignedDocument"]["@context"]

    @property
    def hash_algorithm(self) -> RdfcHash:
        # VC-DI-ECDSA §3.3: with P-384, RDFC-1.0 runs with SHA-384.
        return RdfcHash.SHA384 if "p384" in self.name else RdfcHash.SHA256

    def loader(self) -> BundledLoader:
        """Bundled contexts only, plus the reconstructed citizenship context if needed."""
        if self.needs_citizenship:
            return BundledLoader({CITIZENSHIP_V4RC1: CITIZENSHIP_V4RC1_RECONSTRUCTED})
        return BundledLoader()


def _cases(relative: str) -> list[VectorCase]:
    vectors: dict[str, dict[str, Any]] = load_vector(relative)
    return [VectorCase(name, data) for name, data in sorted(vectors.items())]


ALL_CASES = _cases("vc-di-eddsa/eddsa-vectors.json") + _cases("vc-di-ecdsa/ecdsa-vectors.json")
_PARAMETERS = {
    "rdfc_case": [case for case in ALL_CASES if "jcs" not in case.name],
    "jcs_case": [case for case in ALL_CASES if "jcs" in case.name],
    "employment_case": [case for case in ALL_CASES if case.needs_citizenship],
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``rdfc_case``, ``jcs_case`` and ``employment_case`` over the vectors."""
    for fixture, cases in _PARAMETERS.items():
        if fixture in metafunc.fixturenames:
            metafunc.parametrize(fixture, cases, ids=[case.name for case in cases])


@pytest.fixture
def all_rdfc_cases() -> dict[str, VectorCase]:
    return {case.name: case for case in _PARAMETERS["rdfc_case"]}


@pytest.fixture
def loader() -> BundledLoader:
    """A fresh offline loader: bundled contexts only."""
    return BundledLoader()


@pytest.fixture
def credential() -> dict[str, Any]:
    """A VC 2.0 credential that uses only terms the base context defines."""
    return copy.deepcopy(
        {
            "@context": [V2],
            "id": "urn:uuid:6f1c1b8e-2f0e-4f5e-9a53-0d6a1f2b3c4d",
            "type": ["VerifiableCredential"],
            "name": "Statutory and Mandatory Training",
            "description": "Fire Safety, level 1",
            "issuer": {"id": "did:web:trust.example.nhs.uk", "name": "Example NHS Trust"},
            "validFrom": "2025-01-01T00:00:00Z",
            "validUntil": "2026-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:staff-1234"},
            "credentialStatus": {
                "id": "https://trust.example.nhs.uk/status/1#94567",
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": "94567",
                "statusListCredential": "https://trust.example.nhs.uk/status/1",
            },
        }
    )
