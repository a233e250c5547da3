"""VCDM 2.0 §B.1 (base context) and DI 1.0 §2.4: pinned contexts, protected terms.

The base context is treated as already retrieved (never fetched), its bytes are pinned by
hash, and its terms are protected: a later context that redefines one is an error, because
otherwise a document could keep the familiar JSON and change what it means.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from staffvc import resources
from staffvc.jsonld import BundledLoader, DocumentLoaderError, JsonLdError, canonicalize_rdfc

V2 = "https://www.w3.org/ns/credentials/v2"
V2_SHA256 = "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"


def test_the_base_context_is_bundled_and_pinned(loader: BundledLoader) -> None:
    assert hashlib.sha256(resources.read_context(V2)).hexdigest() == V2_SHA256
    assert V2 in loader.urls
    document = loader.load(V2)
    assert document == json.loads(resources.read_context(V2))
    assert document["@context"]["@protected"] is True  # type: ignore[index,call-overload]


@pytest.mark.parametrize(
    "context",
    [
        {"name": "https://evil.example/name"},
        {"VerifiableCredential": "https://evil.example/Credential"},
        {"id": "https://evil.example/id"},
        {"type": "https://evil.example/type"},
    ],
    ids=["name", "type-term", "id-alias", "type-alias"],
)
def test_redefining_a_protected_term_is_a_coded_error(
    credential: dict[str, Any], loader: BundledLoader, context: dict[str, Any]
) -> None:
    with pytest.raises(JsonLdError) as info:
        canonicalize_rdfc(credential | {"@context": [V2, context]}, loader=loader)
    assert info.value.code == "PARSING_ERROR"
    assert info.value.jsonld_code == "protected term redefinition"


def test_an_identical_redefinition_is_allowed(
    credential: dict[str, Any], loader: BundledLoader
) -> None:
    # JSON-LD 1.1 §4.1.11: redefining a protected term with the same definition is fine.
    same = {"name": "https://schema.org/name"}
    expected = canonicalize_rdfc(credential, loader=loader)
    assert canonicalize_rdfc(credential | {"@context": [V2, same]}, loader=loader) == expected


@pytest.fixture
def tampered_contexts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the bundled contexts folder, served in place of the real one."""
    real = resources._folder("contexts")
    copy = tmp_path / "staffvc"
    shutil.copytree(str(real), copy / "contexts")
    monkeypatch.setattr(resources, "_folder", lambda name: copy / name)
    resources.read_context.cache_clear()
    resources.context_manifest.cache_clear()
    yield copy / "contexts"
    resources.read_context.cache_clear()
    resources.context_manifest.cache_clear()


def test_a_tampered_bundled_context_is_refused(
    tampered_contexts: Path, credential: dict[str, Any]
) -> None:
    path = tampered_contexts / "credentials-v2.jsonld"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"https://schema.org/name"', '"https://evil.example/name"', 1))
    loader = BundledLoader()
    with pytest.raises(DocumentLoaderError) as info:
        loader.load(V2)
    assert info.value.code == "LOADING_DOCUMENT_FAILED"
    with pytest.raises(DocumentLoaderError):
        canonicalize_rdfc(credential, loader=loader)


def test_an_untouched_copy_of_the_contexts_is_accepted(
    tampered_contexts: Path, credential: dict[str, Any]
) -> None:
    # The control for the test above: the copy itself is served and verifies.
    assert BundledLoader().load(V2)["@context"]
    assert canonicalize_rdfc(credential, loader=BundledLoader())
