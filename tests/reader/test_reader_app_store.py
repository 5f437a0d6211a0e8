"""The app and the store together: other processes' changes, moved and edited articles, orphans."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import reader.app
from annotations.store import AnnotationStore
from corpus.loader import bundled_articles, load_paths
from corpus.model import Article
from reader.app import NewsReaderApp
from reader.screens.orphans_screen import OrphansScreen
from reader.widgets.article_view import ArticleView
from tests.reader.reader_helpers import (
    SIZE,
    cursor_rows,
    gutter,
    record_notifications,
    saved,
    status_text,
    view_lines,
    view_of,
    wait_for,
)

CHECKOUT = Path(__file__).resolve().parents[2]


def articles_in(folder: Path) -> list[Article]:
    articles, problems = load_paths([folder])
    assert problems == []
    return articles


def first_sentence_of(article: Article) -> tuple[int, int]:
    view_document = [s for s in article.sentences if not article.is_chrome(*s)]
    return view_document[0]


async def test_an_idle_app_shows_what_another_process_saved(
    make_app, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader.app, "POLL_SECONDS", 0.2)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        article = view.article
        start, end = view.current_span or (0, 0)
        assert "all: 0 tags" in status_text(app)
        # A script beside the app, in a process of its own, using the Python API.
        script = textwrap.dedent(
            f"""
            from pathlib import Path
            from annotations.model import Annotation
            from annotations.store import AnnotationStore
            from corpus.loader import bundled_articles
            article = next(a for a in bundled_articles() if a.id == {article.id!r})
            with AnnotationStore(Path({str(db_path)!r})) as store:
                store.add(Annotation.create(
                    article=article.id, text=article.text, start={start}, end={end},
                    label="opinion", annotator="script",
                ))
            """
        )
        subprocess.run([sys.executable, "-c", script], cwd=CHECKOUT, check=True, timeout=60)
        # No key is pressed: the app finds the change by itself.
        await wait_for(
            pilot,
            lambda: view.marks.others.get((start, end)) == ("opinion",),
            timeout=10,
            what="the other process's opinion to show",
        )
        await wait_for(pilot, lambda: "all: 1 tag " in status_text(app), what="the count")
        # Drawn as another annotator's: a lower-case letter in the gutter of the sentence.
        first_row = view_lines(view)[cursor_rows(view)[0]]
        assert gutter(first_row)[1:4] == "o  "
        # It is theirs: shown, but c/o/u toggles only ours.
        await pilot.press("o")
        labels = sorted((a.annotator, a.label) for a in saved(db_path))
        assert labels == [("script", "opinion"), ("tester", "opinion")]
        await pilot.press("o")
        assert [(a.annotator, a.label) for a in saved(db_path)] == [("script", "opinion")]


def write_articles(folder: Path) -> list[Path]:
    folder.mkdir(parents=True)
    files = []
    for index, article in enumerate(bundled_articles()[:2]):
        path = folder / f"{index}-{article.id}.txt"
        path.write_bytes(article.text.encode("utf-8"))
        files.append(path)
    return files


async def tag_first_sentences(app: NewsReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.press("tab", "j", "o")


@pytest.mark.parametrize("how", ["moved", "copied"])
async def test_a_moved_or_copied_folder_keeps_its_annotations(
    tmp_path: Path, make_app, quiet_cache, how: str, db_path: Path
) -> None:
    write_articles(tmp_path / "original")
    originals = articles_in(tmp_path / "original")
    await tag_first_sentences(make_app(originals, cache=quiet_cache(originals)))
    before = {(a.article_sha256, a.start, a.end, a.label) for a in saved(db_path)}
    assert len(before) == 2
    elsewhere = tmp_path / "elsewhere" / "folder"
    elsewhere.parent.mkdir()
    if how == "moved":
        shutil.move(tmp_path / "original", elsewhere)
    else:
        shutil.copytree(tmp_path / "original", elsewhere)
    articles = articles_in(elsewhere)
    assert {a.id for a in articles}.isdisjoint({a.id for a in originals})  # ids follow paths
    app = make_app(articles, cache=quiet_cache(articles))
    async with app.run_test(size=SIZE):
        shown = set()
        for index in range(2):
            view = view_of(app, index)
            for span, labels in view.marks.tags.items():
                shown |= {(view.article.sha256, *span, label) for label in labels}
        assert shown == before
        assert "This article claim 1" in status_text(app)


EDITED_PARAGRAPH = "An editor's note added at the top of the article, months later.\n\n"


async def test_an_edited_article_is_reanchored_and_orphans_can_be_reattached(
    tmp_path: Path, make_app, quiet_cache, db_path: Path
) -> None:
    [path, *_] = write_articles(tmp_path / "mine")
    articles = articles_in(tmp_path / "mine")
    article = articles[0]
    sentences = [s for s in article.sentences if not article.is_chrome(*s)]
    kept, fixed, removed = sentences[1], sentences[2], sentences[3]
    app = make_app(articles, cache=quiet_cache(articles))
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(1):
            await pilot.press("j")
        await pilot.press("c")  # kept
        await pilot.press("j", "o")  # fixed
        await pilot.press("j", "u")  # removed
    assert len(saved(db_path)) == 3
    text = article.text
    fixed_text = text[fixed[0] : fixed[1]]
    typo_fixed = fixed_text.replace("e", "é", 1)
    removed_text = text[removed[0] : removed[1]]
    edited = (
        EDITED_PARAGRAPH
        + text[: fixed[0]]
        + typo_fixed
        + text[fixed[1] : removed[0]]
        + text[removed[1] :]
    )
    path.write_bytes(edited.encode("utf-8"))
    new_articles = articles_in(tmp_path / "mine")
    new = new_articles[0]
    assert new.id == article.id and new.sha256 != article.sha256

    app = make_app(new_articles, cache=quiet_cache(new_articles))
    notices = record_notifications(app)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: any("text changed" in n.message for n in notices))
        [message] = [n.message for n in notices if "text changed" in n.message]
        assert "3 annotations found again (1 moved, 1 fuzzy, 1 orphan)" in message
        view = view_of(app, 0)
        shift = len(EDITED_PARAGRAPH)
        assert view.marks.tags.get((kept[0] + shift, kept[1] + shift)) == ("claim",)
        fixed_span = (fixed[0] + shift, fixed[1] + shift)
        assert new.text[fixed_span[0] : fixed_span[1]] == typo_fixed
        assert view.marks.tags.get(fixed_span) == ("opinion",)
        assert not any("unverified" in labels for labels in view.marks.tags.values())
        records = {a.label: a for a in saved(db_path)}
        assert (records["claim"].anchor, records["claim"].previous_start) == ("moved", kept[0])
        assert records["opinion"].anchor == "fuzzy"
        assert 0 < records["opinion"].anchor_score < 1
        assert records["opinion"].quote == typo_fixed
        assert records["opinion"].previous_quote == fixed_text
        orphan = records["unverified"]
        assert (orphan.anchor, orphan.quote) == ("orphan", removed_text)

        # The orphan is listed; Enter re-attaches it to the sentence under the cursor.
        await pilot.press("O")
        await wait_for(pilot, lambda: isinstance(app.screen, OrphansScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.focused, ArticleView))
        reattached = next(a for a in saved(db_path) if a.label == "unverified")
        assert reattached.anchor == "exact"
        assert (reattached.start, reattached.end) == view.current_span
        assert reattached.previous_quote == removed_text
        # Undo puts it back as an orphan; nothing was lost either way.
        await pilot.press("ctrl+z")
        assert next(a for a in saved(db_path) if a.label == "unverified").anchor == "orphan"
        # Delete it from the list instead, then take that back too.
        await pilot.press("O")
        await wait_for(pilot, lambda: isinstance(app.screen, OrphansScreen))
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.focused, ArticleView))
        assert sorted(a.label for a in saved(db_path)) == ["claim", "opinion"]
        await pilot.press("ctrl+z")
        assert sorted(a.label for a in saved(db_path)) == ["claim", "opinion", "unverified"]


async def test_the_status_line_says_who_you_are(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE):
        assert "you: tester" in status_text(app)


async def test_a_read_only_database_is_shown_and_refuses_tags(
    tmp_path: Path, make_app, db_path: Path
) -> None:
    store = AnnotationStore(db_path)
    store.close()
    db_path.write_bytes(b"{}")
    db_path.chmod(0o444)
    read_only = AnnotationStore(db_path)
    app = make_app(store=read_only)
    notices = record_notifications(app)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert "read-only" in status_text(app)
        await pilot.press("c")
        assert any("read-only" in n.message and n.severity == "error" for n in notices)
    assert db_path.read_bytes() == b"{}"
    read_only.close()
