"""Building an SD-JWT payload and its disclosures (RFC 9901 §4.2): the issuer's pure part.

Claims to conceal are named by JSON pointers into the claims as given. Salts and decoys come
from an injected ``random_bytes``; ``_sd`` arrays are sorted, which hides the original claim
order and mixes decoys in (§4.2.4.1, §4.2.5).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from staffvc.keys import b64url_encode
from staffvc.proofs.jose._sd_common import (
    ELLIPSIS,
    SD,
    SD_ALG,
    DisclosureSelectionError,
    ReservedClaimError,
    SdJwtError,
    array_index,
    b64_digest,
    encode_disclosure,
    format_pointer,
    parse_pointer,
)
from staffvc.safejson import JsonObject, JsonValue

SALT_BYTES = 16
"""128 bits of salt: the minimum RFC 9901 §9.3 recommends."""
DECOY_BYTES = 32

Path = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Built:
    payload: JsonObject
    disclosures: tuple[str, ...]
    """Encoded disclosures, children before the claims that contain them."""


def build_sd_payload(
    claims: JsonObject,
    *,
    disclosable: Collection[str],
    forbidden: Callable[[Path], str | None],
    decoys: int | Mapping[str, int],
    random_bytes: Callable[[int], bytes],
    hash_fn: Callable[[bytes], bytes],
) -> Built:
    """The payload with digests in place of the ``disclosable`` claims, and the disclosures.

    ``forbidden(path)`` returns why the claim at ``path`` may not be disclosable, or None.
    ``decoys`` is the number of decoy digests for every object that has disclosable members,
    or, as a mapping from JSON pointer to count, exactly where to put how many (objects get
    them in ``_sd``, arrays as ``{"...": digest}`` elements at random positions).
    """
    if not isinstance(claims, dict):
        raise SdJwtError("claims must be a JSON object")
    _check_reserved(claims, ())
    paths = {_resolve(claims, pointer, forbidden) for pointer in disclosable}
    decoy_at: dict[Path, int] | int
    if isinstance(decoys, int):
        if decoys < 0:
            raise SdJwtError("decoys must not be negative")
        decoy_at = decoys
    else:
        decoy_at = {}
        for pointer, count in decoys.items():
            path = () if pointer == "" else parse_pointer(pointer)
            if not isinstance(value_at(claims, path, pointer), dict | list):
                raise DisclosureSelectionError(f"decoys at {pointer!r}: not an object or array")
            if count < 0:
                raise SdJwtError("decoys must not be negative")
            decoy_at[path] = count
    builder = _Builder(paths, decoy_at, random_bytes, hash_fn)
    payload = builder.object(claims, ())
    return Built(payload, tuple(builder.disclosures))


def _check_reserved(value: JsonValue, path: Path) -> None:
    stack: list[tuple[JsonValue, Path]] = [(value, path)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            for name, child in node.items():
                if name in (SD, ELLIPSIS, SD_ALG):
                    raise ReservedClaimError(
                        f"claim {format_pointer((*where, name))!r}: {name!r} is reserved by SD-JWT"
                    )
                stack.append((child, (*where, name)))
        elif isinstance(node, list):
            stack.extend((child, (*where, str(i))) for i, child in enumerate(node))


def value_at(claims: JsonObject, path: Path, pointer: str) -> JsonValue:
    """The value at ``path``; :class:`DisclosureSelectionError` (naming ``pointer``) if none."""
    node: JsonValue = claims
    for token in path:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and (index := array_index(token, len(node))) is not None:
            node = node[index]
        else:
            raise DisclosureSelectionError(f"{pointer!r} names no claim")
    return node


def _resolve(claims: JsonObject, pointer: str, forbidden: Callable[[Path], str | None]) -> Path:
    path = parse_pointer(pointer)
    value_at(claims, path, pointer)
    reason = forbidden(path)
    if reason is not None:
        raise DisclosureSelectionError(f"{pointer!r} may not be selectively disclosable: {reason}")
    return path


class _Builder:
    def __init__(
        self,
        disclosable: set[Path],
        decoys: dict[Path, int] | int,
        random_bytes: Callable[[int], bytes],
        hash_fn: Callable[[bytes], bytes],
    ) -> None:
        self._disclosable = disclosable
        self._decoys = decoys
        self._random_bytes = random_bytes
        self._hash_fn = hash_fn
        self.disclosures: list[str] = []

    def _random(self, size: int) -> bytes:
        data = self._random_bytes(size)
        if not isinstance(data, bytes) or len(data) != size:
            raise SdJwtError(f"random_bytes({size}) did not return {size} bytes")
        return data

    def _disclose(self, name: str | None, value: JsonValue) -> str:
        salt = b64url_encode(self._random(SALT_BYTES))
        encoded = encode_disclosure(salt, name, value)
        self.disclosures.append(encoded)
        return b64_digest(self._hash_fn, encoded)

    def _decoy(self) -> str:
        return b64url_encode(self._hash_fn(self._random(DECOY_BYTES)))

    def _decoy_count(self, path: Path, *, has_disclosable: bool, is_object: bool) -> int:
        if isinstance(self._decoys, int):
            return self._decoys if has_disclosable and is_object else 0
        return self._decoys.get(path, 0)

    def value(self, value: JsonValue, path: Path) -> JsonValue:
        if isinstance(value, dict):
            return self.object(value, path)
        if isinstance(value, list):
            return self.array(value, path)
        return value

    def object(self, node: JsonObject, path: Path) -> JsonObject:
        out: JsonObject = {}
        digests: list[str] = []
        for name, child in node.items():
            child_path = (*path, name)
            built = self.value(child, child_path)
            if child_path in self._disclosable:
                digests.append(self._disclose(name, built))
            else:
                out[name] = built
        count = self._decoy_count(path, has_disclosable=bool(digests), is_object=True)
        digests.extend(self._decoy() for _ in range(count))
        if digests:
            digests.sort()
            return {SD: list[JsonValue](digests), **out}
        return out

    def array(self, node: list[JsonValue], path: Path) -> list[JsonValue]:
        out: list[JsonValue] = []
        for index, child in enumerate(node):
            child_path = (*path, str(index))
            built = self.value(child, child_path)
            if child_path in self._disclosable:
                out.append({ELLIPSIS: self._disclose(None, built)})
            else:
                out.append(built)
        count = self._decoy_count(path, has_disclosable=False, is_object=False)
        for _ in range(count):
            position = int.from_bytes(self._random(4), "big") % (len(out) + 1)
            out.insert(position, {ELLIPSIS: self._decoy()})
        return out
