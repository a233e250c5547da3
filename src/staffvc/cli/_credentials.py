"""``staffvc issue``, ``present``, ``derive`` and ``verify``."""

from __future__ import annotations

import argparse
import json
import os
import ssl
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from staffvc.cli._common import (
    EXIT_FAILED,
    EXIT_INDETERMINATE,
    EXIT_OK,
    INPUT_LIMITS,
    UsageError,
    json_input,
    read_input,
    signer_from_file,
    timestamp,
)
from staffvc.cli._status import add_status_entries
from staffvc.did import Resolver
from staffvc.fetch import HttpsFetcher
from staffvc.jsonld import BundledLoader
from staffvc.keys import KeyPair, PublicKey
from staffvc.keys.encoding import b64url_decode, b64url_encode
from staffvc.proofs import AssertionPurpose, AuthenticationPurpose
from staffvc.proofs.data_integrity import SUITES, Cryptosuite, EcdsaSd2023, add_proof, derive_proof
from staffvc.proofs.jose import (
    envelope,
    issue_jwt_vc_v11,
    issue_jwt_vp_v11,
    issue_vc_cose,
    issue_vc_jwt,
    issue_vp_jwt,
)
from staffvc.proofs.jose.sd_jwt import KeyBinding, present_sd_jwt
from staffvc.proofs.jose.sd_jwt_vc import issue_sd_jwt_vc, issue_vcdm_sd_jwt
from staffvc.results import Verdict
from staffvc.safejson import JsonObject, JsonValue, loads
from staffvc.status import InMemoryStatusListSource, read_status_list_token
from staffvc.verifier import InputFormat, Verifier, detect_format

__all__ = ["FORMATS", "register"]

