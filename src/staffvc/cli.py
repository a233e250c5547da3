"""The ``staffvc`` command line.

A thin face over the library: parse arguments, call one function, print JSON to stdout.
Errors go to stderr as one line (``staffvc: error: CODE: message``), plus a JSON object on
the next line with ``--json-errors``; never a traceback. Exit codes: 0 success, 1 the
operation failed on its input, 2 usage error (and for ``verify``, added later: 0 VALID,
1 INVALID, 3 INDETERMINATE).

Command names and options are a contract other systems script against; see
``docs/cli.md``. This version implements ``key generate``, ``did resolve`` and ``demo``.
"""

from __future__ import annotations

import argparse
import json
import os
import ssl
import sys
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import NoReturn, TextIO

from staffvc import __version__
from staffvc.clock import SystemClock, parse_datetime
from staffvc.demo import run_demo
from staffvc.did import (
    DID_V1,
    DidJwkMethod,
    DidKeyMethod,
    DidKeyOptions,
    DidWebMethod,
    PublicKeyFormat,
    Resolver,
    did_key,
    vm_id_of,
)
from staffvc.errors import StaffVCError
from staffvc.fetch import HttpsFetcher
from staffvc.jsonld import BundledLoader
from staffvc.keys import KeyPair, KeyType
from staffvc.proofs import AssertionPurpose, AuthenticationPurpose
from staffvc.proofs.data_integrity import SUITES, Cryptosuite, EcdsaSd2023, add_proof, derive_proof
from staffvc.results import Verdict
from staffvc.safejson import JsonLimits, JsonObject, JsonValue, loads
from staffvc.verifier import DEFAULT_INPUT_LIMITS, Verifier

