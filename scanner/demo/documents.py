"""The prose of the demo estate, in English, French and German: CVs, HR notes, invoices, letters.

Each builder returns `(title, paragraphs, heading_indexes)` or plain text, from synthetic people only.
The sensitive wording is deliberate and documented in README.md: sick-leave notes carry diagnoses
(GDPR Art. 9 health data), one appraisal note mentions trade-union membership and religion, and one
screening note mentions a criminal record (Art. 10).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from scanner.demo.people import Customer, Employee, Person
from scanner.demo.world import COMPANY, COMPANY_ADDRESS, COMPANY_IBAN, COMPANY_VAT, Order

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
Document = tuple[str, list[str], tuple[int, ...]]

JOBS = {
    "en": ("System engineer", "Network administrator", "Cloud consultant", "IT support technician"),
    "fr": ("Ingénieur système", "Administrateur réseau", "Consultant cloud", "Technicien support"),
    "de": ("Systemingenieur", "Netzwerkadministrator", "Cloud-Berater", "IT-Supporttechniker"),
}
SCHOOLS = {
    "en": ("BSc Computer Science, University of Leeds", "MSc Information Security, Royal Holloway"),
    "fr": ("Master Informatique, Université de Lorraine (Metz)", "BTS Systèmes numériques, Lycée Louis Vincent"),
    "de": ("B.Sc. Informatik, Universität Trier", "Fachinformatiker Systemintegration, IHK Saarland"),
}


def _dmy(day: date, lang: str) -> str:
    return {"en": f"{day:%d/%m/%Y}", "fr": f"{day:%d/%m/%Y}", "de": f"{day:%d.%m.%Y}"}[lang]


def _long_en(day: date) -> str:
    """`3 March 2025`, independent of the process locale (strftime's %B is not)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def cv(person: Person, employers: list[str], rng: random.Random, year: int = 2025) -> Document:
    """A one-page CV in the applicant's language, with contact details and birth date."""
    lang = person.language
    job = rng.choice(JOBS[lang])
    start = year - rng.randint(3, 12)
    labels = {
        "en": ("Curriculum Vitae", "Address", "Phone", "E-mail", "Date of birth", "Profile", "Experience",
               "Education", "Languages", f"{job} with {year - start} years of experience in Windows and Linux "
               "infrastructure, virtualisation and customer support. Looking for a position in Luxembourg.",
               "English (native), French (B2), German (A2), Luxembourgish (A1)"),
        "fr": ("Curriculum vitae", "Adresse", "Téléphone", "Courriel", "Date de naissance", "Profil",
               "Expérience professionnelle", "Formation", "Langues", f"{job}, {year - start} ans d'expérience en "
               "infrastructure Windows et Linux, virtualisation et support utilisateurs. Recherche un poste au "
               "Luxembourg, frontalier(ère) mobile.", "Français (langue maternelle), anglais (C1), allemand (B1)"),
        "de": ("Lebenslauf", "Anschrift", "Telefon", "E-Mail", "Geburtsdatum", "Profil", "Berufserfahrung",
               "Ausbildung", "Sprachen", f"{job} mit {year - start} Jahren Erfahrung in Windows- und "
               "Linux-Infrastruktur, Virtualisierung und Anwendersupport. Suche eine Stelle in Luxemburg.",
               "Deutsch (Muttersprache), Englisch (C1), Französisch (B2), Luxemburgisch (A2)"),
    }[lang]
    title, addr, phone, mail, born, profile, exp, edu, langs, summary, spoken = labels
    a = person.address
    paragraphs = [
        person.full_name,
        f"{title} - {job}",
        f"{addr}: {a.street}, {a.postcode} {a.city}\n{phone}: {person.phone}\n{mail}: {person.email}\n"
        f"{born}: {_dmy(person.birth_date, lang)}",
        profile, summary,
        exp,
        f"{start + 3}-{year}  {job}, {employers[0]}",
        f"{start}-{start + 3}  {JOBS[lang][-1]}, {employers[1]}",
        edu, f"{start - 2}  {rng.choice(SCHOOLS[lang])}",
        langs, spoken,
    ]
    return f"CV {person.full_name}", paragraphs, (0, 3, 5, 8, 10)


def cover_letter(person: Person, day: date) -> str:
    a = person.address
    return (
        f"{person.full_name}\n{a.street}\n{a.postcode} {a.city}\n{person.email} - {person.phone}\n\n"
        f"{COMPANY}\nService des ressources humaines\n{COMPANY_ADDRESS}\n\n{a.city}, le {day:%d/%m/%Y}\n\n"
        "Objet : candidature spontanée - technicien support\n\nMadame, Monsieur,\n\n"
        "Je me permets de vous adresser ma candidature pour un poste de technicien support. Vous trouverez "
        "ci-joint mon curriculum vitae. Je suis disponible pour un entretien à votre convenance.\n\n"
        "Veuillez agréer, Madame, Monsieur, mes salutations distinguées.\n\n" + person.full_name + "\n"
    )


def sick_note(employee: Employee, lang: str, day: date, rng: random.Random) -> str:
    """A sick-leave note with a diagnosis: health data, a GDPR special category."""
    p, end = employee.person, day + timedelta(days=rng.randint(5, 30))
    doctor = rng.choice(("Dr Anne Wirtz", "Dr Paul Hengen", "Dr Claire Feltgen", "Dr Jean Muller"))
    if lang == "fr":
        return (
            f"ARRÊT MALADIE - dossier confidentiel\n\nSalarié : {p.full_name}\nMatricule : {employee.matricule}\n"
            f"Adresse : {p.address.one_line()}\n\nCertificat d'incapacité de travail reçu le {day:%d/%m/%Y}, "
            f"signé par {doctor}. Arrêt maladie du {day:%d/%m/%Y} au {end:%d/%m/%Y} inclus.\n"
            "Diagnostic indiqué par le salarié : lombalgie aiguë sur hernie discale L5-S1, séances de "
            "kinésithérapie deux fois par semaine.\nLe volet 1 du certificat a été transmis à la CNS. "
            "Reprise à mi-temps thérapeutique à discuter avec la médecine du travail (STM).\n"
        )
    if lang == "de":
        return (
            f"KRANKMELDUNG - vertraulich\n\nMitarbeiter: {p.full_name}\nSozialversicherungsnummer: "
            f"{employee.matricule}\nGeburtsdatum: {p.birth_date:%d.%m.%Y}\n\nArbeitsunfähigkeitsbescheinigung von "
            f"{doctor} vom {day:%d.%m.%Y}, arbeitsunfähig bis einschließlich {end:%d.%m.%Y}.\n"
            "Diagnose laut Gespräch mit der Führungskraft: depressive Episode, Burn-out; ambulante Therapie "
            "und Medikamente. Stufenweise Wiedereingliederung ab nächsten Monat geplant.\n"
        )
    return (
        f"Sick leave record - HR only\n\nEmployee: {p.full_name} (personnel no. {employee.employee_id})\n"
        f"National ID: {employee.matricule}\nPhone: {p.phone}\n\n{p.first_name} called in sick on "
        f"{_long_en(day)}. Medical certificate from {doctor} received, sick leave until {_long_en(end)}.\n"
        "Diagnosis: type 1 diabetes, hospitalised for two days after a hypoglycaemia at the office. Needs a "
        "fridge for insulin and regular breaks; first-aid officers informed.\n"
    )


def appraisal_note(employee: Employee, year: int) -> str:
    """An annual review that wanders into trade-union membership and religion (Art. 9 data)."""
    p = employee.person
    return (
        f"Entretien annuel d'évaluation {year}\n\nSalarié : {p.full_name} - {employee.position}\n"
        f"Manager : direction technique\nDate : 14/11/{year}\n\n"
        "Objectifs atteints : migration Microsoft 365 de trois clients, certification Fortinet NSE4.\n"
        f"Points divers : {p.first_name} est membre du syndicat OGBL et délégué(e) du personnel suppléant(e) ; "
        "il/elle demande que les réunions de la délégation soient planifiées hors astreinte.\n"
        "A demandé deux jours de congé pour les fêtes religieuses (appartenance religieuse : orthodoxe) et un "
        "aménagement d'horaire le vendredi.\nAugmentation proposée : 2,5 % au 1er janvier.\n"
    )


def screening_note(applicant: Person) -> str:
    """Applicant screening notes, one of which records a criminal conviction (Art. 10 data)."""
    return (
        "Recrutement 2025 - technicien support (réf. RH-2025-07)\n\n"
        f"- {applicant.full_name}, né(e) le {applicant.birth_date:%d/%m/%Y} : bulletin n° 3 du casier judiciaire "
        "reçu le 03/04/2025. Mention d'une condamnation (2019) pour conduite en état d'ivresse, peine "
        "d'amende. Poste avec véhicule de service : avis défavorable.\n"
        "- Les autres candidats : extraits vierges.\n"
    )


def invoice(number: str, order: Order, customer: Customer) -> Document:
    c, a = customer.contact, customer.contact.address
    net = order.amount_eur
    vat = round(net * 0.17, 2)
    paragraphs = [
        "FACTURE / INVOICE",
        f"{COMPANY}\n{COMPANY_ADDRESS}\nTVA {COMPANY_VAT}",
        f"N° {number}    Date : {order.ordered_at + timedelta(days=2):%d/%m/%Y}    "
        f"Commande / Order : {order.order_ref}",
        f"Client : {customer.company}\nÀ l'attention de : {c.full_name}\n{a.street}\n{a.postcode} {a.city}, "
        f"{a.country}\nN° TVA client : {customer.vat_number}\nE-mail : {c.email}",
        f"{order.description:<45} {net:>10.2f} EUR\nTVA 17 %{'':<37} {vat:>10.2f} EUR\n"
        f"Total TTC{'':<36} {net + vat:>10.2f} EUR",
        f"Prélèvement SEPA - mandat {order.order_ref}-M sur le compte du client : IBAN {c.iban}",
        f"Paiement à 30 jours sur le compte {COMPANY_IBAN}.",
    ]
    return f"Facture {number}", paragraphs, (0,)


def old_letter(employee: Employee, day: date) -> str:
    p = employee.person
    return (
        f"{COMPANY}\n{COMPANY_ADDRESS}\n\n{p.full_name}\n{p.address.street}\n{p.address.postcode} {p.address.city}\n\n"
        f"Bertrange, le {day:%d/%m/%Y}\n\nObjet : certificat de travail\n\nNous certifions que {p.full_name}, "
        f"né(e) le {p.birth_date:%d/%m/%Y}, matricule {employee.matricule}, a été employé(e) par notre société "
        f"du {employee.hired_on:%d/%m/%Y} au {day:%d/%m/%Y} en qualité de {employee.position}.\n"
        f"Dernier salaire mensuel brut : {employee.salary_monthly_eur} EUR.\n\nLa direction\n"
    )


def employment_contract(employee: Employee) -> str:
    p = employee.person
    return (
        f"CONTRAT DE TRAVAIL À DURÉE INDÉTERMINÉE\n\nEntre {COMPANY}, {COMPANY_ADDRESS}, l'employeur,\n"
        f"et {p.full_name}, né(e) le {p.birth_date:%d/%m/%Y}, matricule {employee.matricule}, demeurant "
        f"{p.address.one_line()}, le salarié.\n\nArt. 1 - Le salarié est engagé en qualité de {employee.position} "
        f"à partir du {employee.hired_on:%d/%m/%Y}.\nArt. 2 - Salaire mensuel brut : {employee.salary_monthly_eur} "
        f"EUR, versé sur le compte {p.iban}.\nArt. 3 - Période d'essai : 6 mois.\n"
    )
