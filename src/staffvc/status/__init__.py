"""Credential status: Bitstring Status List, StatusList2021, Token Status List, registry.

Issuer side: :class:`Bitstring`, :func:`build_status_list_credential`,
:func:`build_status_entry` (and the registry, which allocates indexes and publishes lists).
Verifier side: a :class:`StatusListSource` (:class:`InMemoryStatusListSource`,
:class:`HttpStatusListSource`) and the :class:`StatusChecker`, which records coded checks in
the caller's :class:`~staffvc.results.CheckRecorder` and returns a :class:`StatusResult`.
"""

from staffvc.status.bitstring import (
    DEFAULT_DECODE_LIMITS,
    MAX_STATUS_SIZE,
    MIN_LIST_LENGTH,
    Bitstring,
    DecodeLimits,
)
from staffvc.status.checker import (
    DEFAULT_CHECK_LIMITS,
    EntryStatus,
    StatusChecker,
    StatusCheckLimits,
    StatusResult,
    VerifyListCredential,
)
from staffvc.status.entry import (
    KNOWN_PURPOSES,
    EntryType,
    StatusEntry,
    StatusMessage,
    build_status_entry,
    parse_status_entry,
)
from staffvc.status.list_credential import (
    BSL_LIST_TYPE,
    BSL_SUBJECT_TYPE,
    StatusListView,
    build_status_list_credential,
    read_status_list,
)

# The issuer-side registry (status/registry.py, status/store.py): index allocation, durable
# stores and publishing. PostgresStatusStore needs the optional ``postgres`` extra, so it is
# imported from staffvc.status.postgres_store, not from here.
from staffvc.status.registry import CredentialStatus, SignListCredential, StatusRegistry
from staffvc.status.source import (
    HttpStatusListSource,
    InMemoryStatusListSource,
    StatusListDocument,
    StatusListSource,
)
from staffvc.status.sqlite_store import SqliteStatusStore
from staffvc.status.statuslist2021 import (
    SL2021_CONTEXT,
    SL2021_ENTRY_TYPE,
    SL2021_LIST_TYPE,
    build_status_list_2021_credential,
    build_status_list_2021_entry,
)
from staffvc.status.store import (
    REVOCATION,
    SUSPENSION,
    Allocation,
    ListShape,
    StatusChange,
    StatusListInfo,
    StatusStore,
)
from staffvc.status.token_status_list import (
    STATUS_INVALID,
    STATUS_LIST_JWT_TYP,
    STATUS_SUSPENDED,
    STATUS_VALID,
    StatusListTokenView,
    TokenStatusList,
    build_status_claim,
    build_status_list_token_payload,
    read_status_claim,
    read_status_list_token,
    sign_status_list_token,
    verify_status_list_token,
    verify_status_list_token_result,
)

__all__ = [
    "BSL_LIST_TYPE",
    "BSL_SUBJECT_TYPE",
    "DEFAULT_CHECK_LIMITS",
    "DEFAULT_DECODE_LIMITS",
    "KNOWN_PURPOSES",
    "MAX_STATUS_SIZE",
    "MIN_LIST_LENGTH",
    "REVOCATION",
    "SL2021_CONTEXT",
    "SL2021_ENTRY_TYPE",
    "SL2021_LIST_TYPE",
    "STATUS_INVALID",
    "STATUS_LIST_JWT_TYP",
    "STATUS_SUSPENDED",
    "STATUS_VALID",
    "SUSPENSION",
    "Allocation",
    "Bitstring",
    "CredentialStatus",
    "DecodeLimits",
    "EntryStatus",
    "EntryType",
    "HttpStatusListSource",
    "InMemoryStatusListSource",
    "ListShape",
    "SignListCredential",
    "SqliteStatusStore",
    "StatusChange",
    "StatusCheckLimits",
    "StatusChecker",
    "StatusEntry",
    "StatusListDocument",
    "StatusListInfo",
    "StatusListSource",
    "StatusListTokenView",
    "StatusListView",
    "StatusMessage",
    "StatusRegistry",
    "StatusResult",
    "StatusStore",
    "TokenStatusList",
    "VerifyListCredential",
    "build_status_claim",
    "build_status_entry",
    "build_status_list_2021_credential",
    "build_status_list_2021_entry",
    "build_status_list_credential",
    "build_status_list_token_payload",
    "parse_status_entry",
    "read_status_claim",
    "read_status_list",
    "read_status_list_token",
    "sign_status_list_token",
    "verify_status_list_token",
    "verify_status_list_token_result",
]
