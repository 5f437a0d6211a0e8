"""Labels as configuration: the defaults, a TOML file, and every way a file can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.labels import DEFAULT_LABELS, RESERVED_KEYS, Label, LabelSet, load_labels
from reader.locations import labels_config_path


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "labels.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_the_three_defaults(tmp_path: Path) -> None:
    for path in (None, tmp_path / "missing.toml"):
        config = load_labels(path)
        assert config.problem is None
        assert config.labels.names == ("claim", "opinion", "unverified")
        assert [label.key for label in config.labels] == ["c", "o", "u"]


def test_a_file_adds_labels_after_the_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[[label]]
name = "misleading"
key = "m"
colour = "#d08770"
description = "True facts framed to mislead"

[[label]]
name = "needs source"
key = "z"
color = "#abc"
""",
    )
    config = load_labels(path)
    assert config.problem is None
    assert config.labels.names == ("claim", "opinion", "unverified", "misleading", "needs source")
    misleading = config.labels.by_name("misleading")
    assert misleading == Label("misleading", "m", "#d08770", "True facts framed to mislead")
    assert config.labels.by_key("z") == Label("needs source", "z", "#abc", "")
    assert misleading.letter == "M"


def test_a_file_can_restyle_a_default(tmp_path: Path) -> None:
    path = write(tmp_path, '[[label]]\nname = "claim"\nkey = "c"\ncolour = "#112233"\n')
    claim = load_labels(path).labels.by_name("claim")
    assert claim is not None and (claim.key, claim.colour) == ("c", "#112233")
    assert claim.description == DEFAULT_LABELS[0].description


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[[label]\nname = 'x'", "not valid TOML"),
        ("[[label]]\nkey = 'm'", "name must be"),
        ("[[label]]\nname = ''", "name must be"),
        ("[[label]]\nname = 'a/b'", "name must be"),
        ("[[label]]\nname = 'x'\nkey = 'mm'", "key must be one character"),
        ("[[label]]\nname = 'x'\nkey = 'j'", "already used by the reader"),
        ("[[label]]\nname = 'x'\nkey = 'c'", "given to both claim and x"),
        ("[[label]]\nname = 'x'\nkey = 'm'\n[[label]]\nname = 'y'\nkey = 'm'", "given to both"),
        ("[[label]]\nname = 'x'\n[[label]]\nname = 'x'", "given twice"),
        ("[[label]]\nname = 'x'\ncolour = 'red'", "colour must be"),
        ("[[label]]\nname = 'x'\nshortcut = 'm'", "unknown field 'shortcut'"),
        ("[labels]\nname = 'x'", "unknown table"),
        ("[[label]]\nname = 'x'\ndescription = 3", "description must be text"),
    ],
)
def test_a_bad_file_is_ignored_whole_with_one_line_naming_it(
    tmp_path: Path, text: str, says: str
) -> None:
    path = write(tmp_path, text)
    config = load_labels(path)
    assert config.labels.names == ("claim", "opinion", "unverified")
    assert config.problem is not None
    assert config.problem.startswith(f"{path}: ") and says in config.problem
    assert "\n" not in config.problem


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    binary = tmp_path / "labels.toml"
    binary.write_bytes(b"\xff\xfe[[label]]")
    assert "not UTF-8" in (load_labels(binary).problem or "")
    folder = tmp_path / "dir.toml"
    folder.mkdir()
    assert "cannot be read" in (load_labels(folder).problem or "")


def test_reserved_keys_cover_the_readers_own_keys() -> None:
    assert {"j", "k", "w", "v", "s", "x", "n", "/"} <= RESERVED_KEYS
    assert not {"c", "o", "u", "m"} & RESERVED_KEYS


def test_store_labels_missing_from_the_config_are_added_and_ordered() -> None:
    labels = LabelSet(DEFAULT_LABELS).with_names(["zeal", "claim", "bias"])
    assert labels.names == ("claim", "opinion", "unverified", "bias", "zeal")
    bias = labels.by_name("bias")
    assert bias is not None and bias.key is None and bias.letter == "B"
    assert labels.order({"zeal", "opinion", "other"}) == ("opinion", "zeal", "other")


def test_the_config_path_follows_the_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path))
    assert labels_config_path() == tmp_path / "labels.toml"
    monkeypatch.delenv("READER_CONFIG_DIR")
    assert labels_config_path().name == "labels.toml"
    assert "news-reader" in str(labels_config_path())
