"""Name gazetteers built from Faker's locale data (already a dependency), loaded once per process.

Why Faker: it is a well-kept package whose person providers hold thousands of given names and
surnames for the locales a Luxembourg estate meets (German, French, Luxembourgish, Portuguese,
Italian, Dutch, English, Polish…). They serve two purposes:

* *NER triggers*: spaCy NER runs only on windows around a known given name or an honorific, so text
  without any name candidate never pays for NER (issue 3, point 7);
* *German names*: there is no German spaCy model on PyPI, so German PERSON spans come from a rule
  (known given name + capitalised surname, or honorific + capitalised surname) over these lists.

Lists are case-folded frozensets (a few hundred KB in memory).
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache

GIVEN_NAME_LOCALES = (
    "de_DE", "de_AT", "de_CH", "de_LU", "fr_FR", "fr_BE", "fr_CH", "nl_BE", "nl_NL", "en_US", "en_GB",
    "en_IE", "pt_PT", "pt_BR", "it_IT", "es_ES", "pl_PL", "cs_CZ", "ro_RO", "hr_HR", "da_DK", "sv_SE",
    "fi_FI", "hu_HU", "sk_SK", "sl_SI", "el_GR", "tr_TR", "lt_LT", "lv_LV", "et_EE", "no_NO",
)

HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "m", "mme", "mlle", "monsieur", "madame",
    "mademoiselle", "me", "maître", "herr", "frau", "hr", "fr", "dipl", "ing",
})

# Kinship and role nouns that point at a person without naming one.
ROLE_WORDS = frozenset({
    "sohn", "tochter", "vater", "mutter", "bruder", "schwester", "mann", "ehemann", "ehefrau", "gattin", "gatte",
    "onkel", "tante", "neffe", "nichte", "eltern", "kind", "kinder", "großvater", "großmutter", "witwe",
    "son", "daughter", "father", "mother", "brother", "sister", "husband", "wife", "uncle", "aunt", "widow",
    "fils", "fille", "père", "mère", "frère", "sœur", "soeur", "mari", "épouse", "oncle", "tante", "veuve",
    "major", "general", "minister", "president", "präsident", "delegate", "consul", "konsul", "kollege",
    "kollegin", "chef", "chefin", "mitarbeiter", "mitarbeiterin", "colleague", "collègue",
})

# Nationality and group words that Faker also lists as given names ("German", "Nazi"): in text they are
# adjectives ("the German authorities"), never a name.
NATIONALITY_WORDS = frozenset({
    "german", "germans", "french", "english", "british", "american", "italian", "spanish", "polish", "czech",
    "austrian", "hungarian", "romanian", "bulgarian", "greek", "dutch", "belgian", "swiss", "russian", "danish",
    "swedish", "norwegian", "finnish", "irish", "scottish", "welsh", "portuguese", "turkish", "serbian",
    "croatian", "slovak", "slovenian", "latvian", "lithuanian", "estonian", "ukrainian", "chinese", "japanese",
    "indian", "african", "european", "arab", "arabic", "jewish", "nazi", "nazis", "aryan",
})
# Words that are also given names in Faker's lists: months, weekdays, faiths, units. One of them is a
# name only right before a known surname ("May Smith", "Christian Weber"), never alone ("1st May",
# "Christian households", "28 Mio Euro").
WORD_NAMES = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mai", "juni", "juli", "avril", "juin", "août", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "christian", "catholic", "protestant", "muslim", "orthodox", "mio", "mrd", "euro",
    "sofia", "florence", "victoria", "lorraine", "virginia", "georgia", "savannah", "paris", "india", "china",
    "star", "grace", "hope", "faith", "summer", "winter", "autumn", "spring", "rose", "iris",
})
# Titles and ranks written before a surname, in any case ("le juge Marchetti", "lieutenant Vasquez",
# "Minister Haller", "Richter Weber").
TITLES = frozenset({
    "judge", "juge", "richter", "richterin", "justice", "lord", "lady", "sergeant", "sergent", "lieutenant",
    "leutnant", "captain", "capitaine", "hauptmann", "colonel", "oberst", "general", "général", "major",
    "commandant", "kommandant", "minister", "ministre", "ministerin", "president", "président", "präsident",
    "präsidentin", "chancellor", "kanzler", "kanzlerin", "governor", "gouverneur", "mayor", "maire",
    "bürgermeister", "bürgermeisterin", "senator", "sénateur", "rabbi", "rabbin", "pastor", "pasteur",
    "pfarrer", "bishop", "évêque", "bischof", "father", "abbé", "professor", "professeur", "professorin",
    "doctor", "docteur", "doktor", "inspector", "inspecteur", "inspektor", "commissioner", "commissaire",
    "kommissar", "count", "comte", "graf", "gräfin", "baron", "baronin", "consul", "konsul", "ambassador",
    "ambassadeur", "botschafter", "maître", "avocat", "rechtsanwalt", "rechtsanwältin", "notaire", "notar",
    "informer", "agent", "innkeeper", "delegate", "délégué", "secretary", "secrétaire", "sekretär",
})
# Capitalised words after a title that name an institution or a rank, not a person ("General Government",
# "Minister President", "juge d'instruction").
INSTITUTION_WORDS = frozenset({
    "government", "gouvernement", "regierung", "council", "conseil", "rat", "court", "cour", "gericht", "assembly",
    "assemblée", "office", "bureau", "amt", "staff", "army", "armée", "armee", "navy", "police", "polizei",
    "ministry", "ministère", "ministerium", "department", "département", "state", "état", "staat", "republic",
    "république", "republik", "committee", "comité", "ausschuss", "board", "commission", "kommission",
    "secretary", "president", "président", "präsident", "general", "général", "attorney", "advocate", "chamber",
    "chambre", "kammer", "house", "parliament", "parlement", "parlament", "senate", "sénat", "senat", "party",
    "parti", "partei", "union", "church", "église", "kirche", "university", "université", "universität",
    "school", "école", "schule", "hospital", "hôpital", "krankenhaus", "bank", "banque", "company", "society",
})

# Capitalised German/French/English words that follow a given name often enough to be wrong surnames.
NOT_SURNAMES = frozenset({
    "and", "und", "et", "or", "oder", "ou", "the", "der", "die", "das", "le", "la", "les", "de", "du",
    "von", "van", "mit", "avec", "with", "from", "aus", "am", "im", "in", "an", "on", "at", "au",
    "januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
    "november", "dezember", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag",
    "sonntag", "gmbh", "sarl", "sa", "ag", "ltd", "inc", "straße", "strasse", "rue", "avenue", "weg",
    "platz", "allee", "boulevard", "street", "road", "telefon", "tel", "email", "e-mail", "mail",
    "iban", "adresse", "address", "geburtsdatum", "abteilung", "team", "kunde", "kundin", "mitarbeiter",
    "mitarbeiterin", "herr", "frau", "mr", "mrs", "ms",
})


def _address_words(locales: tuple[str, ...], attribute: str, min_len: int = 1) -> set[str]:
    """Case-folded values of one attribute of Faker's address providers over `locales`."""
    words: set[str] = set()
    for locale in locales:
        try:
            module = importlib.import_module(f"faker.providers.address.{locale}")
        except ImportError:
            continue
        words.update(w.casefold() for w in getattr(module.Provider, attribute, ()) if len(w) >= min_len)
    return words


