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
from pathlib import Path
from typing import NoReturn, TextIO

from staffvc import __version__
from staffvc.did import (
    DID_V1,
    DidJwkMethod,
    DidKeyMethod,
    DidKeyOptions,
    DidWebMethod,
    PublicKeyFormat,
    Relationship,
    Resolver,
    did_jwk,
    did_key,
    vm_id_of,
)
from staffvc.errors import StaffVCError
from staffvc.fetch import HttpsFetcher
from staffvc.keys import KeyPair, KeyType

__all__ = ["main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

SIGNING_KEY_TYPES = [KeyType.ED25519, KeyType.P256, KeyType.P384, KeyType.SECP256K1]


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

    demo = commands.add_parser(
        "demo", help="run the staff-passport demonstration", parents=[common]
    )
    demo.set_defaults(handler=_demo)
    return parser


# --- commands ------------------------------------------------------------------------------


def _key_generate(args: argparse.Namespace, out: TextIO) -> int:
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


def _did_resolve(args: argparse.Namespace, out: TextIO) -> int:
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


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    """Keys and DIDs for the passport's parties; grows into the full scenario."""
    resolver = Resolver()
    parties = [
        ("NHS England (identity issuer)", KeyType.ED25519),
        ("General Medical Council", KeyType.P256),
        ("Disclosure and Barring Service", KeyType.P384),
        ("Legacy Entra Verified ID issuer", KeyType.SECP256K1),
    ]
    out.write("staffvc demo: keys and DIDs for the staff-passport parties\n\n")
    for name, key_type in parties:
        pair = KeyPair.generate(key_type)
        did = did_key(pair.public_key)
        document = resolver.resolve(did)
        vm = resolver.dereference(
            vm_id_of(pair.public_key), relationship=Relationship.ASSERTION_METHOD
        )
        message = f"signed by {name}".encode()
        verified = vm.public_key.verify(pair.sign(message), message)
        tampered = vm.public_key.verify(pair.sign(message), message + b"!")
        jwk_did = did_jwk(pair.public_key)
        jwk_ok = resolver.dereference(jwk_did + "#0", relationship=Relationship.ASSERTION_METHOD)
        out.write(f"{name}\n")
        out.write(f"  key type      {key_type.value} ({pair.algorithm.value})\n")
        out.write(f"  did:key       {did}\n")
        out.write(f"  methods       {', '.join(document.method_ids())}\n")
        out.write(f"  thumbprint    {pair.public_key.thumbprint()}\n")
        out.write(
            f"  did:jwk       resolves to the same key: {jwk_ok.public_key == pair.public_key}\n"
        )
        out.write(
            f"  sign/verify   {'ok' if verified else 'FAILED'}; tampered message rejected: "
            f"{'yes' if not tampered else 'NO'}\n\n"
        )
        if not verified or tampered:
            return EXIT_FAILED
    out.write("All parties' DIDs resolve offline and their keys sign and verify.\n")
    return EXIT_OK


# --- entry point ---------------------------------------------------------------------------


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the CLI; returns the exit code (the console script exits with it)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    json_errors = "--json-errors" in argv
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
        handler = getattr(args, "handler", None)
        if handler is None:
            raise UsageError("a command is required (see 'staffvc --help')")
        code: int = handler(args, out)
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
