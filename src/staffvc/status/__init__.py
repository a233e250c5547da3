"""Credential status: Bitstring Status List, StatusList2021, Token Status List, registry."""