DATA_INTEGRITY_FORMATS = [
    "eddsa-rdfc-2022",
    "eddsa-jcs-2022",
    "ecdsa-rdfc-2019",
    "ecdsa-jcs-2019",
    "ecdsa-sd-2023",
    "Ed25519Signature2020",
]
JOSE_FORMATS = ["vc+jwt", "jwt-vc-1.1", "vc+sd-jwt", "dc+sd-jwt", "vc+cose"]
FORMATS = DATA_INTEGRITY_FORMATS + JOSE_FORMATS


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add ``issue``, ``present``, ``derive`` and ``verify``."""
    issue = commands.add_parser("issue", help="secure a credential and print it", parents=[common])
    issue.add_argument("--key", required=True, type=Path, metavar="JWKFILE", help="private JWK")
    issue.add_argument("--format", required=True, choices=FORMATS, help="proof format")
    issue.add_argument("--issuer", metavar="DID", help="set the credential's issuer")
    issue.add_argument("--created", metavar="ISO8601", help="proof creation time (default: now)")
    issue.add_argument(
        "--verification-method", metavar="DIDURL", help="default: the JWK's kid, else its did:key"
    )
    issue.add_argument(
        "--mandatory-pointer",
        action="append",
        default=[],
        metavar="JSONPOINTER",
        help="ecdsa-sd-2023: a claim every derived credential must disclose",
    )
    issue.add_argument(
        "--disclosable",
        action="append",
        default=[],
        metavar="JSONPOINTER",
        help="vc+sd-jwt, dc+sd-jwt: a claim the holder may choose to disclose (repeat)",
    )
    issue.add_argument("--vct", help="dc+sd-jwt: the credential type (vct) URL")
    issue.add_argument(
        "--status",
        type=Path,
        metavar="DBFILE",
        help="add status entries from this status registry (SQLite; created if missing)",
    )
    issue.add_argument(
        "--status-base-url", metavar="URL", help="with --status: where its lists are served"
    )
    issue.add_argument("credential", nargs="?", default="-", metavar="CREDENTIAL|-")
    issue.set_defaults(handler=_issue)

    present = commands.add_parser(
        "present", help="wrap credentials in a signed presentation", parents=[common]
    )
    present.add_argument("--key", required=True, type=Path, metavar="JWKFILE", help="holder's JWK")
    present.add_argument("--challenge", required=True, help="the verifier's challenge")
    present.add_argument("--domain", help="the verifier's domain")
    present.add_argument("--format", required=True, choices=FORMATS, help="proof format")
    present.add_argument("--created", metavar="ISO8601", help="proof creation time (default: now)")
    present.add_argument(
        "--disclose",
        action="append",
        default=[],
        metavar="JSONPOINTER",
        help="vc+sd-jwt, dc+sd-jwt: a claim to disclose (repeat); others stay hidden",
    )
    present.add_argument("credentials", nargs="+", metavar="CREDENTIAL")
    present.set_defaults(handler=_present)

    derive = commands.add_parser(
        "derive", help="ecdsa-sd-2023: disclose only some claims of a credential", parents=[common]
    )
    derive.add_argument(
        "--reveal",
        action="append",
        required=True,
        metavar="JSONPOINTER",
        help="a claim to disclose (repeat; mandatory claims are always disclosed)",
    )
    derive.add_argument("input", nargs="?", default="-", metavar="INPUT|-")
    derive.set_defaults(handler=_derive)

    verify = commands.add_parser(
        "verify", help="verify a credential or presentation; print the result", parents=[common]
    )
    verify.add_argument("--challenge", help="the challenge a presentation must carry")
    verify.add_argument("--domain", help="the domain a presentation must carry")
    verify.add_argument("--now", metavar="ISO8601", help="check validity at this time")
    verify.add_argument(
        "--status-list",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a published status list (credential JSON or token) to check status against",
    )
    verify.add_argument("--did-web", action="store_true", help="resolve did:web issuers over HTTPS")
    verify.add_argument("--ca-file", type=Path, help="did:web: trust this CA bundle")
    verify.add_argument("input", nargs="?", default="-", metavar="INPUT|-")
    verify.set_defaults(handler=_verify)


def _suite(name: str, mandatory_pointers: Sequence[str]) -> str | Cryptosuite:
    if name not in SUITES:
        raise UsageError(f"format {name} is not available in this version")
    if name == "ecdsa-sd-2023":
        try:
            return EcdsaSd2023(mandatory_pointers=list(mandatory_pointers))
        except ValueError as exc:
            raise UsageError(f"--mandatory-pointer: {exc}") from None
    if mandatory_pointers:
        raise UsageError("--mandatory-pointer only applies to ecdsa-sd-2023")
    return name


def _issue(args: argparse.Namespace, out: TextIO, inp: TextIO) -> int:
    signer = signer_from_file(args.key, args.verification_method)
    credential = json_input(args.credential, inp, "credential")
    issuer = args.issuer or (signer.key_id or "").split("#")[0]
    if isinstance(credential.get("issuer"), dict):
        credential["issuer"] = {**credential["issuer"], "id": issuer}  # type: ignore[dict-item]
    elif args.issuer or "issuer" not in credential:
        credential["issuer"] = issuer
    if args.status is not None:
        add_status_entries(credential, args.status, args.status_base_url)
    elif args.status_base_url is not None:
        raise UsageError("--status-base-url needs --status")
    if args.format in JOSE_FORMATS:
        out.write(_issue_jose(args, credential, signer) + "\n")
        return EXIT_OK
    if args.disclosable or args.vct:
        raise UsageError("--disclosable and --vct apply to the SD-JWT formats")
    secured = add_proof(
        credential,
        signer,
        suite=_suite(args.format, args.mandatory_pointer),
        purpose=AssertionPurpose(),
        created=timestamp(args.created, "--created"),
        loader=BundledLoader(),
    )
    out.write(json.dumps(secured, indent=2) + "\n")
    return EXIT_OK


def _derive(args: argparse.Namespace, out: TextIO, inp: TextIO) -> int:
    secured = json_input(args.input, inp, "credential")
    derived = derive_proof(secured, args.reveal, loader=BundledLoader())
    out.write(json.dumps(derived, indent=2) + "\n")
    return EXIT_OK


def _present(args: argparse.Namespace, out: TextIO, inp: TextIO) -> int:
    signer = signer_from_file(args.key, None)
    if args.format in JOSE_FORMATS:
        out.write(_present_jose(args, signer, inp) + "\n")
        return EXIT_OK
    if args.disclose:
        raise UsageError("--disclose applies to the SD-JWT formats")
    credentials: list[JsonValue] = [json_input(c, inp, "credential") for c in args.credentials]
    presentation: JsonObject = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": (signer.key_id or "").split("#")[0],
        "verifiableCredential": credentials,
    }
    secured = add_proof(
        presentation,
        signer,
        suite=_suite(args.format, []),
        purpose=AuthenticationPurpose(challenge=args.challenge, domain=args.domain),
        created=timestamp(args.created, "--created"),
        loader=BundledLoader(),
    )
    out.write(json.dumps(secured, indent=2) + "\n")
    return EXIT_OK


def _verify(args: argparse.Namespace, out: TextIO, inp: TextIO) -> int:
    now = None if args.now is None else timestamp(args.now, "--now")
    text = read_input(args.input, inp, "input")
    source = None
    if args.status_list:
        source = InMemoryStatusListSource()
        for path in args.status_list:
            url, document = _status_list_file(path, inp)
            source.publish(url, document)
    resolver = None
    if args.did_web:
        context = ssl.create_default_context(cafile=str(args.ca_file)) if args.ca_file else None
        resolver = Resolver.with_web(HttpsFetcher(ssl_context=context))
    elif args.ca_file is not None:
        raise UsageError("--ca-file needs --did-web")
    verifier = Verifier(resolver=resolver, status_source=source)
    result = verifier.verify(text, challenge=args.challenge, domain=args.domain, now=now)
    out.write(json.dumps(result.model_dump(mode="json"), indent=2) + "\n")
    return {
        Verdict.VALID: EXIT_OK,
        Verdict.INVALID: EXIT_FAILED,
        Verdict.INDETERMINATE: EXIT_INDETERMINATE,
    }[result.verdict]


# --- JOSE, COSE and SD-JWT ---------------------------------------------------------------


def _issue_jose(args: argparse.Namespace, credential: JsonObject, signer: KeyPair) -> str:
    if args.mandatory_pointer:
        raise UsageError("--mandatory-pointer only applies to ecdsa-sd-2023")
    sd = args.format in ("vc+sd-jwt", "dc+sd-jwt")
    if not sd and (args.disclosable or args.vct):
        raise UsageError("--disclosable and --vct apply to the SD-JWT formats")
    if args.format == "vc+jwt":
        return issue_vc_jwt(credential, signer=signer)
    if args.format == "jwt-vc-1.1":
        return issue_jwt_vc_v11(credential, signer=signer)
    if args.format == "vc+cose":
        return b64url_encode(issue_vc_cose(credential, signer=signer))
    holder = _holder_key(credential)
    if args.format == "vc+sd-jwt":
        if args.vct:
            raise UsageError("--vct applies to dc+sd-jwt (vc+sd-jwt carries a VCDM credential)")
        return issue_vcdm_sd_jwt(
            credential,
            signer=signer,
            disclosable=args.disclosable,
            random_bytes=os.urandom,
            holder_key=holder,
        )
    if not args.vct:
        raise UsageError("dc+sd-jwt needs --vct, the credential type URL")
    return issue_sd_jwt_vc(
        credential,
        signer=signer,
        vct=args.vct,
        disclosable=args.disclosable,
        random_bytes=os.urandom,
        holder_key=holder,
    )


def _holder_key(claims: JsonObject) -> PublicKey | None:
    """The key a holder proves possession of (``cnf``): the subject's did:key or did:jwk."""
    subject = claims.get("credentialSubject", claims)
    subject_id = subject.get("id") if isinstance(subject, dict) else None
    if subject_id is None:
        subject_id = claims.get("sub")
    if not isinstance(subject_id, str) or not subject_id.startswith(("did:key:", "did:jwk:")):
        return None
    document = Resolver().resolve(subject_id)
    return document.verification_method(next(iter(document.method_ids()))).public_key


