"""docs/credentials.md: its examples run as written, and its tables match the code."""

from __future__ import annotations

import re

from staffvc.credentials.nhs import CREDENTIAL_TYPES, DISCLOSABLE, SUBJECT_MODELS
from staffvc.credentials.nhs.catalogue import member_names
from support import REPO

DOC = (REPO / "docs" / "credentials.md").read_text(encoding="utf-8")


def test_the_python_examples_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC, flags=re.DOTALL)
    issuing = [b for b in blocks if "build_nhs_credential(" in b]
    assert len(issuing) == 2
    namespace: dict[str, object] = {}
    for block in [*issuing, *(b for b in blocks if b not in issuing)]:
        exec(compile(block, "docs/credentials.md", "exec"), namespace)
    assert namespace["result"].ok  # type: ignore[attr-defined]


def test_every_type_and_member_is_documented_with_its_disclosure() -> None:
    for type_name in CREDENTIAL_TYPES:
        section = DOC.split(f"### `{type_name}`", 1)[1].split("\n### ", 1)[0]
        disclosable = {p.rsplit("/", 1)[1] for p in DISCLOSABLE[type_name]}
        for member in member_names(SUBJECT_MODELS[type_name]):
            row = re.search(rf"^\| `{member}` \|.*\| (SD|always) \|$", section, re.MULTILINE)
            assert row is not None, (type_name, member)
            assert (row.group(1) == "SD") == (member in disclosable), (type_name, member)
