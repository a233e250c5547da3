"""The seeded synthetic workforce: deterministic, valid, fictitious, fast enough."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from staffvc.clock import parse_datetime
from staffvc.credentials.nhs import credential_type_of, validate_for_issuance
from staffvc.credentials.nhs.synthetic import MAX_WORKFORCE, generate_workforce, trusts
from staffvc.credentials.nhs.valuesets import StaffGroup

TODAY = date(2026, 11, 21)


def test_same_seed_same_workforce_other_seed_other_workforce() -> None:
    first = generate_workforce(150, seed=42, today=TODAY)
    again = generate_workforce(150, seed=42, today=TODAY)
    assert first == again
    other = generate_workforce(150, seed=43, today=TODAY)
    assert other != first
    later = generate_workforce(150, seed=42, today=TODAY + timedelta(days=1))
    assert later != first


def test_a_sample_of_credentials_is_valid_for_issuance_and_valid_today() -> None:
    members = generate_workforce(400, seed=7, today=TODAY)
    sample = random.Random(0).sample(members, 40)
    kinds: Counter[str] = Counter()
    for member in sample:
        for credential in member.credentials:
            validate_for_issuance(credential)
            kind = credential_type_of(credential)
            assert kind is not None
            kinds[kind] += 1
            assert credential["credentialSubject"]["id"] == member.holder_id
            assert parse_datetime(credential["validFrom"]).date() <= TODAY
            if "validUntil" in credential:
                assert parse_datetime(credential["validUntil"]).date() > TODAY
    assert len(kinds) == 8  # every type appears (doctors bring GMC and degree)


def test_validate_option_checks_every_credential() -> None:
    members = generate_workforce(12, seed=3, today=TODAY, validate=True)
    assert sum(len(m.credentials) for m in members) > 12 * 8


def test_everything_is_fictitious_and_unique() -> None:
    members = generate_workforce(600, seed=11, today=TODAY)
    holders = [m.holder_id for m in members]
    assert len(set(holders)) == len(holders)
    assert all(h.startswith("did:example:staff-") for h in holders)
    ods = {t.ods_code for t in trusts()}
    assert all(code.startswith("ZZ9") for code in ods)
    assert len(ods) == 20
    ids, gmc, dbs = [], [], []
    for member in members:
        assert member.trust.ods_code in ods
        for credential in member.credentials:
            ids.append(credential["id"])
            subject = credential["credentialSubject"]
            issuer = credential["issuer"]
            assert issuer["id"].endswith(("example.org", "example.ac.uk"))
            if "gmcReferenceNumber" in subject:
                gmc.append(subject["gmcReferenceNumber"])
            if "certificateNumber" in subject:
                dbs.append(subject["certificateNumber"])
            if "employer" in subject:
                assert subject["employer"]["odsCode"].startswith("ZZ9")
            if "employeeNumber" in subject:
                assert subject["employeeNumber"].startswith("99")
        if member.staff_group is StaffGroup.MEDICAL_DENTAL:
            assert member.gmc_reference_number is not None
    assert len(set(ids)) == len(ids)
    assert gmc
    assert all(n.startswith("99") and len(n) == 7 for n in gmc)
    assert len(set(gmc)) == len(gmc)
    assert dbs
    assert all(n.startswith("0099") and len(n) == 12 for n in dbs)
    assert len(set(dbs)) == len(dbs)


def test_progress_is_reported_every_thousand() -> None:
    seen: list[int] = []
    generate_workforce(2000, seed=1, today=TODAY, progress=seen.append)
    assert seen == [1000, 2000]


@pytest.mark.parametrize("n", [-1, MAX_WORKFORCE + 1])
def test_workforce_size_is_bounded(n: int) -> None:
    with pytest.raises(ValueError):
        generate_workforce(n, seed=1, today=TODAY)


def test_an_empty_workforce() -> None:
    assert generate_workforce(0, seed=1, today=TODAY) == []


@pytest.mark.slow
def test_ten_thousand_staff() -> None:
    members = generate_workforce(10_000, seed=2026, today=TODAY)
    assert len(members) == 10_000
    assert len({m.holder_id for m in members}) == 10_000
    assert sum(len(m.credentials) for m in members) > 100_000
