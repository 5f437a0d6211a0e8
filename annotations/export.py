"""Writing an export: any format of annotations.formats, to a file, a folder or a stream, safely.

The format modules turn an `ExportSet` into text chunks, bytes or a folder's files; this module
puts them somewhere without surprises:

- A file is written atomically (annotations.atomic): a failure (a full disk, a source that
  breaks mid-way) leaves the old file, or nothing, never part of a file.
- A symlink is written through: the file it points to is replaced, the link stays.
- What is not a regular file (``/dev/null``, a FIFO, a folder given for a file) and a read-only
  file are refused with a one-line message, never replaced, whoever runs the export (root's
  writes ignore permission bits, so the bits are read, not `os.access`).
- A folder format (brat) is staged whole, then moved into place: into a new folder by one
  rename, into an existing one file by file, only once every file is written.

Entity corrections (annotations.entity_corrections) are exported beside the annotations when a
caller passes them: see each format's module for how it carries them.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TextIO, cast

from annotations.atomic import fsync_directory, write_atomically
from annotations.entity_corrections import EntityCorrection
from annotations.formats import FORMATS as FORMAT_REGISTRY
from annotations.formats import ExportSet, Format
from annotations.formats import format_for_path as _format_for_path
from annotations.model import Annotation

# The formats' names, in the order offered to users (the dialog's buttons, --format's choices).
FORMATS: tuple[str, ...] = tuple(FORMAT_REGISTRY)

# New exports are shared files, unlike the private database; an existing file keeps its mode.
_NEW_EXPORT_MODE = 0o644


class ExportError(Exception):
    """An export that cannot be done; the message is one line, fit to show the user."""


def format_for_path(path: Path) -> str | None:
    """The export format a file name asks for by its ending, None if it says none we write."""
    found = _format_for_path(path)
    return found.name if found is not None else None


def format_named(name: str) -> Format:
    try:
        return FORMAT_REGISTRY[name]
    except KeyError:
        raise ExportError(
            f"unknown export format {name!r}; use one of {', '.join(FORMATS)}"
        ) from None


def as_export_set(
    records: ExportSet | Iterable[Annotation],
    corrections: Iterable[EntityCorrection] | None = None,
) -> ExportSet:
    """An ExportSet as given, or one of bare annotations (and corrections, if not None)."""
    if isinstance(records, ExportSet):
        return records
    return ExportSet(
        annotations=list(records),
        corrections=list(corrections or ()),
        with_corrections=corrections is not None,
    )


def record_count(export: ExportSet) -> int:
    return len(export.annotations) + len(export.corrections)


def text_chunks(export: ExportSet, fmt: str) -> Iterator[str]:
    """The chunks of a text format's file."""
    found = _loaded(fmt, "text")
    return cast(Iterator[str], getattr(found.load(), found.writer)(export))


def binary_content(export: ExportSet, fmt: str) -> bytes:
    found = _loaded(fmt, "binary")
    return cast(bytes, getattr(found.load(), found.writer)(export))


def folder_files(export: ExportSet, fmt: str) -> dict[str, bytes]:
    found = _loaded(fmt, "folder")
    return cast(dict[str, bytes], getattr(found.load(), found.writer)(export))


def _loaded(fmt: str, kind: str) -> Format:
    found = format_named(fmt)
    if found.kind != kind:
        raise ExportError(f"{fmt} is a {found.kind} format, not a {kind} one")
    return found


def write_export(
    records: ExportSet | Iterable[Annotation],
    fmt: str,
    out: TextIO,
    *,
    corrections: Iterable[EntityCorrection] | None = None,
) -> int:
    """Write a text format to ``out`` (opened with newline="" for CSV); returns how many
    records were written. Bare annotations with ``corrections`` None export annotations alone,
    in the same form as before corrections existed."""
    export = as_export_set(records, corrections)
    for chunk in text_chunks(export, fmt):
        out.write(chunk)
    return record_count(export)


