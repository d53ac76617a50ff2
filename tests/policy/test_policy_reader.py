"""Reading policy files: sentence splitting, Markdown clean-up, page-break mending, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.errors import ConfigError
from scanner.policy.formats import markdown_blocks, plain_blocks
from scanner.policy.reader import read_policy_text
from scanner.policy.text import HEADING, ITEM, PARAGRAPH, Block, mend_page_breaks, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We collect data. We share it.", ("We collect data.", "We share it.")),
        # dotted company forms and abbreviations do not end a sentence
        ("Rcarré S.A. and Rcube S.A. offer services. They are here.",
         ("Rcarré S.A. and Rcube S.A. offer services.", "They are here.")),
        ("Send it, e.g. by post. Or call.", ("Send it, e.g. by post.", "Or call.")),
        ("Tél. : +352 31 71 32-1", ("Tél. : +352 31 71 32-1",)),
        ("Wir speichern z.B. Namen. Danach nicht.", ("Wir speichern z.B. Namen.", "Danach nicht.")),
        # no split without a capital after the period, nor inside a URL or version number
        ("See www.rcarre.com for v7.0126 details.", ("See www.rcarre.com for v7.0126 details.",)),
        ('He said "stop." Then left.', ('He said "stop."', "Then left.")),
        ("Questions? Write to us!", ("Questions?", "Write to us!")),
        ("", ()),
    ],
)
def test_split_sentences(text: str, expected: tuple[str, ...]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("# Title\n\nText [site](http://x.lu) **bold** `code`.", [(HEADING, "Title"), (PARAGRAPH, "Text site bold code.")]),
        ("- .. one\n- two\n  continued", [(ITEM, ".. one"), (ITEM, "two continued")]),
        ("Title\n=====\n\nBody", [(HEADING, "Title"), (PARAGRAPH, "Body")]),
        ("| a | b |\n|---|---|\n| c | d |", [(PARAGRAPH, "a b"), (PARAGRAPH, "c d")]),
        ("mail <mailto:dpo@x.lu> \\*not\\* emphasis", [(PARAGRAPH, "mail mailto:dpo@x.lu *not* emphasis")]),
        # _emphasis_ loses its underscores (a period inside stays readable); snake_case names keep theirs
        ("kept for _up to two years_ in _pk_id and piwik_ignore", [(PARAGRAPH, "kept for up to two years in _pk_id and piwik_ignore")]),
    ],
)
def test_markdown_blocks(markdown: str, expected: list[tuple[str, str]]) -> None:
    _, blocks = markdown_blocks(markdown.encode())
    assert [(b.kind, " ".join(b.text.split())) for b in blocks] == expected


def test_plain_text_headings_items_and_reflow() -> None:
    text = (
        "HOW WE USE DATA\n"
        "We use your data for the purposes listed below and for nothing else at all, as the law requires.\n"
        "- Supply the Products\n"
        "- Manage contracts\n"
        "We keep it safe.\n"
        "\n"
        "Contact us\n"
    )
    _, blocks = plain_blocks(text)
    assert [(b.kind, b.text) for b in blocks] == [
        (HEADING, "HOW WE USE DATA"),
        (PARAGRAPH, "We use your data for the purposes listed below and for nothing else at all, as the law requires."),
        (ITEM, "Supply the Products"),
        (ITEM, "Manage contracts"),
        (PARAGRAPH, "We keep it safe."),
        (HEADING, "Contact us"),
    ]


P = PARAGRAPH
CUT = Block(P, "In the event of transfers outside the Union, the companies")
FOOTER = Block(P, "Rcarre SA ■ Capellen Tél. : +352 31 71 32-1")


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        # a footer between the halves of a sentence is dropped and the halves joined
        ([CUT, FOOTER, Block(P, "Services comply with the law.")],
         ["In the event of transfers outside the Union, the companies Services comply with the law."]),
        # no footer, but the next paragraph continues in lower case
        ([CUT, Block(P, "comply with the law.")],
         ["In the event of transfers outside the Union, the companies comply with the law."]),
        # a complete sentence is never joined with what follows
        ([Block(P, "We keep your data in a secure environment at all times."), FOOTER, Block(P, "Next one.")],
         ["We keep your data in a secure environment at all times.", FOOTER.text, "Next one."]),
        # a heading after the cut stops the mend
        ([CUT, Block(HEADING, "SECURITY"), Block(P, "Firewalls.")], [CUT.text, "SECURITY", "Firewalls."]),
        # a short line (an address) is not taken for a cut sentence
        ([Block(P, "38-40, Business Park"), Block(P, "L-8308 Capellen")], ["38-40, Business Park", "L-8308 Capellen"]),
    ],
)
def test_mend_page_breaks(blocks: list[Block], expected: list[str]) -> None:
    assert [b.text for b in mend_page_breaks(blocks)] == expected


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("policy.docx", b"PK\x03\x04", "unsupported policy format .docx"),
        ("policy.pdf", b"%PDF-1.4 this is not really a pdf", "not a readable PDF"),
        ("policy.md", b"   \n\n", "holds no text"),
        ("policy.txt", bytes(range(0x80, 0x100)) * 3, "not text in any encoding"),
    ],
)
def test_unreadable_files_raise_config_error(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=message):
        read_policy_text(path)


def test_missing_file_raises_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read policy"):
        read_policy_text(tmp_path / "nope.md")


def test_encodings_and_sniffing(tmp_path: Path) -> None:
    latin1 = tmp_path / "politique.txt"
    latin1.write_bytes("Nous conservons vos données de santé pendant dix ans.".encode("cp1252"))
    assert read_policy_text(latin1).sections[0].sentences == ("Nous conservons vos données de santé pendant dix ans.",)
    html = tmp_path / "policy"  # no extension: sniffed
    html.write_bytes(b"<!DOCTYPE html><html><body><h1>Policy</h1><p>We use cookies.</p></body></html>")
    doc = read_policy_text(html)
    assert (doc.media_type, doc.sections[0].heading, doc.sections[0].sentences) == ("text/html", "Policy", ("We use cookies.",))


@pytest.mark.parametrize(
    ("text", "language", "present"),
    [
        ("We keep your data and we share it with our partners for the purposes of this policy.", "en", ("en",)),
        ("Nous conservons vos données et nous les partageons avec nos partenaires pour les finalités.", "fr", ("fr",)),
        ("Wir speichern Ihre Daten und geben sie nicht an Dritte weiter, die für uns tätig werden.", "de", ("de",)),
        ("Cookies.", None, ("en", "fr", "de")),  # too little text to tell: every table runs
        ("We keep your data for the purposes of this policy. Nous conservons vos données pour les finalités "
         "de la politique et pour la sécurité des sites.", "fr", ("fr", "en")),
    ],
)
def test_language_detection(text: str, language: str | None, present: tuple[str, ...]) -> None:
    from scanner.policy.language import detect_language, languages_present

    assert detect_language(text) == language
    assert languages_present(text) == present


def test_password_protected_pdf_raises_config_error(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "We process health data.")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    with pytest.raises(ConfigError, match="encrypted with a password"):
        read_policy_text(path)
