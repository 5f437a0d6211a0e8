"""Pilot tests: folding site chrome, switching a pane's article, the picker, the help screen."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from reader_helpers import (
    SIZE,
    body,
    cursor_text,
    heads,
    on_text,
    pane,
    pane_footing,
    pane_heading,
    status_text,
    toasts,
    view_lines,
    view_of,
    widget_text,
)
from rich.cells import cell_len
from textual.widgets import OptionList

from annotations.model import Annotation
from annotations.store import AnnotationStore
from corpus.loader import load_article
from corpus.model import Article
from reader.screens.article_picker import ArticlePickerScreen
from reader.screens.help_screen import HelpScreen

FOLD = "site chrome folded"


def fold_rows(lines: list[str]) -> list[int]:
    return [y for y, line in enumerate(lines) if FOLD in line]


def file_digest(article: Article) -> str:
    return hashlib.sha256(Path(article.source).read_bytes()).hexdigest()


# -- site chrome --------------------------------------------------------------------------------


async def test_f_shows_and_hides_folded_chrome_without_touching_the_file(
    make_app, bundled: list[Article]
) -> None:
    rogin = bundled[1]
    assert rogin.chrome[0] == (0, len("Saved Web Pages"))
    digest, size = file_digest(rogin), Path(rogin.source).stat().st_size
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        view = view_of(app, 1)
        assert view.article.id == rogin.id
        folded_lines = view_lines(view)
        assert fold_rows(folded_lines) == [0]
        assert "(3 words)" in folded_lines[0]
        assert "Saved Web Pages" not in "\n".join(folded_lines)

        await pilot.press("f")
        shown = view_lines(view)
        assert not fold_rows(shown)
        assert body(shown[0]) == "Saved Web Pages"
        # Unfolded chrome is reachable by the cursor.
        await pilot.press("g")
        assert view.current_span == rogin.sentences[0]
        assert cursor_text(view) == "Saved Web Pages"

        await pilot.press("f")
        assert fold_rows(view_lines(view)) == [0]
        assert view.current_span == rogin.sentences[1]  # moved off what was folded away
    assert file_digest(rogin) == digest
    assert Path(rogin.source).stat().st_size == size


async def test_folding_is_per_pane(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "f")
        assert not fold_rows(view_lines(view_of(app, 1)))
        assert fold_rows(view_lines(view_of(app, 2)))  # pane 2 is still folded


async def test_clicking_a_fold_line_unfolds_it(make_app, bundled: list[Article]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 1)
        assert fold_rows(view_lines(view)) == [0]
        assert await pilot.click(view, offset=on_text(view, 8, 0))
        await pilot.pause()
        assert body(view_lines(view)[0]) == "Saved Web Pages"


async def test_user_file_chrome_is_folded_and_the_file_is_never_written(
    tmp_path: Path, make_app, quiet_cache
) -> None:
    source = tmp_path / "page.txt"
    data = b"Breaking story\r\n\r\nSubscribe now\r\n\r\nSign in\r\n\r\nThe body text.\r\n"
    source.write_bytes(data)
    article = load_article(source)
    app = make_app([article], cache=quiet_cache([article]))
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        top = [body(line) for line in view_lines(view)[:5]]
        assert top[:2] == ["Breaking story", ""]
        assert re.fullmatch(r"⋯ site chrome folded \(\d+ words\) · f shows it", top[2])
        assert top[3:] == ["", "The body text."]
        await pilot.press("f")
        assert [body(line) for line in view_lines(view)[:7]] == [
            "Breaking story",
            "",
            "Subscribe now",
            "",
            "Sign in",
            "",
            "The body text.",
        ]
        await pilot.press("j", "c")  # tagging must not write to the article either
    assert source.read_bytes() == data


async def test_fold_line_counts_words_of_a_crlf_file_correctly(
    tmp_path: Path, make_app, quiet_cache
) -> None:
    source = tmp_path / "page.txt"
    source.write_bytes(b"Story\r\n\r\nSubscribe now\r\n\r\nSign in\r\n\r\nBody.\r\n")
    article = load_article(source)
    app = make_app([article], cache=quiet_cache([article]))
    async with app.run_test(size=SIZE):
        assert "site chrome folded (4 words)" in view_lines(view_of(app, 0))[2]


async def test_control_characters_in_a_file_are_drawn_as_pictures(
    tmp_path: Path, make_app, quiet_cache
) -> None:
    source = tmp_path / "escapes.txt"
    source.write_bytes(b"Title\r\n\r\nRed \x1b[31malert\x1b[0m and a bell\x07 here.\r\n")
    article = load_article(source)
    app = make_app([article], cache=quiet_cache([article]))
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        lines = view_lines(view)
        assert body(lines[2]) == "Red ␛[31malert␛[0m and a bell␇ here."
        drawn = "".join(lines)
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in drawn)
        # Offsets are still those of the file: tagging stores the file's own characters.
        await pilot.press("j")
        start, end = view.current_span
        assert article.text[start:end] == "Red \x1b[31malert\x1b[0m and a bell\x07 here."


def has_control(text: str) -> bool:
    return any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in text)


async def test_escape_sequences_in_titles_quotes_and_notes_never_reach_the_terminal(
    tmp_path: Path, make_app, quiet_cache, store: AnnotationStore
) -> None:
    """Everywhere file text appears outside the article view, too: the pane heading, the
    picker, the note dialog, the status line's note and the notifications."""
    source = tmp_path / "hostile.txt"
    source.write_bytes(
        b"Breaking \x1b[2J\x1b[31mnews\x07\n\nRed \x1b[31malert\x1b[0m here. Next.\n"
    )
    article = load_article(source)
    start, end = article.sentences[1]
    for label, note in (("claim", ""), ("", "see \x1b]8;;http://x\x07link")):
        store.add(
            Annotation.create(
                article=article.id,
                text=article.text,
                start=start,
                end=end,
                label=label,
                note=note,
                annotator="tester",
            )
        )
    app = make_app([article], cache=quiet_cache([article]))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        heading = pane_heading(app, 0)
        assert heading == "outlet not stated · Breaking ␛[2J␛[31mnews␇"
        await pilot.press("j")
        await pilot.pause()
        assert "✎ see ␛]8;;http://x␇link" in status_text(app)
        await pilot.press("enter")
        await pilot.pause()
        quote = widget_text(app.screen.query_one("#note-quote"))
        assert "Red ␛[31malert␛[0m here." in quote
        note_field = widget_text(app.screen.query_one("#note"))
        assert "see ␛]8;;http://x␇link" in note_field
        quote += note_field
        await pilot.press("ctrl+s")  # saved unchanged: the note keeps its own characters
        await pilot.pause()
        assert [a.note for a in store.all() if a.is_note] == ["see \x1b]8;;http://x\x07link"]
        await pilot.press("c")  # removes the claim: a toast quotes the sentence
        await pilot.press("ctrl+z")
        await pilot.pause()
        shown = toasts(app)
        assert any("␛[31malert" in toast for toast in shown), shown
        await pilot.press("a")
        await pilot.pause()
        listed = widget_text(app.screen.query_one(OptionList))
        assert "Breaking ␛[2J␛[31mnews␇" in listed
        for text in [heading, status_text(app), quote, *shown, listed]:
            assert not has_control(text.replace("\n", "")), repr(text)


