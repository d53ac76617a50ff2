"""`policyscan review OUT`: triage the gaps in the terminal, one at a time, into the decisions file.

Plain prompts on stdin/stdout (no full-screen UI, no raw key reads), so it works over SSH, in tmux and
from a script. Every decision is saved as soon as it is made; at the end the outputs are updated
(gaps.parquet's decision columns, scan.json, report.html), as `policyscan report OUT` would.
"""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path
from typing import Any

import click

from scanner.cli.common import fail_cleanly
from scanner.errors import ConfigError

KEYS = {"f": "false_positive", "a": "accepted_risk", "x": "fixing"}
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        return "unknown"


@click.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--decisions", "decisions_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Decisions file to read and write (default: OUT_DIR/decisions.yaml).")
@click.option("--reviewer", default=None, help="Who decides (default: the login name).")
@fail_cleanly
def review(out_dir: Path, decisions_path: Path | None, reviewer: str | None) -> None:
    """Go through OUT_DIR's undecided (and expired) gaps, most severe first, and record for each a
    decision: [f]alse positive, [a]ccepted risk, fi[x]ing, or [s]kip; [q] stops."""
    import pyarrow.parquet as pq

    import reports
    from reports.decisions import FILE_NAME, Decision, Decisions, counts, with_all_columns

    if not (out_dir / "gaps.parquet").exists():
        raise ConfigError(f"{out_dir} holds no gaps.parquet: not a policyscan output folder")
    path = decisions_path or out_dir / FILE_NAME
    book = Decisions.load(path)
    reviewer = reviewer or _login()
    rows = with_all_columns(pq.read_table(out_dir / "gaps.parquet")).to_pylist()
    decided_now = {g for g, d in book.by_gap().items() if not d.expired(date.today())}
    todo = [r for r in rows if counts(r) and r["gap_id"] not in decided_now]
    todo.sort(key=lambda r: SEVERITY_ORDER.get(r["severity"], 9))  # stable: the file's order within a severity
    if not todo:
        click.echo("Nothing to review: every gap has a decision.")
    made = 0
    for n, gap in enumerate(todo, start=1):
        _show(gap, n, len(todo))
        key = click.prompt("[f] false positive  [a] accepted risk  [x] fixing  [s] skip  [q] quit",
                           type=click.Choice(["f", "a", "x", "s", "q"]), show_choices=False)
        if key == "q":
            break
        if key == "s":
            continue
        reason = click.prompt("Reason", type=str).strip()
        until = click.prompt("Until (YYYY-MM-DD, empty for no expiry)", default="", show_default=False,
                             value_proc=_date_or_none)
        book = book.with_decision(Decision(gap["gap_id"], KEYS[key], reason, reviewer, date.today(), until))
        book.save(path)
        made += 1
    summary = reports.rerender_report(out_dir, path)
    still = len(summary.open_gaps or ())
    click.echo(f"{made} decision(s) recorded in {path}; {still} gap(s) still count. "
               f"report: {summary.paths.get('report.html', out_dir / 'report.html')}")


def _date_or_none(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter("a date as YYYY-MM-DD, or nothing") from None


def _show(gap: dict[str, Any], n: int, total: int) -> None:
    click.echo("")
    title = gap["gap_kind"].replace("_", " ")
    where = " · ".join(x for x in (gap.get("category"), gap.get("source")) if x)
    click.secho(f"[{n}/{total}] {gap['severity'].upper()}  {title}" + (f"  ({where})" if where else ""), bold=True)
    if gap.get("decision_expired"):
        click.echo(f"  earlier decision '{gap['decision']}' by {gap['decided_by']} expired on {gap['decision_until']}")
    click.echo(f"  {gap['message']}")
    ref = gap.get("policy_reference") or {}
    if ref.get("quote"):
        click.echo(f"  Policy{' ' + ref['section'] if ref.get('section') else ''}: \u201c{ref['quote']}\u201d")
    else:
        click.echo("  Policy: says nothing that covers this.")
    unit = gap.get("evidence_unit")
    click.echo(f"  Evidence: {gap['evidence_count']}" + (f" {unit.replace('_', ' ')}" if unit and unit != "none" else ""))
    for loc in gap.get("example_locations") or ():
        click.echo(f"    {loc}")
    click.echo(f"  gap_id {gap['gap_id']}")
