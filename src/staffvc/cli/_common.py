"""What every command shares: exit codes, usage errors, reading inputs and key files."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import NoReturn, TextIO

from staffvc.clock import SystemClock, parse_datetime
from staffvc.did import vm_id_of
from staffvc.keys import KeyPair
from staffvc.safejson import JsonLimits, JsonObject, loads

__all__ = [
    "EXIT_FAILED",
    "EXIT_INDETERMINATE",
    "EXIT_OK",
    "EXIT_USAGE",
    "INPUT_LIMITS",
    "MAX_INPUT_BYTES",
    "Parser",
    "UsageError",
    "json_input",
    "read_input",
    "signer_from_file",
    "timestamp",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INDETERMINATE = 3
MAX_INPUT_BYTES = 1 << 20
INPUT_LIMITS = JsonLimits(max_bytes=MAX_INPUT_BYTES, max_depth=32)


class UsageError(Exception):
    """Bad command-line usage (exit 2)."""


class Parser(argparse.ArgumentParser):
    """An argument parser that raises :class:`UsageError` instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def read_input(name: str, inp: TextIO, what: str) -> str:
    """The text of file ``name`` (``-``: standard input), up to the input cap."""
    if name == "-":
        return inp.read(MAX_INPUT_BYTES + 1)
    try:
        with Path(name).open(encoding="utf-8") as handle:
            return handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {what} {name}: {exc.strerror}") from None


def json_input(name: str, inp: TextIO, what: str) -> JsonObject:
    """A JSON object read from ``name`` within the input limits."""
    value = loads(read_input(name, inp, what), limits=INPUT_LIMITS, what=what)
    if not isinstance(value, dict):
        raise UsageError(f"the {what} must be a JSON object")
    return value


def signer_from_file(path: Path, verification_method: str | None) -> KeyPair:
    """A key pair from a private JWK file; its key id is the given DID URL, else the JWK's
    ``kid``, else its did:key verification method."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read key file {path}: {exc.strerror}") from None
    jwk = loads(text, limits=JsonLimits(max_bytes=16384, max_depth=4), what="key file")
    if not isinstance(jwk, dict):
        raise UsageError("the key file must hold a JWK (a JSON object)")
    pair = KeyPair.from_jwk(jwk)
    return pair.with_key_id(verification_method or pair.key_id or vm_id_of(pair.public_key))


def timestamp(text: str | None, option: str) -> datetime:
    """The instant given to ``option``, or now when it was not given."""
    if text is None:
        return SystemClock().now()
    try:
        return parse_datetime(text)
    except ValueError:
        raise UsageError(f"{option} {text!r} is not an ISO 8601 date-time") from None
