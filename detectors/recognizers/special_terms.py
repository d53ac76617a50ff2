"""EN/FR/DE terms for GDPR Art. 9 special categories and Art. 10 criminal data (regex fragments).

`strong` terms name the sensitive fact itself ("sick leave", "casier judiciaire", "Kirchensteuer") and
are reported alone; `weak` terms (adjectives such as "catholic", names of unions) are reported only with
a `context` word nearby. Matching is case-insensitive and whole-word. Terms are the same for every
language: mixed-language documents are common in Luxembourg.
"""

from __future__ import annotations

SPECIAL_TERMS: dict[str, dict[str, tuple[str, ...]]] = {
    "HEALTH": {
        "strong": (
            r"sick[ -]leave", r"sick[ -]note", r"diagnos(?:is|ed|es)", r"medical certificate", r"chemotherapy",
            r"diabet(?:es|ic)", r"cancer", r"hiv", r"epilepsy", r"asthma", r"disabilit(?:y|ies)", r"medication",
            r"prescription", r"hospitali[sz](?:ed|ation)", r"psychiatric", r"pregnan(?:t|cy)", r"burn-?out",
            r"arrêt (?:de )?maladie", r"arrêt de travail", r"certificat médical", r"diagnostic", r"maladie",
            r"handicap(?:é|ée)?", r"invalidité", r"ordonnance médicale", r"médicaments?", r"hospitalis(?:é|ée|ation)",
            r"grossesse", r"diabète", r"dépression", r"épilepsie", r"asthme", r"chimiothérapie",
            r"krankmeldung", r"krankschreibung", r"arbeitsunfähig(?:keit|keitsbescheinigung)?", r"krankenstand",
            r"diagnose", r"ärztliches attest", r"medikament(?:e|en)?", r"behinderung", r"schwerbehindert\w*",
            r"schwangerschaft", r"krankenhausaufenthalt", r"krebs(?:erkrankung)?", r"depression(?:en)?",
            r"epilepsie", r"chemotherapie", r"krankheit",
        ),
        "weak": (r"doctor", r"therapy", r"treatment", r"médecin", r"traitement", r"thérapie", r"arzt", r"therapie",
                 r"behandlung"),
        "context": ("patient", "medical", "médical", "médicale", "medizinisch", "health", "santé", "gesundheit",
                    "employee", "salarié", "mitarbeiter", "absence", "abwesenheit", "leave", "congé"),
    },
    "GENETIC": {
        "strong": (r"genetic tests?", r"dna (?:test|sample|analysis)", r"genome sequencing", r"genetic data",
                   r"test génétique", r"analyse adn", r"données génétiques", r"gentest", r"dna-analyse",
                   r"genetische daten", r"erbgut"),
        "weak": (r"genetic", r"génétique", r"genetisch\w*", r"dna", r"adn"),
        "context": ("test", "sample", "échantillon", "probe", "patient", "result", "résultat", "ergebnis"),
    },
    "BIOMETRIC": {
        "strong": (r"facial recognition", r"face template", r"iris scan", r"retina scan", r"biometric data",
                   r"reconnaissance faciale", r"données biométriques", r"empreintes? digitales?",
                   r"gesichtserkennung", r"fingerabdr(?:uck|ücke)", r"biometrische daten"),
        "weak": (r"fingerprints?", r"biometrics?", r"biométrique", r"biometrisch\w*"),
        "context": ("scan", "scanner", "reader", "badge", "access", "accès", "zugang", "employee", "template",
                    "enrol", "enroll", "capteur", "sensor"),
    },
    "RELIGION": {
        "strong": (r"religious (?:belief|affiliation|denomination)s?", r"appartenance religieuse",
                   r"kirchensteuer", r"religionszugehörigkeit", r"konfession(?:szugehörigkeit)?"),
        "weak": (r"catholic", r"protestant", r"muslim", r"jewish", r"buddhist", r"hindu", r"atheist",
                 r"catholique", r"protestante?", r"musulmane?", r"juif|juive", r"katholisch\w*",
                 r"evangelisch\w*", r"muslimisch\w*", r"jüdisch\w*", r"religion", r"confession"),
        "context": ("religion", "religious", "faith", "belief", "confession", "croyance", "culte", "glaube",
                    "kirche", "church", "église", "konfession", "member", "membre", "mitglied"),
    },
    "POLITICAL_OPINION": {
        "strong": (r"political (?:opinions?|views|affiliation)", r"party membership", r"member of the \w+ party",
                   r"opinions? politiques?", r"membre du parti", r"affiliation politique",
                   r"parteimitglied(?:schaft)?", r"politische (?:meinung|einstellung|überzeugung)"),
        "weak": (r"parti politique", r"political party", r"partei"),
        "context": ("member", "membre", "mitglied", "vote", "voted", "élection", "wahl", "opinion", "meinung"),
    },
    "SEXUAL_ORIENTATION": {
        "strong": (r"sexual orientation", r"orientation sexuelle", r"sexuelle orientierung"),
        "weak": (r"gay", r"lesbian", r"bisexual", r"homosexual", r"heterosexual", r"lgbt\w*",
                 r"homosexuel(?:le)?", r"lesbienne", r"bisexuel(?:le)?", r"schwul\w*", r"lesbisch\w*",
                 r"bisexuell\w*", r"homosexuell\w*"),
        "context": ("orientation", "sexual", "sexuelle", "sexuell", "partner", "partenaire", "identity",
                    "identité", "identität"),
    },
    "ETHNIC_ORIGIN": {
        "strong": (r"ethnic (?:origin|background)", r"racial origin", r"ethnicity", r"origine ethnique",
                   r"origine raciale", r"ethnische herkunft", r"ethnische zugehörigkeit"),
        "weak": (r"ethnie", r"ethnic", r"ethnique", r"ethnisch\w*"),
        "context": ("origin", "origine", "herkunft", "background", "group", "groupe", "gruppe"),
    },
    "TRADE_UNION": {
        "strong": (r"(?:trade )?union membership", r"trade union member", r"union dues", r"syndiqu(?:é|ée)s?",
                   r"adhésion syndicale", r"cotisations? syndicales?", r"membre du syndicat",
                   r"gewerkschaftsmitglied(?:schaft)?", r"gewerkschaftsbeitr(?:ag|äge)"),
        "weak": (r"ogbl", r"lcgb", r"syndicat", r"gewerkschaft", r"trade union", r"cgfp"),
        "context": ("member", "membre", "mitglied", "cotisation", "beitrag", "dues", "adhésion", "affiliation"),
    },
    "CRIMINAL_RECORD": {
        "strong": (r"criminal (?:record|conviction)s?", r"convicted of", r"casier judiciaire",
                   r"condamnations? pénales?", r"extrait du casier", r"vorstrafen?", r"führungszeugnis",
                   r"strafregister(?:auszug)?", r"vorbestraft"),
        "weak": (r"conviction", r"condamnation", r"verurteilung(?:en)?", r"offence", r"délit", r"straftat"),
        "context": ("criminal", "pénal", "pénale", "court", "tribunal", "gericht", "prison", "gefängnis",
                    "sentence", "peine", "strafe"),
    },
}
