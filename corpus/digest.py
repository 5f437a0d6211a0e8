"""SHA-256 and SHA-1 digests, without loading OpenSSL to start the app.

`hashlib` loads its OpenSSL module before anything else: 2.2 ms here, about 1% of the reader's
start-up, for the handful of small hashes start-up needs (each shown article's bytes, a file's
id, the stylesheet cache's keys). Python's own implementations of the same algorithms load in
0.1 ms and give the same digests; on big inputs they are slower (a 5 MB article: 16 ms against
OpenSSL's 3), so beyond a megabyte `sha256_hex` goes through hashlib all the same.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from hashlib import _Hash

    _Constructor = Callable[[bytes], _Hash]

# Beyond this many bytes, OpenSSL's SHA-256 pays for loading it.
LARGE = 1_000_000


def _builtin(name: str, modules: tuple[str, ...]) -> _Constructor:
    """Python's own constructor `name` from the first of `modules` this Python has (their names
    change between versions; typeshed has no stubs for them), else hashlib's."""
    for module in modules:
        try:
            return cast("_Constructor", getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    import hashlib  # a Python built without its own hashes: OpenSSL's are the only ones

    return cast("_Constructor", getattr(hashlib, name))


# `_sha2` from Python 3.12, `_sha256` before: a module looked for and missing costs a search
# of every directory on sys.path.
_builtin_sha256 = _builtin("sha256", ("_sha2",) if sys.version_info >= (3, 12) else ("_sha256",))
_builtin_sha1 = _builtin("sha1", ("_sha1",))


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of `data`, in hex."""
    if len(data) > LARGE:
        import hashlib

        return hashlib.sha256(data).hexdigest()
    return _builtin_sha256(data).hexdigest()


def new_sha256(data: bytes = b"") -> _Hash:
    """A SHA-256 to `update` piece by piece (small pieces: cache keys)."""
    return _builtin_sha256(data)


def sha1_hex(data: bytes) -> str:
    """The SHA-1 of `data`, in hex (short ids, not security)."""
    return _builtin_sha1(data).hexdigest()
