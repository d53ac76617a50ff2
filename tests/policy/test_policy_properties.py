"""Properties: manifests survive YAML whatever the quotes hold; sentence splitting loses no character."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.policy import fideslang_category_keys
from scanner.manifest import (DataSubject, DeclaredCategory, Evidence, PolicyManifest, SecurityMeasure,
                                     TransferDeclaration)
from scanner.policy.text import normalise, split_sentences

KEYS = sorted(k for k in fideslang_category_keys() if k.startswith("user"))
# quotes with YAML-hostile characters: colons, quotes, hashes, leading dashes, unicode, line breaks
text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(":#'\"-\n ’«»é"),
               max_size=60)
evidence = st.builds(Evidence, quote=text, section=st.none() | text)
category = st.builds(
    DeclaredCategory, key=st.sampled_from(KEYS), declared=st.booleans(),
    evidence=st.lists(evidence, max_size=3).map(tuple), purposes=st.lists(text, max_size=2).map(tuple),
    retention=st.none() | text, retention_days=st.none() | st.integers(0, 36500), rationale=st.none() | text,
)
manifest = st.builds(
    PolicyManifest, title=st.none() | text, language=st.sampled_from([None, "en", "fr", "de"]),
    categories=st.lists(category, max_size=4).map(tuple),
    security_measures=st.lists(st.builds(SecurityMeasure, kind=st.sampled_from(["tls", "backups"]),
                                         evidence=st.lists(evidence, max_size=2).map(tuple)), max_size=2).map(tuple),
    transfers=st.builds(TransferDeclaration, outside_eu_allowed=st.sampled_from([None, True, False]),
                        safeguards=st.lists(text, max_size=2).map(tuple), evidence=st.lists(evidence, max_size=2).map(tuple)),
    data_subjects=st.lists(text, max_size=2).map(tuple), purposes=st.lists(text, max_size=2).map(tuple),
    data_subject_evidence=st.lists(st.builds(DataSubject, kind=text, evidence=st.lists(evidence, max_size=1).map(tuple)),
                                   max_size=2).map(tuple),
    source_name=st.none() | text, generator=st.none() | text,
)


@settings(max_examples=150, deadline=None)
@given(manifest)
def test_yaml_round_trip(m: PolicyManifest) -> None:
    assert PolicyManifest.from_yaml(m.to_yaml()) == m


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab AB.!?:;,\"'()1 Sé.")), max_size=80))
def test_split_sentences_loses_nothing(raw: str) -> None:
    t = normalise(raw)
    assert " ".join(split_sentences(t)) == t
