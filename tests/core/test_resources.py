"""Bundled contexts are byte-exact and pinned by sha256 (VCDM 2.0 B.1; X-01)."""

from __future__ import annotations

import hashlib
import json

import pytest

from staffvc import resources
from staffvc.errors import ResourceError
from support import shared_dir

V2 = "https://www.w3.org/ns/credentials/v2"


def test_every_bundled_context_matches_the_shared_copy_byte_for_byte() -> None:
    shared_manifest = json.loads((shared_dir() / "contexts" / "MANIFEST.json").read_text())
    published = shared_manifest["contexts"]
    for url, entry in resources.context_manifest().items():
        if url not in published:
            continue  # authored here (the NHS context): tested in tests/nhs
        shared = (shared_dir() / "contexts" / entry.file).read_bytes()
        assert resources.read_context(url) == shared
    ours = set(resources.context_manifest()) - set(published)
    assert ours == {"https://w3id.org/nhs-staff-passport/v1"}


def test_vcdm_base_context_has_the_published_digest() -> None:
    digest = hashlib.sha256(resources.read_context(V2)).hexdigest()
    assert digest == "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"


def test_a_context_that_changed_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = resources.context_manifest()[V2]
    tampered = resources.BundledContext(url=V2, file=entry.file, sha256="0" * 64)
    monkeypatch.setitem(resources.context_manifest(), V2, tampered)
    resources.read_context.cache_clear()
    try:
        with pytest.raises(ResourceError, match="sha256"):
            resources.read_context(V2)
    finally:
        resources.read_context.cache_clear()


def test_unknown_context_and_schema_are_coded_errors() -> None:
    with pytest.raises(ResourceError):
        resources.read_context("https://example.com/context")
    with pytest.raises(ResourceError):
        resources.read_schema("nope.json")
