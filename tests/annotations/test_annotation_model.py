import getpass
import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from annotations.model import (
    ANCHOR_STATUSES,
    CONTEXT_CHARS,
    FIELDS,
    LABELS,
    MOTIVATIONS,
    Annotation,
    InvalidRecordError,
    default_annotator,
    text_sha256,
)

TEXT = "Alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november."
NOW = datetime(2026, 11, 22, 19, 40, 1, 123456, tzinfo=UTC)


def make(text: str = TEXT, start: int = 6, end: int = 11, **kwargs: object) -> Annotation:
    options: dict[str, object] = {"label": "claim", "annotator": "ana", "now": NOW}
    options.update(kwargs)
    return Annotation.create(article="a1", text=text, start=start, end=end, **options)  # type: ignore[arg-type]


def test_labels_and_fields_are_the_documented_ones() -> None:
    assert LABELS == ("claim", "opinion", "unverified")
    assert CONTEXT_CHARS == 32
    assert MOTIVATIONS == ("tagging", "commenting")
    assert ANCHOR_STATUSES == ("exact", "moved", "fuzzy", "orphan")
    assert Annotation._fields == FIELDS
    assert FIELDS == (
        "id",
        "article",
        "article_sha256",
        "source",
        "title",
        "start",
        "end",
        "quote",
        "prefix",
        "suffix",
        "motivation",
        "label",
        "note",
        "annotator",
        "created",
        "modified",
        "anchor",
        "anchor_score",
        "previous_start",
        "previous_end",
        "previous_quote",
        "previous_sha256",
    )


def test_a_new_label_is_a_tagging_record_found_exactly() -> None:
    annotation = make()
    assert (annotation.motivation, annotation.label, annotation.note) == ("tagging", "claim", "")
    assert annotation.is_tag and not annotation.is_note
    assert (annotation.anchor, annotation.anchor_score) == ("exact", 1.0)
    assert (annotation.previous_start, annotation.previous_end) == (None, None)
    assert (annotation.previous_quote, annotation.previous_sha256) == ("", "")
    assert annotation.span == (6, 11)


def test_a_new_note_is_a_commenting_record_without_a_label() -> None:
    annotation = make(label="", note="Says who?")
    assert (annotation.motivation, annotation.label, annotation.note) == (
        "commenting",
        "",
        "Says who?",
    )
    assert annotation.is_note and not annotation.is_tag


def test_a_label_and_a_note_are_never_one_record() -> None:
    with pytest.raises(ValueError, match="tagging annotation has a label and no note"):
        make(label="claim", note="Says who?")


def test_a_record_with_neither_label_nor_note_is_refused() -> None:
    with pytest.raises(ValueError, match="commenting annotation has a note"):
        make(label="", note="")


def test_quote_and_context_in_the_middle_of_a_long_text() -> None:
    start, end = 40, 50
    annotation = make(start=start, end=end)
    assert annotation.quote == TEXT[40:50]
    assert annotation.prefix == TEXT[8:40]
    assert len(annotation.prefix) == CONTEXT_CHARS
    assert annotation.suffix == TEXT[50:82]
    assert len(annotation.suffix) == CONTEXT_CHARS


def test_context_is_cut_at_the_start_of_the_text() -> None:
    at_start = make(start=0, end=5)
    assert at_start.quote == "Alpha"
    assert at_start.prefix == ""
    near_start = make(start=6, end=11)
    assert near_start.prefix == "Alpha "


def test_context_is_cut_at_the_end_of_the_text() -> None:
    at_end = make(start=len(TEXT) - 9, end=len(TEXT))
    assert at_end.quote == "november."
    assert at_end.suffix == ""
    near_end = make(start=len(TEXT) - 14, end=len(TEXT) - 10)
    assert near_end.quote == "mike"
    assert near_end.suffix == " november."


def test_whole_text_can_be_quoted() -> None:
    annotation = make(text="Short.", start=0, end=6)
    assert (annotation.prefix, annotation.quote, annotation.suffix) == ("", "Short.", "")


