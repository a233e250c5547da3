"""The verdict function (results.fold_verdict): properties that make "never lies" hold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from staffvc.results import (
    Check,
    CheckError,
    CheckFailed,
    CheckRecorder,
    Code,
    Outcome,
    Stage,
    Verdict,
    VerificationResult,
    fold_verdict,
)


@st.composite
def checks(draw: st.DrawFn) -> Check:
    outcome = draw(st.sampled_from(list(Outcome)))
    stage = draw(st.sampled_from(list(Stage)))
    code = draw(st.sampled_from(list(Code))) if outcome in (Outcome.FAILED, Outcome.ERROR) else None
    if outcome is Outcome.SKIPPED and draw(st.booleans()):
        code = Code.NOT_CHECKED
    return Check(stage=stage, name="x", outcome=outcome, code=code)


check_lists = st.lists(checks(), max_size=12)
stage_sets = st.sets(st.sampled_from(list(Stage)), max_size=4)
verdict_lists = st.lists(st.sampled_from(list(Verdict)), max_size=4)


@given(check_lists, stage_sets, verdict_lists)
def test_any_failed_check_is_invalid(
    cs: list[Check], required: set[Stage], nested: list[Verdict]
) -> None:
    failed = Check.failed(Stage.PROOF, "p", Code.PROOF_VERIFICATION_ERROR, "bad")
    assert fold_verdict([*cs, failed], required=required, nested=nested) is Verdict.INVALID


@given(check_lists, stage_sets, verdict_lists)
def test_valid_only_if_every_required_stage_passed_and_nothing_went_wrong(
    cs: list[Check], required: set[Stage], nested: list[Verdict]
) -> None:
    verdict = fold_verdict(cs, required=required, nested=nested)
    if verdict is Verdict.VALID:
        assert all(c.outcome in (Outcome.PASSED, Outcome.SKIPPED) for c in cs)
        passed = {c.stage for c in cs if c.outcome is Outcome.PASSED}
        assert required <= passed
        assert passed
        assert all(n is Verdict.VALID for n in nested)


@given(check_lists, stage_sets)
def test_an_error_is_never_valid(cs: list[Check], required: set[Stage]) -> None:
    error = Check.error(Stage.STATUS, "s", Code.STATUS_RETRIEVAL_ERROR, "unreachable")
    assert fold_verdict([*cs, error], required=required) is not Verdict.VALID


@given(check_lists, stage_sets, verdict_lists)
def test_order_does_not_matter(
    cs: list[Check], required: set[Stage], nested: list[Verdict]
) -> None:
    assert fold_verdict(cs, required=required, nested=nested) is fold_verdict(
        list(reversed(cs)), required=required, nested=list(reversed(nested))
    )


@given(check_lists, stage_sets)
def test_nested_invalid_or_indeterminate_propagates(cs: list[Check], required: set[Stage]) -> None:
    assert fold_verdict(cs, required=required, nested=[Verdict.INVALID]) is Verdict.INVALID
    assert fold_verdict(cs, required=required, nested=[Verdict.INDETERMINATE]) is not Verdict.VALID


def test_no_checks_at_all_is_indeterminate() -> None:
    assert fold_verdict([], required=[]) is Verdict.INDETERMINATE
    skipped = Check.skipped(Stage.PROOF, "p", "not run")
    assert fold_verdict([skipped], required=[]) is Verdict.INDETERMINATE


def test_required_stage_missing_is_indeterminate() -> None:
    passed = Check.passed(Stage.PROOF, "p")
    assert fold_verdict([passed], required=[Stage.PROOF]) is Verdict.VALID
    assert fold_verdict([passed], required=[Stage.PROOF, Stage.STATUS]) is Verdict.INDETERMINATE


def test_check_codes_must_match_outcomes() -> None:
    with pytest.raises(ValueError, match="needs a code"):
        Check(stage=Stage.PROOF, name="p", outcome=Outcome.FAILED)
    with pytest.raises(ValueError, match="carries no code"):
        Check(stage=Stage.PROOF, name="p", outcome=Outcome.PASSED, code=Code.PARSING_ERROR)


def test_recorder_turns_exceptions_into_checks_and_never_raises() -> None:
    recorder = CheckRecorder(required=[Stage.PARSE, Stage.PROOF], subject="credential")

    def boom() -> None:
        raise RuntimeError("secret detail that must not leak")

    def bad() -> None:
        raise CheckFailed(
            Code.MALFORMED_PROOF_ERROR, "proofValue lacks the z prefix", pointer="/proof"
        )

    def unknown() -> None:
        raise CheckError(Code.UNKNOWN_CRYPTOSUITE, "unknown cryptosuite")

    assert recorder.run(Stage.PARSE, "parse", lambda: 42) == 42
    assert recorder.run(Stage.PROOF, "proof.bug", boom) is None
    result = recorder.result()
    assert result.verdict is Verdict.INDETERMINATE
    assert result.codes() == [Code.INTERNAL_ERROR]
    assert "secret detail" not in result.explain()
    recorder.run(Stage.PROOF, "proof.value", bad)
    recorder.run(Stage.PROOF, "proof.suite", unknown)
    recorder.skip_rest([(Stage.STATUS, "status")], "proof failed")
    result = recorder.result()
    assert result.verdict is Verdict.INVALID
    assert result.codes() == [
        Code.INTERNAL_ERROR,
        Code.MALFORMED_PROOF_ERROR,
        Code.UNKNOWN_CRYPTOSUITE,
    ]


def test_result_surface() -> None:
    ok = VerificationResult(
        subject="vc-1", checks=(Check.passed(Stage.PROOF, "proof"),), required_stages=(Stage.PROOF,)
    )
    bad = VerificationResult(
        subject="vp",
        checks=(Check.passed(Stage.PROOF, "proof"),),
        required_stages=(Stage.PROOF,),
        nested=(
            ok,
            VerificationResult(
                subject="vc-2",
                checks=(
                    Check.failed(
                        Stage.STATUS,
                        "status",
                        Code.CREDENTIAL_REVOKED,
                        "revoked",
                        pointer="/credentialStatus",
                    ),
                ),
                required_stages=(),
            ),
        ),
    )
    assert ok.ok
    assert not bad.ok
    assert bad.verdict is Verdict.INVALID
    assert bad.codes() == [Code.CREDENTIAL_REVOKED]
    with pytest.raises(TypeError, match="no truth value"):
        bool(ok)
    dumped = bad.model_dump(mode="json")
    assert dumped["verdict"] == "INVALID"
    assert dumped["nested"][1]["checks"][0]["code"] == "CREDENTIAL_REVOKED"
    (problem,) = bad.to_problem_details()
    assert problem["type"] == "urn:staffvc:problem:CREDENTIAL_REVOKED"
    assert problem["instance"] == "/credentialStatus"
    assert "CREDENTIAL_REVOKED" in bad.explain()
    assert "vc-2" in bad.explain()
    assert "<table>" in bad._repr_html_()
    assert (
        Code.PROOF_VERIFICATION_ERROR.type_url
        == "https://w3id.org/security#PROOF_VERIFICATION_ERROR"
    )
    assert Code.RANGE_ERROR.type_url == "https://www.w3.org/TR/vc-data-model#RANGE_ERROR"
    with pytest.raises(ValueError, match=r"frozen|verdict|extra"):
        VerificationResult(checks=(), required_stages=(), verdict="VALID")  # type: ignore[call-arg]
