"""``staffvc status ...`` and ``issue --status``: an issuer's status registry in a SQLite file.

Status changes go straight to the durable store (a change is on disk when the command
returns); ``publish`` writes each list's signed status list credential to a folder, named by
list id, ready to be served at its URL.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from staffvc.cli._common import EXIT_OK, Parser, UsageError, signer_from_file, timestamp
from staffvc.clock import SystemClock
from staffvc.jsonld import BundledLoader
from staffvc.proofs import AssertionPurpose
from staffvc.proofs.data_integrity import SUITES, add_proof
from staffvc.proofs.jose import issue_vc_jwt
from staffvc.safejson import JsonObject
from staffvc.status.registry import StatusRegistry
from staffvc.status.sqlite_store import SqliteStatusStore
from staffvc.status.store import REVOCATION, SUSPENSION, StatusStore

__all__ = ["add_status_entries", "register"]

_LIST_FORMATS = [*SUITES, "vc+jwt"]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``status`` command group."""
    status = commands.add_parser("status", help="the issuer's status registry", parents=[common])
    sub = status.add_subparsers(dest="status_command", metavar="SUBCOMMAND", parser_class=Parser)
    for name, purpose, value, text in (
        ("revoke", REVOCATION, 1, "revoke a credential for good"),
        ("suspend", SUSPENSION, 1, "put a credential on hold"),
        ("reinstate", SUSPENSION, 0, "lift a credential's suspension"),
    ):
        change = sub.add_parser(name, help=text, parents=[common])
        change.add_argument("--db", required=True, type=Path, metavar="DBFILE")
        change.add_argument("credential_id", metavar="CREDENTIAL_ID")
        change.set_defaults(handler=_change, purpose=purpose, value=value)

    show = sub.add_parser("show", help="a credential's status, or every list", parents=[common])
    show.add_argument("--db", required=True, type=Path, metavar="DBFILE")
    show.add_argument("credential_id", nargs="?", metavar="CREDENTIAL_ID")
    show.set_defaults(handler=_show)

    publish = sub.add_parser(
        "publish", help="sign every list and write it to a folder", parents=[common]
    )
    publish.add_argument("--db", required=True, type=Path, metavar="DBFILE")
    publish.add_argument("--key", required=True, type=Path, metavar="JWKFILE", help="issuer's JWK")
    publish.add_argument("--base-url", required=True, metavar="URL", help="where lists are served")
    publish.add_argument("--format", default="eddsa-rdfc-2022", choices=_LIST_FORMATS)
    publish.add_argument("--out-dir", required=True, type=Path, metavar="DIR")
    publish.add_argument("--valid-for-hours", type=float, help="sets each list's validUntil")
    publish.add_argument("--created", metavar="ISO8601", help="proof creation time (default: now)")
    publish.set_defaults(handler=_publish)


def add_status_entries(credential: JsonObject, db: Path, base_url: str | None) -> None:
    """Allocate the credential's status entries in the registry at ``db`` and add them.

    A credential without an ``id`` gets a ``urn:uuid:`` one: the registry keys entries by it.
    """
    if base_url is None:
        raise UsageError("--status needs --status-base-url")
    if "credentialStatus" in credential:
        raise UsageError("the credential already has a credentialStatus")
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str):
        raise UsageError("the credential needs an issuer before status entries")
    if not isinstance(credential.get("id"), str):
        credential["id"] = "urn:uuid:" + _uuid4()
    with StatusRegistry.sqlite(
        db, base_url=base_url, issuer=issuer_id, random_bytes=os.urandom, clock=SystemClock()
    ) as registry:
        entries = registry.allocate(str(credential["id"]))
    credential["credentialStatus"] = list(entries)


def _uuid4() -> str:
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _existing(db: Path) -> StatusStore:
    if not db.exists():
        raise UsageError(f"{db}: no status registry there")
    return SqliteStatusStore(db, create=False)


def _change(args: argparse.Namespace, out: TextIO, inp: TextIO) -> int:
    store = _existing(args.db)
    try:
        change = store.set_status(
            args.credential_id, purpose=args.purpose, value=args.value, now=SystemClock().now()
        )
    finally:
        store.close()
    allocation = change.allocation
    report = {
        "credentialId": allocation.credential_id,
        "statusPurpose": allocation.purpose,
        "statusListCredential": allocation.list_url,
        "statusListIndex": str(allocation.index),
        "status": allocation.status,
        "changed": change.changed,
    }
    out.write(json.dumps(report, indent=2) + "\n")
    return EXIT_OK


def _show(args: argparse.Namespace, out: TextIO, inp: TextIO) -> int:
    store = _existing(args.db)
    try:
        if args.credential_id is None:
            report: object = [
                {
                    "listId": info.list_id,
                    "url": info.url,
                    "statusPurpose": info.purpose,
                    "length": info.length,
                    "allocated": info.allocated,
                    "stale": info.stale,
                }
                for info in store.lists()
            ]
        else:
            held = store.allocations(args.credential_id)
            if not held:
                raise UsageError(f"no status entries for credential {args.credential_id!r}")
            report = {
                a.purpose: {
                    "statusListCredential": a.list_url,
                    "index": a.index,
                    "status": a.status,
                }
                for a in held
            }
    finally:
        store.close()
    out.write(json.dumps(report, indent=2) + "\n")
    return EXIT_OK


def _publish(args: argparse.Namespace, out: TextIO, inp: TextIO) -> int:
    signer = signer_from_file(args.key, None)
    issuer = (signer.key_id or "").split("#")[0]
    created = timestamp(args.created, "--created")
    loader = BundledLoader()

    def sign(unsigned: JsonObject) -> JsonObject | str:
        if args.format == "vc+jwt":
            return issue_vc_jwt(unsigned, signer=signer)
        return add_proof(
            unsigned,
            signer,
            suite=args.format,
            purpose=AssertionPurpose(),
            created=created,
            loader=loader,
        )

    if not args.db.exists():
        raise UsageError(f"{args.db}: no status registry there")
    valid_for = None if args.valid_for_hours is None else timedelta(hours=args.valid_for_hours)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    with StatusRegistry.sqlite(
        args.db,
        base_url=args.base_url,
        issuer=issuer,
        random_bytes=os.urandom,
        clock=SystemClock(),
        create=False,
    ) as registry:
        published = registry.publish_all(sign=sign, valid_for=valid_for)
    written = {}
    for list_id, document in published.items():
        path = args.out_dir / (list_id + (".json" if isinstance(document, dict) else ".jwt"))
        text = json.dumps(document, indent=2) if isinstance(document, dict) else document
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(text + "\n", encoding="utf-8")
        tmp.replace(path)
        written[list_id] = str(path)
    out.write(json.dumps(written, indent=2) + "\n")
    return EXIT_OK
