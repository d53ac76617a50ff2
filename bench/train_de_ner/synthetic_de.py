"""German training sentences for the contexts a company estate holds, labelled PER/LOC/ORG, from seeded Faker.

Why: the only German labelled text we may train on (EHRI-NER `train`) is 1930s–40s archive prose. An estate
holds HR letters, e-mails, contracts, address blocks and news clippings; these templates put Faker names and
places (de_DE/de_AT/de_CH/de_LU plus the neighbours whose names appear in German text) into those frames,
with surnames alone, names in lists and in dialogue, and sentences without any entity (German capitalises
every noun, so most capitalised words are not names).

Nothing here is taken from the devset: frames and words are written for this file.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from faker import Faker

NAME_LOCALES = ("de_DE", "de_DE", "de_AT", "de_CH", "de_LU", "fr_FR", "it_IT", "pl_PL", "cs_CZ", "nl_NL",
                "en_GB", "hu_HU", "fr_BE", "tr_TR", "es_ES", "sv_SE", "en_US", "pt_BR", "pt_PT", "ro_RO", "hr_HR",
                "fi_FI", "da_DK", "es_MX", "en_IE", "sk_SK")
CITY_LOCALES = ("de_DE", "de_DE", "de_AT", "de_CH", "fr_FR", "it_IT", "pl_PL", "cs_CZ", "nl_NL", "hu_HU", "fi_FI",
                "sv_SE", "da_DK", "es_ES", "pt_PT", "ro_RO", "hr_HR")
ROLES = ("Bürgermeister", "Abgeordnete", "Ministerin", "Trainer", "Sprecher", "Vorsitzende", "Autor",
         "Regisseur", "Kanzler", "Präsident", "Geschäftsführer", "Komponist", "Schauspielerin", "Bischof",
         "Staatssekretär", "Kapitän", "Richterin", "Anwalt", "Professor", "Sängerin")
COMPANY_SUFFIXES = ("GmbH", "AG", "KG", "S.à r.l.", "SE", "GmbH & Co. KG", "e.V.", "Stiftung")
NOUNS = ("Bericht", "Vertrag", "Sitzung", "Antrag", "Rechnung", "Projekt", "Abteilung", "Gesetz", "Haushalt",
         "Mannschaft", "Ausstellung", "Konzert", "Verwaltung", "Gemeinde", "Regierung", "Wahl", "Saison",
         "Kirche", "Schule", "Universität", "Firma", "Kunden", "Mitarbeiter", "Unterlagen", "Termin")

def _lorem_nouns() -> tuple[str, ...]:
    """Capitalised words of Faker's German word list: common nouns, the main source of false names."""
    from faker.providers.lorem.de_DE import Provider

    return tuple(w for w in Provider.word_list if w[:1].isupper())


NOUNS = NOUNS + _lorem_nouns()


def _lexicon_nouns(plural_only: bool, n: int, seed: int) -> tuple[str, ...]:
    """A seeded sample of the Wiktionary noun forms policyscan ships (detectors/data/de_nouns.tsv.gz): the
    model must see thousands of capitalised common nouns as no name, not only Faker's few hundred."""
    from detectors.german_nouns import noun_forms

    forms = sorted(f for f, p in noun_forms().items() if p is plural_only and "-" not in f)
    return tuple(random.Random(seed).sample(forms, n))


LEXICON_NOUNS = _lexicon_nouns(plural_only=False, n=6000, seed=5)
PLURAL_NOUNS = _lexicon_nouns(plural_only=True, n=3000, seed=6)
# Organisation name shapes beyond "<surname> GmbH": brands, clubs, banks, English names, acronyms.
ORG_WORDS = ("Systems", "Group", "Holding", "Bank", "Werke", "Verlag", "Solutions", "Media", "Energie", "Logistik",
             "Capital", "Technologies", "Versicherung", "Motors", "Airlines", "Records", "Partners", "Labs")
ORG_PREFIXES = ("FC", "SV", "TSV", "VfB", "SC", "1. FC", "Eintracht", "Borussia", "Union", "Fortuna")
SYLLABLES = ("ka", "lo", "mi", "tre", "vo", "zen", "ra", "tel", "nor", "sa", "ex", "on", "vi", "da", "mar", "ko",
             "li", "ber", "an", "tu", "ros", "el", "quin", "ta", "fer", "go", "lu", "pra", "xa", "dor")