__all__ = ["main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

SIGNING_KEY_TYPES = [KeyType.ED25519, KeyType.P256, KeyType.P384, KeyType.SECP256K1]
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
EXIT_INDETERMINATE = 3
MAX_INPUT_BYTES = 1 << 20


class UsageError(Exception):
    """Bad command-line usage (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--json-errors",
        action="store_true",
        default=argparse.SUPPRESS,
        help="on failure, also print the error as JSON on stderr",
    )
    parser = _Parser(
        prog="staffvc",
        description="Issue, hold and verify NHS staff passport credentials.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"staffvc {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    key = commands.add_parser("key", help="key management", parents=[common])
    key_commands = key.add_subparsers(
        dest="key_command", metavar="SUBCOMMAND", parser_class=_Parser
    )
    generate = key_commands.add_parser(
        "generate", help="generate a private key and print it as a JWK", parents=[common]
    )
    generate.add_argument(
        "--type",
        required=True,
        choices=[t.value for t in SIGNING_KEY_TYPES],
        help="key type",
    )
    generate.add_argument(
        "--out",
        type=Path,
        help="write the private JWK to FILE (mode 0600, never overwritten) and print the DID",
    )
    generate.add_argument("--force", action="store_true", help="replace an existing --out file")
    generate.set_defaults(handler=_key_generate)

    did = commands.add_parser("did", help="DID operations", parents=[common])
    did_commands = did.add_subparsers(
        dest="did_command", metavar="SUBCOMMAND", parser_class=_Parser
    )
    resolve = did_commands.add_parser(
        "resolve", help="resolve a DID and print its DID document", parents=[common]
    )
    resolve.add_argument("did", metavar="DID")
    resolve.add_argument(
        "--public-key-format",
        default=PublicKeyFormat.MULTIKEY.value,
        choices=[f.value for f in PublicKeyFormat],
        help="did:key verification method type (default Multikey)",
    )
    resolve.add_argument(
        "--enable-experimental-public-key-types",
        action="store_true",
        help="did:key: allow the 2018/2019 verification method types",
    )
    resolve.add_argument("--did-context", default=DID_V1, help="did:key: first @context entry")
    resolve.add_argument("--ca-file", type=Path, help="did:web: trust this CA bundle")
    resolve.add_argument(
        "--allow-http-host",
        action="append",
        default=[],
        metavar="HOST",
        help="did:web: allow plain HTTP to this loopback host (for tests)",
    )
    resolve.set_defaults(handler=_did_resolve)

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

    demo = commands.add_parser(
        "demo", help="run the staff-passport demonstration", parents=[common]
    )
    demo.set_defaults(handler=_demo)
    return parser


# --- commands ------------------------------------------------------------------------------


def _key_generate(args: argparse.Namespace, out: TextIO, inp: TextIO) -> int:
    pair = KeyPair.generate(args.type)
    pair = pair.with_key_id(vm_id_of(pair.public_key))
    text = json.dumps(pair.private_jwk(), indent=2) + "\n"
    if args.out is None:
        out.write(text)
        return EXIT_OK
    _write_secret(args.out, text, replace=args.force)
    out.write(did_key(pair.public_key) + "\n")
    return EXIT_OK


def _write_secret(path: Path, text: str, *, replace: bool) -> None:
    """Write a private key file readable by its owner only, atomically; never clobber."""
    if path.exists() and not replace:
        raise UsageError(f"{path} exists; refusing to overwrite a key file (use --force)")
    directory = path.parent if str(path.parent) else Path()
    fd, tmp = tempfile.mkstemp(prefix=".staffvc-key-", dir=directory)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            Path(tmp).replace(path)
        else:
            os.link(tmp, path)  # fails if path appeared meanwhile: no race, no clobber
            Path(tmp).unlink()
    except FileExistsError:
        Path(tmp).unlink(missing_ok=True)
        raise UsageError(f"{path} exists; refusing to overwrite a key file (use --force)") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _did_resolve(args: argparse.Namespace, out: TextIO, inp: TextIO) -> int:
    options = DidKeyOptions(
        public_key_format=args.public_key_format,
        enable_experimental_public_key_types=args.enable_experimental_public_key_types,
        did_context=args.did_context,
    )
    context = ssl.create_default_context(cafile=str(args.ca_file)) if args.ca_file else None
    try:
        fetcher = HttpsFetcher(allow_http_hosts=args.allow_http_host, ssl_context=context)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    http = bool(args.allow_http_host) and args.did.startswith("did:web:")
    resolver = Resolver(
        [
            DidKeyMethod(options),
            DidJwkMethod(),
            DidWebMethod(fetcher, scheme="http" if http else "https"),
        ]
    )
    document = resolver.resolve(args.did)
    out.write(json.dumps(document.to_json(), indent=2) + "\n")
    return EXIT_OK


def _read_input(name: str, inp: TextIO, what: str) -> str:
    if name == "-":
        return inp.read(MAX_INPUT_BYTES + 1)
    try:
        with Path(name).open(encoding="utf-8") as handle:
            return handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {what} {name}: {exc.strerror}") from None


def _json_input(name: str, inp: TextIO, what: str) -> JsonObject:
    value = loads(_read_input(name, inp, what), limits=DEFAULT_INPUT_LIMITS, what=what)
    if not isinstance(value, dict):
        raise UsageError(f"the {what} must be a JSON object")
    return value


def _signer(path: Path, verification_method: str | None) -> KeyPair:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read key file {path}: {exc.strerror}") from None
    jwk = loads(text, limits=JsonLimits(max_bytes=16384, max_depth=4), what="key file")
    if not isinstance(jwk, dict):
        raise UsageError("the key file must hold a JWK (a JSON object)")
    pair = KeyPair.from_jwk(jwk)
    return pair.with_key_id(verification_method or pair.key_id or vm_id_of(pair.public_key))


def _created(text: str | None) -> datetime:
    if text is None:
        return SystemClock().now()
    try:
        return parse_datetime(text)
    except ValueError:
        raise UsageError(f"--created {text!r} is not an ISO 8601 date-time") from None


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
    signer = _signer(args.key, args.verification_method)
    credential = _json_input(args.credential, inp, "credential")
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
        created=_created(args.created),
        loader=BundledLoader(),
    )
    out.write(json.dumps(secured, indent=2) + "\n")
    return EXIT_OK


def _derive(args: argparse.Namespace, out: TextIO, inp: TextIO) -> int:
    secured = _json_input(args.input, inp, "credential")
    derived = derive_proof(secured, args.reveal, loader=BundledLoader())
    out.write(json.dumps(derived, indent=2) + "\n")
    return EXIT_OK


def _present(args: argparse.Namespace, out: TextIO, inp: TextIO) -> int:
    signer = _signer(args.key, None)
    credentials: list[JsonValue] = [_json_input(c, inp, "credential") for c in args.credentials]
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
        created=_created(args.created),
        loader=BundledLoader(),
    )
    out.write(json.dumps(secured, indent=2) + "\n")
    return EXIT_OK


def _verify(args: argparse.Namespace, out: TextIO, inp: TextIO) -> int:
    now = None
    if args.now is not None:
        try:
            now = parse_datetime(args.now)
        except ValueError:
            raise UsageError(f"--now {args.now!r} is not an ISO 8601 date-time") from None
    text = _read_input(args.input, inp, "input")
    result = Verifier().verify(text, challenge=args.challenge, domain=args.domain, now=now)
    out.write(json.dumps(result.model_dump(mode="json"), indent=2) + "\n")
    return {
        Verdict.VALID: EXIT_OK,
        Verdict.INVALID: EXIT_FAILED,
        Verdict.INDETERMINATE: EXIT_INDETERMINATE,
    }[result.verdict]


def _demo(args: argparse.Namespace, out: TextIO, inp: TextIO) -> int:
    return run_demo(out)


# --- entry point ---------------------------------------------------------------------------


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Run the CLI; returns the exit code (the console script exits with it)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    inp = stdin or sys.stdin
    json_errors = "--json-errors" in argv
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
        handler = getattr(args, "handler", None)
        if handler is None:
            raise UsageError("a command is required (see 'staffvc --help')")
        code: int = handler(args, out, inp)
        return code
    except UsageError as exc:
        return _report(err, "usage", str(exc), EXIT_USAGE, json_errors)
    except StaffVCError as exc:
        return _report(err, exc.code, exc.message, EXIT_FAILED, json_errors)
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except BrokenPipeError:  # stdout closed early (| head): not an error worth a message
        return EXIT_FAILED
    except KeyboardInterrupt:
        return _report(err, "interrupted", "interrupted", 130, json_errors)
    except Exception as exc:  # noqa: BLE001 - the CLI never shows a traceback
        return _report(
            err,
            "internalError",
            f"unexpected {type(exc).__name__}: {exc}",
            EXIT_FAILED,
            json_errors,
        )


def _report(err: TextIO, code: str, message: str, exit_code: int, as_json: bool) -> int:
    err.write(f"staffvc: error: {code}: {message}\n")
    if as_json:
        err.write(json.dumps({"error": {"code": code, "message": message}}) + "\n")
    return exit_code