def export_to_path(
    records: ExportSet | Iterable[Annotation],
    fmt: str,
    path: Path,
    *,
    corrections: Iterable[EntityCorrection] | None = None,
) -> int:
    """Write an export file (or folder, for a folder format) safely; ExportError (one line)
    for anything wrong with the path. Returns how many records were written."""
    found = format_named(fmt)
    path = Path(path)
    if found.kind == "folder":
        check_output_folder(path)
    else:
        check_output_file(path)
    # Everything is made before anything is written, so a failing source leaves nothing.
    export = as_export_set(records, corrections)
    try:
        if found.kind == "text":
            buffer = io.StringIO(newline="")
            for chunk in text_chunks(export, fmt):
                buffer.write(chunk)
            write_atomically(path, [buffer.getvalue().encode("utf-8")], new_mode=_NEW_EXPORT_MODE)
        elif found.kind == "binary":
            write_atomically(path, [binary_content(export, fmt)], new_mode=_NEW_EXPORT_MODE)
        else:
            write_folder(path, folder_files(export, fmt))
    except OSError as error:
        raise ExportError(f"cannot export to {path}: {reason(error)}") from error
    return record_count(export)


def check_output_file(path: Path) -> None:
    """ExportError unless ``path`` may be (re)placed by an export file."""
    target = Path(os.path.realpath(path))  # a symlink is written through
    if target.is_dir():
        raise ExportError(f"cannot export to {path}: it is a directory")
    if not target.parent.is_dir():
        raise ExportError(f"cannot export to {path}: directory {target.parent} does not exist")
    try:
        status = target.stat()
    except FileNotFoundError:
        return
    except OSError as error:
        raise ExportError(f"cannot export to {path}: {reason(error)}") from error
    if not stat.S_ISREG(status.st_mode):
        raise ExportError(f"cannot export to {path}: not a regular file, so not replaced")
    if not stat.S_IMODE(status.st_mode) & 0o222 or not os.access(target, os.W_OK):
        raise ExportError(f"cannot export to {path}: the file is read-only, so not replaced")


def check_output_folder(path: Path) -> None:
    """ExportError unless ``path`` is a folder an export may write into, or may be made."""
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_dir():
        raise ExportError(f"cannot export to {path}: it is a file, and this format writes a folder")
    if not target.exists() and not target.parent.is_dir():
        raise ExportError(f"cannot export to {path}: directory {target.parent} does not exist")


def write_folder(path: Path, files: Mapping[str, bytes]) -> None:
    """Put ``files`` (relative path → bytes) into the folder ``path``, all or nothing."""
    target = Path(os.path.realpath(path))
    for name in files:
        relative = Path(name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise ValueError(f"a folder format gave an unsafe file name: {name!r}")
    if not target.exists():
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
        try:
            for name, content in files.items():
                _write_new(staging / name, content)
            os.chmod(staging, 0o755)
            os.rename(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        fsync_directory(target.parent)
        return
    for name in files:
        check_output_file(target / name)
    staged: list[tuple[str, Path]] = []
    try:
        for name, content in files.items():
            final = Path(os.path.realpath(target / name))
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, temp_name = tempfile.mkstemp(
                dir=final.parent, prefix=f".{final.name}.", suffix=".tmp"
            )
            os.close(fd)
            staged.append((name, Path(temp_name)))
            _write_new(Path(temp_name), content)
        for name, staged_file in staged:
            final = Path(os.path.realpath(target / name))
            with contextlib.suppress(FileNotFoundError):
                os.chmod(staged_file, stat.S_IMODE(final.stat().st_mode))
            os.replace(staged_file, final)
    except BaseException:
        for _name, staged_file in staged:
            with contextlib.suppress(FileNotFoundError):
                staged_file.unlink()
        raise
    fsync_directory(target)


def _write_new(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as file:
        file.write(content)
        file.flush()
        os.fsync(file.fileno())
    os.chmod(path, _NEW_EXPORT_MODE)


def verify_quotes(
    annotations: Iterable[Annotation | EntityCorrection], texts: Mapping[str, str]
) -> list[str]:
    """One line per annotation or entity correction whose quote is not its text version's
    words at its offsets.

    ``texts`` maps a text's sha256 to the text; records on versions not given are skipped, and
    so are merges and splits (they name no text).
    """
    problems: list[str] = []
    for annotation in annotations:
        text = texts.get(annotation.article_sha256)
        if text is None:
            continue
        actual = text[annotation.start : annotation.end]
        if actual != annotation.quote:
            problems.append(
                f"{annotation.id}: in {annotation.article!r} at "
                f"{annotation.start}-{annotation.end} the quote {_short(annotation.quote)} "
                f"does not match the text {_short(actual)}"
            )
    return problems


def reason(error: OSError) -> str:
    """The short, human part of an OSError ("permission denied"); str(error) repeats the path."""
    return error.strerror.lower() if error.strerror else str(error)


def _short(text: str, limit: int = 40) -> str:
    # repr keeps a quote containing newlines on the problem's one line.
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
