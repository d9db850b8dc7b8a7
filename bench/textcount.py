"""X's weighted length of a 2,000-character post, as the composer counts on every keystroke,
against one compiled-regex pass over the same text. Budget: median < 0.5 ms (it was a test that
asserted on time; a measurement belongs here)."""

from __future__ import annotations

import re

from app.networks.textcount import x_weighted_length
from bench.measure import Result, median, percentile, timings

PARAGRAPH = (
    "Vandaag vierden we op De Regenboog de Koningsspelen. Om 8.30 uur begon het ontbijt op "
    "het plein, daarna deden alle groepen mee. Groep 7 won de estafette! 🏃\u200d♀️🏆 "
)


def post() -> str:
    text = PARAGRAPH * 8 + "Foto’s: scoh.nl/nieuws 😀 en https://www.scoh.nl/agenda?jaar=2026 👍🏽 "
    return (text + PARAGRAPH * 8)[:2000]


# Texts a backtracking pattern would take hours over (tests/app/test_textcount.py counts them).
PATHOLOGICAL = {
    "Chinese prose with one dot": "中" * 50_000 + "." + "中" * 50_000,
    "a long dotted chain": "a." * 50_000,
    "labels with underscores": "a_b." * 25_000,
    "a URL path of parentheses": "http://a.com/" + "(a)" * 33_000,
    "a long query": "http://a.com/?" + "!" * 100_000,
    "family emoji": "👨\u200d👩\u200d👧\u200d👦" * 9_000,
    "keycap starts": "1\ufe0f" * 50_000,
    "lone surrogates": "\ud800" * 50_000 + "\udc00" * 50_000,
    "mentions": "@a@b.c" * 17_000,
}


def run(repeat: int = 400) -> list[Result]:
    text = post()
    x_weighted_length(text)  # builds the patterns once, as at start-up
    samples = timings(lambda: x_weighted_length(text), repeat)
    baseline_pattern = re.compile(r"\b\w+\b")
    baseline = timings(lambda: baseline_pattern.findall(text), repeat)
    return [
        Result(
            "X weighted length, 2,000 characters",
            median(samples),
            "one compiled-regex pass",
            median(baseline),
            note=f"p99 {percentile(samples, 0.99) * 1000:.3f} ms (budget: median < 0.5 ms)",
        ),
        *_pathological(),
    ]


def _pathological() -> list[Result]:
    """Each hard paste, all counts, against the same counts of plain prose of its length (these
    were tests asserting under 2 s). A paste of nothing but dots or parentheses makes every
    character a candidate, so it costs some twenty times prose; a pattern that backtracks would
    cost thousands of times more (budget: ratio ≤ 30 each)."""
    from app.networks.textcount import graphemes, linkedin_length, mastodon_length, url_spans

    counts = (x_weighted_length, url_spans, mastodon_length, graphemes, linkedin_length)
    results = []
    for name, text in PATHOLOGICAL.items():
        plain = (PARAGRAPH * (len(text) // len(PARAGRAPH) + 1))[: len(text)]
        hard = timings(lambda text=text: [count(text) for count in counts], 3)
        easy = timings(lambda plain=plain: [count(plain) for count in counts], 3)
        results.append(
            Result(f"all counts, {name}", median(hard), "prose", median(easy), note="budget ≤ 30")
        )
    return results
