"""Is this capitalised German word used as a common noun? Wiktionary's noun forms plus the grammar around it.

German capitalises every noun, so our German NER model tags some common nouns as names ("die frischen
Kräuter", "des Brunnens"). Many surnames are nouns too ("Bäcker", "Sommer"), so a word list alone cannot
decide: the words before it do. A singular count noun takes an article, a possessive or an adjective
("meine Brille", "ein neuer Kollege"); a name stands bare ("Sommer unterschrieb …") or after a title or
role noun ("Hauptmann Sommer"). A form that is only ever plural is no one's name unless a title
introduces it.

The forms come from `detectors/data/de_nouns.tsv.gz` (built from Wiktionary DE by `tools/build_de_nouns.py`,
CC BY-SA 4.0); forms Wiktionary also lists as a name or place are not in it.
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from pathlib import Path

from detectors.names import HONORIFICS, ROLE_WORDS, TITLES

NOUNS_FILE = Path(__file__).resolve().parent / "data" / "de_nouns.tsv.gz"

# Words after which a noun phrase starts: articles, possessives, demonstratives, quantifiers, and the
# prepositions that carry an article ("im", "zum").
DETERMINERS = frozenset("""
der die das des dem den ein eine einer eines einem einen kein keine keiner keines keinem keinen
mein meine meiner meines meinem meinen dein deine deiner deines deinem deinen sein seine seiner seines
seinem seinen ihr ihre ihrer ihres ihrem ihren unser unsere unserer unseres unserem unseren euer eure
eurer eures eurem euren dieser diese dieses diesem diesen jener jene jenes jenem jenen jeder jede jedes
jedem jeden welcher welche welches welchem welchen mancher manche manches manchem manchen solcher solche
solches solchem solchen im am zum zur vom beim ins ans aufs
""".split())
# Words that introduce a name even though they look like an adjective ("Anna Roth, geborene Sommer").
NAME_INTRODUCERS = frozenset({"geborene", "geborener", "geb", "genannt", "alias", "verheiratete", "verwitwete"})
_ADJECTIVE = re.compile(r"[a-zäöüß][a-zäöüß-]*(?:e|en|er|es|em)")
_WORD = re.compile(r"[\w.-]+")


@lru_cache(maxsize=1)
def noun_forms() -> dict[str, bool]:
    """Form -> True when it is only ever a plural form."""
    with gzip.open(NOUNS_FILE, "rt", encoding="utf-8") as f:
        return {form: kind == "p" for form, kind in (line.rstrip("\n").split("\t") for line in f)}


def noun_kind(word: str) -> bool | None:
    """None when `word` is no known common noun; else whether it is plural-only. A compound counts by its
    last part ("Gartenzäune" by "Zäune", "Büro-Drucker" by "Drucker"): German builds nouns that way."""
    forms = noun_forms()
    head = word.rsplit("-", 1)[-1]
    if word in forms or head in forms:
        return forms.get(word, forms.get(head))
    for cut in range(4, len(head) - 4):  # parts of 4+ and 5+ letters: short tails ("-gele") match by chance
        tail = head[cut].upper() + head[cut + 1:]
        if tail in forms:
            return forms[tail]
    return None


def used_as_common_noun(text: str, start: int, end: int) -> bool:
    """`text[start:end]` is one word Wiktionary knows as a common noun, and the words before it make it one."""
    plural_only = noun_kind(text[start:end])
    if plural_only is None:
        return False
    before = _WORD.findall(text, max(0, start - 60), start)
    first = before[-1] if before else ""
    second = before[-2] if len(before) > 1 else ""
    key = first.rstrip(".").casefold()
    if key in HONORIFICS or key in TITLES or key in ROLE_WORDS or key in NAME_INTRODUCERS:
        return False  # "Dr. Wiesen", "Ingenieur Sommer"
    if plural_only:
        return True
    if key in DETERMINERS:
        return True
    return bool(_ADJECTIVE.fullmatch(first)) and second.casefold() in DETERMINERS  # "ein neuer …"
