"""Helpers shared by the tests: the official vectors, local HTTP(S) servers."""

from __future__ import annotations

import datetime as dt
import json
import os
import ssl
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """The read-only shared/ folder beside the checkout (or $STAFFVC_SHARED)."""
    return Path(os.environ.get("STAFFVC_SHARED", REPO.parent / "shared")).resolve()


def load_vector(relative: str) -> Any:
    path = shared_dir() / "vectors" / relative
    if not path.exists():
        raise FileNotFoundError(
            f"test vectors not found at {path}: shared/ must sit beside the checkout "
            "(or set STAFFVC_SHARED)"
        )
    return json.loads(path.read_text(encoding="utf-8"))


CITIZENSHIP_V4RC1 = "https://w3id.org/citizenship/v4rc1"

# The "employment" vectors (eddsa-rdfc-2022/employ, ecdsa-rdfc-2019-p256|p384/employ) use
# https://w3id.org/citizenship/v4rc1. That context is not bundled with staffvc, and it is not
# in shared/vectors/*/raw either (the vector repositories load it from an npm package). So
# these tests register this *reconstruction*: exactly the terms the employment credential
# uses, each mapped to the IRI (and datatype) that the vectors' expected canonical N-Quads
# show. It is not the published context and must never be bundled; it only lets the test
# reproduce the vectors' canonical forms, which exercise what the other vectors do not:
# blank nodes (three of them) and their RDFC-1.0 labelling.
CITIZENSHIP_V4RC1_RECONSTRUCTED: dict[str, Any] = {
    "@context": {
        "@version": 1.1,
        "@protected": True,
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "EmploymentAuthorizationDocumentCredential": (
            "https://w3id.org/citizenship#EmploymentAuthorizationDocumentCredential"
        ),
        "EmployablePerson": "https://w3id.org/citizenship#EmployablePerson",
        "EmploymentAuthorizationDocument": "https://w3id.org/citizenship#EmploymentAuthorizationDocument",
        "Person": "https://schema.org/Person",
        "image": {"@id": "https://schema.org/image", "@type": "@id"},
        "givenName": "https://schema.org/givenName",
        "additionalName": "https://schema.org/additionalName",
        "familyName": "https://schema.org/familyName",
        "gender": "https://schema.org/gender",
        "identifier": "https://schema.org/identifier",
        "birthDate": {"@id": "https://schema.org/birthDate", "@type": "xsd:dateTime"},
        "residentSince": {
            "@id": "https://w3id.org/citizenship#residentSince",
            "@type": "xsd:dateTime",
        },
        "birthCountry": "https://w3id.org/citizenship#birthCountry",
        "employmentAuthorizationDocument": (
            "https://w3id.org/citizenship#employmentAuthorizationDocument"
        ),
        "lprCategory": "https://w3id.org/citizenship#lprCategory",
        "lprNumber": "https://w3id.org/citizenship#lprNumber",
    }
}


def vector_loader(document: Mapping[str, Any]) -> Any:
    """An offline loader for a vector document: bundled contexts, plus the reconstructed
    citizenship context when the document uses it (see above)."""
    from staffvc.jsonld import BundledLoader

    if CITIZENSHIP_V4RC1 in document.get("@context", []):
        return BundledLoader({CITIZENSHIP_V4RC1: CITIZENSHIP_V4RC1_RECONSTRUCTED})
    return BundledLoader()


VERIFY_AT = "2026-11-21T00:00:00Z"


def verify_assertion_proofs(document: Mapping[str, Any], *, controller: str | None = None) -> Any:
    """The proof-level checks of ``document`` (assertionMethod; did:key and did:jwk; offline
    with :func:`vector_loader`) at :data:`VERIFY_AT`, as a CheckRecorder. ``controller=None``
    leaves out the issuer binding, which the W3C vectors (https issuer, did:key signer) fail."""
    from staffvc.clock import parse_datetime
    from staffvc.did import Resolver
    from staffvc.proofs import AssertionPurpose
    from staffvc.proofs.data_integrity import verify_proofs
    from staffvc.results import CheckRecorder, Stage

    recorder = CheckRecorder(required=[Stage.PROOF, Stage.PURPOSE])
    verify_proofs(
        dict(document),
        recorder,
        purpose=AssertionPurpose(),
        expected_controller=controller,
        resolver=Resolver(),
        loader=vector_loader(document),
        now=parse_datetime(VERIFY_AT),
    )
    return recorder


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] | None = None


@dataclass
class LocalServer:
    port: int
    routes: dict[str, Route]
    requests: list[str]
    ca_file: Path | None = None

    def ssl_context(self) -> ssl.SSLContext:
        assert self.ca_file is not None
        return ssl.create_default_context(cafile=str(self.ca_file))


def _handler(routes: dict[str, Route], log: list[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            log.append(self.path)
            route = routes.get(self.path, Route(status=404, body=b"not found"))
            self.send_response(route.status)
            headers = dict(route.headers or {})
            headers.setdefault("Content-Type", "application/did+json")
            headers.setdefault("Content-Length", str(len(route.body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base class name
            pass

    return Handler


@contextmanager
def local_server(*, tls_dir: Path | None = None) -> Iterator[LocalServer]:
    """An HTTP (or, with ``tls_dir``, HTTPS for 'localhost') server on 127.0.0.1."""
    routes: dict[str, Route] = {}
    log: list[str] = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(routes, log))
    ca_file = None
    if tls_dir is not None:
        cert, key = _self_signed_localhost(tls_dir)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        ca_file = cert
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield LocalServer(httpd.server_address[1], routes, log, ca_file)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _self_signed_localhost(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "localhost.pem", folder / "localhost.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
