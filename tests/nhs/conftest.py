"""Fixtures for the NHS credential tests: the examples, the invalid corpora, issuer keys.

Test modules get the examples by name through the ``example`` fixture, and are
parametrized over ``example_name`` / ``schema_case`` / ``rule_case`` by
:func:`pytest_generate_tests` below (conftest modules cannot be imported by name under
``--import-mode=importlib``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from staffvc.clock import parse_datetime
from staffvc.did import did_key, vm_id_of
from staffvc.jsonld import BundledLoader
from staffvc.keys import KeyPair, KeyType
from support import REPO

EXAMPLES = REPO / "examples" / "credentials"
INVALID = Path(__file__).parent / "invalid"


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.json"))
SCHEMA_CASES = _load(INVALID / "schema-cases.json")["cases"]
RULE_CASES = _load(INVALID / "rule-cases.json")["cases"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "example_name" in metafunc.fixturenames:
        metafunc.parametrize("example_name", EXAMPLE_NAMES)
    if "schema_case" in metafunc.fixturenames:
        metafunc.parametrize("schema_case", SCHEMA_CASES, ids=[c["name"] for c in SCHEMA_CASES])
    if "rule_case" in metafunc.fixturenames:
        metafunc.parametrize("rule_case", RULE_CASES, ids=[c["name"] for c in RULE_CASES])


def apply_patch(document: Any, operations: list[dict[str, Any]]) -> Any:
    """A copy of ``document`` with RFC 6902 ``add``/``replace``/``remove`` operations applied."""
    document = copy.deepcopy(document)
    for operation in operations:
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in operation["path"].split("/")]
        parent = document
        for token in tokens[1:-1]:
            parent = parent[int(token)] if isinstance(parent, list) else parent[token]
        last, op = tokens[-1], operation["op"]
        if isinstance(parent, list):
            index = len(parent) if last == "-" else int(last)
            if op == "add":
                parent.insert(index, operation["value"])
            elif op == "replace":
                parent[index] = operation["value"]
            else:
                del parent[index]
        elif op == "remove":
            del parent[last]
        else:
            assert op == "add" or last in parent, f"replace needs an existing member: {operation}"
            parent[last] = operation["value"]
    return document


@pytest.fixture
def example() -> Callable[[str], dict[str, Any]]:
    """A fresh copy of examples/credentials/<name>.json."""
    return lambda name: _load(EXAMPLES / f"{name}.json")


@pytest.fixture
def patched() -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The example a corpus case starts from, with the case's patch applied."""
    return lambda case: apply_patch(_load(EXAMPLES / f"{case['example']}.json"), case["patch"])


def inside_validity(credential: dict[str, Any]) -> datetime:
    """An instant at which ``credential`` is valid (one hour after validFrom)."""
    from datetime import timedelta

    return parse_datetime(credential["validFrom"]) + timedelta(hours=1)


@pytest.fixture(scope="session")
def loader() -> BundledLoader:
    return BundledLoader()


@pytest.fixture(scope="session")
def ed25519_issuer() -> KeyPair:
    key = KeyPair.generate(KeyType.ED25519)
    return key.with_key_id(vm_id_of(key.public_key))


@pytest.fixture(scope="session")
def p256_issuer() -> KeyPair:
    key = KeyPair.generate(KeyType.P256)
    return key.with_key_id(vm_id_of(key.public_key))


def issued_by(credential: dict[str, Any], key: KeyPair) -> dict[str, Any]:
    """``credential`` with its issuer id replaced by the did:key of ``key`` (name kept)."""
    did = str(did_key(key.public_key))
    credential = copy.deepcopy(credential)
    issuer = credential["issuer"]
    credential["issuer"] = {**issuer, "id": did} if isinstance(issuer, dict) else did
    return credential


@pytest.fixture
def rekey() -> Callable[[dict[str, Any], KeyPair], dict[str, Any]]:
    return issued_by


@pytest.fixture
def at() -> Callable[[dict[str, Any]], datetime]:
    return inside_validity


CREATED = datetime(2025, 1, 1, tzinfo=UTC)
