"""`LazyPattern` answers `match` exactly as the compiled pattern does, and spaCy's French model uses it."""

from __future__ import annotations

import random
import re

from detectors import lazy_regex
from detectors.lazy_regex import LazyPattern, lazy_long_patterns, skeleton, split_alternatives

LETTERS = "a-zà-öø-ÿ\u0100-\u017f\u0400-\u04ff"


def _long_pattern() -> str:
    """A small copy of the French token_match's shape: anchored alternatives with long letter classes."""
    alternatives = [f"^{p}[-‐][{LETTERS}][-'{LETTERS}]*$" for p in ("anti", "contre", "sous", "r?é?entr", "grande?s?")]
    alternatives += [f"^[{LETTERS}]+[-‐]{c}[-‐](?:l['’])?[{LETTERS}]+$" for c in ("l[èe]s?", "sur", "près")]
    alternatives += [r"^a\[b\]c[\]x]y\|z$", "^(?:foo|bar)[0-9]{2}$"]
    return "(?iu)" + "|".join(f"(?:{a})" for a in alternatives)


def _strings(n: int = 4000) -> list[str]:
    rng = random.Random(11)
    pieces = ["anti", "Contre", "SOUS", "réentr", "entr", "grandes", "-", "‐", "'", "’", "sur", "lès", "le", "près",
              "a", "é", "Ж", "ſ", "K", "x", "1", "|", "[b]", "a[b]c]y|z", "foo", "bar", "12"]
    out = ["anti-bruit", "Sous-Marin", "réentr'ouvert", "arc-sur-l'eau", "Aix-près-Ville", "a[b]c]y|z", "foo12",
           "anti-", "antibruit", "xanti-bruit", "anti-bruit1"]
    out += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(n)]
    return out


def test_split_and_skeleton_keep_classes_escapes_and_groups_apart():
    body = r"(?:^a[|(]b$)|(?:^\|[]x]$)|(?:^(?:c|d)$)"
    assert split_alternatives(body) == [r"(?:^a[|(]b$)", r"(?:^\|[]x]$)", r"(?:^(?:c|d)$)"]
    long_class = "[" + "a-z" * 30 + "]"
    assert skeleton(f"^x{long_class}+[-‐]$") == r"^x[\s\S]+[-‐]$"


def test_lazy_match_is_the_compiled_match_and_compiles_nothing_whole():
    pattern = _long_pattern()
    compiled, lazy = re.compile(pattern), LazyPattern(pattern)
    for s in _strings():
        expected, got = compiled.match(s), lazy.match(s)
        assert (expected is None) == (got is None), s
        if expected is not None:
            assert expected.span() == got.span(), s
    assert lazy._full is None  # `match` never needed the whole pattern
    assert lazy.search("xx anti-bruit") is None and lazy.pattern == pattern  # other methods: the real pattern


def test_patterns_with_back_references_are_compiled_whole():
    pattern = r"(?i)(?:^(a)\1$)|(?:^b$)"
    lazy = LazyPattern(pattern)
    assert lazy.match("aA") and lazy.match("B") and not lazy.match("ab")


def test_only_long_patterns_are_deferred_while_open(monkeypatch):
    monkeypatch.setattr(lazy_regex, "LAZY_MIN_CHARS", 50)
    long_pattern = _long_pattern()
    with lazy_long_patterns():
        assert isinstance(re.compile(long_pattern), LazyPattern)
        assert isinstance(re.compile("a+b"), re.Pattern)
    assert isinstance(re.compile(long_pattern), re.Pattern)


def test_french_model_tokenises_as_with_the_compiled_token_match():
    from detectors.nlp import load_model

    nlp = load_model("fr")
    lazy = nlp.tokenizer.token_match.__self__
    assert isinstance(lazy, LazyPattern)
    text = ("Le porte-à-faux d'Aix-en-Provence, un anti-héros new-yorkais et l'arc-en-ciel : entr'ouvert, "
            "Saint-Étienne-du-Rouvray, prud'homme, États-Unis, pet-en-l'air, rendez-vous à Jean-Pierre.")
    ours = [t.text for t in nlp.make_doc(text)]
    nlp.tokenizer.token_match = re.compile(lazy.pattern).match
    try:
        assert [t.text for t in nlp.make_doc(text)] == ours
    finally:
        nlp.tokenizer.token_match = lazy.match
