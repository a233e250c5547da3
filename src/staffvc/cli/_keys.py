"""``staffvc key generate`` and ``staffvc did resolve``."""

from __future__ import annotations

import argparse
import json
import os
import ssl
import tempfile
from pathlib import Path
from typing import Any, TextIO

from staffvc.cli._common import EXIT_OK, Parser, UsageError
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
from staffvc.fetch import HttpsFetcher
from staffvc.keys import KeyPair, KeyType

__all__ = ["SIGNING_KEY_TYPES", "register"]

SIGNING_KEY_TYPES = [KeyType.ED25519, KeyType.P256, KeyType.P384, KeyType.SECP256K1]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``key`` and ``did`` command groups."""
    key = commands.add_parser("key", help="key management", parents=[common])
    key_commands = key.add_subparsers(dest="key_command", metavar="SUBCOMMAND", parser_class=Parser)
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
    did_commands = did.add_subparsers(dest="did_command", metavar="SUBCOMMAND", parser_class=Parser)
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
