"""The wheel carries the bundled data and works when installed (not just from source)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from support import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("staffvc-*.whl")
    return built


def test_wheel_contains_contexts_manifest_schemas_and_py_typed(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    manifest = json.loads((REPO / "contexts" / "MANIFEST.json").read_text())
    for entry in manifest["contexts"].values():
        assert f"staffvc/contexts/{entry['file']}" in names
    assert "staffvc/contexts/MANIFEST.json" in names
    assert "staffvc/schemas/README.md" in names
    assert "staffvc/py.typed" in names
    assert not any(n.startswith(("tests/", "contexts/", "schemas/")) for n in names)


def test_installed_wheel_loads_contexts_through_importlib_resources(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    probe = (
        "import json, staffvc, staffvc.resources as r\n"
        "urls = sorted(r.context_manifest())\n"
        "sizes = {u: len(r.read_context(u)) for u in urls}\n"
        "print(json.dumps({'file': staffvc.__file__, 'sizes': sizes,"
        " 'schemas': r.schema_names()}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=tmp_path,
    )
    report = json.loads(done.stdout)
    assert Path(report["file"]).is_relative_to(target), (
        "the installed wheel must be the one imported"
    )
    manifest = json.loads((REPO / "contexts" / "MANIFEST.json").read_text())["contexts"]
    assert report["sizes"] == {url: entry["bytes"] for url, entry in manifest.items()}
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "staffvc",
            "did",
            "resolve",
            "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=tmp_path,
    )
    assert json.loads(cli.stdout)["id"].startswith("did:key:z6Mk")