@lru_cache(maxsize=1)
def street_suffixes() -> frozenset[str]:
    """Case-folded English street suffixes from Faker's US/UK address providers ("Alley", "Ferry", "Brooks"…)."""
    return frozenset(_address_words(("en_US", "en_GB"), "street_suffixes"))


@lru_cache(maxsize=1)
def street_words() -> frozenset[str]:
    """Street suffixes that are not surnames: "Melanie Alley" is a street, "Anna Brooks" a person."""
    return street_suffixes() - surnames()  # "Hill", "Brooks", "Park" are surnames too: keep them as names


def _provider_names(locale: str, attribute: str) -> tuple[str, ...]:
    try:
        module = importlib.import_module(f"faker.providers.person.{locale}")
    except ImportError:
        return ()
    values = getattr(module.Provider, attribute, ())
    # Some providers hold OrderedDicts of name -> weight.
    return tuple(values.keys() if hasattr(values, "keys") else values)


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Case-folded given names over GIVEN_NAME_LOCALES (each at least 3 letters: fewer collide with words)."""
    names: set[str] = set()
    for locale in GIVEN_NAME_LOCALES:
        for attr in ("first_names", "first_names_male", "first_names_female"):
            names.update(n.casefold() for n in _provider_names(locale, attr) if len(n) >= 3 and " " not in n)
    return frozenset(names - NOT_SURNAMES - NATIONALITY_WORDS)


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    names: set[str] = set()
    for locale in GIVEN_NAME_LOCALES:
        names.update(n.casefold() for n in _provider_names(locale, "last_names") if len(n) >= 2)
    return frozenset(names - NOT_SURNAMES)


def is_given_name(token: str) -> bool:
    return token[:1].isupper() and token.casefold() in given_names()


def is_word_name(token: str) -> bool:
    """A given name that is also a common word (a month, a faith, a unit): a name only before a surname."""
    return token.casefold() in WORD_NAMES


def is_title(token: str) -> bool:
    return token.rstrip(".").casefold() in TITLES


_OF_PHRASE = re.compile(r"(?<![\w-])([A-ZÀ-Þ][\w'’-]*)\s+of(?:\s+the)?\s+$")


def in_thing_name(text: str, start: int) -> bool:
    """A name right after "<Capitalised> of" names a thing ("Star of David", "Bank of England"), unless that
    word is a title, role or kinship word ("Minister of X", "Son of Y"). English only: "Charles de Gaulle",
    "Ein von Weber …" have other grammar."""
    m = _OF_PHRASE.search(text, max(0, start - 30), start)
    return m is not None and m.group(1).casefold() not in TITLES | ROLE_WORDS | HONORIFICS


def is_honorific(token: str) -> bool:
    return token.rstrip(".").casefold() in HONORIFICS and token[:1].isupper()


CITY_LOCALES = ("de_DE", "de_AT", "de_CH", "nl_BE")
# Luxembourg's cantons and largest communes (Faker has no Luxembourg address provider).
LU_PLACES = (
    "Luxembourg", "Luxemburg", "Esch-sur-Alzette", "Esch-Uelzecht", "Differdange", "Dudelange", "Ettelbruck",
    "Diekirch", "Wiltz", "Echternach", "Rumelange", "Grevenmacher", "Remich", "Vianden", "Clervaux", "Mersch",
    "Redange", "Capellen", "Bertrange", "Strassen", "Hesperange", "Sanem", "Pétange", "Mamer", "Kayl",
    "Mondorf-les-Bains", "Steinsel", "Walferdange", "Sandweiler", "Niederanven", "Contern", "Junglinster",
    "Kirchberg", "Belval", "Schifflange", "Bettembourg", "Mondercange", "Käerjeng", "Lintgen", "Lorentzweiler",
    # Greater Region: where cross-border staff live
    "Trier", "Saarbrücken", "Saarlouis", "Merzig", "Bitburg", "Perl", "Metz", "Thionville", "Nancy", "Longwy",
    "Arlon", "Bastogne", "Liège", "Köln", "München", "Frankfurt", "Hamburg", "Stuttgart", "Düsseldorf",
)


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Case-folded city names of DE/AT/CH/BE (Faker) and Luxembourg (above), for German LOCATION."""
    return frozenset({p.casefold() for p in LU_PLACES} | _address_words(CITY_LOCALES, "cities", min_len=3))


