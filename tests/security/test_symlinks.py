"""Issue 10 item 9: a link leading out of the source root is never followed; files are opened O_NOFOLLOW."""

from __future__ import annotations

import os

import pytest

from scanner.errors import ItemError
from scanner.limits import Limits

from connectors.base import open_connector
from connectors.fs_local import LocalBackend
from scanner.config import make_source
from tests.connectors.connector_helpers import scan

SECRET_OUTSIDE = "outside.secret@example.lu"


@pytest.fixture()
def share(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "shadow.txt").write_text(f"root password for {SECRET_OUTSIDE}\n")
    root = tmp_path / "share"
    root.mkdir()
    (root / "real.txt").write_text("Contact inside.person@example.lu\n")
    (root / "escape.txt").symlink_to(outside / "shadow.txt")
    (root / "escape-relative.txt").symlink_to(os.path.join("..", "outside", "shadow.txt"))
    (root / "inside-link.txt").symlink_to(root / "real.txt")
    return root


def test_a_link_out_of_the_root_is_skipped_with_the_reason(share):
    record = scan(str(share))
    for name in ("escape.txt", "escape-relative.txt"):
        assert record.status("/" + name) == ("skipped", "symbolic link to a file outside the source root, not followed")
    assert SECRET_OUTSIDE not in "\n".join(getattr(s, "text", "") for s in record.samples)


def test_a_link_to_a_file_inside_the_root_is_read_as_its_target(share):
    record = scan(str(share))
    assert record.status("/inside-link.txt") == ("scanned", None)
    assert "inside.person@example.lu" in record.texts("/inside-link.txt")


def test_local_files_are_opened_without_following_a_link(share):
    backend = LocalBackend(str(share))
    with pytest.raises(ItemError, match="became a symbolic link"):
        backend.open(str(share / "escape.txt"))


def test_a_file_swapped_for_a_link_after_listing_is_not_followed(share, tmp_path):
    connector = open_connector(make_source(str(share)), Limits(isolate_parsers=False))
    items = {i.location.rsplit("/", 1)[-1]: i for i in connector.items()}
    (share / "real.txt").unlink()
    (share / "real.txt").symlink_to(tmp_path / "outside" / "shadow.txt")
    with pytest.raises(ItemError) as caught:
        list(connector.read(items["real.txt"]))
    assert caught.value.skip and "symbolic link" in caught.value.reason
