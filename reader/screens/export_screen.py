"""Ask where, in which format and which annotations to export.

The dialog fits an 80x24 terminal with its buttons showing: nine formats in three columns, the
path and the filters in one-line fields. The filters are those of `reader export`
(annotations.formats.filters), one value each: a label, an annotator, an article (each chosen
from those the store holds), an anchoring status and a date range. They come after the path,
so Tab from the formats still reaches the path first, and every field starts at "any": left
alone, the export takes everything. The title counts what the filters keep, from a
`FilterIndex` (a count per keystroke looks at groups of records, not at every record).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select

from annotations.export import FORMATS, format_for_path
from annotations.formats import FORMATS as FORMAT_REGISTRY
from annotations.formats import suffix_of
from annotations.formats.filters import (
    ENTITIES_LABEL,
    NOTE_LABEL,
    ExportFilter,
    FilterError,
    FilterIndex,
)
from annotations.model import ANCHOR_STATUSES
from reader.literal import display_text
from styles import STYLES_DIR


@dataclass(frozen=True)
class ExportRequest:
    format: str
    path: Path
    # Which records: the app passes the store's through `filter.annotations` and
    # `filter.corrections`. Empty (the default) keeps everything.
    filter: ExportFilter = field(default_factory=ExportFilter)


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Format, output path and filters; the app runs the export and reports the result.

    The path's ending picks the format and the format the ending, so the two never disagree;
    brat writes a folder, so its default path has no ending.
    """

    CSS_PATH = STYLES_DIR / "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default_directory: Path, records: FilterIndex) -> None:
        """``records``: what the store holds, to filter and count."""
        super().__init__()
        self.default_directory = default_directory
        self.index = records
        self.total = records.total
        # The path the user was warned exists: a second Export with it unchanged replaces it.
        self._confirmed_overwrite: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Label(self._title(self.total), id="export-title", classes="dialog-title")
            with RadioSet(id="export-format"):
                for index, fmt in enumerate(FORMATS):
                    yield RadioButton(_BUTTON_LABELS.get(fmt, fmt), value=index == 0, name=fmt)
            yield Label("Write to (a file name's ending picks the format; brat: a folder):")
            yield Input(str(self._default_path(FORMATS[0])), id="export-path", compact=True)
            yield from self._compose_filters(self.index)
            yield Label("", id="export-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")

    def _compose_filters(self, index: FilterIndex) -> ComposeResult:
        labels = [(_label_name(label), label) for label in index.labels]
        anchors = [("anchored (not orphan)", _ANCHORED)] + [(s, s) for s in ANCHOR_STATUSES]
        with Vertical(id="export-filters"):
            with Horizontal(classes="export-filter-row"):
                yield Label("Label", classes="export-filter-name")
                yield _choice("export-label", labels, "any label")
                yield Label("Annotator", classes="export-filter-name -second")
                annotator = _choice("export-annotator", _same(index.annotators), "anyone")
                yield annotator.add_class("-second")
            with Horizontal(classes="export-filter-row"):
                yield Label("Article", classes="export-filter-name")
                yield _choice("export-article", _same(index.articles), "any article")
            with Horizontal(classes="export-filter-row"):
                yield Label("Anchoring", classes="export-filter-name")
                yield _choice("export-anchor", anchors, "any")
                yield Label("Modified", classes="export-filter-name -second")
                with Horizontal(id="export-dates"):
                    yield Input(placeholder="YYYY-MM-DD", id="export-since", compact=True)
                    yield Label("to", id="export-dates-to")
                    yield Input(placeholder="YYYY-MM-DD", id="export-until", compact=True)

    def _default_path(self, fmt: str) -> Path:
        return self.default_directory / _file_name("annotations", fmt)

    def on_mount(self) -> None:
        # Focus on the format, not the path: ↓ Enter there must not overwrite the last export.
        self.query_one(RadioSet).focus()

    @property
    def chosen_format(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else FORMATS[0]

    @property
    def path_box(self) -> Input:
        return self.query_one("#export-path", Input)

    @on(RadioSet.Changed)
    def _format_changed(self) -> None:
        # The file's ending follows a chosen format (tags.csv becomes tags.jsonl), so a file
        # never ends in one format and holds the other; a name with no known ending is kept.
        current = Path(self.path_box.value.strip())
        shown = format_for_path(current) or ("brat" if current.name.endswith("-brat") else None)
        if shown is not None and shown != self.chosen_format:
            if shown == "brat":
                stem = current.name.removesuffix("-brat")
            else:
                stem = current.name[: -len(suffix_of(current))]
            self.path_box.value = str(current.with_name(_file_name(stem, self.chosen_format)))

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        # The format follows the file name's ending (x.csv is CSV), so the two never disagree.
        self._confirmed_overwrite = None
        self.show_error("")
        fmt = format_for_path(Path(event.value.strip()))
        if fmt is None or fmt == self.chosen_format:
            return
        for button in self.query(RadioButton):
            if button.name == fmt:
                button.value = True

    @on(Select.Changed)
    @on(Input.Changed, "#export-since, #export-until")
    def _filter_changed(self) -> None:
        # Recounted as the user types; a date half typed is not an error yet (it is said when
        # the field is left, or on Export), and the count stays what it was.
        for box in self.query(".-invalid"):
            box.remove_class("-invalid")
        self.show_error("")
        try:
            chosen = self.chosen_filter()
        except _BadFilter:
            return
        title = self._title(self.index.count(chosen) if chosen else self.total)
        self.query_one("#export-title", Label).update(title)

    @on(Input.Blurred, "#export-since, #export-until")
    def _date_left(self) -> None:
        try:
            self.chosen_filter()
        except _BadFilter as bad:
            self._say_bad(bad)

    def chosen_filter(self) -> ExportFilter:
        """The filter the fields say; _BadFilter names the field that is wrong and why."""
        dates: dict[str, str] = {}
        boxes = (("since", "#export-since", "from"), ("until", "#export-until", "to"))
        for name, box_id, said in boxes:
            value = self.query_one(box_id, Input).value.strip()
            if not value:
                continue
            try:
                # The CLI's reading of --since and --until: a day, or an ISO 8601 time.
                ExportFilter.parse(since=value)
            except FilterError:
                shown = display_text(value if len(value) <= 24 else value[:23] + "…")
                message = f"The “{said}” date {shown} is not a date: write it as 2026-12-01."
                raise _BadFilter(box_id, message) from None
            dates[name] = value
        try:
            parsed = ExportFilter.parse(
                anchors=_ANCHOR_CHOICES.get(self._chosen("#export-anchor"), ()), **dates
            )
        except FilterError:
            # Each date is good alone (checked above), so the range is what is wrong.
            raise _BadFilter("#export-until", "The “to” date is before the “from” date.") from None
        # Set whole, not through parse: a comma in a label or a name is not a list here.
        return replace(
            parsed,
            labels=self._one("#export-label"),
            articles=self._one("#export-article"),
            annotators=self._one("#export-annotator"),
        )

    def _chosen(self, select_id: str) -> str:
        value = self.query_one(select_id, Select).value
        return value if isinstance(value, str) else ""

    def _one(self, select_id: str) -> frozenset[str]:
        value = self._chosen(select_id)
        return frozenset({value}) if value else frozenset()

    def _say_bad(self, bad: _BadFilter) -> None:
        self.query_one(bad.field_id, Input).add_class("-invalid")
        self.show_error(bad.message)

    @on(Input.Submitted)
    @on(Button.Pressed, "#export-go")
    def _submit(self) -> None:
        try:
            chosen = self.chosen_filter()
        except _BadFilter as bad:
            self._say_bad(bad)
            return
        value = self.path_box.value.strip()
        if not value:
            self.show_error("Give a file to write to.")
            return
        path = Path(value).expanduser()
        folder_format = FORMAT_REGISTRY[self.chosen_format].kind == "folder"
        if path.is_dir() and not folder_format:
            self.show_error(f"{path} is a folder: give a file name in it.")
            return
        if folder_format and path.exists() and not path.is_dir():
            self.show_error(f"{path} is a file: brat writes a folder.")
            return
        parent = path.parent
        if parent.exists() and not parent.is_dir():
            self.show_error(f"{parent} is a file, not a folder.")
            return
        if not parent.is_dir() and parent != self.default_directory:
            # Only the proposed folder is made on export; a mistyped one is not.
            self.show_error(f"There is no folder {parent}.")
            return
        if path.exists() and self._confirmed_overwrite != path:
            self._confirmed_overwrite = path
            what = "its files" if folder_format else "it"
            self.show_error(f"{path.name} exists: press Export again to replace {what}.")
            return
        self.dismiss(ExportRequest(self.chosen_format, path, chosen))

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, message: str) -> None:
        # Text, not markup: the message quotes the path the user typed.
        self.query_one("#export-error", Label).update(Text(display_text(message)))

    def _title(self, kept: int) -> str:
        plural = "" if self.total == 1 else "s"
        if kept == self.total:
            return f"Export {self.total} annotation{plural}"
        return f"Export {kept} of {self.total} annotation{plural}"


