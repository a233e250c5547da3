"""The ``staffvc`` command line.

A thin face over the library: parse arguments, call one function, print to stdout.
Errors go to stderr as one line (``staffvc: error: CODE: message``), plus a JSON object on
the next line with ``--json-errors``; never a traceback. Exit codes: 0 success, 1 the
operation failed on its input, 2 usage error; ``verify``: 0 VALID, 1 INVALID,
3 INDETERMINATE.

Command names and options are a contract other systems script against; see
``docs/cli.md``. One module per command group: ``_keys`` (key, did), ``_credentials``
(issue, present, derive, verify), ``_status`` (status registry); ``_main`` builds the parser.
"""

from staffvc.cli._main import main

__all__ = ["main"]
