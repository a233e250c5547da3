"""Any change to a signed credential's content is not VALID (whatever the suite)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from staffvc.clock import FixedClock
from staffvc.did import did_key, vm_id_of
from staffvc.jsonld import BundledLoader
from staffvc.keys import KeyPair, KeyType
from staffvc.proofs import AssertionPurpose
from staffvc.proofs.data_integrity import add_proof
from staffvc.results import Verdict
from staffvc.verifier import Verifier

NOW = datetime(2026, 11, 21, tzinfo=UTC)
SUITES = [
    ("eddsa-rdfc-2022", KeyType.ED25519),
    ("eddsa-jcs-2022", KeyType.ED25519),
    ("ecdsa-rdfc-2019", KeyType.P256),
    ("ecdsa-jcs-2019", KeyType.P384),
    ("Ed25519Signature2020", KeyType.ED25519),
]


def _signed(suite: str, key_type: KeyType) -> dict[str, Any]:
    key = KeyPair.generate(key_type)
    key = key.with_key_id(vm_id_of(key.public_key))
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2",
        ],
        "id": "urn:uuid:1b0e8f8e-5f1a-4d5e-9e34-8e7a1c0b2d3f",
        "type": ["VerifiableCredential", "ExampleTrainingCredential"],
        "issuer": {"id": did_key(key.public_key), "name": "Example NHS Trust"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:staff-7",
            "name": "Information Governance",
            "level": 1,
            "passed": True,
            "modules": ["Data Security", "Records"],
        },
    }
    return add_proof(
        credential,
        key,
        suite=suite,
        purpose=AssertionPurpose(),
        created=NOW,
        loader=BundledLoader(),
    )


SIGNED = {suite: _signed(suite, key_type) for suite, key_type in SUITES}
VERIFIER = Verifier(clock=FixedClock(NOW))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every scalar in the document."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _paths(v, (*prefix, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _paths(v, (*prefix, i))]
    return [prefix]


def _set(document: Any, path: tuple[Any, ...], new: Any) -> None:
    for step in path[:-1]:
        document = document[step]
    document[path[-1]] = new


def _get(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


scalars = st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.none())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(suite=st.sampled_from([s for s, _ in SUITES]), data=st.data())
def test_changing_any_scalar_is_not_valid(suite: str, data: st.DataObject) -> None:
    original = SIGNED[suite]
    path = data.draw(st.sampled_from(_paths(original)), label="path")
    new = data.draw(scalars, label="new value")
    assume(new != _get(original, path) or type(new) is not type(_get(original, path)))
    mutated = copy.deepcopy(original)
    _set(mutated, path, new)
    result = VERIFIER.verify(mutated, challenge=None, domain=None, now=None)
    assert result.verdict is not Verdict.VALID, (path, new)


@settings(max_examples=60, deadline=None)
@given(suite=st.sampled_from([s for s, _ in SUITES]), data=st.data())
def test_removing_or_adding_a_member_is_not_valid(suite: str, data: st.DataObject) -> None:
    original = SIGNED[suite]
    mutated = copy.deepcopy(original)
    objects = [mutated, mutated["credentialSubject"], mutated["issuer"], mutated["proof"]]
    target = data.draw(st.sampled_from(objects), label="object")
    if data.draw(st.booleans(), label="remove"):
        # A JCS proof's "@context" is a copy of the document's: without it, the proof
        # configuration takes the document's (eddsa-jcs-2022 §3.3.5), so the signed bytes do
        # not change and removing it is no mutation of what was signed.
        removable = sorted(
            n for n in target if not (target is mutated["proof"] and n == "@context")
        )
        name = data.draw(st.sampled_from(removable), label="member")
        del target[name]
    else:
        name = data.draw(
            st.sampled_from(["name", "description", "nonce", "extra", "level"]), label="member"
        )
        assume(name not in target)
        target[name] = data.draw(st.text(min_size=1, max_size=10), label="value")
    result = VERIFIER.verify(mutated, challenge=None, domain=None, now=None)
    assert result.verdict is not Verdict.VALID


def test_the_unmutated_credentials_are_valid() -> None:
    for suite, document in SIGNED.items():
        result = VERIFIER.verify(document, challenge=None, domain=None, now=None)
        assert result.verdict is Verdict.VALID, (suite, result.explain())
