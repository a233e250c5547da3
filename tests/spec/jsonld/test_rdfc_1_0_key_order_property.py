"""Property: canonical N-Quads do not depend on the order of JSON object members.

JSON objects are unordered (RFC 8259 §4); a holder or a proxy may re-serialize a credential
with its members in any order, and the signature must still verify.
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from staffvc.jsonld import BundledLoader, canonicalize_jcs, canonicalize_rdfc
from staffvc.safejson import JsonValue

V2 = "https://www.w3.org/ns/credentials/v2"

LOADER = BundledLoader()

CREDENTIAL: dict[str, Any] = {
    "@context": [V2, {"training": "https://contexts.example.nhs.uk/staff#training"}],
    "type": ["VerifiableCredential"],
    "name": "Core skills",
    "issuer": {"id": "did:web:trust.example.nhs.uk", "name": "Example NHS Trust"},
    "validFrom": "2025-01-01T00:00:00Z",
    "credentialSubject": {
        "id": "did:example:staff-1234",
        "training": [
            {"name": "Fire Safety", "description": "Level 1"},
            {"name": "Information Governance", "description": "Level 2"},
        ],
    },
    "evidence": [{"name": "Certificate", "description": "scan"}],
}
EXPECTED = canonicalize_rdfc(CREDENTIAL, loader=LOADER)


def shuffled(value: JsonValue, rng: random.Random) -> JsonValue:
    """``value`` with every object's members re-ordered (arrays keep their order)."""
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {key: shuffled(child, rng) for key, child in items}
    if isinstance(value, list):
        return [shuffled(child, rng) for child in value]
    return value


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False))
def test_member_order_does_not_change_the_canonical_form(rng: random.Random) -> None:
    reordered = shuffled(CREDENTIAL, rng)
    assert isinstance(reordered, dict)
    assert canonicalize_rdfc(reordered, loader=LOADER) == EXPECTED
    assert canonicalize_jcs(reordered) == canonicalize_jcs(CREDENTIAL)


def test_the_credential_has_blank_nodes_so_the_property_means_something() -> None:
    assert EXPECTED.count("_:c14n") >= 4
    changed = CREDENTIAL | {"name": "Core skills (2)"}
    assert canonicalize_rdfc(changed, loader=LOADER) != EXPECTED
