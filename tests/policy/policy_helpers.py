"""Paths and builders shared by the policy tests."""

from __future__ import annotations

from html import escape
from pathlib import Path

from fpdf import FPDF

from scanner.policy.reader import PolicyDocument

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "scanner" / "demo" / "privacy-policy.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FOOTER = "Rcarre SA - 38-40, Parc d'Activites - L-8308 Capellen - www.rcarre.com"


class _FooterPdf(FPDF):
    def footer(self) -> None:  # a footer on every page, as printed policies have
        self.set_y(-15)
        self.set_font("helvetica", "", 8)
        self.cell(0, 5, FOOTER, new_x="LMARGIN", new_y="NEXT")
        self.cell(0, 5, f"Page {self.page_no()}")


def write_pdf(doc: PolicyDocument, path: Path) -> Path:
    """Lay a document out as a real multi-page PDF: bold capital headings, wrapped paragraphs, "- " items."""
    pdf = _FooterPdf()
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_page()
    for section in doc.sections:
        if section.heading:
            pdf.set_font("helvetica", "B", 13)
            pdf.multi_cell(0, 8, section.heading.upper(), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", "", 11)
        for paragraph in section.paragraphs:
            text = " ".join(paragraph.sentences)
            pdf.multi_cell(0, 6, ("- " if paragraph.list_item else "") + text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    pdf.output(str(path))
    return path


def write_html(doc: PolicyDocument, path: Path) -> Path:
    """The document as a web page: h2 headings, paragraphs, bulleted lists, plus a script and a nav bar."""
    parts = ["<!DOCTYPE html><html><head><title>Privacy</title><script>var x = 'passport';</script></head><body>",
             "<nav><a href='/'>Health offers</a></nav>"]
    for section in doc.sections:
        if section.heading:
            parts.append(f"<h2>{escape(section.heading)}</h2>")
        in_list = False
        for paragraph in section.paragraphs:
            text = escape(" ".join(paragraph.sentences))
            if paragraph.list_item and not in_list:
                parts.append("<ul>")
            if not paragraph.list_item and in_list:
                parts.append("</ul>")
            in_list = paragraph.list_item
            parts.append(f"<li>{text}</li>" if paragraph.list_item else f"<p>{text}</p>")
        if in_list:
            parts.append("</ul>")
    path.write_text("\n".join(parts + ["</body></html>"]), encoding="utf-8")
    return path


def write_text(doc: PolicyDocument, path: Path) -> Path:
    """The document as plain text: capitalised headings, blank lines between paragraphs, "* " items."""
    blocks = []
    for section in doc.sections:
        if section.heading:
            blocks.append(section.heading.upper())
        for paragraph in section.paragraphs:
            blocks.append(("* " if paragraph.list_item else "") + " ".join(paragraph.sentences))
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path
