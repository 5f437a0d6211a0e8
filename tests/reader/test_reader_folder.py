"""A folder of many articles opens at once: only the first screen's articles are read before
the first frame; the others' files and cached entities are read after it, off the UI thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from reader_helpers import SIZE, pane_footing, wait_for

from corpus.loader import ArticleShelf, load_article, shelve_paths
from corpus.model import Article
from reader.app import NewsReaderApp
from reader.entities import Entity, EntityCache, ModelIdentity


def make_folder(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    files = []
    for index in range(count):
        file = folder / f"{index:02d}.txt"
        file.write_text(f"Report {index}\n\nMoscow said on day {index} that talks went on.\n")
        files.append(file)
    return files


async def test_only_the_first_screen_is_read_before_the_first_frame(
    make_app: Callable[..., NewsReaderApp],
    tmp_path: Path,
    identity: ModelIdentity,
    monkeypatch,
) -> None:
    files = make_folder(tmp_path / "folder", 20)
    cache = EntityCache(tmp_path / "cache")
    for file in files:  # every article cached, each with its "Moscow"
        article = load_article(file)
        start = article.text.index("Moscow")
        cache.put(article.sha256, identity, [Entity(start, start + 6, "GPE")])
    shelf, problems = shelve_paths([tmp_path / "folder"], ready=3)
    assert problems == []
    read_at_first_frame: list[int] = []
    original = NewsReaderApp._read_cached_entities

    def spy(self: NewsReaderApp, *args: object) -> object:
        read_at_first_frame.append(len(self.articles.read_so_far()))
        return original(self, *args)

    monkeypatch.setattr(NewsReaderApp, "_read_cached_entities", spy)
    app = make_app(shelf, cache=cache)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "1/20" in pane_footing(app, 0)
        assert read_at_first_frame == [3]
        # After the first frame, the rest are read and their cached entities taken in.
        await wait_for(pilot, lambda: len(app.entities) == 20)
        assert len(shelf.read_so_far()) == 20
        last = shelf[19]
        assert app.entities[last.id] == [
            Entity(last.text.index("Moscow"), last.text.index("Moscow") + 6, "GPE")
        ]
        # And the index knows every article's Moscow.
        moscow = next(e for e in app.entity_index().entries if e.name == "Moscow")
        assert len(moscow.counts()) == 20


async def test_a_list_of_articles_is_a_shelf_already_read(
    make_app: Callable[..., NewsReaderApp], bundled: Sequence[Article]
) -> None:
    app = make_app()
    assert isinstance(app.articles, ArticleShelf)
    assert app.articles.read_so_far() == list(bundled)
