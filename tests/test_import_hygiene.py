"""Import boundaries: the domain packages and the CLI never load textual; a cache hit never
loads spaCy. Each check runs in a fresh interpreter, so modules imported by other tests in this
process cannot hide a stray import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

UI_FREE_MODULES = (
    "corpus",
    "corpus.loader",
    "annotations",
    "annotations.atomic",
    "annotations.storage",
    "annotations.database",
    "annotations.store",
    "annotations.editing",
    "annotations.anchoring",
    "annotations.reanchor",
    "annotations.export",
    "annotations.entity_corrections",
    "corpus.entity_index",
    "reader.entities",
    "reader.entity_highlights",
    "reader.mention_tour",
    "reader.text_layout",
    "reader.literal",
    "reader.document",
    "reader.locations",
    "reader.cli",
)


def loaded_after(code: str, cwd: Path) -> set[str]:
    """Run `code` in a fresh interpreter and return the top-level modules it has loaded."""
    return {name.partition(".")[0] for name in modules_after(code, cwd)}


def modules_after(code: str, cwd: Path) -> set[str]:
    """Run `code` in a fresh interpreter and return every module it has loaded, by full name."""
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    # cwd outside the checkout: the packages must come from the installed distribution.
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=cwd
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


@pytest.mark.parametrize("module", UI_FREE_MODULES)
def test_module_does_not_import_textual(module: str, tmp_path: Path) -> None:
    loaded = loaded_after(f"import {module}", tmp_path)
    assert module.partition(".")[0] in loaded  # the probe really imported it
    assert "textual" not in loaded


def test_all_ui_free_modules_together_do_not_import_textual(tmp_path: Path) -> None:
    loaded = loaded_after("\n".join(f"import {m}" for m in UI_FREE_MODULES), tmp_path)
    assert "textual" not in loaded


def test_textual_probe_detects_the_ui() -> None:
    """Guard for the checks above: the same probe does see textual when the app is imported."""
    loaded = loaded_after("import reader.app", Path.cwd())
    assert "textual" in loaded


def test_the_command_lines_message_filter_imports_neither_rich_nor_textual(
    tmp_path: Path,
) -> None:
    loaded = loaded_after("import reader.literal", tmp_path)
    assert "reader" in loaded
    assert "rich" not in loaded and "textual" not in loaded


def test_importing_entities_does_not_import_spacy(tmp_path: Path) -> None:
    loaded = loaded_after("import reader.entities", tmp_path)
    assert "spacy" not in loaded
    assert "thinc" not in loaded


def test_an_entity_cache_hit_does_not_import_spacy(tmp_path: Path) -> None:
    """Reading cached entities (model identity from metadata, then one file) skips spaCy."""
    cache_dir = tmp_path / "cache"
    code = f"""
from pathlib import Path
from reader.entities import Entity, EntityCache, model_identity
identity = model_identity()
assert identity is not None, "the model package should be installed for the tests"
cache = EntityCache(Path({str(cache_dir)!r}))
cache.put("ab" * 32, identity, [Entity(0, 5, "PERSON")])
assert cache.get("ab" * 32, identity) == [Entity(0, 5, "PERSON")]
"""
    loaded = loaded_after(code, tmp_path)
    assert "spacy" not in loaded
    assert any(cache_dir.rglob("*.json"))  # the probe really wrote and read the cache


def test_the_first_frame_does_not_import_the_entity_grouping(tmp_path: Path) -> None:
    """Grouping entity names (rapidfuzz, anyascii) is for the index, opened later: importing the
    app must not load it (about 16 ms of start-up)."""
    loaded = modules_after("import reader.app", tmp_path)
    assert "corpus.loader" in loaded  # the probe sees our modules by their full names
    assert "corpus.entity_index" not in loaded
    assert "rapidfuzz" not in loaded and "anyascii" not in loaded


def test_opening_the_app_imports_neither_tinydb_nor_tomllib(tmp_path: Path) -> None:
    """The store reads and writes its snapshot itself; TinyDB's own API (SnapshotStorage) and
    the label config's TOML parser are for scripts and for users with a config file. Each is
    a few milliseconds of start-up the first frame does not need."""
    loaded = loaded_after("import reader.cli, reader.app, annotations.labels", tmp_path)
    assert "reader" in loaded and "textual" in loaded
    assert "tinydb" not in loaded
    assert "tomllib" not in loaded
    assert "tinydb" in loaded_after("import annotations.tinydb_storage", tmp_path)


def test_opening_the_app_leaves_search_and_tours_for_their_first_use(tmp_path: Path) -> None:
    """Searching (`/`) and touring an entity's mentions are loaded when first used, and the
    search bar is built just after the first frame: none is in the first frame, and every
    module imported at launch is start-up time (issue 14)."""
    loaded = modules_after("import reader.cli, reader.app", tmp_path)
    assert "reader.app_search" in loaded  # the probe sees the app's own modules
    assert "corpus.search" not in loaded
    assert "reader.mention_tour" not in loaded
    assert "reader.widgets.search_bar" not in loaded


def test_plain_reader_builds_no_argument_parser(tmp_path: Path) -> None:
    """`reader` with no arguments, the usual start, leaves argparse unloaded; any argument
    goes through the parser."""
    code = "import reader.cli, reader.app\nreader.cli.reader_options([])"
    assert "argparse" not in loaded_after(code, tmp_path)
    parsed = "import reader.cli\nreader.cli.reader_options(['--annotator', 'ana'])"
    assert "argparse" in loaded_after(parsed, tmp_path)


def test_starting_the_app_does_not_load_openssl(tmp_path: Path) -> None:
    """hashlib loads OpenSSL first (2 ms): the hashes start-up needs (articles, file ids, the
    stylesheet cache's keys) are Python's own (corpus.digest). Run through the first frame and
    what follows it, with the stylesheet cache and the session state file the command line
    gives."""
    code = f"""
import asyncio
from pathlib import Path
from annotations.store import AnnotationStore
from corpus.loader import bundled_articles
from reader.app import NewsReaderApp
from reader.entities import EntityCache

root = Path({str(tmp_path)!r})


async def main():
    with AnnotationStore(root / "annotations.json") as store:
        app = NewsReaderApp(
            bundled_articles(),
            store,
            annotator="ana",
            entity_cache=EntityCache(root / "entities"),
            css_cache=root / "parsed-css.pickle",
            state_path=root / "state.json",
        )
        async with app.run_test() as pilot:
            await pilot.pause()
            assert app.reader_screen.visible_views


asyncio.run(main())
"""
    loaded = modules_after(code, tmp_path)
    assert {"reader.app", "corpus.digest", "reader.css_cache"} <= loaded
    assert (tmp_path / "parsed-css.pickle").exists()  # the cache's keys were hashed
    assert not {"hashlib", "_hashlib"} & loaded
