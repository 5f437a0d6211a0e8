"""Free passages by keyboard and mouse: the word caret, selections, overlaps, resizing.

Each test drives the real app (Pilot, the bundled corpus, a TinyDB file in tmp_path) and checks
what was saved and what is drawn.
"""

from __future__ import annotations

from reader_helpers import (
    GUTTER_WIDTH,
    SIZE,
    gutter,
    on_text,
    saved,
    status_text,
    view_lines,
    view_of,
    wait_for,
)

from annotations.labels import DEFAULT_LABELS, Label, LabelSet
from reader.widgets.article_view import ArticleView

SECOND_SENTENCE = (
    "Vladimir Putin sought to intervene in the Middle Eastern conflict on Thursday by "
    "inviting senior Hamas and Iranian leaders to Moscow."
)


def quotes(db_path) -> list[tuple[str, str]]:
    return sorted((a.label or "note", a.quote) for a in saved(db_path))


def screen_cell(view: ArticleView, offset: int) -> tuple[int, int]:
    """The (x, y) of the character at `offset` in the view, relative to the view."""
    y = view._lines_of((offset, offset + 1))[0]
    line = view._line(y)
    return on_text(view, GUTTER_WIDTH + offset - line.start, y - round(view.scroll_offset.y))


async def test_v_and_w_select_words_and_c_tags_exactly_them(make_app, db_path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j")
        text = view.article.text
        assert text[slice(*view.document.caret_word)] == "Vladimir"
        await pilot.press("v", "w", "w")
        assert text[slice(*view.target_span)] == "Vladimir Putin sought"
        await pilot.press("b")  # shrinks back by a word
        assert text[slice(*view.target_span)] == "Vladimir Putin"
        await pilot.press("w", "c")
        assert quotes(db_path) == [("claim", "Vladimir Putin sought")]
        # Tagging ends the selection: the next key acts on the sentence again.
        assert view.document.selection is None
        assert view.target_span == view.current_span


async def test_shift_arrows_select_by_word_and_sentence(make_app, db_path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "shift+right", "shift+right", "o")
        assert quotes(db_path) == [("opinion", "Vladimir Putin sought")]
        await pilot.press("w", "shift+down")  # from "to" to the end of the sentence
        assert (
            view.article.text[slice(*view.target_span)]
            == SECOND_SENTENCE[SECOND_SENTENCE.index("sought to") + len("sought ") :]
        )
        await pilot.press("escape")
        assert view.document.selection is None


async def test_word_motions_cross_sentences_and_e_goes_to_a_words_end(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        text = view.article.text
        await pilot.press("j", "b")  # back over the sentence start: the title's last word
        assert text[slice(*view.document.caret_word)] == "Moscow"
        assert view.current_span == view.article.sentences[0]
        await pilot.press("w")
        assert text[slice(*view.document.caret_word)] == "Vladimir"
        await pilot.press("e")
        assert view.document.caret == text.index("Vladimir") + len("Vladimir") - 1
        await pilot.press("e")
        assert text[slice(*view.document.caret_word)] == "Putin"


async def test_sentence_steps_grow_and_shrink_a_selection(make_app, db_path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        text = view.article.text
        await pilot.press("j", "w", "v", "j")
        assert text[slice(*view.target_span)] == SECOND_SENTENCE[len("Vladimir ") :]
        await pilot.press("j")
        two = text[slice(*view.target_span)]
        assert two.startswith("Putin sought") and two.count(". ") + two.count(".\n") >= 1
        await pilot.press("k")
        assert text[slice(*view.target_span)] == SECOND_SENTENCE[len("Vladimir ") :]
        await pilot.press("u")
        assert quotes(db_path) == [("unverified", SECOND_SENTENCE[len("Vladimir ") :])]


async def test_p_selects_the_paragraph(make_app, db_path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "w", "w", "p")
        paragraph = next(p for p in view.article.paragraphs if p[0] <= view.document.caret < p[1])
        assert view.target_span == paragraph
        await pilot.press("c")
        [tag] = saved(db_path)
        assert tag.span == paragraph


async def test_escape_drops_the_selection_and_c_tags_the_sentence(make_app, db_path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "v", "w", "escape", "c")
        assert quotes(db_path) == [("claim", SECOND_SENTENCE)]
        assert view.document.selection is None


async def test_a_mouse_drag_selects_whole_words(make_app, db_path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        text = view.article.text
        start = text.index("Putin sought")
        end = text.index("Thursday") + 3  # inside the word: the selection takes it whole
        assert await pilot.mouse_down(view, offset=screen_cell(view, start + 2))
        assert await pilot.hover(view, offset=screen_cell(view, end))
        await pilot.mouse_up(view, offset=screen_cell(view, end))
        await pilot.pause()
        assert text[slice(*view.target_span)] == (
            "Putin sought to intervene in the Middle Eastern conflict on Thursday"
        )
        await pilot.press("o")
        assert quotes(db_path) == [
            ("opinion", "Putin sought to intervene in the Middle Eastern conflict on Thursday")
        ]
        # A plain click afterwards only moves the caret.
        assert await pilot.click(view, offset=screen_cell(view, text.index("Moscow.")))
        assert view.document.selection is None
        assert text[slice(*view.document.caret_word)] == "Moscow"


async def test_y_copies_the_selection_verbatim(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "v", "w", "w", "y")
        assert app.clipboard == "Vladimir Putin sought"
        await pilot.press("escape", "y")  # no selection: the sentence
        assert app.clipboard == SECOND_SENTENCE


async def test_overlapping_labels_all_show_and_s_steps_through_them(make_app, db_path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "c")  # the sentence: claim
        await pilot.press("v", "w", "o")  # "Vladimir Putin" inside it: opinion
        assert quotes(db_path) == [("claim", SECOND_SENTENCE), ("opinion", "Vladimir Putin")]
        line = next(text for text in view_lines(view) if "Vladimir Putin" in text)
        assert gutter(line)[1:4] == "CO "
        # Where both labels lie the text is underlined, so neither hides the other.
        y = view._lines_of((view.current_span[0], view.current_span[0] + 1))[0]
        strip = view.render_line(y - round(view.scroll_offset.y))
        underlined = "".join(s.text for s in strip if s.style and s.style.underline)
        assert "Vladimir Putin" in underlined and "sought" not in underlined
        await pilot.press("s")  # the innermost first
        assert view.focused_mark is not None and view.focused_mark.label == "opinion"
        assert "opinion by you" in status_text(app)
        await pilot.press("s")
        assert view.focused_mark is not None and view.focused_mark.label == "claim"
        assert "claim by you" in status_text(app)
        await pilot.press("s")
        assert view.focused_mark is None


async def test_grow_and_shrink_keep_the_annotation_and_undo_walks_back(make_app, db_path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "v", "w", "o", "s")
        [before] = saved(db_path)
        await pilot.press("greater_than_sign", "greater_than_sign")
        [grown] = saved(db_path)
        assert (grown.id, grown.label, grown.created) == (before.id, "opinion", before.created)
        assert grown.quote == "Vladimir Putin sought to"
        await pilot.press("less_than_sign")
        assert saved(db_path)[0].quote == "Vladimir Putin sought"
        await pilot.press("right_parenthesis")  # the start moves in by a word
        assert saved(db_path)[0].quote == "Putin sought"
        await pilot.press("left_parenthesis")
        assert saved(db_path)[0].quote == "Vladimir Putin sought"
        assert view.focused_mark is not None and view.focused_mark.id == before.id
        await pilot.press("ctrl+z", "ctrl+z", "ctrl+z", "ctrl+z", "ctrl+z")
        assert saved(db_path)[0].quote == "Vladimir Putin"


async def test_x_deletes_the_focused_annotation_and_ctrl_z_brings_it_back(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "c", "s", "x")
        assert saved(db_path) == []
        await pilot.press("ctrl+z")
        assert quotes(db_path) == [("claim", SECOND_SENTENCE)]


async def test_braces_jump_between_annotations(make_app, db_path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "c", "j", "j", "v", "w", "u", "g")
        await pilot.press("right_curly_bracket")
        assert view.focused_mark is not None and view.focused_mark.label == "claim"
        assert view.current_span == view.article.sentences[1]
        await pilot.press("right_curly_bracket")
        assert view.focused_mark is not None and view.focused_mark.label == "unverified"
        await pilot.press("left_curly_bracket")
        assert view.focused_mark is not None and view.focused_mark.label == "claim"


async def test_a_selection_never_reaches_into_folded_chrome(make_app, bundled, db_path) -> None:
    rogin = bundled[1]  # chrome at (1769, 1808) between two stretches of article
    chrome_start, _chrome_end = rogin.chrome[1]
    app = make_app([rogin, *bundled[2:]])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        before = max(s for s in rogin.sentences if s[1] <= chrome_start and not rogin.is_chrome(*s))
        view.move_cursor_to(before[0])
        await pilot.press("v", "j", "j", "j", "G")
        span = view.target_span
        assert span is not None and span[1] <= chrome_start
        await pilot.press("c")
        [tag] = saved(db_path)
        assert tag.end <= chrome_start
        # Shown, the chrome can be selected like any text.
        await pilot.press("f")
        view.move_cursor_to(before[0])
        await pilot.press("v", "j", "j")
        assert view.target_span[1] > chrome_start


async def test_a_configured_labels_key_tags_and_its_letter_shows(make_app, db_path) -> None:
    labels = LabelSet((*DEFAULT_LABELS, Label("misleading", "m", "#d08770", "framed to mislead")))
    app = make_app(labels=labels)
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "m")
        assert quotes(db_path) == [("misleading", SECOND_SENTENCE)]
        await wait_for(pilot, lambda: any(gutter(t)[1:4] == "M  " for t in view_lines(view)))


async def test_a_label_from_the_store_that_no_config_names_is_still_shown(
    make_app, bundled, store, db_path
) -> None:
    from annotations.model import Annotation

    article = bundled[0]
    start, end = article.sentences[1]
    store.add(
        Annotation.create(
            article=article.id,
            text=article.text,
            start=start,
            end=end,
            label="bias",
            annotator="tester",
        )
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        assert "bias" in app.labels
        await pilot.press("j")
        line = next(t for t in view_lines(view) if "Vladimir Putin" in t)
        assert gutter(line)[1:4] == "B  "
        assert "bias 1" in status_text(app)
