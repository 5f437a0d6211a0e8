"""Store benchmark: what AnnotationStore costs as the database grows, against the floors.

For each size N it writes a database of N annotations (real sentences of the bundled articles,
the three labels in turn, one in ten with a note) straight through the storage, then times what
the app does with it: open the store, add one annotation, remove one, count labels, list one
article's annotations, read all. Each operation is repeated and the median is reported.

Two baselines are measured in the same run, on the same machine and disk:
- "parse": json.loads of the same file, the floor for opening a store that is one JSON file;
- "append": appending one JSON line to a file and fsyncing it, the floor for saving one change
  durably (what a journal would cost per change).
The table gives each operation's ratio to the baseline of its kind (open to parse, add and
remove to append). No targets yet: this is where the next store's targets will be checked.

    python benchmarks/store.py [--sizes 1000,10000,100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from annotations.model import LABELS, Annotation
from annotations.storage import AtomicJSONStorage
from annotations.store import AnnotationStore
from corpus.loader import bundled_articles

TABLE = "annotations"


def make_annotations(count: int) -> list[Annotation]:
    """`count` annotations over the bundled articles' sentences, cycling through them."""
    articles = bundled_articles()
    spans = [(article, span) for article in articles for span in article.sentences]
    made = []
    for index in range(count):
        article, (start, end) = spans[index % len(spans)]
        annotation = Annotation.create(
            article=article.id,
            text=article.text,
            start=start,
            end=end,
            label=LABELS[index % len(LABELS)],
            annotator=f"annotator-{index % 4}",
            article_sha256=article.sha256,
        )
        made.append(annotation.with_note(f"note {index}") if index % 10 == 0 else annotation)
    return made


def write_database(path: Path, annotations: Sequence[Annotation]) -> None:
    table = {str(doc_id): a.to_record() for doc_id, a in enumerate(annotations, start=1)}
    AtomicJSONStorage(path).write({TABLE: table})


def timed(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of `action` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(size: int, repeat: int, directory: Path) -> dict[str, float]:
    annotations = make_annotations(size + repeat)
    stored, spare = annotations[:size], annotations[size:]
    path = directory / f"store-{size}.json"
    write_database(path, stored)
    results: dict[str, float] = {"file_mb": path.stat().st_size / 1e6}

    results["parse"] = timed(lambda: json.loads(path.read_bytes()), repeat)
    journal = directory / f"journal-{size}.jsonl"
    line = (json.dumps(spare[0].to_record(), ensure_ascii=False) + "\n").encode()

    def append() -> None:
        with open(journal, "ab") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    results["append"] = timed(append, repeat)

    def open_close() -> None:
        AnnotationStore(path).close()

    results["open"] = timed(open_close, repeat)
    with AnnotationStore(path) as store:
        pending = iter(spare)
        added: list[str] = []

        def add() -> None:
            annotation = next(pending)
            store.add(annotation)
            added.append(annotation.id)

        results["add"] = timed(add, repeat)
        results["remove"] = timed(lambda: store.remove(added.pop()), repeat)
        results["label_counts"] = timed(store.label_counts, repeat)
        article = stored[0].article
        results["for_article"] = timed(lambda: store.for_article(article), repeat)
        results["all"] = timed(store.all, repeat)
    return results


ROWS = [
    ("open the store", "open", "parse"),
    ("add one annotation (saved)", "add", "append"),
    ("remove one annotation (saved)", "remove", "append"),
    ("label counts", "label_counts", None),
    ("one article's annotations", "for_article", None),
    ("all annotations", "all", None),
]


def table(by_size: dict[int, dict[str, float]]) -> str:
    sizes = sorted(by_size)
    header = ["operation", *(f"{size:,}" for size in sizes)]
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * len(sizes) + "|"]
    lines.append(
        "| database file | " + " | ".join(f"{by_size[s]['file_mb']:.1f} MB" for s in sizes) + " |"
    )
    for label, key, baseline in ROWS:
        cells = []
        for size in sizes:
            value = by_size[size][key]
            cell = f"{value:,.2f} ms"
            if baseline:
                cell += f" ({value / by_size[size][baseline]:,.0f}× {baseline})"
            cells.append(cell)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    for name, what in [("parse", "json.loads of the file"), ("append", "append + fsync a line")]:
        cells = [f"{by_size[size][name]:,.2f} ms" for size in sizes]
        lines.append(f"| baseline: {what} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated store sizes")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each operation")
    options = parser.parse_args(argv)
    sizes = [int(size) for size in options.sizes.split(",") if size.strip()]
    if not sizes or min(sizes) < 1 or options.repeat < 1:
        parser.error("sizes and --repeat must be positive")
    by_size: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="reader-store-bench-") as name:
        for size in sizes:
            print(f"measuring {size:,} annotations…", file=sys.stderr, flush=True)
            by_size[size] = measure(size, options.repeat, Path(name))
    print(table(by_size))
    print(f"\nMedians of {options.repeat} runs each; Python {sys.version.split()[0]}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
