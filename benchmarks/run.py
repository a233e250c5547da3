"""`make bench`: staffvc's speed as ratios against a reference measured in the same run.

Each row times one operation (median of several runs of many calls, after warm-up) and
divides by a reference on the same machine, in the same process: for now the raw
pyca/cryptography primitive underneath (the floor). Later suites add peer implementations
(vc.js, jose, sd-jwt) as references. Goals are stated as ratios, never as absolute times.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from staffvc.did import DidKeyMethod, Relationship, Resolver, vm_id_of
from staffvc.keys import KeyPair, KeyType, PublicKey

RUNS, CALLS = 7, 500


def per_call_us(fn: Callable[[], object]) -> float:
    for _ in range(50):
        fn()
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for _ in range(CALLS):
            fn()
        samples.append((time.perf_counter() - start) / CALLS * 1e6)
    return statistics.median(samples)


def main() -> None:
    message = b"x" * 1024
    rows: list[tuple[str, float, str, float]] = []

    ed = KeyPair.generate(KeyType.ED25519)
    ed_sig = ed.sign(message)
    raw_ed = ed.public_key._crypto  # the cryptography object underneath
    rows.append(
        (
            "Ed25519 verify (PublicKey.verify)",
            per_call_us(lambda: ed.public_key.verify(ed_sig, message)),
            "cryptography Ed25519 verify",
            per_call_us(lambda: raw_ed.verify(ed_sig, message)),  # type: ignore[union-attr]
        )
    )

    p256 = KeyPair.generate(KeyType.P256)
    p_sig = p256.sign(message)
    raw_private = ec.generate_private_key(ec.SECP256R1())
    der = raw_private.sign(message, ec.ECDSA(hashes.SHA256()))
    raw_public = raw_private.public_key()
    rows.append(
        (
            "P-256 verify (r||s, PublicKey.verify)",
            per_call_us(lambda: p256.public_key.verify(p_sig, message)),
            "cryptography P-256 verify (DER)",
            per_call_us(lambda: raw_public.verify(der, message, ec.ECDSA(hashes.SHA256()))),
        )
    )
    rows.append(
        (
            "P-256 sign (r||s)",
            per_call_us(lambda: p256.sign(message)),
            "cryptography P-256 sign (DER)",
            per_call_us(lambda: raw_private.sign(message, ec.ECDSA(hashes.SHA256()))),
        )
    )

    resolver = Resolver()
    vm_id = vm_id_of(ed.public_key)
    mb = ed.public_key.to_multikey()
    method = DidKeyMethod()
    rows.append(
        (
            "did:key dereference (cached resolver)",
            per_call_us(
                lambda: resolver.dereference(vm_id, relationship=Relationship.ASSERTION_METHOD)
            ),
            "cryptography Ed25519 verify",
            per_call_us(lambda: raw_ed.verify(ed_sig, message)),  # type: ignore[union-attr]
        )
    )
    rows.append(
        (
            "did:key resolve (uncached, Ed25519 + X25519)",
            per_call_us(lambda: method.resolve(f"did:key:{mb}")),
            "cryptography Ed25519 verify",
            per_call_us(lambda: raw_ed.verify(ed_sig, message)),  # type: ignore[union-attr]
        )
    )
    rows.append(
        (
            "Multikey decode (PublicKey.from_multikey)",
            per_call_us(lambda: PublicKey.from_multikey(mb)),
            "cryptography Ed25519 verify",
            per_call_us(lambda: raw_ed.verify(ed_sig, message)),  # type: ignore[union-attr]
        )
    )

    width = max(len(r[0]) for r in rows)
    print(f"{'operation':<{width}}  {'µs/op':>8}  {'ratio':>6}  reference (µs/op)")
    for name, ours, ref_name, ref in rows:
        print(f"{name:<{width}}  {ours:8.1f}  {ours / ref:5.2f}x  {ref_name} ({ref:.1f})")


if __name__ == "__main__":
    main()
