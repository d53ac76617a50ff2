"""Build `detectors/data/de_nouns.tsv.gz`, the German common-noun forms policyscan reads, from Wiktionary.

Source: the `german-nouns` package (PyPI, version 1.2.5, CC BY-SA 4.0; `nouns.csv`: ~100,000 nouns of
Wiktionary DE with every case and number form). Run it where that wheel is unpacked or installed:

    pip download --no-deps german-nouns==1.2.5 -d /tmp/gn && unzip -q /tmp/gn/*.whl -d /tmp/gn
    python tools/build_de_nouns.py /tmp/gn/german_nouns/nouns.csv

Kept: every capitalised one-word form of a noun that Wiktionary does not also list as a given name,
surname, place, street or proper name (those forms are dropped, whichever lemma they come from, so
"Fischer" or "Berlin" never count as common nouns). Each form is tagged `s` (it can be singular) or `p`
(it is only ever a plural form): a bare plural needs no article in German, a bare singular noun
usually does, which is what `detectors.names.german_common_noun` reads.
"""

from __future__ import annotations

import csv
import gzip
import re
import sys
from pathlib import Path

NAME_KINDS = frozenset({"Vorname", "Nachname", "Eigenname", "Toponym", "Straßenname", "Abkürzung", "Buchstabe",
                        "Symbol", "Affix", "Suffix", "Gebundenes Lexem"})
WORD = re.compile(r"[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜa-zäöüß][a-zäöüß]+)*")
OUT = Path(__file__).resolve().parent.parent / "detectors" / "data" / "de_nouns.tsv.gz"


def build(csv_path: Path) -> dict[str, str]:
    singular: set[str] = set()
    plural: set[str] = set()
    named: set[str] = set()
    with csv_path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            kinds = set(row["pos"].split(","))
            cells = [(column, value) for column, value in row.items()
                     if value and column not in ("pos",) and not column.startswith("genus")]
            for column, value in cells:
                if not WORD.fullmatch(value):
                    continue
                if kinds & NAME_KINDS:
                    named.add(value)
                elif "plural" in column:
                    plural.add(value)
                else:
                    singular.add(value)
    singular -= named
    plural -= named | singular
    return {**{form: "s" for form in singular}, **{form: "p" for form in plural}}


def main() -> None:
    forms = build(Path(sys.argv[1]))
    lines = "".join(f"{form}\t{kind}\n" for form, kind in sorted(forms.items()))
    with gzip.GzipFile(OUT, "wb", mtime=0, compresslevel=9) as out:  # byte-reproducible
        out.write(lines.encode("utf-8"))
    print(f"{len(forms)} forms -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