ENGLISH_TITLE_WORDS = ("The", "Last", "Night", "Dream", "Ocean", "Secret", "Journal", "Review", "Digital", "World",
                       "Heart", "Silent", "Games", "Science", "Tales", "Future", "Island", "Letters", "Star", "Road")

# Each frame: slots {P} full name, {S} surname alone, {F} given name, {L} city, {C} country,
# {O} organisation, {R} role, {N} noun, {Y} year, {D} day number, {Z} postcode, {A} street + number.
FRAMES = (
    # HR letters and e-mails
    "Sehr geehrte Frau {S} ,\nhiermit bestätigen wir , dass Sie seit dem {D}. März {Y} bei der {O} beschäftigt sind .",
    "Sehr geehrter Herr {S} , vielen Dank für Ihre Bewerbung vom {D}. Mai .",
    "Hallo {F} , kannst du mir die {N} bis Freitag schicken ? Gruß , {F}",
    "Liebe {F} , lieber {F} , anbei das Protokoll der letzten Sitzung .",
    "Mit freundlichen Grüßen\n{P}\nPersonalabteilung , {O}",
    "Viele Grüße aus {L}\n{P}",
    "{P} , wohnhaft in {L} , wird ab dem {D}. Juli {Y} als Sachbearbeiter eingestellt .",
    "Frau {P} ist am {D}.{D}.{Y} von {L} nach {L} umgezogen .",
    "Herr {S} war vom {D}. Januar bis {D}. Februar krankgeschrieben .",
    "Die Kündigung von Frau {S} wurde am {D}. Oktober zugestellt .",
    "Bitte leiten Sie die {N} an {P} ( Buchhaltung ) weiter .",
    "Von : {P}\nAn : {P}\nBetreff : {N} {Y}",
    "{F} {S} hat sich für die Stelle in {L} beworben .",
    "Wie besprochen übernimmt {P} ab Montag die Vertretung von {P} .",
    "Teilnehmer : {P} , {P} , {P} und {P}",
    "Das Gespräch mit {S} findet am Dienstag in {L} statt .",
    "„ Wir sind zufrieden “ , sagte {S} nach dem Termin .",
    # contracts and address blocks
    "Zwischen der {O} , vertreten durch {P} , und Herrn {P} , geboren am {D}.{D}.{Y} in {L} , wird folgender Vertrag geschlossen .",
    "Der Mieter {P} , {A} , {Z} {L} , verpflichtet sich zur Zahlung der Miete .",
    "{P}\n{A}\n{Z} {L}",
    "Frau\n{P}\n{A}\n{Z} {L}\n{C}",
    "Arbeitgeber : {O} , {A} , {Z} {L}",
    "{P} , geboren in {L} , Staatsangehörigkeit : {C}",
    "Die Vollmacht für {P} gilt bis zum {D}. Dezember {Y} .",
    # news and encyclopaedia style
    "{P} wurde {Y} in {L} geboren .",
    "{S} wuchs in {L} auf und studierte später in {L} .",
    "Ein von {S} unterzeichnetes Gesetz tritt im {N} in Kraft .",
    "Der {R} {P} traf sich am Montag in {L} mit {P} .",
    "Die {R} {P} ( {O} ) kritisierte den {N} scharf .",
    "Nach Angaben von {S} soll die {N} in {L} im Herbst beginnen .",
    "{S} wechselte {Y} von {O} zu {O} .",
    "In {L} besuchte {P} die {N} der {O} .",
    "{P} ( * {Y} in {L} ) ist {R} in {C} .",
    "Die Reise führte {S} über {L} nach {C} .",
    "Er heiratete {Y} {P} , die Tochter eines Kaufmanns aus {L} .",
    "Der Film von {P} wurde in {L} und {C} gedreht .",
    "{S} und {S} gewannen das Spiel gegen {O} mit 2:1 .",
    "Laut {S} habe die {O} keine Kenntnis von dem {N} gehabt .",
    "Bei der Wahl in {C} setzte sich {S} knapp gegen {S} durch .",
    "{P} starb am {D}. August {Y} in {L} .",
    "Der Künstler lebt und arbeitet in {L} .",
    "Das Werk von {S} wurde in {L} uraufgeführt .",
    "Sie zog mit ihrem Mann {F} nach {L} .",
    "Die Familie {S} stammt aus {L} in {C} .",
    # surnames alone, as news and reports write them
    "{S} sagte , man werde die {N} genau prüfen .",
    "„ Das war ein guter Tag “ , sagte {S} .",
    "Wie {S} mitteilte , wurde die {N} verschoben .",
    "{S} erklärte am Abend , er sehe keinen Grund zur Sorge .",
    "Nach dem Spiel lobte {S} die {N} .",
    "In der {Y} . Minute traf {S} zum 1:0 .",
    "Die {N} von {S} endete {Y} .",
    "{S}s {N} wurde im Stadttheater von {L} gezeigt .",
    "Gegen {S} wird wegen Betrugs ermittelt .",
    "Bereits {Y} hatte {S} die {N} in {L} gegründet .",
    "{S} , {S} und {S} stehen im Kader .",
    "Der Vorschlag von {S} fand bei {S} keine Mehrheit .",
    "Neben {S} spielt auch {P} in der {N} mit .",
    "Bei {O} ist {S} für die {N} zuständig .",
    "{R} {S} verlässt {O} zum Jahresende .",
    "{P} ( {O} ) sprach von einer {N} .",
    "Mit {S} verliert die {O} ihren wichtigsten Spieler .",
    "{L} liegt etwa {D} Kilometer südlich von {L} .",
    "Die Firma {O} hat ihren Sitz in {L} .",
    "Die {N} in {C} dauert an .",
    # organisations of many shapes, and the same made-up words as surnames: context decides
    "{B} meldete für das Jahr {Y} einen Gewinn von {D} Millionen Euro .",
    "Die Aktien von {B} und {B} legten am Montag zu .",
    "Der Vorstand von {B} hat den Vertrag mit {B} gekündigt .",
    "Er arbeitete zuletzt bei {B} in {L} .",
    "Im Finale trifft {B} auf {B} .",
    "Ab {Q} bietet {B} auch {Q} an .",
    "Der Auftrag ging an {B} , nicht an {B} .",
    "Wie {B} mitteilte , wird das Werk in {L} geschlossen .",
    "Die Serie „ {W} “ lief {Y} im Fernsehen .",
    "Das Album {W} erschien {Y} bei {B} .",
    "Auf dem Programm standen {W} und {W} .",
    "Die Radtour führt über {L} , {L} , {L} und {L} .",
    "Ein Bus verkehrt stündlich zwischen {L} und {L} .",
    "Die Buslinie hält in {L} und {L} .",
    # no entity: capitalised nouns that are not names
    "{Q} und {Q} werden im Lager aufbewahrt .",
    "{N} ist in diesem Fall nicht vorgesehen .",
    "Schon die {N} kostete {D} Euro .",
    "Grundsätzlich gilt : {Q} müssen gemeldet werden .",
    "Einige {Q} wurden durch {Q} ersetzt .",
    "Hinter der {N} stehen zwei {Q} .",
    "Seit {Y} dienen {Q} als {N} .",
    "Der Händler verkauft gebrauchte {Q} .",
    "Er vergaß seine {N} in der {N} .",
    "Die {N} wurde am Donnerstag ohne Änderungen beschlossen .",
    "Im Mittelpunkt der {N} stand die Frage der Finanzierung .",
    "Der {R} sagte , die {N} sei noch nicht abgeschlossen .",
    "Bitte bringen Sie Ihre {N} und einen gültigen Ausweis mit .",
    "Die Kosten für die {N} belaufen sich auf rund {D} Millionen Euro .",
    "Nach dem Krieg wurde das Gebäude als {N} genutzt .",
    "Unsere {N} ist von Montag bis Freitag erreichbar .",
    "{N} und {N} gehören zusammen .",
    "Die {N} der {N} hat sich im Jahr {Y} deutlich verändert .",
    "{N} , {N} und {N} wurden gestern geliefert .",
    "Zur {N} gehört auch eine kleine {N} .",
    "Ohne {N} gibt es keine {N} .",
)


