"""``staffvc issue``, ``present``, ``derive`` and ``verify``."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from staffvc.cli._common import (
    EXIT_FAILED,
    EXIT_INDETERMINATE,
    EXIT_OK,
    UsageError,
    json_input,
    read_input,
    signer_from_file,
    timestamp,
)
from staffvc.jsonld import BundledLoader
from staffvc.proofs import AssertionPurpose, AuthenticationPurpose
from staffvc.proofs.data_integrity import SUITES, Cryptosuite, EcdsaSd2023, add_proof, derive_proof
from staffvc.results import Verdict
from staffvc.safejson import JsonObject, JsonValue
from staffvc.verifier import Verifier

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
    result = Verifier().verify(text, challenge=args.challenge, domain=args.domain, now=now)
    out.write(json.dumps(result.model_dump(mode="json"), indent=2) + "\n")
    return {
        Verdict.VALID: EXIT_OK,
        Verdict.INVALID: EXIT_FAILED,
        Verdict.INDETERMINATE: EXIT_INDETERMINATE,
    }[result.verdict]