def test_offsets_are_str_indices_in_non_ascii_text() -> None:
    text = "Minister 🙂 said “we will win” — crowds cheered 🎉 loudly\r\nafterwards."
    start = text.index("“")
    end = text.index("”") + 1
    annotation = make(text=text, start=start, end=end)
    assert annotation.quote == "“we will win”"
    # The byte offsets differ (the emoji is 4 bytes); the str offsets are what we store.
    assert len(text[:start].encode("utf-8")) != start
    assert annotation.prefix == "Minister 🙂 said "
    # 32 code points: the emoji, the dash and \r\n each count once.
    assert annotation.suffix == " — crowds cheered 🎉 loudly\r\nafte"


def test_sha256_is_of_the_utf8_bytes_unless_given() -> None:
    import hashlib

    text = "Grüße “quoted” 🙂"
    annotation = make(text=text, start=0, end=5)
    assert annotation.article_sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert annotation.article_sha256 == text_sha256(text)
    given = make(text=text, start=0, end=5, article_sha256="abc")
    assert given.article_sha256 == "abc"


def test_ids_are_fresh_uuid4s() -> None:
    first, second = make(), make()
    assert first.id != second.id
    assert uuid.UUID(first.id).version == 4


@pytest.mark.parametrize(
    ("start", "end"),
    [(5, 5), (6, 5), (-1, 3), (0, len(TEXT) + 1), (len(TEXT), len(TEXT) + 1)],
)
def test_bad_spans_are_refused(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="span"):
        make(start=start, end=end)


def test_labels_outside_the_default_set_are_kept() -> None:
    # Labels are data (they will be configurable): any non-empty label is a label.
    annotation = make(label="fact")
    assert annotation.label == "fact"
    assert Annotation.from_record(annotation.to_record()) == annotation


def test_empty_label_on_a_tagging_record_is_refused() -> None:
    with pytest.raises(ValueError, match="label"):
        make().evolve(label="")


def test_timestamps_are_utc_iso8601_with_timezone() -> None:
    annotation = make()
    assert annotation.created == "2026-11-22T19:40:01.123456+00:00"
    assert annotation.modified == annotation.created
    elsewhere = datetime(2026, 11, 22, 21, 40, 1, tzinfo=timezone(timedelta(hours=2)))
    assert make(now=elsewhere).created == "2026-11-22T19:40:01.000000+00:00"
    default = make(now=None)
    assert datetime.fromisoformat(default.created).utcoffset() == timedelta(0)


def test_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        make(now=datetime(2026, 11, 22, 19, 40))


def test_with_note_updates_note_and_modified_only() -> None:
    annotation = make(label="", note="first")
    later = NOW + timedelta(minutes=5)
    edited = annotation.with_note("second, with a comma", now=later)
    assert edited.note == "second, with a comma"
    assert edited.modified == "2026-11-22T19:45:01.123456+00:00"
    assert edited.created == annotation.created
    assert edited.id == annotation.id
    assert annotation.note == "first"  # the original is untouched (frozen)
    assert edited.to_record() | {"note": "first", "modified": annotation.modified} == (
        annotation.to_record()
    )


def test_a_label_cannot_be_given_a_note() -> None:
    with pytest.raises(ValueError, match="tagging annotation has a label and no note"):
        make().with_note("a note on a label")


def test_annotations_are_immutable() -> None:
    annotation = make()
    with pytest.raises(AttributeError):
        annotation.note = "changed"  # type: ignore[misc]


def test_evolve_checks_the_result_like_every_other_way_of_making_one() -> None:
    annotation = make()
    assert annotation.evolve(label="opinion").label == "opinion"
    with pytest.raises(ValueError, match="quote"):
        annotation.evolve(end=12)
    with pytest.raises(ValueError, match="anchor"):
        annotation.evolve(anchor="lost")