@dataclass(frozen=True)
class Example:
    text: str
    entities: tuple[tuple[int, int, str], ...]  # (start, end, PER|LOC|ORG)


class _Values:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fakers = {loc: Faker(loc) for loc in set(NAME_LOCALES + CITY_LOCALES)}
        for i, f in enumerate(self.fakers.values()):
            f.seed_instance(seed + i)
        self.de = self.fakers["de_DE"]

    def fake(self, locales: tuple[str, ...]) -> Faker:
        return self.fakers[self.rng.choice(locales)]

    def slot(self, key: str) -> tuple[str, str | None]:
        r = self.rng
        if key == "P":
            f = self.fake(NAME_LOCALES)
            name = f"{f.first_name()} {f.last_name()}"
            if r.random() < 0.1:
                name = f"{f.first_name()} {f.first_name()} {f.last_name()}"
            return name, "PER"
        if key == "S":
            return (self.made_up_word() if r.random() < 0.2 else self.fake(NAME_LOCALES).last_name()), "PER"
        if key == "F":
            return self.fake(NAME_LOCALES).first_name(), "PER"
        if key == "L":
            return (self.made_up_word() if r.random() < 0.15 else self.fake(CITY_LOCALES).city()), "LOC"
        if key == "C":
            return self.de.country(), "LOC"
        if key == "O":
            company = self.de.last_name() + " " + r.choice(COMPANY_SUFFIXES)
            return company, "ORG"
        if key == "R":
            return r.choice(ROLES), None
        if key == "N":
            return r.choice(NOUNS if r.random() < 0.4 else LEXICON_NOUNS), None
        if key == "Q":
            return r.choice(PLURAL_NOUNS), None
        if key == "B":
            return self.organisation(), "ORG"
        if key == "W":
            return " ".join(r.sample(ENGLISH_TITLE_WORDS, r.randint(2, 4))), None
        if key == "Y":
            return str(r.randint(1890, 2025)), None
        if key == "D":
            return str(r.randint(1, 28)), None
        if key == "Z":
            return self.de.postcode(), None
        if key == "A":
            return self.de.street_address(), None
        raise KeyError(key)


    def made_up_word(self) -> str:
        """A capitalised word no list knows (a foreign surname, a brand)."""
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3))).capitalize()

    def organisation(self) -> str:
        r = self.rng
        shape = r.randrange(5)
        if shape == 0:
            return self.made_up_word()
        if shape == 1:
            return f"{self.made_up_word()} {r.choice(ORG_WORDS)}"
        if shape == 2:
            return f"{r.choice(ORG_PREFIXES)} {self.fake(CITY_LOCALES).city()}"
        if shape == 3:
            return "".join(r.choice("ABCDEFGHKLMNPRSTUVW") for _ in range(r.randint(2, 4)))
        return f"{self.made_up_word()} {self.made_up_word()}"


