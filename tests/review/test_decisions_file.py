"""The decisions file: round trip, last decision wins, bad files are a clear exit 2, never a crash."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from reports.decisions import Decision, Decisions
from scanner.cli import cli
from scanner.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def test_round_trip_and_last_decision_wins(tmp_path: Path) -> None:
    path = tmp_path / "decisions.yaml"
    book = Decisions(path=path).with_decision(Decision("a1", "fixing", "ticket 12", "eve", date(2026, 12, 1)))
    book = book.with_decision(Decision("b2", "accepted_risk", "réserve légale", "bob", date(2026, 12, 1),
                                       until=date(2027, 1, 31)))
    book = book.with_decision(Decision("a1", "false_positive", "test data", "eve", date(2026, 12, 2)))
    book.save()
    assert "decided: 2026-12-02" in path.read_text()  # a plain YAML date, reviewable in git
    again = Decisions.load(path)
    assert again.by_gap()["a1"].status == "false_positive"
    assert again.by_gap()["b2"].until == date(2027, 1, 31)
    assert again.by_gap()["b2"].expired(date(2027, 2, 1)) and not again.by_gap()["b2"].expired(date(2027, 1, 31))
    assert [d.gap_id for d in again.stale(["a1"])] == ["b2"]


@pytest.mark.parametrize("text, message", [
    ("decisions: [{gap_id: a1, status: ignored, decided: 2026-12-01}]", "status must be one of"),
    ("decisions: [{gap_id: a1, status: fixing}]", "needs a `decided` date"),
    ("decisions: [{gap_id: a1, status: fixing, decided: 2026-12-01, until: soon}]", "must be a date"),
    ("decisions: {a1: fixing}", "expected a mapping with a `decisions:` list"),
    ("decisions: [{status: fixing, decided: 2026-12-01}]", "needs a `gap_id`"),
    ("decisions: [unclosed", "not valid YAML"),
])
def test_bad_file_is_a_config_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "decisions.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        Decisions.load(path)


def test_missing_file_means_no_decisions(tmp_path: Path) -> None:
    assert Decisions.load(tmp_path / "none.yaml").decisions == ()


@pytest.mark.parametrize("command", [["locate"], ["review"]], ids=" ".join)
def test_new_commands_have_help_and_are_documented(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
    assert f"policyscan {' '.join(command)}" in (ROOT / "README.md").read_text()


def test_review_of_a_folder_without_gaps_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["review", str(tmp_path)])
    assert result.exit_code == 2 and "not a policyscan output folder" in result.output
