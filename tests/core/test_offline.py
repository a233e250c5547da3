"""Offline by default: with every socket refused, the foundation still does all its work."""

from __future__ import annotations

import io
import socket
from typing import NoReturn

import pytest

from staffvc.cli import main
from staffvc.did import Relationship, Resolver, did_jwk, vm_id_of
from staffvc.keys import KeyPair, KeyType


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> NoReturn:
        raise AssertionError("staffvc tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.usefixtures("no_network")
def test_keys_dids_and_demo_need_no_network() -> None:
    resolver = Resolver()
    for key_type in (KeyType.ED25519, KeyType.P256, KeyType.P384, KeyType.SECP256K1):
        key = KeyPair.generate(key_type).public_key
        assert resolver.dereference(vm_id_of(key), relationship=Relationship.ASSERTION_METHOD)
        assert resolver.dereference(did_jwk(key) + "#0", relationship=Relationship.AUTHENTICATION)
    out, err = io.StringIO(), io.StringIO()
    assert main(["demo"], stdout=out, stderr=err) == 0, err.getvalue()


@pytest.mark.usefixtures("no_network")
def test_the_guard_works() -> None:
    with pytest.raises(AssertionError, match="network"):
        socket.create_connection(("127.0.0.1", 9))