class _BadFilter(Exception):
    def __init__(self, field_id: str, message: str) -> None:
        super().__init__(message)
        self.field_id = field_id
        self.message = message


def _choice(select_id: str, options: list[tuple[str, str]], prompt: str) -> Select[str]:
    # Names come from the store as users typed them: shown as text, never as markup.
    shown = [(Text(display_text(name)), value) for name, value in options]
    return Select(shown, prompt=prompt, id=select_id, compact=True, classes="export-filter")


def _same(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


def _label_name(label: str) -> str:
    if label == NOTE_LABEL:
        return "notes (no label)"
    if label == ENTITIES_LABEL:
        return "entity corrections"
    return label


# The anchoring choice: a status, or "anchored", any status but orphan.
_ANCHORED = "anchored"
_ANCHOR_CHOICES: dict[str, tuple[str, ...]] = {
    _ANCHORED: tuple(s for s in ANCHOR_STATUSES if s != "orphan"),
    **{status: (status,) for status in ANCHOR_STATUSES},
}

# What the buttons say: the format's common name, short enough for three columns at 80 columns.
_BUTTON_LABELS = {
    "jsonl": "JSONL (ours)",
    "csv": "CSV",
    "w3c": "W3C JSON-LD",
    "w3c-jsonl": "W3C JSON Lines",
    "brat": "brat (folder)",
    "spacy": "spaCy DocBin",
    "conll": "CoNLL BIO",
    "md": "Markdown report",
    "html": "HTML report",
}


def _file_name(stem: str, fmt: str) -> str:
    suffixes = FORMAT_REGISTRY[fmt].suffixes
    return f"{stem}{suffixes[0]}" if suffixes else f"{stem}-{fmt}"