COUNTRY_LOCALES = ("de_DE", "de_AT", "fr_FR", "en_US", "en_GB", "nl_NL", "it_IT", "es_ES")
# Continents, unions and short forms Faker's country lists leave out.
WIDE_AREAS = (
    "Europa", "Europe", "Asien", "Asia", "Asie", "Afrika", "Africa", "Afrique", "Amerika", "America", "Amérique",
    "Nordamerika", "Südamerika", "North America", "South America", "Ozeanien", "Oceania", "Océanie", "Australien",
    "Antarktis", "Antarctica", "USA", "US", "U.S.", "UK", "EU", "Deutschland", "Germany", "Allemagne", "England",
    "Angleterre", "Schottland", "Scotland", "Écosse", "Wales", "Großbritannien", "Grossbritannien", "Britain",
    "Great Britain", "Vereinigte Staaten", "United States", "États-Unis", "Russland", "Russia", "Russie",
    "Sowjetunion", "Soviet Union", "Union soviétique", "Tschechien", "Holland", "Niederlande", "Nahost",
    "Naher Osten", "Middle East", "Balkan", "Skandinavien", "Scandinavia", "Westeuropa", "Osteuropa",
    "Mitteleuropa", "Südeuropa", "Nordeuropa", "Western Europe", "Eastern Europe",
)


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """Case-folded names of countries (Faker, several languages), continents and wide areas."""
    return frozenset({a.casefold() for a in WIDE_AREAS} | _address_words(COUNTRY_LOCALES, "countries"))


def is_country(words: str) -> bool:
    """True for a country, continent or wide area, also in the German genitive ("Kanadas", "Europas")."""
    key = " ".join(words.split()).casefold()
    names = country_names()
    return key in names or (key.endswith("s") and key[:-1] in names)
