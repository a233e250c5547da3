"""Processing the disclosures of an SD-JWT (RFC 9901 §7.1 step 3 to 5): the Processed SD-JWT
Payload, or a coded :class:`~staffvc.results.CheckFailed`.

Shared by the verifier (which reveals what it received) and the holder (which reveals
everything it holds, to learn where each disclosure sits). Pure: no I/O, no time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from staffvc.proofs.jose._sd_common import (
    ELLIPSIS,
    SD,
    SD_ALG,
    Disclosure,
    SdJwtLimits,
    b64_digest,
    child_pointer,
)
from staffvc.results import CheckFailed, Code
from staffvc.safejson import JsonObject, JsonValue


@dataclass(frozen=True, slots=True)
class Revealed:
    """The processed payload, and where each disclosure went."""

    payload: JsonObject
    order: tuple[int, ...]
    """Disclosure indices in the order the payload refers to them (parents first)."""
    pointers: tuple[str, ...]
    """For each disclosure (by index), the JSON pointer of its claim in ``payload``."""


def reveal(
    issuer_payload: JsonObject,
    disclosures: Sequence[Disclosure],
    hash_fn: Callable[[bytes], bytes],
    limits: SdJwtLimits,
) -> Revealed:
    """Replace every digest that has a disclosure by its claim, drop the rest.

    Raises :class:`CheckFailed` with ``DUPLICATE_DIGEST`` (a digest met twice, a disclosure
    sent twice), ``INVALID_DISCLOSURE`` (wrong kind for its place, reserved or colliding
    claim name), ``UNREFERENCED_DISCLOSURE`` (no digest refers to it),
    ``MALFORMED_VALUE_ERROR`` (``_sd``/``...``/``_sd_alg`` misused) or ``LIMIT_EXCEEDED``.
    """
    return _Revealer(disclosures, hash_fn, limits).run(issuer_payload)


class _Revealer:
    __slots__ = ("_by_digest", "_disclosures", "_limits", "_order", "_pointers", "_seen")

    def __init__(
        self,
        disclosures: Sequence[Disclosure],
        hash_fn: Callable[[bytes], bytes],
        limits: SdJwtLimits,
    ) -> None:
        self._disclosures = disclosures
        self._limits = limits
        self._by_digest: dict[str, int] = {}
        for index, disclosure in enumerate(disclosures):
            digest = b64_digest(hash_fn, disclosure.encoded)
            if digest in self._by_digest:
                raise CheckFailed(
                    Code.DUPLICATE_DIGEST,
                    f"disclosure {index} repeats disclosure {self._by_digest[digest]}",
                )
            self._by_digest[digest] = index
        self._seen: set[str] = set()
        self._order: list[int] = []
        self._pointers: list[str] = [""] * len(disclosures)

    def run(self, issuer_payload: JsonObject) -> Revealed:
        processed = self._object(issuer_payload, "", 1, top=True)
        if len(self._order) != len(self._disclosures):
            used = set(self._order)
            missing = [i for i in range(len(self._disclosures)) if i not in used]
            raise CheckFailed(
                Code.UNREFERENCED_DISCLOSURE,
                f"no digest refers to disclosure {missing[0]}"
                + (f" (nor to {len(missing) - 1} more)" if len(missing) > 1 else ""),
            )
        return Revealed(processed, tuple(self._order), tuple(self._pointers))

    def _value(self, value: JsonValue, pointer: str, depth: int) -> JsonValue:
        if isinstance(value, dict):
            return self._object(value, pointer, depth + 1, top=False)
        if isinstance(value, list):
            return self._array(value, pointer, depth + 1)
        return value

    def _check_depth(self, depth: int, pointer: str) -> None:
        if depth > self._limits.max_depth:
            raise CheckFailed(
                Code.LIMIT_EXCEEDED,
                f"the processed payload nests deeper than {self._limits.max_depth}",
                pointer=pointer,
            )

    def _claim(self, digest: object, pointer: str) -> int | None:
        if not isinstance(digest, str):
            raise CheckFailed(
                Code.MALFORMED_VALUE_ERROR, "a digest is not a string", pointer=pointer
            )
        if digest in self._seen:
            raise CheckFailed(
                Code.DUPLICATE_DIGEST, f"digest {digest} appears twice", pointer=pointer
            )
        self._seen.add(digest)
        return self._by_digest.get(digest)

    def _object(self, node: JsonObject, pointer: str, depth: int, *, top: bool) -> JsonObject:
        self._check_depth(depth, pointer)
        if ELLIPSIS in node:
            raise CheckFailed(
                Code.MALFORMED_VALUE_ERROR,
                "'...' is only allowed as the one member of an array element",
                pointer=pointer,
            )
        if not top and SD_ALG in node:
            raise CheckFailed(
                Code.MALFORMED_VALUE_ERROR,
                "'_sd_alg' is only allowed at the top level",
                pointer=pointer,
            )
        plain: JsonObject = {}
        revealed: JsonObject = {}
        for name, value in node.items():
            if name == SD:
                revealed = self._sd_array(value, node, pointer, depth)
            elif top and name == SD_ALG:
                continue
            elif isinstance(value, dict | list):
                plain[name] = self._value(value, child_pointer(pointer, name), depth)
            else:
                plain[name] = value
        if revealed:
            plain.update(revealed)
        return plain

    def _sd_array(
        self, digests: JsonValue, node: JsonObject, pointer: str, depth: int
    ) -> JsonObject:
        where = child_pointer(pointer, SD)
        if not isinstance(digests, list):
            raise CheckFailed(Code.MALFORMED_VALUE_ERROR, "'_sd' is not an array", pointer=where)
        revealed: JsonObject = {}
        for digest in digests:
            index = self._claim(digest, where)
            if index is None:
                continue  # a decoy, or a claim the holder did not disclose
            disclosure = self._disclosures[index]
            name = disclosure.name
            if name is None:
                raise CheckFailed(
                    Code.INVALID_DISCLOSURE,
                    f"disclosure {index} is an array element but is referenced from '_sd'",
                    pointer=where,
                )
            if name in node or name in revealed:
                raise CheckFailed(
                    Code.INVALID_DISCLOSURE,
                    f"disclosure {index} discloses {name!r}, which is already a claim here",
                    pointer=child_pointer(pointer, name),
                )
            claim_pointer = child_pointer(pointer, name)
            self._order.append(index)
            self._pointers[index] = claim_pointer
            revealed[name] = self._value(disclosure.value, claim_pointer, depth)
        return revealed

    def _array(self, node: list[JsonValue], pointer: str, depth: int) -> list[JsonValue]:
        self._check_depth(depth, pointer)
        out: list[JsonValue] = []
        for position, element in enumerate(node):
            if isinstance(element, dict) and ELLIPSIS in element:
                where = child_pointer(pointer, position)
                if len(element) != 1:
                    raise CheckFailed(
                        Code.MALFORMED_VALUE_ERROR,
                        "an array element digest has members besides '...'",
                        pointer=where,
                    )
                index = self._claim(element[ELLIPSIS], where)
                if index is None:
                    continue
                disclosure = self._disclosures[index]
                if disclosure.name is not None:
                    raise CheckFailed(
                        Code.INVALID_DISCLOSURE,
                        f"disclosure {index} names a claim but is referenced from an array",
                        pointer=where,
                    )
                claim_pointer = child_pointer(pointer, len(out))
                self._order.append(index)
                self._pointers[index] = claim_pointer
                out.append(self._value(disclosure.value, claim_pointer, depth))
            elif isinstance(element, dict | list):
                out.append(self._value(element, child_pointer(pointer, len(out)), depth))
            else:
                out.append(element)
        return out
