"""corpus.digest gives hashlib's digests, through Python's own hashes (no OpenSSL at start-up)
up to corpus.digest.LARGE bytes and OpenSSL's beyond."""

from __future__ import annotations

import hashlib

import pytest

from corpus import digest


@pytest.mark.parametrize("size", [0, 1, 64, 65_537, digest.LARGE, digest.LARGE + 1, 3_000_000])
def test_the_digests_are_hashlibs(size: int) -> None:
    data = (bytes(range(256)) * (size // 256 + 1))[:size]
    assert digest.sha256_hex(data) == hashlib.sha256(data).hexdigest()
    assert digest.sha1_hex(data) == hashlib.sha1(data).hexdigest()


def test_a_hash_fed_in_pieces_is_the_whole_ones() -> None:
    pieces = [b"parser stamp", "théme".encode(), b"", b"css" * 1000]
    fed = digest.new_sha256(pieces[0])
    for piece in pieces[1:]:
        fed.update(piece)
    assert fed.hexdigest() == hashlib.sha256(b"".join(pieces)).hexdigest()


def test_the_small_hashes_are_pythons_own() -> None:
    """Not OpenSSL's (whose module hashlib loads first): the point of the module."""
    assert digest._builtin_sha256 is not hashlib.sha256
    assert type(digest.new_sha256()).__module__ != "_hashlib"
