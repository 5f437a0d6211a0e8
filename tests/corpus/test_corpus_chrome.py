"""Site chrome: manifest rules on the bundled articles, rule errors, and the guessing heuristic."""

from __future__ import annotations

import pytest

from corpus.chrome import ChromeRule, ChromeRuleError, guess_chrome, resolve_rules
from corpus.loader import bundled_articles
from corpus.model import Article


def article(article_id: str) -> Article:
    return next(a for a in bundled_articles() if a.id == article_id)


def span_of(a: Article, snippet: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = a.text.index(snippet, start + 1)
    return start, start + len(snippet)


def assert_chrome(a: Article, snippet: str, occurrence: int = 0) -> None:
    assert a.is_chrome(*span_of(a, snippet, occurrence)), f"{a.id}: {snippet!r} should be chrome"


def assert_not_chrome(a: Article, snippet: str, occurrence: int = 0) -> None:
    start, end = span_of(a, snippet, occurrence)
    assert not any(s < end and start < e for s, e in a.chrome), f"{a.id}: {snippet!r} hidden"


# -- the bundled articles -----------------------------------------------------------------------

CHROME = {
    "rogin-putin-helping-hamas-hurt-west": [
        "Saved Web Pages",
        "Follow\u00a0this authorJosh Rogin‘s opinions",
        "Spread the News",
    ],
    "worldcrunch-russia-hamas-alliance-undermining": [
        "When the world gets closer.",
        "Already a subscriber? Log in .",
        "You've reached your limit of one free article.",
        "$19.90 per year, save $14.90 compared to monthly billing.save $14.90.",
        "Subscribe to Worldcrunch\nFOCUS: Israel-Palestine War",
        "Photo of a Hamas member next to a Russian-made rifle",
        "Photo of Hamas leader Ismail Haniyeh\n\nHamas leader Ismail Haniyeh\n\nWikimedia Commons",
        "Moscow may find it beneficial for the Middle East conflict to persist.",
        "Mikhail Japaridze/TASS/ZUMA",
        "You've reached your limit of free articles.",
        "What Are Iran's Real Intentions? Watch What The Houthis Do Next",
        "Pierre Haski",
        "It’s a parallel war that has so far claimed fewer victims",
        "Keep reading...Show less\n\nThe latest",
    ],
    "russia-hamas-alliance-of-convenience": [
        "Check Also",
        "Russian Offensive Campaign Assessment, November 18, 2024",
        "deter the United …",
    ],
    "kuzio-iran-war-russia-backing": [
        "search",
        "Major General Mohammad Bagheri, Chief of the General Staff",
        "About the Author",
        "Related Topics\nRelated Posts",
    ],
}

BODY = {
    "telegraph-putin-axis-of-terror": [
        "Vladimir Putin sought to intervene in the Middle Eastern conflict",
        "victory” over Israel.",
        "Originally Published in The Telegraph.",
    ],
    "rogin-putin-helping-hamas-hurt-west": [
        "Opinion Putin is helping Hamas to hurt the West",
        "Russia’s true level of actual military support to Hamas is hard to pin down",
        "Putin’s strategy will have succeeded.",
    ],
    "worldcrunch-russia-hamas-alliance-undermining": [
        "Russia is largely discrediting itself as a viable leader in diplomacy",
        "Josef Rosen",
        "For many years, Hamas was a welcomed guest in Moscow.",
        "Furthermore, Russian support for Hamas is hardly limited to mere political statements. "
        "Hamas employs Russian-made weaponry",
        "Moscow may therefore find it beneficial for the Middle East conflict to persist",
        "Who can Israel trust?",
        "This situation has raised concerns about Russia's ability to play a constructive role",
        "convey a clear message to Western allies to trust Russia even less.",
    ],
    "russia-hamas-alliance-of-convenience": [
        "Hamas has asked Moscow to act as guarantor to a Gaza ceasefire.",
        "The harsh messaging from Tel Aviv is unlikely to make a difference.",
        "attract a superpower to their sides.",
    ],
    "kuzio-iran-war-russia-backing": [
        "The death of three US servicemen in Jordan",
        "Unfortunately the West has yet to reach the same conclusion.",
    ],
}


@pytest.mark.parametrize(
    ("article_id", "snippet"), [(key, s) for key, snippets in CHROME.items() for s in snippets]
)
def test_named_chrome_is_covered(article_id: str, snippet: str) -> None:
    assert_chrome(article(article_id), snippet)


@pytest.mark.parametrize(
    ("article_id", "snippet"), [(key, s) for key, snippets in BODY.items() for s in snippets]
)
def test_article_body_is_not_chrome(article_id: str, snippet: str) -> None:
    assert_not_chrome(article(article_id), snippet)


def test_headlines_are_never_chrome() -> None:
    for a in bundled_articles():
        assert_not_chrome(a, a.title)


def test_every_newsletter_plug_and_pull_quote_copy_is_chrome() -> None:
    a = article("worldcrunch-russia-hamas-alliance-undermining")
    plug = "For the latest news & views from every corner of the world"
    assert a.text.count(plug) == 2
    assert_chrome(a, plug, 0)
    assert_chrome(a, plug, 1)
    weaponry = "Hamas employs Russian-made weaponry, including Kalashnikov assault rifles"
    assert a.text.count(weaponry) == 3
    assert_chrome(a, weaponry, 0)  # caption of the lead photo
    assert_chrome(a, weaponry, 1)  # pull quote
    assert_not_chrome(a, weaponry, 2)  # the sentence in the body


def test_the_appended_houthi_article_is_inside_one_chrome_region() -> None:
    a = article("worldcrunch-russia-hamas-alliance-undermining")
    start = a.text.index("You've reached your limit of free articles.")
    assert a.chrome[-1] == (start, len(a.text.rstrip()))
    assert "Pierre Haski" in a.text[slice(*a.chrome[-1])]


def test_chrome_regions_cover_whole_paragraphs_and_whole_sentences() -> None:
    for a in bundled_articles():
        for start, end in a.paragraphs:
            inside = a.is_chrome(start, end)
            overlaps = any(s < end and start < e for s, e in a.chrome)
            assert inside == overlaps, f"{a.id}: paragraph at {start} is partly chrome"
        for start, end in a.chrome:
            assert any(p[0] == start for p in a.paragraphs)
            assert any(p[1] == end for p in a.paragraphs)
        for start, end in a.sentences:
            overlaps = any(s < end and start < e for s, e in a.chrome)
            assert a.is_chrome(start, end) == overlaps


def test_whitespace_only_lines_are_neither_paragraphs_nor_sentences() -> None:
    a = article("kuzio-iran-war-russia-backing")
    assert "\n\u00a0\n" in a.text
    for start, end in (*a.paragraphs, *a.sentences):
        assert a.text[start:end].strip()


# -- resolving rules ----------------------------------------------------------------------------

TEXT = "Subscribe now\n\nBody one.\n\nPhoto of a cat\n\nA cat.\n\nBody two.\n\nRelated\n\nLink one"


def test_rule_without_to_covers_one_paragraph() -> None:
    regions = resolve_rules(TEXT, [ChromeRule("Photo of", None)])
    assert [TEXT[s:e] for s, e in regions] == ["Photo of a cat"]


def test_rule_with_to_runs_to_the_paragraph_ending_with_it() -> None:
    regions = resolve_rules(TEXT, [ChromeRule("Photo of", "A cat.")])
    assert [TEXT[s:e] for s, e in regions] == ["Photo of a cat\n\nA cat."]


def test_rule_with_null_to_runs_to_the_end() -> None:
    regions = resolve_rules(TEXT, [ChromeRule("Related", None, to_end=True)])
    assert [TEXT[s:e] for s, e in regions] == ["Related\n\nLink one"]


def test_adjacent_regions_merge() -> None:
    regions = resolve_rules(TEXT, [ChromeRule("A cat.", None), ChromeRule("Photo of", None)])
    assert [TEXT[s:e] for s, e in regions] == ["Photo of a cat\n\nA cat."]


def test_rule_matching_nothing_is_an_error() -> None:
    with pytest.raises(ChromeRuleError, match="begins 0"):
        resolve_rules(TEXT, [ChromeRule("Advertisement", None)])


def test_rule_must_match_at_a_paragraph_start() -> None:
    with pytest.raises(ChromeRuleError):
        resolve_rules(TEXT, [ChromeRule("one.", None)])


def test_rule_matching_more_paragraphs_than_its_count_is_an_error() -> None:
    with pytest.raises(ChromeRuleError, match="begins 2"):
        resolve_rules(TEXT, [ChromeRule("Body", None)])
    assert len(resolve_rules(TEXT, [ChromeRule("Body", None, count=2)])) == 2


def test_rule_whose_end_is_missing_is_an_error() -> None:
    with pytest.raises(ChromeRuleError, match="no paragraph"):
        resolve_rules(TEXT, [ChromeRule("Photo of", "A dog.")])


# -- guessing chrome in the user's own files ----------------------------------------------------


def test_guess_finds_common_boilerplate_paragraphs() -> None:
    text = (
        "Headline\n\nAdvertisement\n\nBody sentence one.\n\nSign up\n\n"
        "Share this article\n\nBody two.\n\nRelated Posts\n\nAlready a subscriber? Log in ."
    )
    hidden = [text[s:e] for s, e in guess_chrome(text)]
    assert hidden == [
        "Advertisement",
        "Sign up\n\nShare this article",
        "Related Posts\n\nAlready a subscriber? Log in .",
    ]


@pytest.mark.parametrize(
    "paragraph",
    [
        "Millions subscribe to the service every year.",
        "Sign up was slow, officials said.",
        "Share prices fell sharply on Monday.",
        "Related reports suggested the talks had stalled.",
        "Advertisement revenue has collapsed at regional papers.",
        "Log in attempts from Russia rose tenfold.",
        "Readers who sign up for the newsletter get it daily.",
        "The photo of the meeting was released by Hamas.",
        "Search teams found the wreck. Subscribe now, the ad said.",
    ],
)
def test_guess_never_hides_a_normal_sentence(paragraph: str) -> None:
    text = f"Headline\n\n{paragraph}\n\nSubscribe"
    assert [text[s:e] for s, e in guess_chrome(text)] == ["Subscribe"]


def test_guess_hides_a_paragraph_only_if_every_line_is_boilerplate() -> None:
    text = "About the Author\nProfessor of history at Kyiv.\nRelated Posts"
    assert guess_chrome(text) == ()


def test_guess_on_bundled_articles_stays_inside_the_curated_chrome() -> None:
    for a in bundled_articles():
        for start, end in guess_chrome(a.text):
            assert a.is_chrome(start, end), f"{a.id}: guessed {a.text[start:end]!r}"


@pytest.mark.parametrize(
    ("pitch", "not_a_pitch"),
    [
        (
            "Our free Morning Briefing newsletter lands at 7am. Sign up here.",
            "Our free Morning Briefing lands at 7am. Sign up here.",
        ),
        ("GET THE NEWSLETTER! Subscribe now", "GET THE PAPER! Subscribe now"),
        # Letters that a case-blind match folds to s: the quick word test folds them too.
        (
            "The weekly NEWſLETTER, in your inbox. Sign up today.",
            "The weekly NEWſ, in your inbox. Sign up today.",
        ),
    ],
)
def test_a_newsletter_pitch_is_boilerplate(pitch: str, not_a_pitch: str) -> None:
    from corpus.chrome import is_boilerplate

    assert is_boilerplate(pitch)
    assert not is_boilerplate(not_a_pitch)


@pytest.mark.parametrize(
    "line",
    [
        "Photo of " + "a" * 150,  # the longest caption the patterns take
        "Image credit: " + "b" * 100,
        "Jane Doe-Smith/Getty Images/AFP",
        "x" * 249 + " newsletter " + "y" * 99 + ". Subscribe today!",  # the longest pitch
    ],
)
def test_the_longest_boilerplate_lines_are_still_found(line: str) -> None:
    """Lines over a length no pattern reaches are not tried (a 5 MB article's chrome in half
    the time): the cut-offs must stay above what the patterns match."""
    from corpus.chrome import is_boilerplate

    assert is_boilerplate(line), len(line)


def test_a_long_line_of_prose_is_never_boilerplate() -> None:
    from corpus.chrome import is_boilerplate

    prose = "Officials said the talks would continue. " * 12 + "Subscribe now."
    assert not is_boilerplate(prose)
