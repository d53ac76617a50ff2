"""Our own labelled document sets, written as `data/` + `truth.csv` in the devset's format (same scorer).

- `formats`: the tests' format corpus (`tests/connectors/format_corpus.py`): one synthetic file per format,
  each holding a Faker person: all `yes`.
- `demo`: the demo estate's file share, labelled from `scanner/demo/README.md` (README, agenda, network
  notes and price list are harmless: `no`). `.env` is left out: service passwords are credentials, not a
  person's data, and are reported by the credential rules, not by this label.
- `prose`: documents about things (product sheets, game rules, film blurbs, a travel itinerary, a menu;
  they name characters, places, a university) labelled `no`, and documents about people (a letter, meeting
  minutes, a reference, a sick note, an attendee list) labelled `yes`, in TXT, DOCX, RTF, HTML and PDF,
  built from Faker values with a fixed seed.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
from datetime import datetime, timezone
from pathlib import Path

from faker import Faker

ROOT = Path(__file__).resolve().parents[2]


def _truth(root: Path, labels: dict[str, str]) -> Path:
    path = root / "truth.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["path", "has_personal_data", "types", "format", "note"])
        for name, label in sorted(labels.items()):
            writer.writerow([f"data/{name}", label, "", Path(name).suffix.lstrip("."), "own set"])
    return path


def formats_set(root: Path) -> tuple[Path, Path]:
    sys.path.insert(0, str(ROOT / "tests" / "connectors"))
    from format_corpus import build_formats

    data = root / "data"
    data.mkdir(parents=True)
    markers = build_formats(data)
    return data, _truth(root, {name: "yes" for name in markers})


DEMO_HARMLESS = ("README.txt", "it/meeting-agenda-2025-05-14.md", "it/network-notes.txt", "sales/price-list-2025.csv")


def demo_set(root: Path) -> tuple[Path, Path]:
    from scanner.demo.estate import generate_demo_estate

    generate_demo_estate(root / "estate")
    data = root / "data"
    shutil.copytree(root / "estate" / "share", data)
    (data / "it" / "deploy" / ".env").unlink()
    labels = {p.relative_to(data).as_posix(): "yes" for p in data.rglob("*") if p.is_file()}
    labels.update({name: "no" for name in DEMO_HARMLESS})
    return data, _truth(root, labels)


def _things(fake: Faker) -> dict[str, str]:
    """Prose about things, each naming people-like words (characters, places, a university) in passing."""
    city, country = fake.city(), fake.country()
    hero, rival = fake.first_name(), fake.name()
    return {
        "product-sheet": f"{fake.catch_phrase()}.\nThe {fake.word().title()} {fake.word()} ships from {city}, "
                         f"{country}. {fake.paragraph(5)} Weight {fake.random_int(2, 90)} kg, "
                         f"{fake.random_int(2, 12)} colours. Designed in {fake.city()}.",
        "game-rules": f"Rules of {fake.word().title()} Quest.\nEach player starts in {fake.city()} with three "
                      f"cards. The {fake.color_name()} Knight piece and the {fake.last_name()} Tower piece can be "
                      f"stacked. {fake.paragraph(4)} The first to reach {fake.city()} wins.",
        "film-blurb": f"In {fake.city()}, young {hero} discovers a map to {country}. Hunted by {rival}, "
                      f"{hero} must cross the {fake.last_name()} Mountains before winter. {fake.paragraph(3)} "
                      f"A film by {fake.company()}, {fake.random_int(88, 140)} minutes.",
        "itinerary": f"Day 1: arrival in {city}, transfer to {fake.city()}. Day 2: {fake.last_name()} National "
                     f"Park and {fake.street_name()}. Day 3: boat trip to {fake.city()}. {fake.paragraph(3)}",
        "course-catalogue": f"{fake.last_name()} State University offers {fake.random_int(20, 90)} programmes. "
                            f"Campus in {city}, {country}. {fake.paragraph(4)} Tuition statistics: "
                            + ", ".join(f"{fake.random_int(1000, 99999)}" for _ in range(8)) + ".",
    }


def _people(fake: Faker) -> dict[str, str]:
    """Prose about identifiable people: a name with an attribute, contact details, identifiers."""
    name, other = fake.name(), fake.name()
    return {
        "letter": f"Dear {name},\n\nFollowing your application of {fake.date()} we confirm your appointment as "
                  f"{fake.job()}. Your address on file is {fake.address().replace(chr(10), ', ')}.\n\n"
                  f"Kind regards,\n{other}\n{fake.email()}",
        "minutes": f"Minutes of the meeting of {fake.date()}.\nPresent: {fake.name()} (chair), {fake.name()}, "
                   f"{fake.name()}.\n{fake.paragraph(3)}\nAction: {name} to call back on {fake.phone_number()}.",
        "reference": f"To whom it may concern: {name} worked for us as {fake.job()} from {fake.year()} to "
                     f"{fake.year()}. {name.split()[0]} was born on {fake.date_of_birth()} and lives in "
                     f"{fake.city()}. {fake.paragraph(2)}",
        "sick-note": f"Patient: {name}\nDate of birth: {fake.date_of_birth()}\nDiagnosis: acute bronchitis, "
                     f"unfit for work for {fake.random_int(3, 14)} days.\nDr {other}",
        "attendees": "Attendee list\n" + "\n".join(f"{fake.name()}\t{fake.company_email()}\t{fake.job()}"
                                                   for _ in range(6)),
    }


def _write(data: Path, stem: str, text: str, ext: str) -> str:
    name = f"{stem}.{ext}"
    if ext == "txt":
        (data / name).write_text(text, encoding="utf-8")
    elif ext == "docx":
        import docx

        document = docx.Document()
        for para in text.split("\n"):
            document.add_paragraph(para)
        buf = io.BytesIO()
        document.save(buf)
        (data / name).write_bytes(buf.getvalue())
    elif ext == "rtf":
        body = text.encode("ascii", "replace").decode().replace("\n", "\\par ")
        (data / name).write_text("{\\rtf1\\ansi " + body + "}", encoding="ascii")
    elif ext == "html":
        paras = "".join(f"<p>{p}</p>" for p in text.split("\n"))
        (data / name).write_text(f"<html><body>{paras}</body></html>", encoding="utf-8")
    elif ext == "pdf":
        from fpdf import FPDF

        pdf = FPDF()
        pdf.set_creation_date(datetime(2025, 1, 1, tzinfo=timezone.utc))
        pdf.add_page()
        pdf.set_font("helvetica", size=10)
        pdf.multi_cell(0, 5, text.encode("latin-1", "replace").decode("latin-1"))
        (data / name).write_bytes(bytes(pdf.output()))
    return name


def prose_set(root: Path, seed: int = 13) -> tuple[Path, Path]:
    data = root / "data"
    data.mkdir(parents=True)
    labels: dict[str, str] = {}
    formats = ("txt", "docx", "rtf", "html", "pdf")
    for locale_index, locale in enumerate(("en_US", "en_GB", "fr_FR", "de_DE")):
        fake = Faker(locale)
        fake.seed_instance(seed + locale_index)
        for label, texts in (("no", _things(fake)), ("yes", _people(fake))):
            for n, (stem, text) in enumerate(texts.items()):
                ext = formats[(n + locale_index) % len(formats)]
                labels[_write(data, f"{locale}-{stem}", text, ext)] = label
    return data, _truth(root, labels)


def build_own_sets(root: Path) -> dict[str, tuple[Path, Path]]:
    """Set name -> (data folder, truth.csv), built afresh under `root`."""
    if root.exists():
        shutil.rmtree(root)
    return {name: build(root / name) for name, build in (("formats", formats_set), ("demo", demo_set),
                                                         ("prose", prose_set))}
