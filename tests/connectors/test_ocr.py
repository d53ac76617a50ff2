"""OCR (off by default): images and scanned PDFs yield text through tesseract only when `limits.ocr` is on."""

from __future__ import annotations

import io
import shutil

import pytest

from connector_helpers import scan
from scanner.limits import Limits

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr is not installed")
WORDS = "INVOICE JOHN SMITH PARIS"


def _image(fmt: str = "PNG") -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (900, 120), 255)
    ImageDraw.Draw(image).text((20, 30), WORDS, fill=0, font=ImageFont.load_default(size=48))
    buf = io.BytesIO()
    image.save(buf, fmt)
    return buf.getvalue()


def _scanned_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(_image()), x=10, y=10, w=180)
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def ocr_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("ocr")
    (root / "scan.png").write_bytes(_image())
    (root / "scan.pdf").write_bytes(_scanned_pdf())
    return root


def test_images_are_skipped_when_ocr_is_off(ocr_dir):
    rec = scan(str(ocr_dir), Limits(isolate_parsers=False))
    assert rec.status("scan.png") == ("skipped", "media type image/png skipped by configuration")
    assert rec.status("scan.pdf") == ("scanned", "PDF has no text layer (scanned?); OCR is off")


@pytest.mark.parametrize("name", ["scan.png", "scan.pdf"])
def test_ocr_reads_text(ocr_dir, name):
    rec = scan(str(ocr_dir), Limits(isolate_parsers=True, ocr=True, ocr_languages="eng"))
    assert rec.status(name)[0] == "scanned"
    text = rec.texts(name).upper()
    assert "JOHN SMITH" in text, text
