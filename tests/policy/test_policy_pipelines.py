"""The fast loading of the parser pipelines changes how a pattern is compiled, never what it matches."""

from __future__ import annotations

import random
import re

import pytest
from faker import Faker
from policy_helpers import FIXTURES

from scanner.policy.pipelines import equivalent_patterns, factor_alternatives
from scanner.policy.practices import parser

BIG = "[" + "".join(chr(c) for c in range(0x61, 0x7B)) + "".join(chr(c) for c in range(0xE0, 0x24F)) + "]"


def toy_pattern() -> str:
    heads = ["^anti-", "^contre-", "^[ée]lectro-", "^r?é?entr['’]", "^sous-"]
    alternatives = [f"{h}{BIG}{BIG}*$" for h in heads] + [f"^{BIG}+-(?:la|en|sur)-{BIG}+$", f"^jet-set{BIG}*$"]
    return "(?iu)" + "|".join(f"(?:{a})" for a in alternatives)


@pytest.mark.parametrize("pattern, why", [
    ("(?:^a$)|(?:^b$)", "no long class: factored, and still equivalent"),
])
def test_small_alternations_stay_equivalent(pattern: str, why: str) -> None:
    factored = factor_alternatives(pattern)
    assert factored is not None, why
    for s in ("a", "b", "ab", ""):
        assert bool(re.match(pattern, s)) == bool(re.match(factored, s))


@pytest.mark.parametrize("pattern, why", [
    (f"(?:^a{BIG}$|^b{BIG}$)", "one alternative holding a top-level '|': cutting it would change its meaning"),
    (f"(?:^(a){BIG}\\1$)|(?:^b{BIG}$)", "a backreference: its group number would move"),
    (f"(?:a{BIG}$)|(?:^b{BIG}$)", "an alternative not anchored at the start"),
    (f"^a{BIG}$", "not an alternation of groups"),
])
def test_other_shapes_are_left_alone(pattern: str, why: str) -> None:
    assert factor_alternatives(pattern) is None, why


def _samples(pattern: str, rng: random.Random) -> list[str]:
    """Strings near the pattern's own prefixes (matching and not), plus French words with hyphens and elisions."""
    literals = set(re.findall(r"\^([a-zàâçéèêëîïôûù]{2,})", pattern))
    alphabet = "abcdeéèfghilmnopqrstuvxyz--'’ ÀÉ1"
    out = []
    fake = Faker(["fr_FR"])
    fake.seed_instance(7)
    for literal in sorted(literals):
        for sep in ("-", "–", "'", "’", "", " "):
            tail = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
            out += [literal + sep + tail, literal.upper() + sep + tail, literal[:-1] + sep + tail]
    out += [fake.name() for _ in range(200)] + [w for _ in range(100) for w in fake.sentence().split()]
    out += ["-".join(fake.words(3)) for _ in range(200)] + ["l'" + w for w in fake.words(100)]
    return out


def test_toy_pattern_factors_into_an_equivalent_one() -> None:
    pattern = toy_pattern()
    factored = factor_alternatives(pattern)
    assert factored is not None and factored.count(BIG) < pattern.count(BIG)
    original, fast = re.compile(pattern), re.compile(factored)
    samples = _samples(pattern, random.Random(3)) + ["anti-x", "contre-vérité", "entr'ouvert", "saut-en-ski", "jet-set"]
    assert any(original.match(s) for s in samples) and not all(original.match(s) for s in samples)
    assert [bool(original.match(s)) for s in samples] == [bool(fast.match(s)) for s in samples]


def test_compile_is_python_own_outside_the_loading() -> None:
    before = re.compile
    with equivalent_patterns():
        assert re.compile is not before
    assert re.compile is before


@pytest.fixture(scope="module")
def french():
    nlp = parser("fr")
    if nlp is None:
        pytest.fail("the French spaCy model fr_core_news_sm is a dependency and must be installed")
    return nlp


def model_token_match(package: str) -> str:
    """The token_match pattern as the model stores it (what spaCy alone would compile when loading)."""
    import importlib
    from pathlib import Path

    import srsly

    root = Path(importlib.import_module(package).__file__).parent
    data = srsly.msgpack_loads(next(root.glob(f"{package}-*/tokenizer")).read_bytes())
    return data["token_match"]


def test_french_tokenizer_uses_an_equivalent_factored_token_match(french) -> None:
    fast = french.tokenizer.token_match.__self__
    original = re.compile(model_token_match("fr_core_news_sm"))  # compiled here the slow way
    assert len(fast.pattern) * 10 < len(original.pattern), "the tokenizer should hold the factored pattern"
    text = (FIXTURES / "politique-fr.md").read_text(encoding="utf-8")
    samples = text.split() + _samples(original.pattern, random.Random(5))
    assert any(original.match(s) for s in samples)
    assert [bool(original.match(s)) for s in samples] == [bool(fast.match(s)) for s in samples]
    fast_tokens = [t.text for t in french.tokenizer(text)]
    french.tokenizer.token_match = original.match
    try:
        assert [t.text for t in french.tokenizer(text)] == fast_tokens
    finally:
        french.tokenizer.token_match = fast.match
