"""The NHS staff passport JSON-LD context (JSON-LD 1.1 §4.1.11 protected terms, §4.1.8
scoped contexts; VCDM 2.0 §5.2 extensibility; Data Integrity §2.4.3 safe mode).

The context is bundled, pinned by sha256 and served only by the offline loader; every term
is protected; there is no ``@vocab`` (an undefined term is a data-loss error); it defines
every member of every subject model, and redefines nothing of the VCDM 2.0 context.
"""

from __future__ import annotations

import copy
import hashlib
import json
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from staffvc import resources
from staffvc.credentials.nhs import CONTEXT_URL, SUBJECT_MODELS, VOCABULARY, NhsModel
from staffvc.errors import ResourceError
from staffvc.jsonld import BundledLoader, DocumentLoaderError, JsonLdError, SafeModeError, expand
from support import REPO

Example = Callable[[str], dict[str, Any]]
V2 = "https://www.w3.org/ns/credentials/v2"
SCHEMA_ORG = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _context() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(resources.read_context(CONTEXT_URL))
    return document["@context"]


def test_the_context_is_bundled_pinned_and_served_offline() -> None:
    manifest = json.loads((REPO / "contexts" / "MANIFEST.json").read_text())
    entry = manifest["contexts"][CONTEXT_URL]
    data = (REPO / "contexts" / entry["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert len(data) == entry["bytes"]
    assert entry["source"]["kind"] == "authored"
    assert entry["source"]["by"] == "staffvc"
    assert resources.read_context(CONTEXT_URL) == data
    assert BundledLoader().load(CONTEXT_URL) == json.loads(data)


def test_a_changed_context_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = resources.context_manifest()[CONTEXT_URL]
    tampered = resources.BundledContext(url=CONTEXT_URL, file=entry.file, sha256="0" * 64)
    monkeypatch.setitem(resources.context_manifest(), CONTEXT_URL, tampered)
    resources.read_context.cache_clear()
    try:
        with pytest.raises(ResourceError):
            resources.read_context(CONTEXT_URL)
        with pytest.raises(DocumentLoaderError):
            BundledLoader().load(CONTEXT_URL)
    finally:
        resources.read_context.cache_clear()


def test_the_bundled_context_cannot_be_shadowed() -> None:
    with pytest.raises(ValueError):
        BundledLoader({CONTEXT_URL: {"@context": {}}})


def _scopes() -> Iterator[tuple[str, dict[str, Any]]]:
    context = _context()
    yield "(top)", context
    for name, definition in context.items():
        if isinstance(definition, dict) and "@context" in definition:
            yield name, definition["@context"]


def test_every_scope_is_json_ld_1_1_protected_and_vocab_free() -> None:
    for name, scope in _scopes():
        assert scope["@version"] == 1.1, name
        assert scope["@protected"] is True, name
        assert "@vocab" not in scope, name
        assert "@base" not in scope, name
        assert "@import" not in scope, name
    text = resources.read_context(CONTEXT_URL).decode()
    assert "@vocab" not in text


def test_one_type_scoped_context_per_credential_type() -> None:
    context = _context()
    for type_name in SUBJECT_MODELS:
        definition = context[type_name]
        assert definition["@id"] == VOCABULARY + type_name
        assert definition["@context"]["@propagate"] is True
    scoped = {name for name, _ in _scopes()} - {"(top)"}
    assert scoped == set(SUBJECT_MODELS)


def _iri(definition: Any) -> str:
    return definition if isinstance(definition, str) else definition["@id"]


def test_every_term_is_an_absolute_iri_in_the_vocabulary_or_schema_org() -> None:
    for name, scope in _scopes():
        for term, definition in scope.items():
            if term.startswith("@"):
                continue
            iri = _iri(definition)
            assert iri.startswith((VOCABULARY, SCHEMA_ORG)), (name, term)
            if isinstance(definition, dict) and "@type" in definition:
                assert definition["@type"].startswith(XSD), (name, term)


def test_a_term_means_the_same_in_every_type() -> None:
    seen: dict[str, Any] = {}
    for _, scope in _scopes():
        for term, definition in scope.items():
            if not term.startswith("@") and "@context" not in str(definition):
                assert seen.setdefault(term, definition) == definition, term


def _v2_terms() -> set[str]:
    """Every term the VCDM 2.0 context defines, at the top and in its scoped contexts."""
    context = json.loads(resources.read_context(V2))["@context"]
    terms = set(context)
    for definition in context.values():
        if isinstance(definition, dict) and isinstance(definition.get("@context"), dict):
            terms |= set(definition["@context"])
    return {t for t in terms if not t.startswith("@")}


def test_no_term_of_the_vcdm_2_context_is_redefined() -> None:
    """Redefining a protected VCDM term is an error; and a propagated NHS term that a VCDM
    type-scoped context (DataIntegrityProof, BitstringStatusListEntry, ...) redefined would
    make every proof or status entry fail to expand."""
    v2 = _v2_terms()
    assert {"name", "validUntil", "verificationMethod", "created", "domain"} <= v2
    for name, scope in _scopes():
        clash = v2 & set(scope)
        assert not clash, (name, clash)


def _members(model: type[BaseModel]) -> Iterator[tuple[str, type[BaseModel]]]:
    """(JSON member name, model) for every member of ``model`` and its nested models."""
    for field_name, field in model.model_fields.items():
        yield field.alias or field_name, model
        for nested in _nested_models(field.annotation):
            yield from _members(nested)


def _nested_models(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, NhsModel):
        yield annotation
        return
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _nested_models(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType, tuple, list):
        for argument in typing.get_args(annotation):
            yield from _nested_models(argument)


def test_every_member_of_every_model_is_a_term_of_its_type() -> None:
    context = _context()
    v2 = json.loads(resources.read_context(V2))["@context"]
    for type_name, model in SUBJECT_MODELS.items():
        scope = context[type_name]["@context"]
        for member, owner in _members(model):
            defined = member in scope or member in context or member in ("id", "name")
            assert defined, (type_name, owner.__name__, member)
            if member in ("id", "name"):
                assert member in v2  # from the VCDM context: @id and schema:name


def test_a_later_context_cannot_redefine_a_term(example: Example) -> None:
    credential = example("cstf-training-credential")
    for redefinition in (
        {"odsCode": "https://evil.example/odsCode"},
        {"CSTFTrainingCredential": "https://evil.example/Other"},
    ):
        changed = copy.deepcopy(credential)
        changed["@context"].append(redefinition)
        with pytest.raises(JsonLdError):
            expand(changed, loader=BundledLoader())


def test_an_embedded_context_cannot_redefine_a_scoped_term(example: Example) -> None:
    credential = example("cstf-training-credential")
    credential["credentialSubject"]["@context"] = {"level": "https://evil.example/level"}
    with pytest.raises(JsonLdError):
        expand(credential, loader=BundledLoader())


def test_a_scoped_term_cannot_be_preempted_before_the_type_applies(example: Example) -> None:
    """A term defined before the type-scoped context is replaced by the protected one, so
    the credential still means what the NHS context says."""
    credential = example("cstf-training-credential")
    credential["@context"].append({"level": "https://evil.example/level"})
    expanded = json.dumps(expand(credential, loader=BundledLoader()))
    assert "evil.example" not in expanded
    assert VOCABULARY + "cstfLevel" in expanded


def test_an_undefined_member_is_a_data_loss_error(example: Example) -> None:
    credential = example("dbs-check-credential")
    credential["credentialSubject"]["favouriteColour"] = "teal"
    with pytest.raises(SafeModeError) as error:
        expand(credential, loader=BundledLoader())
    assert error.value.code == "DATA_LOSS_DETECTION_ERROR"


def test_terms_of_one_type_are_undefined_in_another(example: Example) -> None:
    credential = example("dbs-check-credential")
    credential["credentialSubject"]["gmcReferenceNumber"] = "9900001"
    with pytest.raises(SafeModeError):
        expand(credential, loader=BundledLoader())


def test_every_example_expands_in_safe_mode_with_typed_dates(
    example: Example, example_name: str
) -> None:
    expanded = json.dumps(expand(example(example_name), loader=BundledLoader()))
    assert XSD + "date" in expanded or XSD + "dateTime" in expanded
