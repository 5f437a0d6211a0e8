"""Ask where and in which format to export the annotations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet

from annotations.export import FORMATS, format_for_path
from annotations.formats import FORMATS as FORMAT_REGISTRY
from reader.literal import display_text
from styles import STYLES_DIR


@dataclass(frozen=True)
class ExportRequest:
    format: str
    path: Path


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Format and output path; the app runs the export and reports the result.

    The path's ending picks the format and the format the ending, so the two never disagree;
    brat writes a folder, so its default path has no ending.
    """

    CSS_PATH = STYLES_DIR / "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default_directory: Path, count: int) -> None:
        super().__init__()
        self.default_directory = default_directory
        self.count = count
        # The path the user was warned exists: a second Export with it unchanged replaces it.
        self._confirmed_overwrite: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            plural = "" if self.count == 1 else "s"
            yield Label(f"Export {self.count} annotation{plural}", classes="dialog-title")
            with RadioSet(id="export-format"):
                for index, fmt in enumerate(FORMATS):
                    yield RadioButton(_BUTTON_LABELS.get(fmt, fmt), value=index == 0, name=fmt)
            yield Label("Write to (a file name's ending picks the format; brat: a folder):")
            yield Input(str(self._default_path(FORMATS[0])), id="export-path")
            yield Label("", id="export-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")

    def _default_path(self, fmt: str) -> Path:
        return self.default_directory / _file_name("annotations", fmt)

    def on_mount(self) -> None:
        # Focus on the format, not the path: ↓ Enter there must not overwrite the last export.
        self.query_one(RadioSet).focus()

    @property
    def chosen_format(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else FORMATS[0]

    @on(RadioSet.Changed)
    def _format_changed(self) -> None:
        # The file's ending follows a chosen format (tags.csv becomes tags.jsonl), so a file
        # never ends in one format and holds the other; a name with no known ending is kept.
        path_input = self.query_one(Input)
        current = Path(path_input.value.strip())
        shown = format_for_path(current) or ("brat" if current.name.endswith("-brat") else None)
        if shown is not None and shown != self.chosen_format:
            stem = current.stem.removesuffix("-brat") if shown != "brat" else current.name[:-5]
            path_input.value = str(current.with_name(_file_name(stem, self.chosen_format)))

    @on(Input.Changed)
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

    @on(Input.Submitted)
    @on(Button.Pressed, "#export-go")
    def _submit(self) -> None:
        value = self.query_one(Input).value.strip()
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
        self.dismiss(ExportRequest(self.chosen_format, path))

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, message: str) -> None:
        # Text, not markup: the message quotes the path the user typed.
        self.query_one("#export-error", Label).update(Text(display_text(message)))


# What the buttons say: the format's common name, short enough for two columns at 80 columns.
_BUTTON_LABELS = {
    "jsonl": "JSONL (our records)",
    "csv": "CSV",
    "w3c": "W3C Web Annotation",
    "brat": "brat (a folder)",
    "spacy": "spaCy DocBin",
    "conll": "CoNLL BIO",
    "md": "Markdown report",
    "html": "HTML report",
}


def _file_name(stem: str, fmt: str) -> str:
    suffixes = FORMAT_REGISTRY[fmt].suffixes
    return f"{stem}{suffixes[0]}" if suffixes else f"{stem}-{fmt}"
