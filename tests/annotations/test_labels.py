"""Labels as configuration: the defaults, a TOML file, and every way a file can be wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotations.labels import (
    DEFAULT_LABELS,
    RESERVED_KEYS,
    Label,
    LabelConfig,
    LabelSet,
    load_labels,
)
from reader.locations import CONFIG_ENV, labels_config_path

DEFAULT_NAMES = ("claim", "opinion", "unverified")


def write(tmp_path: Path, text: str, name: str = "labels.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_ignored(config: LabelConfig, path: Path, says: str) -> None:
    """The whole file was ignored: the defaults, and one line naming the file."""
    assert config.labels == LabelSet(DEFAULT_LABELS)
    assert config.path == path
    assert config.problem is not None
    assert config.problem.startswith(f"{path}: "), config.problem
    assert says in config.problem, config.problem
    assert len(config.problem.splitlines()) == 1, config.problem


def test_no_file_means_the_three_defaults(tmp_path: Path) -> None:
    for path in (None, tmp_path / "missing.toml"):
        config = load_labels(path)
        assert (config.problem, config.path) == (None, path)
        assert config.labels.names == DEFAULT_NAMES
        assert [label.key for label in config.labels] == ["c", "o", "u"]
        assert [label.letter for label in config.labels] == ["C", "O", "U"]
    claim, opinion, unverified = DEFAULT_LABELS
    assert claim.description == "A factual assertion to check"
    assert opinion.description == "The writer's or a source's view"
    assert unverified.description == "Stated without a source or evidence"
    colours = [label.colour for label in DEFAULT_LABELS]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", colour or "") for colour in colours)
    assert len(set(colours)) == 3


def test_an_empty_file_means_the_defaults(tmp_path: Path) -> None:
    config = load_labels(write(tmp_path, "# nothing yet\n"))
    assert config.problem is None and config.labels.names == DEFAULT_NAMES


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
    assert config.problem is None and config.path == path
    assert config.labels.names == (*DEFAULT_NAMES, "misleading", "needs source")
    assert len(config.labels) == 5 and "misleading" in config.labels
    misleading = config.labels.by_name("misleading")
    assert misleading == Label("misleading", "m", "#d08770", "True facts framed to mislead")
    assert config.labels.by_key("z") == Label("needs source", "z", "#abc", "")
    assert config.labels.by_key("q") is None and config.labels.by_name("zeal") is None
    assert config.labels.by_key("Z") is None  # keys are case-sensitive, as Textual's are


def test_names_in_any_script_up_to_forty_characters(tmp_path: Path) -> None:
    names = ["désinformation", "дезинформация", "x" * 40, "2nd-hand_source"]
    text = "".join(f'[[label]]\nname = "{name}"\n' for name in names)
    config = load_labels(write(tmp_path, text))
    assert config.problem is None
    assert config.labels.names == (*DEFAULT_NAMES, *names)


def test_a_file_can_restyle_a_default(tmp_path: Path) -> None:
    path = write(tmp_path, '[[label]]\nname = "claim"\ncolour = "#112233"\n')
    config = load_labels(path)
    assert config.problem is None and config.labels.names == DEFAULT_NAMES
    claim = config.labels.by_name("claim")
    assert claim == Label("claim", "c", "#112233", "A factual assertion to check")


def test_a_file_can_rekey_and_redescribe_a_default(tmp_path: Path) -> None:
    path = write(tmp_path, '[[label]]\nname = "opinion"\nkey = "r"\ndescription = "A view"\n')
    config = load_labels(path)
    assert config.problem is None
    assert config.labels.by_key("r") == Label("opinion", "r", DEFAULT_LABELS[1].colour, "A view")
    assert config.labels.by_key("o") is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[[label]\nname = 'x'", "not valid TOML (Expected ']]'"),
        ("\n[[label]]\nname = 'x'\nkey = m", "(at line 4, column 7)"),
        ("label = 'x'", "'label' must be a list"),
        ("label = [1]", "label 1 is not a table"),
        ("[labels]\nname = 'x'", "unknown table 'labels'"),
        ("[[label]]\nname = 'x'\nshortcut = 'm'", "label 1: unknown field 'shortcut'"),
        ("[[label]]\nkey = 'm'", "label 1: name must be"),
        ("[[label]]\nname = 3", "name must be"),
        ("[[label]]\nname = ''", "name must be"),
        ("[[label]]\nname = 'a/b'", "name must be"),
        ("[[label]]\nname = 'claim '", "name must be"),
        ("[[label]]\nname = ' claim'", "name must be"),
        ("[[label]]\nname = '-x'", "name must be"),
        (f"[[label]]\nname = '{'x' * 41}'", "name must be"),
        ("[[label]]\nname = 'x'\n[[label]]\nname = 'y'\nkey = 'mm'", "label 2 (y): key must be"),
        ("[[label]]\nname = 'x'\nkey = ''", "key must be one character"),
        ("[[label]]\nname = 'x'\nkey = ' '", "key must be one character"),
        ('[[label]]\nname = "x"\nkey = "\\u0001"', "key must be one character"),
        ("[[label]]\nname = 'x'\nkey = 1", "key must be one character"),
        ("[[label]]\nname = 'x'\nkey = 'j'", "key 'j' is already used by the reader"),
        ("[[label]]\nname = 'x'\nkey = 'c'", "key 'c' is given to both claim and x"),
        ("[[label]]\nname = 'x'\nkey = 'm'\n[[label]]\nname = 'y'\nkey = 'm'", "both x and y"),
        ("[[label]]\nname = 'x'\n[[label]]\nname = 'x'", "label 2: the name 'x' is given twice"),
        ("[[label]]\nname = 'x'\ncolour = 'red'", "colour must be #rgb or #rrggbb"),
        ("[[label]]\nname = 'x'\ncolour = '#abcd'", "colour must be"),
        ("[[label]]\nname = 'x'\ncolor = '#ggg'", "colour must be"),
        ("[[label]]\nname = 'x'\ncolour = '#abc'\ncolor = '#abc'", "colour or color, not both"),
        ("[[label]]\nname = 'x'\ndescription = 3", "description must be text"),
        # one good label before a bad one: the good one is not kept either
        ("[[label]]\nname = 'good'\nkey = 'm'\n[[label]]\nname = 'a/b'", "label 2: name"),
    ],
)
def test_a_bad_file_is_ignored_whole_with_one_line_naming_it(
    tmp_path: Path, text: str, says: str
) -> None:
    path = write(tmp_path, text)
    assert_ignored(load_labels(path), path, says)


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    binary = tmp_path / "labels.toml"
    binary.write_bytes(b"\xff\xfe[[label]]")
    assert_ignored(load_labels(binary), binary, "not UTF-8 text")
    folder = tmp_path / "dir.toml"
    folder.mkdir()
    assert_ignored(load_labels(folder), folder, "cannot be read")


def test_the_problem_stays_one_line_whatever_the_path(tmp_path: Path) -> None:
    path = write(tmp_path, "[[label]]\nname = 'a/b'", name="odd\nname\t.toml")
    problem = load_labels(path).problem or ""
    assert len(problem.splitlines()) == 1 and "\t" not in problem
    assert problem.startswith(str(path).replace("\n", "\\n").replace("\t", "\\t") + ": ")


def test_reserved_keys_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "[[label]]\nname = 'misleading'\nkey = 'm'\n")
    assert load_labels(path).problem is None
    assert load_labels(path, reserved_keys=()).problem is None
    assert_ignored(load_labels(path, reserved_keys={"m"}), path, "key 'm' is already used")
    # A default keeps its own key even when the caller lists it among the reader's keys ...
    claim = write(tmp_path, "[[label]]\nname = 'claim'\nkey = 'c'\n", name="claim.toml")
    assert load_labels(claim, reserved_keys={"c", "o", "u"}).problem is None
    # ... but no other label may take it.
    other = write(tmp_path, "[[label]]\nname = 'x'\nkey = 'c'\n", name="other.toml")
    assert_ignored(load_labels(other, reserved_keys={"c"}), other, "already used")


def test_reserved_keys_cover_the_readers_own_keys() -> None:
    """keys.md: every single-character key the reader binds; c, o, u belong to the defaults."""
    readers_keys = set("jkgGhlwbevpysxnNfaqOEA?/*><(){}[]DW")
    assert readers_keys <= RESERVED_KEYS
    assert not {"c", "o", "u", "m", "M", "z"} & RESERVED_KEYS


def test_store_labels_missing_from_the_config_are_added_after_it() -> None:
    configured = LabelSet((*DEFAULT_LABELS, Label("misleading", "m", "#d08770", "")))
    labels = configured.with_names(["zeal", "claim", "bias", "zeal"])
    assert labels.names == (*DEFAULT_NAMES, "misleading", "bias", "zeal")
    assert labels.by_name("bias") == Label("bias", None, None, "found in the annotation database")
    assert labels.by_name("misleading") == configured.by_name("misleading")
    assert configured.with_names(["claim"]) == configured


def test_order_puts_configured_labels_first_then_the_rest_sorted() -> None:
    labels = LabelSet(DEFAULT_LABELS)
    assert labels.order(["zeal", "unverified", "bias", "claim", "zeal"]) == (
        "claim",
        "unverified",
        "bias",
        "zeal",
    )
    assert labels.order([]) == ()


def test_letter_is_the_key_if_a_letter_else_the_names_first() -> None:
    assert Label("misleading", "m", None, "").letter == "M"
    assert Label("misleading", "Z", None, "").letter == "Z"
    assert Label("misleading", "1", None, "").letter == "M"
    assert Label("bias", None, None, "").letter == "B"
    assert Label("ßig", None, None, "").letter == "ß"  # one cell, never "SS"
    assert Label("", None, None, "").letter == "?"


def test_a_label_set_names_each_label_once() -> None:
    with pytest.raises(ValueError):
        LabelSet((DEFAULT_LABELS[0], DEFAULT_LABELS[0]))


def test_the_config_path_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path))
    assert CONFIG_ENV == "READER_CONFIG_DIR"
    assert labels_config_path() == tmp_path / "labels.toml"
    monkeypatch.delenv(CONFIG_ENV)
    assert labels_config_path().name == "labels.toml"
    assert labels_config_path().parent.name == "news-reader"
