"""Byte-reproducible writers for the demo estate: text, CSV, docx, xlsx, PDF, zip and tar.gz.

Every writer takes the timestamp the file should carry and never reads the wall clock into content:
office documents get fixed core properties and fixed zip member dates (python-docx and openpyxl both
stamp "now" on save, so their zips are rewritten), PDFs a fixed creation date (fpdf2 derives the file
ID from it), archives fixed member mtimes, owners and modes. `EstateFiles` records each file's mtime
and mode; `finish()` applies them, folders last and deepest first, because writing into a folder
changes its mtime.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
import tarfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

import docx
import openpyxl
from fpdf import FPDF

FILE_MODE = 0o640
DIR_MODE = 0o750
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def utc(year: int, month: int = 1, day: int = 1, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=timezone.utc)


@dataclass
class EstateFiles:
    """Writes files under `root` and remembers the mtime and mode each must end up with."""

    root: Path
    mtimes: dict[Path, datetime] = field(default_factory=dict)
    modes: dict[Path, int] = field(default_factory=dict)
    dir_modes: dict[Path, int] = field(default_factory=dict)

    def path(self, relative: str, when: datetime, mode: int = FILE_MODE) -> Path:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        self.mtimes[target] = when
        self.modes[target] = mode
        return target

    def bytes(self, relative: str, data: bytes, when: datetime, mode: int = FILE_MODE) -> Path:
        target = self.path(relative, when, mode)
        target.write_bytes(data)
        return target

    def text(self, relative: str, text: str, when: datetime, mode: int = FILE_MODE) -> Path:
        return self.bytes(relative, text.encode("utf-8"), when, mode)

    def csv(self, relative: str, header: Sequence[str], rows: Iterable[Sequence[object]], when: datetime,
            mode: int = FILE_MODE, delimiter: str = ",") -> Path:
        return self.bytes(relative, csv_bytes(header, rows, delimiter), when, mode)

    def folder_mode(self, relative: str, mode: int) -> None:
        self.dir_modes[self.root / relative] = mode

    def finish(self) -> None:
        """Apply modes and mtimes: files first, then every folder under root (deepest first), then root.
        A folder's mtime is its newest child's, as if the files had been written in date order."""
        for target, when in self.mtimes.items():
            os.chmod(target, self.modes[target])
            stamp = when.timestamp()
            os.utime(target, (stamp, stamp))
        folders = sorted((p for p in self.root.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True)
        for folder in [*folders, self.root]:
            os.chmod(folder, self.dir_modes.get(folder, DIR_MODE))
            children = [c.stat().st_mtime for c in folder.iterdir()]
            stamp = max(children) if children else utc(2025).timestamp()
            os.utime(folder, (stamp, stamp))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _zip_info(name: str, when: datetime, mode: int = 0o640) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, whatever machine builds the estate
    info.external_attr = (0o100000 | mode) << 16
    return info


def zip_bytes(members: Sequence[tuple[str, bytes, datetime]]) -> bytes:
    """A zip archive of (name, content, mtime) in the given order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, when in members:
            archive.writestr(_zip_info(name, when), data)
    return buffer.getvalue()


def _pin_ooxml(data: bytes, when: datetime) -> bytes:
    """Rewrite an OOXML zip with fixed member dates and fixed dcterms created/modified."""
    stamp = when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    members = []
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(lambda m: m.group(1) + stamp + m.group(3), content)
            members.append((info.filename, content, when))
    return zip_bytes(members)


def docx_bytes(title: str, author: str, paragraphs: Sequence[str], when: datetime,
               headings: Sequence[int] = ()) -> bytes:
    """A Word document; paragraphs whose index is in `headings` are rendered as headings."""
    document = docx.Document()
    props = document.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    props.created = props.modified = props.last_printed = when.replace(tzinfo=None)
    props.revision = 1
    for index, text in enumerate(paragraphs):
        if index in headings:
            document.add_heading(text, level=1 if index == 0 else 2)
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return _pin_ooxml(buffer.getvalue(), when)


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]]]], author: str,
               when: datetime) -> bytes:
    """A workbook with one sheet per (name, header, rows)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, header, rows in sheets:
        sheet = workbook.create_sheet(name)
        sheet.append(list(header))
        for row in rows:
            sheet.append(list(row))
    workbook.properties.creator = workbook.properties.lastModifiedBy = author
    workbook.properties.created = workbook.properties.modified = when.replace(tzinfo=None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _pin_ooxml(buffer.getvalue(), when)


def _latin1(text: str) -> str:
    """fpdf2's core fonts are Latin-1: keep accents, replace what falls outside it."""
    return text.replace("€", "EUR").replace("–", "-").replace("’", "'").encode("latin-1", "replace").decode("latin-1")


def pdf_bytes(title: str, author: str, paragraphs: Sequence[str], when: datetime,
              headings: Sequence[int] = ()) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(when)
    pdf.set_title(_latin1(title))
    pdf.set_author(_latin1(author))
    pdf.set_creator("policyscan demo estate")
    pdf.add_page()
    for index, text in enumerate(paragraphs):
        heading = index in headings
        pdf.set_font("Helvetica", style="B" if heading else "", size=14 if index == 0 and heading else 10)
        pdf.multi_cell(0, 6 if heading else 5, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())


def tar_gz_bytes(members: Sequence[tuple[str, bytes, datetime]]) -> bytes:
    """A gzip-compressed tar of (name, content, mtime), with fixed owner, mode and gzip header."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data, when in members:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), int(when.timestamp()), 0o640
            info.uid = info.gid = 1000
            info.uname = info.gname = "backup"
            archive.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    newest = max(when for _, _, when in members)
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=int(newest.timestamp())) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()
