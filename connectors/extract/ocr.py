"""OCR for images and scanned PDFs through the `tesseract` command (Debian `tesseract-ocr`), off by default.

Enabled with `Limits.ocr` (config `limits: {ocr: true}`); languages from `Limits.ocr_languages` (installed
language packs, e.g. `eng+fra+deu`). Tesseract runs as a child process with the item's remaining time as
its timeout, reading the image on stdin: nothing is written to disk.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Iterator

from connectors.extract.base import Blob, ExtractContext, ReadEvent
from connectors.extract.documents import body_samples
from scanner.errors import ItemError

_MAX_PDF_IMAGES = 20


def tesseract_text(image: bytes, ctx: ExtractContext) -> str:
    """Text tesseract reads in `image` (any format leptonica reads); ItemError if tesseract is missing or hangs."""
    binary = shutil.which("tesseract")
    if binary is None:
        raise ItemError("OCR requested but tesseract is not installed (Debian package tesseract-ocr)", skip=True)
    try:
        done = subprocess.run([binary, "stdin", "stdout", "-l", ctx.limits.ocr_languages], input=image,
                              capture_output=True, timeout=max(1.0, ctx.seconds_left()), check=False)
    except subprocess.TimeoutExpired as exc:
        raise ItemError(f"time limit of {ctx.limits.item_seconds:g}s per item exceeded (OCR)") from exc
    if done.returncode != 0:
        raise ItemError("OCR failed (tesseract could not read the image)")
    return done.stdout.decode("utf-8", errors="replace")


def ocr_pdf_images(reader, ctx: ExtractContext) -> Iterator[str]:
    """OCR the images embedded in a PDF without a text layer (the usual shape of a scanned document)."""
    count = 0
    for page in reader.pages:
        for image in page.images:
            if count >= _MAX_PDF_IMAGES:
                return
            count += 1
            yield tesseract_text(image.data, ctx)


class ImageOcrExtractor:
    """Images, read only when OCR is on (otherwise `image/*` is skipped by `skip_media_types`)."""

    media_types = ("image/png", "image/jpeg", "image/tiff", "image/gif", "image/bmp", "image/webp")

    def extract(self, blob: Blob, ctx: ExtractContext) -> Iterator[ReadEvent]:
        if not ctx.limits.ocr:
            raise ItemError(f"media type {blob.item.media_type} skipped (OCR is off)", skip=True)
        text = tesseract_text(ctx.read_whole(blob), ctx)
        yield from body_samples(blob.item.location, [text], ctx, field="ocr")