def german_examples(n: int, seed: int = 13) -> list[Example]:
    """`n` labelled German sentences; about half keep the space-separated punctuation of token corpora."""
    values = _Values(seed)
    out: list[Example] = []
    for _ in range(n):
        frame = values.rng.choice(FRAMES)
        text, ents, pos = [], [], 0
        i = 0
        while i < len(frame):
            if frame[i] == "{":
                key = frame[i + 1]
                value, label = values.slot(key)
                if label:
                    ents.append((pos, pos + len(value), label))
                text.append(value)
                pos += len(value)
                i += 3
            else:
                text.append(frame[i])
                pos += 1
                i += 1
        sentence = "".join(text)
        if values.rng.random() < 0.5:
            sentence, ents = _glue_punctuation(sentence, ents)
        out.append(Example(sentence, tuple(ents)))
    return out


def _glue_punctuation(text: str, ents: list[tuple[int, int, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    """Running-text form: drop the space before , . ? : ) and after ( „ keeping entity offsets right."""
    keep = [True] * len(text)
    for i, ch in enumerate(text):
        if ch == " " and i + 1 < len(text) and text[i + 1] in ",.?:)“":
            keep[i] = False
        if ch == " " and i > 0 and text[i - 1] in "(„":
            keep[i] = False
    new_index, j = [], 0
    for k in keep:
        new_index.append(j)
        j += k
    new_index.append(j)
    glued = "".join(ch for ch, k in zip(text, keep) if k)
    return glued, [(new_index[s], new_index[e], label) for s, e, label in ents]