async def test_wide_characters_wrap_inside_the_pane(tmp_path: Path, make_app, quiet_cache) -> None:
    paragraph = "普京欢迎哈马斯和伊朗代表团访问莫斯科，以色列强烈谴责此举。" * 6
    source = tmp_path / "cjk.txt"
    source.write_text(f"新闻标题\n\n{paragraph}\n", encoding="utf-8")
    article = load_article(source)
    app = make_app([article], cache=quiet_cache([article]))
    async with app.run_test(size=SIZE):
        view = view_of(app, 0)
        width = view.scrollable_content_region.width
        rows = view_lines(view)
        assert all(cell_len(row) == width for row in rows)  # no row spills past the pane
        text_rows = [body(row) for row in rows if body(row)]
        assert len(text_rows) > 3
        assert text_rows[0] == "新闻标题"
        assert "".join(text_rows[1:]) == paragraph  # every character once, in order


# -- switching articles -------------------------------------------------------------------------


async def test_brackets_step_the_pane_through_the_articles(
    make_app, bundled: list[Article]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        first = pane(app, 0)
        await pilot.press("]")
        assert first.article.id == bundled[1].id
        assert heads(pane_heading(app, 0), bundled[1])
        assert pane_heading(app, 0).startswith("The Washington Post · ")
        assert pane_footing(app, 0) == f"Josh Rogin · 2/{len(bundled)}"
        assert view_of(app, 0).current_span == bundled[1].sentences[1]
        assert app.focused is view_of(app, 0)
        # The app hands the view that article's entities (pane 1 shows the same article).
        assert view_of(app, 0).entities
        assert view_of(app, 0).entities == view_of(app, 1).entities
        await pilot.press("]")
        assert first.article.id == bundled[2].id
        await pilot.press("[", "[")
        assert first.article.id == bundled[0].id
        await pilot.press("[")  # wraps round to the last article
        assert first.article.id == bundled[-1].id
        assert heads(pane_heading(app, 0), bundled[-1])
        assert pane_footing(app, 0).endswith(f"{len(bundled)}/{len(bundled)}")
        # The other panes did not change.
        assert [pane(app, i).article.id for i in (1, 2)] == [bundled[1].id, bundled[2].id]


async def test_switching_article_shows_that_articles_tags(make_app, bundled: list[Article]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "c")
        tagged = view_of(app, 1).current_span
        await pilot.press("shift+tab")
        assert view_of(app, 0).marks.tags == {}
        await pilot.press("]")
        assert view_of(app, 0).marks.tags == {tagged: ("claim",)}
        assert "C" in "".join(line[1] for line in view_lines(view_of(app, 0)))
        await pilot.press("[")
        assert view_of(app, 0).marks.tags == {}


async def test_a_opens_the_picker_and_choosing_changes_the_pane(
    make_app, bundled: list[Article]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "a")
        assert isinstance(app.screen, ArticlePickerScreen)
        options = app.screen.query_one(OptionList)
        assert options.option_count == len(bundled)
        assert options.highlighted == 1  # starts on the pane's own article
        listed = widget_text(options)
        for article in bundled:
            assert article.title[:40] in listed
        await pilot.press("down", "down", "enter")
        assert app.screen is app.reader_screen
        assert pane(app, 1).article.id == bundled[3].id
        assert heads(pane_heading(app, 1), bundled[3])
        assert app.focused is view_of(app, 1)
        assert pane(app, 0).article.id == bundled[0].id


async def test_escape_closes_the_picker_without_changing_the_pane(
    make_app, bundled: list[Article]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "down", "escape")
        assert app.screen is app.reader_screen
        assert pane(app, 0).article.id == bundled[0].id
        assert app.focused is view_of(app, 0)


async def test_titles_from_files_are_never_parsed_as_markup(
    tmp_path: Path, make_app, quiet_cache, bundled: list[Article]
) -> None:
    source = tmp_path / "markup.txt"
    source.write_text("[bold]Not[/bold] markup [/] here\n\nBody.\n", encoding="utf-8")
    article = load_article(source)
    articles = [article, *bundled[:1]]
    app = make_app(articles, cache=quiet_cache(articles))
    async with app.run_test(size=SIZE) as pilot:
        assert pane_heading(app, 0) == "outlet not stated · [bold]Not[/bold] markup [/] here"
        assert body(view_lines(view_of(app, 0))[0]) == "[bold]Not[/bold] markup [/] here"
        await pilot.press("a")
        assert "[bold]Not[/bold] markup [/] here" in widget_text(app.screen.query_one(OptionList))


# -- help ---------------------------------------------------------------------------------------


async def test_question_mark_opens_help_built_from_the_live_bindings(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = {description: keys for _, keys, description in app.screen.rows}
        groups = {description: group for group, _, description in app.screen.rows}
        assert rows["Claim"] == "c"
        assert rows["Opinion"] == "o"
        assert rows["Unverified"] == "u"
        assert "j" in rows["Next sentence"] and "↓" in rows["Next sentence"]
        assert "k" in rows["Previous sentence"]
        assert rows["Undo"] == "^z"
        assert rows["Export"] == "E"
        assert rows["Site chrome"] == "f"
        assert rows["Select"] == "v" and rows["Search"] == "/"
        # Grouped by what they do, never by the widget class that holds them.
        assert groups["Claim"] == groups["Note"] == "Annotate"
        assert groups["Next sentence"] == groups["Next word"] == "Move"
        assert groups["Next hit"] == "Search" and groups["Select"] == "Select"
        assert groups["Next annotation"] == "Annotations"
        # ...and they are what the screen draws, under a heading per group.
        drawn = "\n".join(widget_text(t) for t in app.screen.query(".help-table"))
        headings = [widget_text(h).strip() for h in app.screen.query(".help-group")]
        assert headings[:3] == ["Move", "Select", "Annotate"]
        for description in ("Claim", "Undo", "Next sentence", "Next article", "Export"):
            assert description in drawn
        for class_name in ("ArticleView", "ArticlePane", "ReaderScreen", "NewsReaderApp"):
            assert class_name not in drawn
        assert "Copy selected text" not in drawn
        await pilot.press("escape")
        assert app.screen is app.reader_screen


async def test_help_follows_a_remapped_key(make_app, db_path: Path) -> None:
    """The help rows come from the bindings in force, so a user keymap shows up in them."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.set_keymap({"tag.claim": "z"})
        await pilot.press("question_mark")
        rows = {description: keys for _, keys, description in app.screen.rows}
        assert rows["Claim"] == "z"
        await pilot.press("escape", "z")
        assert view_of(app, 0).marks.tags == {view_of(app, 0).current_span: ("claim",)}
