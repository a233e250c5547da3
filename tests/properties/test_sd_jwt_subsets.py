"""Properties of SD-JWT (RFC 9901) over random claims, random disclosable sets and random
selections: any subset presented verifies and reveals exactly that subset; a tampered,
repeated or unreferenced disclosure never verifies; a KB-JWT with any other nonce,
audience or ``sd_hash`` never verifies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from spec.sd_jwt.sd_jwt_helpers import CountingRandom, did_party, make_disclosure, split, verify
from staffvc.keys import KeyPair, KeyType
from staffvc.proofs.jose.sd_jwt import KeyBinding, issue_sd_jwt, present_sd_jwt
from staffvc.results import Verdict

NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
ISSUER = did_party()
HOLDER = KeyPair.generate(KeyType.ED25519)
RESERVED = {"iss", "exp", "nbf", "aud", "cnf", "iat", "sub"}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

names = st.text(alphabet="abcxyz/~é", min_size=1, max_size=4).filter(lambda n: n not in RESERVED)
scalars = st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=5)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(names, inner, max_size=3),
    max_leaves=10,
)
claim_sets = st.dictionaries(names, values, min_size=1, max_size=5)


def escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def pointers(value: Any, pointer: str = "") -> list[str]:
    found: list[str] = []
    children = (
        [(escape(k), v) for k, v in value.items()]
        if isinstance(value, dict)
        else [(str(i), v) for i, v in enumerate(value)]
        if isinstance(value, list)
        else []
    )
    for token, child in children:
        found.append(f"{pointer}/{token}")
        found.extend(pointers(child, f"{pointer}/{token}"))
    return found


def view(value: Any, pointer: str, hidden: set[str]) -> Any:
    """``value`` without the claims at ``hidden`` (array elements drop out)."""
    if isinstance(value, dict):
        kept = ((f"{pointer}/{escape(k)}", v) for k, v in value.items())
        return {
            k: view(v, p, hidden) for (p, v), k in zip(kept, value, strict=True) if p not in hidden
        }
    if isinstance(value, list):
        return [
            view(v, f"{pointer}/{i}", hidden)
            for i, v in enumerate(value)
            if f"{pointer}/{i}" not in hidden
        ]
    return value


def related(a: str, b: str) -> bool:
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


@st.composite
def issued(draw: st.DrawFn) -> tuple[dict[str, Any], set[str], str]:
    claims = draw(claim_sets)
    every = pointers(claims)
    disclosable = draw(st.sets(st.sampled_from(every))) if every else set()
    token = issue_sd_jwt(
        {"iss": ISSUER.did, **claims},
        signer=ISSUER.pair,
        disclosable=disclosable,
        random_bytes=CountingRandom(draw(st.text(max_size=8))),
        typ="example+sd-jwt",
        holder_key=HOLDER.public_key,
        decoys=draw(st.integers(0, 2)),
    )
    return claims, disclosable, token


def processed(token: str, **options: Any) -> tuple[Any, Any]:
    result, payload = verify(token, now=NOW, **options)
    if payload is not None:
        payload = {k: v for k, v in payload.items() if k not in ("iss", "cnf")}
    return result, payload


@SETTINGS
@given(issued(), st.data())
def test_any_subset_presented_verifies_and_reveals_exactly_it(
    case: tuple[dict[str, Any], set[str], str], data: st.DataObject
) -> None:
    claims, disclosable, token = case
    every = pointers(claims)
    chosen = data.draw(st.sets(st.sampled_from(every))) if every else set()
    presentation = present_sd_jwt(token, disclose=chosen, key_binding=None)
    revealed = {p for p in disclosable if any(related(p, s) for s in chosen)}
    assert len(split(presentation)[1]) == len(revealed)
    result, payload = processed(presentation)
    assert result.verdict is Verdict.VALID, result.explain()
    assert payload == view(claims, "", disclosable - revealed)


@SETTINGS
@given(issued(), st.data())
def test_a_tampered_repeated_or_unreferenced_disclosure_never_verifies(
    case: tuple[dict[str, Any], set[str], str], data: st.DataObject
) -> None:
    _, _, token = case
    jwt, disclosures, _ = split(token)
    how = data.draw(st.sampled_from(["flip", "repeat", "foreign", "orphan"]))
    if how == "foreign":
        salt = data.draw(st.text(min_size=1, max_size=8))
        extra = make_disclosure(salt, data.draw(names), data.draw(scalars))
        disclosures = [*disclosures, extra]
    else:
        assume(disclosures)
        index = data.draw(st.integers(0, len(disclosures) - 1))
        if how == "repeat":
            disclosures = [*disclosures, disclosures[index]]
        elif how == "orphan":
            # drop one disclosure that others sit in: they lose their only reference
            parents = [
                i for i, d in enumerate(disclosures) if '"_sd"' in _text(d) or '"..."' in _text(d)
            ]
            assume(parents)
            index = data.draw(st.sampled_from(parents))
            assume(_has_disclosed_child(disclosures, index))
            disclosures = disclosures[:index] + disclosures[index + 1 :]
        else:
            old = disclosures[index]
            position = data.draw(st.integers(0, len(old) - 1))
            new = data.draw(st.sampled_from("AQgw_-"))
            assume(new != old[position])
            disclosures = [*disclosures]
            disclosures[index] = old[:position] + new + old[position + 1 :]
    result, payload = processed("~".join([jwt, *disclosures]) + "~")
    assert payload is None
    assert result.verdict is not Verdict.VALID


def _text(disclosure: str) -> str:
    import base64

    return base64.urlsafe_b64decode(disclosure + "==").decode()


def _has_disclosed_child(disclosures: list[str], index: int) -> bool:
    import base64
    import hashlib

    text = _text(disclosures[index])
    return any(
        base64.urlsafe_b64encode(hashlib.sha256(d.encode()).digest()).rstrip(b"=").decode() in text
        for i, d in enumerate(disclosures)
        if i != index
    )


@SETTINGS
@given(
    issued(),
    st.sampled_from(["nonce", "aud", "sd_hash"]),
    st.text(min_size=1, max_size=12),
)
def test_key_binding_with_any_other_nonce_audience_or_sd_hash_fails(
    case: tuple[dict[str, Any], set[str], str], what: str, other: str
) -> None:
    _, disclosable, token = case
    nonce, audience = "expected-nonce", "https://verifier.example"
    assume(other not in (nonce, audience))
    binding = KeyBinding(
        signer=HOLDER,
        nonce=other if what == "nonce" else nonce,
        audience=other if what == "aud" else audience,
        issued_at=NOW - timedelta(seconds=5),
    )
    shown = present_sd_jwt(token, disclose=[], key_binding=binding)
    if what == "sd_hash":
        # the KB-JWT signed a presentation without disclosures; send it with one
        outermost = [p for p in disclosable if not any(p.startswith(q + "/") for q in disclosable)]
        assume(outermost)
        more = present_sd_jwt(token, disclose=[min(outermost)], key_binding=None)
        shown = more + split(shown)[2]
    result, payload = processed(shown, nonce=nonce, audience=audience, require_kb=True)
    assert payload is None
    assert result.verdict is Verdict.INVALID
