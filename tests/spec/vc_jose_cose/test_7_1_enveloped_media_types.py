"""VC-JOSE-COSE §7.1 (media types) with VCDM 2.0 §4.13 (enveloped credentials and
presentations): ``envelope``/``unenvelope`` build and read ``data:`` URLs strictly."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from staffvc.proofs.jose import (
    JoseError,
    JoseLimits,
    JoseMalformedError,
    JoseMediaTypeError,
    envelope,
    unenvelope,
)

TOKEN = "eyJhbGciOiJFZERTQSJ9.eyJhIjoxfQ.c2ln"
SD_JWT = "eyJhbGciOiJFZERTQSJ9.eyJhIjoxfQ.c2ln~WyJzYWx0IiwiYSIsMV0~"
COSE = b"\xd2\x84C\xa1\x01'\xa0Dbody@"


@pytest.mark.parametrize(
    ("media_type", "data", "kind"),
    [
        ("application/vc+jwt", TOKEN, "EnvelopedVerifiableCredential"),
        ("vc+jwt", TOKEN, "EnvelopedVerifiableCredential"),
        ("application/vp+jwt", TOKEN, "EnvelopedVerifiablePresentation"),
        ("application/vc+sd-jwt", SD_JWT, "EnvelopedVerifiableCredential"),
        ("application/vp+sd-jwt", SD_JWT, "EnvelopedVerifiablePresentation"),
        ("application/vc+cose", COSE, "EnvelopedVerifiableCredential"),
        ("application/vp+cose", COSE, "EnvelopedVerifiablePresentation"),
    ],
)
def test_round_trip(media_type: str, data: str | bytes, kind: str) -> None:
    obj = envelope(data, media_type)
    assert obj["type"] == kind
    assert obj["@context"] == "https://www.w3.org/ns/credentials/v2"
    full = media_type if media_type.startswith("application/") else "application/" + media_type
    if isinstance(data, bytes):
        assert obj["id"] == f"data:{full};base64,{base64.b64encode(data).decode()}"
    else:
        assert obj["id"] == f"data:{full},{data}"
    assert tuple(unenvelope(obj)) == (full, data)


def test_context_may_be_absent_or_a_list_starting_with_v2() -> None:
    obj = envelope(TOKEN, "application/vc+jwt")
    del obj["@context"]
    assert unenvelope(obj).data == TOKEN
    obj["@context"] = ["https://www.w3.org/ns/credentials/v2", "https://example.com/ctx"]
    obj["type"] = ["EnvelopedVerifiableCredential"]
    assert unenvelope(obj).data == TOKEN


def _env(**changes: Any) -> dict[str, Any]:
    obj: dict[str, Any] = envelope(TOKEN, "application/vc+jwt")
    obj.update(changes)
    return obj


@pytest.mark.parametrize(
    ("obj", "error"),
    [
        ("data:application/vc+jwt," + TOKEN, JoseMalformedError),
        (_env(type="VerifiableCredential"), JoseMalformedError),
        (
            _env(type=["EnvelopedVerifiableCredential", "EnvelopedVerifiablePresentation"]),
            JoseMalformedError,
        ),
        (_env(id="https://example.com/vc"), JoseMalformedError),
        (_env(id=7), JoseMalformedError),
        (_env(id="data:application/vc+jwt" + TOKEN), JoseMalformedError),  # no comma
        (_env(id="data:application/json," + TOKEN), JoseMediaTypeError),
        (_env(id="data:application/vp+jwt," + TOKEN), JoseMediaTypeError),  # VP in a VC
        (_env(id="data:application/vc+jwt;base64," + TOKEN), JoseMalformedError),
        (_env(id="data:application/vc+jwt;charset=utf-8," + TOKEN), JoseMalformedError),
        (_env(id="data:application/vc+jwt," + TOKEN + "%20"), JoseMalformedError),
        (_env(id="data:application/vc+jwt," + TOKEN + " "), JoseMalformedError),
        (_env(id="data:application/vc+jwt,"), JoseMalformedError),
        (
            _env(id="data:application/vc+cose," + base64.b64encode(COSE).decode()),
            JoseMalformedError,
        ),
        (_env(id="data:application/vc+cose;base64,@@@@"), JoseMalformedError),
        (_env(id="data:application/vc+cose;base64,AAA"), JoseMalformedError),  # bad padding
        (_env(id="data:application/vc+cose;base64,AAB="), JoseMalformedError),  # stray bits
        (_env(**{"@context": "https://www.w3.org/2018/credentials/v1"}), JoseMalformedError),
        (_env(**{"@context": []}), JoseMalformedError),
    ],
)
def test_strict_parsing(obj: Any, error: type[JoseError]) -> None:
    with pytest.raises(error):
        unenvelope(obj)


def test_size_limit() -> None:
    obj = envelope(TOKEN + "A" * 4000, "application/vc+jwt")
    with pytest.raises(JoseError) as caught:
        unenvelope(obj, limits=JoseLimits(max_token_bytes=1024))
    assert caught.value.code == "LIMIT_EXCEEDED"


@pytest.mark.parametrize(
    ("data", "media_type", "error"),
    [
        (TOKEN, "application/json", JoseMediaTypeError),
        (TOKEN, "application/vc+cose", JoseMalformedError),  # COSE needs bytes
        (COSE, "application/vc+jwt", JoseMalformedError),
        (TOKEN + " x", "application/vc+jwt", JoseMalformedError),
        ("", "application/vc+jwt", JoseMalformedError),
    ],
)
def test_envelope_refusals(data: str | bytes, media_type: str, error: type[JoseError]) -> None:
    with pytest.raises(error):
        envelope(data, media_type)


def test_media_type_codes() -> None:
    with pytest.raises(JoseError) as caught:
        unenvelope(_env(id="data:application/json," + TOKEN))
    assert caught.value.code == "MEDIA_TYPE_MISMATCH"
    with pytest.raises(JoseError) as caught:
        unenvelope({"id": 1})
    assert caught.value.code == "PARSING_ERROR"
