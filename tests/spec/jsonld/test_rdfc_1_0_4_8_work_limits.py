"""RDFC-1.0 §4.8 (Hash N-Degree Quads) is exponential: staffvc bounds the work.

RDFC-1.0 §6 (security considerations) warns of "poison graphs": blank nodes that look alike
make the algorithm try every permutation of them. A verifier must give up quickly, with a
coded error, instead of hanging.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from staffvc.errors import LimitExceededError
from staffvc.jsonld import (
    BundledLoader,
    CanonicalizationLimitError,
    CanonicalizationLimits,
    canonicalize_nquads,
    canonicalize_rdfc,
)

P = "https://ex.test/p"


def poison_graph(size: int) -> dict[str, Any]:
    """A clique of ``size`` blank nodes that no first-degree hash can tell apart."""
    nodes = [
        {"@id": f"_:n{i}", P: [{"@id": f"_:n{j}"} for j in range(size) if j != i]}
        for i in range(size)
    ]
    return {"@graph": nodes}


def test_a_poison_graph_hits_the_work_limit_quickly(loader: BundledLoader) -> None:
    started = time.monotonic()
    with pytest.raises(CanonicalizationLimitError) as info:
        canonicalize_rdfc(poison_graph(10), loader=loader)
    assert time.monotonic() - started < 3.0
    assert info.value.code == "LIMIT_EXCEEDED"
    assert isinstance(info.value, LimitExceededError)
    assert "hashing steps" in info.value.message


def test_the_deadline_stops_work_the_step_budget_would_allow(loader: BundledLoader) -> None:
    limits = CanonicalizationLimits(max_work=10**12, max_seconds=0.2)
    started = time.monotonic()
    with pytest.raises(CanonicalizationLimitError, match=r"longer than 0\.2 s"):
        canonicalize_rdfc(poison_graph(10), loader=loader, limits=limits)
    assert time.monotonic() - started < 2.0


def test_a_small_graph_of_look_alike_nodes_still_canonicalizes(loader: BundledLoader) -> None:
    # Three interchangeable nodes need N-degree hashing but little of it; the result is the
    # same whatever the input labels.
    first = canonicalize_rdfc(poison_graph(3), loader=loader)
    relabelled = canonicalize_nquads(first.replace("_:c14n", "_:zz"))
    assert relabelled == first
    assert first.count("_:c14n") == 12


def test_ordinary_credentials_need_no_n_degree_work(all_rdfc_cases: Any) -> None:
    # The employment vector has three blank nodes, told apart at first degree.
    case = all_rdfc_cases["eddsa-rdfc-2022-employment"]
    limits = CanonicalizationLimits(max_work=0)
    canonical = canonicalize_rdfc(
        case.data["unsignedDocument"], loader=case.loader(), limits=limits
    )
    assert canonical == case.data["canonicalDocument"]
    with pytest.raises(CanonicalizationLimitError):
        canonicalize_rdfc(poison_graph(3), loader=BundledLoader(), limits=limits)


def test_too_many_blank_nodes(loader: BundledLoader) -> None:
    chain = {"@id": "_:n0", P: "leaf"}
    for i in range(1, 30):
        chain = {"@id": f"_:n{i}", P: chain}
    with pytest.raises(CanonicalizationLimitError, match="30 blank nodes"):
        canonicalize_rdfc(chain, loader=loader, limits=CanonicalizationLimits(max_blank_nodes=29))
    assert canonicalize_rdfc(
        chain, loader=loader, limits=CanonicalizationLimits(max_blank_nodes=30)
    )


def test_too_many_statements(loader: BundledLoader) -> None:
    document = {"@id": "https://ex.test/s", P: [str(i) for i in range(50)]}
    with pytest.raises(CanonicalizationLimitError, match="50 statements"):
        canonicalize_rdfc(document, loader=loader, limits=CanonicalizationLimits(max_quads=49))
    nquads = canonicalize_rdfc(document, loader=loader)
    with pytest.raises(CanonicalizationLimitError):
        canonicalize_nquads(nquads, limits=CanonicalizationLimits(max_quads=49))
    assert canonicalize_nquads(nquads, limits=CanonicalizationLimits(max_quads=50)) == nquads


def test_limits_must_be_sane() -> None:
    with pytest.raises(ValueError):
        CanonicalizationLimits(max_seconds=0)
    with pytest.raises(ValueError):
        CanonicalizationLimits(max_quads=-1)
