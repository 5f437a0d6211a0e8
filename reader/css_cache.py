"""Textual's parsed stylesheets, kept on disk between runs as Python keeps its .pyc files.

Textual parses every stylesheet at each start: styles/reader.tcss and the default CSS of each
widget class on screen. That is some 10 ms of a start-up judged against a minimal app, and the
parser's result depends only on its input: the CSS text, where it was read from, how it ranks
(default rules, tie breaker, scope), the theme's variables, and the parser's own code (Python's
version and the size and time of Textual's CSS modules). So each parse is pickled under a hash
of all of those, and the next start reads it back (well under a millisecond for all of them)
instead of parsing.

It is only a cache. A missing, unreadable, corrupt or foreign file means parsing as usual; CSS
with errors is never stored, so its errors are reported as Textual reports them; writing is
best-effort and atomic (`save`: the app calls it after the first frame, and at exit for what
dialogs parsed since). Pickle runs code from the file it
reads: the file is the user's own, in their cache directory, written only by this module.
"""

from __future__ import annotations

import os
import pickle
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import textual.css
from textual.css.stylesheet import Stylesheet
from textual.css.types import CSSLocation

from annotations.atomic import write_atomically
from corpus.digest import new_sha256

if TYPE_CHECKING:
    from textual.css.model import RuleSet

# Bumped when what is stored changes shape.
FORMAT = 1
# The modules that make and hold a parse. Their files stand for Textual's version: reading
# `textual.__version__` loads importlib.metadata, which costs more than the cache saves.
PARSER_MODULES = (
    "parse.py",
    "tokenize.py",
    "tokenizer.py",
    "model.py",
    "styles.py",
    "_styles_builder.py",
    "stylesheet.py",
)
# Parses kept: this run's, then the most recent others (other themes, older versions of a
# file), up to this many. Each is a few kilobytes.
MAX_ENTRIES = 256


class CachedStylesheet(Stylesheet):
    """Textual's Stylesheet, whose parses are read from `cache_path` when stored there."""

    def __init__(self, *, variables: dict[str, str] | None = None, cache_path: Path) -> None:
        super().__init__(variables=variables)
        self.cache_path = cache_path
        self._stored: dict[str, bytes] | None = None  # read at the first parse
        self._used: dict[str, bytes] = {}  # this run's parses, stored or new
        self._unsaved = False
        self._digested_variables: dict[str, str] | None = None  # see _variables_digest
        self._variables_hash = b""

    def _parse_rules(
        self,
        css: str,
        read_from: CSSLocation,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        memory_key = (css, read_from, is_default_rules, tie_breaker, scope)
        if memory_key in self._parse_cache:
            return self._parse_cache[memory_key]
        key = self._key(css, read_from, is_default_rules, tie_breaker, scope)
        data = self._read().get(key)
        if data is not None:
            try:
                rules: list[RuleSet] = pickle.loads(data)
            except Exception:  # a damaged entry: parse it again
                pass
            else:
                self._parse_cache[memory_key] = rules
                self._used[key] = data
                return rules
        rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
        if not any(rule.errors for rule in rules):
            # Pickled now: Textual may change its rule sets once they are in use.
            self._used[key] = pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL)
            self._unsaved = True
        return rules

    def reparse(self) -> None:
        """As Textual's Stylesheet.reparse (textual 8.2): every source parsed again with the
        current variables, in a fresh stylesheet so that an error leaves this one as it was;
        the fresh one reads the same cache. Textual reparses when the theme changes, which a
        saved theme does at every start."""
        stylesheet = CachedStylesheet(variables=self._variables, cache_path=self.cache_path)
        stylesheet._stored = self._read()
        for read_from, (css, is_defaults, tie_breaker, scope) in self.source.items():
            stylesheet.add_source(
                css,
                read_from=read_from,
                is_default_css=is_defaults,
                tie_breaker=tie_breaker,
                scope=scope,
            )
        try:
            stylesheet.parse()
        except Exception:
            self._invalid_css.update(stylesheet._invalid_css)
            raise
        finally:
            self._used.update(stylesheet._used)
            self._unsaved = self._unsaved or stylesheet._unsaved
        self._rules = stylesheet.rules
        self._rules_map = None
        self.source = stylesheet.source
        self._require_parse = False

    def _key(self, css: str, *rank: object) -> str:
        """A hash of the parser, the theme's variables, the CSS and where and how it ranks."""
        key = new_sha256(_parser_stamp())
        key.update(self._variables_digest())
        key.update(repr(rank).encode("utf-8", "surrogatepass"))
        key.update(css.encode("utf-8", "surrogatepass"))
        return key.hexdigest()

    def _variables_digest(self) -> bytes:
        """The theme's variables, hashed once per set of them (some 150 variables: writing
        them out for each parse was most of the cost of a key)."""
        if self._digested_variables is not self._variables:
            text = repr(sorted(self._variables.items())).encode("utf-8", "surrogatepass")
            self._digested_variables = self._variables
            self._variables_hash = new_sha256(text).digest()
        return self._variables_hash

    def _read(self) -> dict[str, bytes]:
        if self._stored is None:
            self._stored = {}
            try:
                stored = pickle.loads(self.cache_path.read_bytes())
            except Exception:  # missing, unreadable, damaged or from elsewhere: start afresh
                return self._stored
            if isinstance(stored, dict) and stored.get("format") == FORMAT:
                entries = stored.get("entries")
                if isinstance(entries, dict):
                    self._stored = entries
        return self._stored

    def save(self) -> None:
        """Store this run's new parses beside the most recent others; errors are ignored."""
        if not self._unsaved:
            return
        self._unsaved = False
        # Oldest first and this run's last, so that trimming drops the oldest.
        older = [(key, data) for key, data in self._read().items() if key not in self._used]
        room = max(0, MAX_ENTRIES - len(self._used))
        entries = dict(older[len(older) - room :] if room else [])
        entries.update(self._used)
        payload = pickle.dumps(
            {"format": FORMAT, "entries": entries}, protocol=pickle.HIGHEST_PROTOCOL
        )
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.cache_path, [payload])
        except OSError:
            pass  # a read-only or full cache directory: parse again next time


@cache
def _parser_stamp() -> bytes:
    """What identifies this format, this Python and this Textual's CSS parser: paths, sizes,
    mtimes."""
    folder = os.path.dirname(textual.css.__file__)
    stamp: list[object] = [FORMAT, sys.version, folder]
    for name in PARSER_MODULES:
        try:
            status = os.stat(os.path.join(folder, name))
        except OSError:
            stamp.append((name, None))
        else:
            stamp.append((name, status.st_size, status.st_mtime_ns))
    return repr(stamp).encode("utf-8", "surrogatepass")