def test_moved_to_keeps_where_it_stood_before() -> None:
    annotation = make(start=6, end=11)
    text = "New opening words. " + TEXT
    moved = annotation.moved_to(
        text, 25, 30, sha256="new-sha", anchor="moved", score=1.0, now=NOW + timedelta(days=1)
    )
    assert (moved.start, moved.end, moved.quote) == (25, 30, "bravo")
    assert moved.prefix == text[:25] and moved.suffix == text[30:62]
    assert (moved.article_sha256, moved.anchor, moved.anchor_score) == ("new-sha", "moved", 1.0)
    assert (moved.previous_start, moved.previous_end) == (6, 11)
    assert (moved.previous_quote, moved.previous_sha256) == ("bravo", annotation.article_sha256)
    assert (moved.id, moved.created, moved.label) == (
        annotation.id,
        annotation.created,
        annotation.label,
    )
    assert moved.modified == "2026-11-23T19:40:01.123456+00:00"
    with pytest.raises(ValueError, match="span"):
        annotation.moved_to(text, 5, 5, sha256="x", anchor="exact", score=1.0)


def test_record_round_trip_through_json() -> None:
    for label, note in (("claim", ""), ("", 'a "note"')):
        annotation = make(
            text="Il a dit « non »,\nvraiment 🙂.", start=9, end=16, label=label, note=note
        )
        record = annotation.to_record()
        assert list(record) == list(FIELDS)
        assert Annotation.from_record(json.loads(json.dumps(record))) == annotation


def test_a_re_anchored_record_round_trips() -> None:
    annotation = make().moved_to(TEXT, 12, 19, sha256="s2", anchor="fuzzy", score=0.75)
    assert Annotation.from_record(json.loads(json.dumps(annotation.to_record()))) == annotation


def test_an_integer_anchor_score_is_read_as_a_number() -> None:
    record = _record() | {"anchor_score": 1}
    annotation = Annotation.from_record(record)
    assert annotation.anchor_score == 1.0
    assert isinstance(annotation.anchor_score, float)


def _record() -> dict[str, object]:
    return make().to_record()


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"start": "6"}, "'start'"),
        ({"end": 11.0}, "'end'"),
        ({"start": True}, "'start'"),
        ({"note": None}, "'note'"),
        ({"label": 3}, "'label'"),
        ({"label": ""}, "label"),
        ({"note": "a note on a label"}, "no note"),
        ({"motivation": "commenting"}, "commenting annotation has a note"),
        ({"motivation": "bookmarking"}, "motivation"),
        ({"anchor": "lost"}, "anchor"),
        ({"anchor_score": 1.5}, "anchor_score"),
        ({"anchor_score": "1"}, "'anchor_score'"),
        ({"previous_start": 3}, "previous_start"),
        ({"previous_quote": None}, "'previous_quote'"),
        ({"start": 12}, "span"),
        ({"quote": "toolong"}, "quote"),
        ({"created": "yesterday"}, "created"),
        ({"modified": "2026-11-22T19:40:01"}, "timezone"),
        ({"article": ""}, "article"),
        ({"extra": 1}, "unknown fields extra"),
    ],
)
def test_from_record_refuses_bad_records_with_a_clear_message(
    change: dict[str, object], fragment: str
) -> None:
    record = _record() | change
    with pytest.raises(InvalidRecordError, match=fragment):
        Annotation.from_record(record)


def test_from_record_names_missing_fields_and_is_a_value_error() -> None:
    record = _record()
    del record["quote"], record["label"]
    with pytest.raises(ValueError, match="lacks quote, label"):
        Annotation.from_record(record)


def test_from_record_refuses_non_objects() -> None:
    with pytest.raises(InvalidRecordError, match="list"):
        Annotation.from_record([])  # type: ignore[arg-type]


def test_default_annotator_is_the_os_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "alice")
    assert default_annotator() == "alice"


def test_default_annotator_falls_back_to_anonymous(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_user() -> str:
        raise OSError("no user name")

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert default_annotator() == "anonymous"
