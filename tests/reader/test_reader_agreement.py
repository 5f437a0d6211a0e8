"""Pilot tests: another annotator's tags beside yours (W) and their disagreements stepped
through (D forward, ctrl+d back), on the test's own TinyDB file with real sessions for
"tester" (the app's) and two others, "ana" and "bo"."""

from __future__ import annotations

import pytest
from reader_helpers import SIZE, toasts, view_of

from annotations.editing import EditSession
from annotations.store import AnnotationStore
from corpus.model import Article
from reader.app import NewsReaderApp


def tag(session: EditSession, article: Article, index: int, label: str) -> None:
    assert session.toggle(article, article.sentences[index], label) is not None


def drawn_annotators(app: NewsReaderApp) -> set[str]:
    return {mark.annotator for mark in view_of(app, 0).marks.marks}


@pytest.fixture
def three(store: AnnotationStore, bundled: list[Article]) -> None:
    """Sentence 2: all three say claim. Sentence 3: tester claim, ana opinion. Sentence 5:
    ana unverified, tester nothing. Sentence 6: bo alone tags it (tester and ana not)."""
    first = bundled[0]
    tester, ana, bo = (EditSession(store, name) for name in ("tester", "ana", "bo"))
    for session in (tester, ana, bo):
        tag(session, first, 2, "claim")
    tag(tester, first, 3, "claim")
    tag(ana, first, 3, "opinion")
    tag(ana, first, 5, "unverified")
    tag(bo, first, 6, "opinion")


async def test_W_shows_everyone_then_yours_then_yours_beside_each_other(
    make_app, three: None
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert drawn_annotators(app) == {"tester", "ana", "bo"}
        await pilot.press("W")
        assert drawn_annotators(app) == {"tester"}
        assert "Showing only your tags (tester)" in toasts(app)[-1]
        await pilot.press("W")
        assert drawn_annotators(app) == {"tester", "ana"}
        assert "your tags and ana's" in toasts(app)[-1]
        await pilot.press("W")
        assert drawn_annotators(app) == {"tester", "bo"}
        await pilot.press("W")
        assert drawn_annotators(app) == {"tester", "ana", "bo"}
        assert "everyone's tags" in toasts(app)[-1]


async def test_D_steps_through_the_sentences_tagged_differently(
    make_app, three: None, bundled: list[Article]
) -> None:
    first = bundled[0]
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("W", "W")  # yours beside ana's
        view = view_of(app, 0)
        await pilot.press("D")
        assert view.current_span == first.sentences[3]
        assert "1 of 2: you: claim · ana: opinion" in toasts(app)[-1]
        await pilot.press("D")
        assert view.current_span == first.sentences[5]
        assert "2 of 2: you: no tag · ana: unverified" in toasts(app)[-1]
        await pilot.press("D")  # round again
        assert view.current_span == first.sentences[3]
        await pilot.press("ctrl+d")  # and back, round the start
        assert view.current_span == first.sentences[5]
        await pilot.press("W")  # yours beside bo's: only sentences 3 and 6 differ
        await pilot.press("g", "D")
        assert view.current_span == first.sentences[3]
        assert "you: claim · bo: no tag" in toasts(app)[-1]
        await pilot.press("D")
        assert view.current_span == first.sentences[6]


async def test_D_says_why_there_is_nothing_to_step_through(
    make_app, store: AnnotationStore, bundled: list[Article]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("D")
        assert "only one annotator has tagged this article" in toasts(app)[-1]
        for session in (app.editing, EditSession(store, "ana")):
            tag(session, bundled[0], 2, "claim")
        await pilot.press("D")
        assert "tester, ana agree on every sentence" in toasts(app)[-1]
        await pilot.press("W")
        await pilot.press("D")
        assert "only your tags are shown (W shows others')" in toasts(app)[-1]
