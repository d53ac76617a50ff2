"""Paths and builders shared by the policy tests."""

from __future__ import annotations

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
