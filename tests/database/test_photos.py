"""Pictures in tables: a staff photo is personal data, a product thumbnail is not (issue 13: a staff
`picture` blob was missed). Image cells reach the detector as `[image/png, 3 KB]`, never as bytes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from faker import Faker
from scan_helpers import scan_uri, verdicts

from connectors.extract.samples import value_text

PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff\xe0"


@pytest.fixture()
def fake() -> Faker:
    f = Faker()
    f.seed_instance(1317)
    return f


@pytest.mark.parametrize(("cell", "text"), [
    (PNG + bytes(3000), "[image/png, 3 KB]"),
    (memoryview(JPEG + bytes(10)), "[image/jpeg, 1 KB]"),
    ("\\x" + (PNG + bytes(2048)).hex(), "[image/png, 3 KB]"),  # pg_dump COPY text
    ("0x" + (b"GIF89a" + bytes(100)).hex(), "[image/gif, 1 KB]"),  # mysqldump --hex-blob
    (b"\x00\x01\x02 not an image", None),  # other binary: dropped as before
    ("0x1F", "0x1F"),  # a short hex string stays text
])
def test_image_cells_become_kind_and_size(cell, text) -> None:
    assert value_text(cell) == text


def test_staff_picture_is_personal_a_product_thumbnail_is_not(tmp_path: Path, fake: Faker, detector) -> None:
    db = tmp_path / "shop.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE staff (staff_id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, "
                     "picture BLOB)")
        conn.execute("CREATE TABLE product (product_id INTEGER PRIMARY KEY, name TEXT, thumbnail_photo BLOB)")
        for i in range(6):
            conn.execute("INSERT INTO staff VALUES (?, ?, ?, ?)",
                         (i, fake.first_name(), fake.last_name(), PNG + fake.binary(length=900)))
            conn.execute("INSERT INTO product VALUES (?, ?, ?)",
                         (i, fake.word(), JPEG + fake.binary(length=600)))
    found = verdicts(scan_uri(f"sqlite:///{db}")[1], detector)
    assert found["staff.picture"] == frozenset({"PHOTO"})
    assert found["product.thumbnail_photo"] == frozenset()
