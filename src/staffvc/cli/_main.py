"""Builds the parser from each command group and runs one command, never with a traceback."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from staffvc import __version__
from staffvc.cli import _credentials, _keys, _status
from staffvc.cli._common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Parser, UsageError
from staffvc.demo import run_demo
from staffvc.errors import StaffVCError

__all__ = ["main"]


def _build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    common.add_argument(
        "--json-errors",
        action="store_true",
        default=argparse.SUPPRESS,
        help="on failure, also print the error as JSON on stderr",
    )
    parser = Parser(
        prog="staffvc",
        description="Issue, hold and verify NHS staff passport credentials.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"staffvc {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    _keys.register(commands, common)
    _credentials.register(commands, common)
    _status.register(commands, common)
    demo = commands.add_parser(
        "demo", help="run the staff-passport demonstration", parents=[common]
    )
    demo.set_defaults(handler=_demo)
    return parser


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