def _present_jose(args: argparse.Namespace, signer: KeyPair, inp: TextIO) -> str:
    tokens = [read_input(c, inp, "credential").strip() for c in args.credentials]
    holder = (signer.key_id or "").split("#")[0]
    if args.format in ("vc+sd-jwt", "dc+sd-jwt"):
        if len(tokens) != 1:
            raise UsageError("an SD-JWT presentation carries exactly one credential")
        if not args.domain:
            raise UsageError("an SD-JWT presentation needs --domain (the KB-JWT audience)")
        binding = KeyBinding(
            signer=signer,
            nonce=args.challenge,
            audience=args.domain,
            issued_at=timestamp(args.created, "--created"),
        )
        return present_sd_jwt(tokens[0], disclose=args.disclose, key_binding=binding)
    if args.disclose:
        raise UsageError("--disclose applies to the SD-JWT formats")
    presentation: JsonObject = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": holder,
    }
    if args.format == "jwt-vc-1.1":
        presentation["@context"] = ["https://www.w3.org/2018/credentials/v1"]
        presentation["verifiableCredential"] = list(tokens)
        return issue_jwt_vp_v11(
            presentation,
            signer=signer,
            nonce=args.challenge,
            audience=args.domain,
            issued_at=timestamp(args.created, "--created"),
        )
    if args.format != "vc+jwt":
        raise UsageError(f"{args.format} has no presentation form; present with vc+jwt")
    presentation["verifiableCredential"] = [_envelope(token) for token in tokens]
    return issue_vp_jwt(presentation, signer=signer, nonce=args.challenge, audience=args.domain)


def _envelope(token: str) -> JsonValue:
    """An enveloped credential for a vp+jwt, its media type told by the token's format."""
    fmt = detect_format(token)
    if fmt is InputFormat.SD_JWT:
        return envelope(token, "application/vc+sd-jwt")
    if fmt is InputFormat.JWS:
        return envelope(token, "application/vc+jwt")
    if fmt is InputFormat.COSE:
        return envelope(b64url_decode(token), "application/vc+cose")
    raise UsageError("a vp+jwt carries compact credentials (vc+jwt, SD-JWT or vc+cose)")


def _status_list_file(path: Path, inp: TextIO) -> tuple[str, JsonObject | str]:
    """A published status list and the URL it is published at (its ``id`` or ``sub``)."""
    text = read_input(str(path), inp, "status list").strip()
    if text.startswith("{"):
        document = loads(text, limits=INPUT_LIMITS, what="status list")
        if not isinstance(document, dict) or not isinstance(document.get("id"), str):
            raise UsageError(f"{path}: a status list credential needs an 'id' (its URL)")
        return str(document["id"]), document
    view = read_status_list_token(text)
    return view.subject, text
