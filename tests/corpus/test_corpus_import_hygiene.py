"""corpus is domain code: importing and using it must not pull in textual (or spaCy)."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
import corpus.chrome, corpus.loader, corpus.model, corpus.segment
corpus.loader.bundled_articles()
heavy = sorted(name for name in ("textual", "spacy") if name in sys.modules)
print(",".join(heavy))
"""


def test_corpus_imports_neither_textual_nor_spacy() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
