"""Text from files and users, made safe to put on a terminal: `display_text`.

Control characters would move the cursor, clear the screen or recolour the terminal; each is
shown as one visible character instead (a "control picture"), so the text keeps its length and
every offset into it still points at the same character. Newlines carry the structure and stay.
No rich or textual import: the command line uses this for its messages too.
"""

from __future__ import annotations

import re

_CONTROL_PICTURES = {code: 0x2400 + code for code in range(0x20) if code != 0x0A}
_CONTROL_PICTURES[0x7F] = 0x2421
_CONTROL_PICTURES.update({code: 0xFFFD for code in range(0x80, 0xA0)})
_CONTROL_PICTURES[0x09] = 0x20  # a tab reads as a space; one cell keeps wrapping simple
_CONTROL = re.compile("[" + "".join(map(chr, _CONTROL_PICTURES)) + "]")


def display_text(text: str) -> str:
    """The text as it is drawn: one character for each character of the original."""
    # str.translate with a dict walks every character in Python-level lookups; most articles
    # have no control characters at all, and one regex scan says so.
    if _CONTROL.search(text) is None:
        return text
    return text.translate(_CONTROL_PICTURES)
