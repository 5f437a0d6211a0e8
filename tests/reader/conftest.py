"""Fixtures for the reader tests: the bundled corpus, a pre-filled entity cache, app factories.

spaCy is loaded once per session, in this process, to fill an entity cache for the bundled
articles; apps built from `make_app` read that cache and so never start the spaCy process.
Only tests marked `live_nlp` may start it (the autouse guard below fails any other that tries),
which keeps the suite fast and makes a cache miss a loud error instead of a slow test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import pytest

import reader.app
from annotations.labels import LabelSet
from annotations.store import AnnotationStore
from corpus.loader import bundled_articles
from corpus.model import Article
from reader.app import NewsReaderApp
from reader.entities import EntityCache, ModelIdentity, extract_entities, load_pipeline
from reader.entities import model_identity as installed_model


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "live_nlp: the test may start the real spaCy process (EntityProcess)"
    )


@pytest.fixture(scope="session")
def bundled() -> list[Article]:
    return bundled_articles()


@pytest.fixture(scope="session")
def identity() -> ModelIdentity:
    found = installed_model()
    assert found is not None, "the test environment must have the spaCy model installed"
    return found


@pytest.fixture(scope="session")
def nlp() -> Any:
    return load_pipeline()


@pytest.fixture(scope="session")
def entity_cache_dir(
    tmp_path_factory: pytest.TempPathFactory,
    bundled: list[Article],
    identity: ModelIdentity,
    nlp: Any,
) -> Path:
    """A cache holding real spaCy results for every bundled article (computed once)."""
    directory = tmp_path_factory.mktemp("entity-cache")
    cache = EntityCache(directory)
    for article in bundled:
        cache.put(article.sha256, identity, extract_entities(nlp, article.text))
        assert cache.get(article.sha256, identity) is not None
    return directory


@pytest.fixture(autouse=True)
def no_spacy_process_unless_marked(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    if request.node.get_closest_marker("live_nlp") is not None:
        return

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(
            "this test started the spaCy process: an article is missing from the entity cache"
        )

    monkeypatch.setattr(reader.app, "EntityProcess", refuse)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


@pytest.fixture
def store(db_path: Path) -> Iterator[AnnotationStore]:
    with AnnotationStore(db_path) as opened:
        yield opened


class AppFactory(Protocol):
    def __call__(
        self,
        articles: Sequence[Article] | None = None,
        *,
        store: AnnotationStore | None = None,
        cache: EntityCache | None = None,
        export_directory: Path | None = None,
        annotator: str = "tester",
        labels: LabelSet | None = None,
        state_path: Path | None = None,
        css_cache: Path | None = None,
    ) -> NewsReaderApp: ...


@pytest.fixture
def make_app(
    bundled: list[Article],
    store: AnnotationStore,
    entity_cache_dir: Path,
    tmp_path: Path,
) -> AppFactory:
    """A NewsReaderApp on the bundled corpus (or `articles`), a TinyDB file in tmp_path, the
    pre-filled entity cache, annotator "tester" (unless `annotator` says otherwise)."""

    def build(
        articles: Sequence[Article] | None = None,
        *,
        store: AnnotationStore | None = None,
        cache: EntityCache | None = None,
        export_directory: Path | None = None,
        annotator: str = "tester",
        labels: LabelSet | None = None,
        state_path: Path | None = None,
        css_cache: Path | None = None,
    ) -> NewsReaderApp:
        return NewsReaderApp(
            bundled if articles is None else articles,
            store if store is not None else default_store,
            annotator=annotator,
            entity_cache=cache or EntityCache(entity_cache_dir),
            export_directory=export_directory or tmp_path,
            labels=labels,
            state_path=state_path,
            css_cache=css_cache,
        )

    default_store = store
    return build


@pytest.fixture
def quiet_cache(
    tmp_path: Path, entity_cache_dir: Path, identity: ModelIdentity
) -> Callable[[Sequence[Article]], EntityCache]:
    """A cache for articles the session cache lacks (the tests' own files): no entities."""

    def build(articles: Sequence[Article]) -> EntityCache:
        cache = EntityCache(tmp_path / "entity-cache")
        shared = EntityCache(entity_cache_dir)
        for article in articles:
            found = shared.get(article.sha256, identity)
            cache.put(article.sha256, identity, found or [])
        return cache

    return build


@pytest.fixture
def snapshot_app(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[NewsReaderApp]:
    """For snapshots: a relative database path in a temporary working directory (the status
    line reads "saved to annotations.json"), exports proposed to "exports"."""
    monkeypatch.chdir(tmp_path)
    with AnnotationStore(Path("annotations.json")) as store:
        yield make_app(store=store, export_directory=Path("exports"))
