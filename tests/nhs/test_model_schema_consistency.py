"""The pydantic models and the JSON Schemas of the NHS credential subjects agree.

Three ways: (1) structurally, member by member (types, required members, enums, patterns,
bounds, closed objects); (2) every subject the strategies draw is accepted by both and
round-trips through the model unchanged; (3) any mutation of a valid subject (a member
removed, replaced by arbitrary JSON, a near-miss string, an extra member) is accepted by the
model exactly when the schema accepts it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from staffvc.credentials.nhs import CREDENTIAL_TYPES, SCHEMA_BASE, SUBJECT_MODELS
from staffvc.credentials.nhs.rules import assemble_credential
from staffvc.credentials.nhs.strategies import ISSUER, IssuedSubject, issued_subjects
from staffvc.credentials.schema import bundled_schemas, validate_against

Example = Callable[[str], dict[str, Any]]
Patched = Callable[[dict[str, Any]], dict[str, Any]]
_KEPT = (
    "type",
    "enum",
    "const",
    "pattern",
    "format",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "additionalProperties",
)


# --- (1) structure -------------------------------------------------------------------------------


def _resolve(
    node: dict[str, Any], document: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    while "$ref" in node:
        reference = node["$ref"]
        file, _, fragment = reference.partition("#")
        if file:
            document = bundled_schemas()[SCHEMA_BASE + file]
        target: Any = document
        for token in fragment.strip("/").split("/"):
            target = target[token]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node, document


def _normal(node: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """The constraints of a (sub)schema, with references resolved and optionality removed."""
    node, document = _resolve(node, document)
    if "anyOf" in node:
        options = [o for o in node["anyOf"] if o != {"type": "null"}]
        assert len(options) == 1, node
        node, document = _resolve(options[0], document)
    out: dict[str, Any] = {k: node[k] for k in _KEPT if k in node}
    if "enum" in out:
        out["enum"] = sorted(out["enum"])
    if out.get("format") in ("date", "date-time"):
        out.pop("pattern", None)  # the model checks the format with the same function
    if "properties" in node:
        out["properties"] = {
            name: _normal(sub, document) for name, sub in node["properties"].items()
        }
        out["required"] = sorted(node.get("required", []))
    if "items" in node:
        out["items"] = _normal(node["items"], document)
    return out


@pytest.mark.parametrize("type_name", CREDENTIAL_TYPES)
def test_model_and_schema_have_the_same_structure(type_name: str) -> None:
    model = SUBJECT_MODELS[type_name]
    schema = bundled_schemas()[model.schema_id()]
    ours = _normal(schema["$defs"]["subject"], schema)
    generated = model.model_json_schema(by_alias=True)
    theirs = _normal(generated, generated)
    assert ours == theirs


# --- (2) valid subjects ---------------------------------------------------------------------------


def _credential(issued: IssuedSubject, subject: Any = None) -> dict[str, Any]:
    credential = assemble_credential(
        issued.subject,
        issuer=ISSUER,
        valid_from=issued.valid_from,
        valid_until=issued.valid_until,
        credential_id=None,
    )
    if subject is not None:
        credential["credentialSubject"] = subject
    return credential


def _schema_accepts_subject(credential: dict[str, Any]) -> bool:
    problems = validate_against(credential, credential["credentialSchema"]["id"])
    return not [p for p in problems if p.pointer.startswith("/credentialSubject")]


def _model_accepts(type_name: str, subject: Any) -> bool:
    try:
        SUBJECT_MODELS[type_name].from_json(subject)
    except ValidationError:
        return False
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(issued=issued_subjects())
def test_valid_subjects_pass_both_and_round_trip(issued: IssuedSubject) -> None:
    credential = _credential(issued)
    assert validate_against(credential, credential["credentialSchema"]["id"]) == []
    subject_json = credential["credentialSubject"]
    again = type(issued.subject).from_json(copy.deepcopy(subject_json))
    assert again == issued.subject
    assert again.to_json() == subject_json


# --- (3) mutations ------------------------------------------------------------------------------

_NEAR_MISSES = st.sampled_from(
    [
        "",
        " ",
        "9900001",
        "009900001234",
        "2025-05-12",
        "2025-02-30",
        "2025-05-12T00:00:00Z",
        "2025-05-12T00:00:00",
        "ZZ9",
        "zz9",
        "P2Y",
        "did:example:x",
        "not a url",
        "fire_safety",
        "medium",
        "M1B",
        "16584000",
        "hepatitis_b",
        "cleared_for_role",
        "data:image/jpeg;base64,AAAA",
        "NHS|CSTF|Fire Safety - 2 Years|",
        "Band 6",
        "EXA/ZZ9/F2/001",
        "ZZ99 9ZZ",
        "GB",
        "x" * 201,
    ]
)
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 2200)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | _NEAR_MISSES,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=8) | _NEAR_MISSES, children, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[str, dict[str, Any], Any]:
    issued = draw(issued_subjects())
    credential = _credential(issued)
    subject = copy.deepcopy(credential["credentialSubject"])
    path = draw(st.sampled_from(list(_paths(subject))[1:]))
    parent: Any = subject
    for token in path[:-1]:
        parent = parent[token]
    last = path[-1]
    old = parent[last]
    action = draw(
        st.sampled_from(["remove", "replace", "near-miss", "extra", "suffix", "truncate", "nudge"])
    )
    if action == "remove":
        del parent[last]
    elif action == "replace":
        parent[last] = draw(_JSON)
    elif action == "near-miss":
        parent[last] = draw(_NEAR_MISSES)
    elif action == "suffix" and isinstance(old, str):
        parent[last] = old + draw(st.sampled_from(["\n", " ", "0", "\x00", "\u00a0", "A"]))
    elif action == "truncate" and isinstance(old, str | list):
        parent[last] = old[: draw(st.integers(0, max(0, len(old) - 1)))]
    elif action == "nudge" and isinstance(old, int) and not isinstance(old, bool):
        parent[last] = draw(st.sampled_from([old - 1, old + 1, float(old), str(old)]))
    elif isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=10) | _NEAR_MISSES)] = draw(_JSON)
    return credential["type"][1], credential, subject


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(case=_mutated())
def test_model_accepts_a_mutated_subject_exactly_when_the_schema_does(
    case: tuple[str, dict[str, Any], Any],
) -> None:
    type_name, credential, subject = case
    mutated = {**credential, "credentialSubject": subject}
    assert _model_accepts(type_name, subject) == _schema_accepts_subject(mutated), subject


def test_the_schema_corpus_is_refused_by_the_models_too(patched: Patched) -> None:
    corpus = json.loads((Path(__file__).parent / "invalid" / "schema-cases.json").read_text())
    cases = [
        case
        for case in corpus["cases"]
        if case.get("pointer", "").startswith("/credentialSubject/")
    ]
    assert len(cases) > 30
    for case in cases:
        credential = patched(case)
        assert not _model_accepts(credential["type"][1], credential["credentialSubject"]), case


def _variants(value: Any) -> Iterator[Any]:
    """Deterministic near misses of one JSON value."""
    yield None
    yield [value]
    yield {"value": value}
    if isinstance(value, bool):
        yield int(value)
        yield str(value).lower()
    elif isinstance(value, int):
        yield from (value - 1, value + 1, float(value), str(value), -value, 10**20)
    elif isinstance(value, str):
        yield from (value[:-1], value + value[-1:], value + "\n", " " + value, value.upper())
        yield from (value.lower(), value + "\x00", "", value[1:], value.replace("-", "/"))
    elif isinstance(value, list):
        yield []
        yield value + value[:1]
        yield value * 5
    elif isinstance(value, dict):
        yield {}
        for key in value:
            yield {k: v for k, v in value.items() if k != key}


def test_every_near_miss_of_every_example_member_gets_the_same_answer(example: Example) -> None:
    names = sorted(
        p.stem for p in (Path(__file__).parents[2] / "examples" / "credentials").glob("*.json")
    )
    checked = 0
    for name in names:
        credential = example(name)
        type_name = credential["type"][1]
        subject = credential["credentialSubject"]
        for path in list(_paths(subject))[1:]:
            parent: Any = subject
            for token in path[:-1]:
                parent = parent[token]
            for variant in _variants(parent[path[-1]]):
                mutated = copy.deepcopy(subject)
                target: Any = mutated
                for token in path[:-1]:
                    target = target[token]
                target[path[-1]] = variant
                document = {**credential, "credentialSubject": mutated}
                model_ok = _model_accepts(type_name, mutated)
                assert model_ok == _schema_accepts_subject(document), (name, path, variant)
                checked += 1
    assert checked > 1500
