"""Issue 10 item 12: an XML entity bomb (or any parse lxml recovers from by stopping) is reported as
partially read, with what was read before the stop kept, never as `scanned`."""

from __future__ import annotations

from tests.connectors.connector_helpers import scan

ENTITIES = "\n".join(
    f' <!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
BOMB = f"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol0 "lol">
{ENTITIES}
]>
<people><person><email>first.person@example.lu</email><note>&lol9;</note></person>
""" + "".join(f"<person><email>later.{i}@example.lu</email></person>\n" for i in range(20)) + "</people>\n"
GOOD = "<people>" + "".join(f"<person><email>good.{i}@example.lu</email></person>" for i in range(5)) + "</people>"
CUT = "<people>" + "".join(f"<person><email>cut.{i}@example.lu</email></person>" for i in range(5)) + "<person><em"


def test_an_entity_bomb_is_partially_read_not_scanned(tmp_path):
    (tmp_path / "bomb.xml").write_text(BOMB)
    (tmp_path / "good.xml").write_text(GOOD)
    record = scan(str(tmp_path))
    status, reason = record.status("/bomb.xml")
    assert status == "error"
    assert reason.startswith("partially read: XML parse stopped early (entity expansion limit")
    assert record.outcomes[next(k for k in record.outcomes if k.endswith("/bomb.xml"))].facts.partial is True
    assert "first.person@example.lu" in str(record.samples)  # what came before the stop is kept
    assert record.status("/good.xml") == ("scanned", None)


def test_a_document_cut_mid_element_is_partially_read(tmp_path):
    (tmp_path / "cut.xml").write_text(CUT)
    status, reason = scan(str(tmp_path)).status("/cut.xml")
    assert status == "error" and "malformed XML, parser recovered" in reason
