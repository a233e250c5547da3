"""Bundled data: JSON-LD contexts and JSON Schemas shipped inside the package.

The files live in the repository's top-level ``contexts/`` and ``schemas/`` folders and are
installed as package data, read here through :mod:`importlib.resources` (so they work from a
wheel, a zip or a source checkout alike). Every context is pinned by the sha256 recorded in
``contexts/MANIFEST.json`` and checked when the file is first read: a context file that
changed is an error, never a silently different document.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from staffvc.errors import ResourceError

__all__ = [
    "BundledContext",
    "context_manifest",
    "read_context",
    "read_schema",
    "schema_names",
]


@dataclass(frozen=True, slots=True)
class BundledContext:
    """One entry of the context manifest."""

    url: str
    file: str
    sha256: str


def _folder(name: str) -> Traversable:
    return resources.files("staffvc").joinpath(name)


@cache
def context_manifest() -> dict[str, BundledContext]:
    """URL → pinned file, from ``contexts/MANIFEST.json``."""
    try:
        raw = json.loads(_folder("contexts").joinpath("MANIFEST.json").read_bytes())
        return {
            url: BundledContext(url=url, file=entry["file"], sha256=entry["sha256"])
            for url, entry in raw["contexts"].items()
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ResourceError(f"the bundled context manifest cannot be read: {exc}") from exc


@cache
def read_context(url: str) -> bytes:
    """The exact bytes of the bundled context for ``url``, after checking their sha256."""
    entry = context_manifest().get(url)
    if entry is None:
        raise ResourceError(f"no bundled context for {url!r}")
    try:
        data = _folder("contexts").joinpath(entry.file).read_bytes()
    except OSError as exc:
        raise ResourceError(f"bundled context file {entry.file!r} cannot be read") from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry.sha256:
        raise ResourceError(f"bundled context {url!r} has sha256 {digest}, expected {entry.sha256}")
    return data


def schema_names() -> list[str]:
    """File names of the bundled JSON Schemas."""
    folder = _folder("schemas")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".json"))


def read_schema(name: str) -> bytes:
    """The bytes of bundled JSON Schema ``name`` (a file name from :func:`schema_names`)."""
    if name not in schema_names():
        raise ResourceError(f"no bundled schema named {name!r}")
    return _folder("schemas").joinpath(name).read_bytes()
