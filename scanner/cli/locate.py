"""`policyscan locate OUT VALUE...`: where one person's data lives, from the scan's keyed fingerprints."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import click

from scanner.cli.common import EXIT_OK, fail_cleanly
from scanner.errors import ConfigError
from scanner.locate import KINDS, Answer, Query

EXIT_NOT_FOUND = 3


@click.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("values", nargs=-1)
@click.option("--type", "kind", type=click.Choice([*KINDS, "auto"]), default="auto", show_default=True,
              help="What the values are; auto guesses from their shape.")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@click.option("--from-file", "from_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A CSV with one person per row; columns named email, phone, iban, national_id, name "
                   "(others, such as id, label the row). Needs --output.")
@click.option("--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the answer (one row per place) to this .parquet or .csv file.")
@click.option("--key-env", default="POLICYSCAN_HMAC_KEY", show_default=True,
              help="Environment variable holding the scan's fingerprint key (else the machine's key file).")
@fail_cleanly
def locate(out_dir: Path, values: tuple[str, ...], kind: str, as_json: bool, from_file: Path | None,
           output: Path | None, key_env: str) -> None:
    """Find every source, location and field of OUT_DIR's scan that holds VALUE (an e-mail, phone,
    IBAN, national ID or full name). Exit 0 when found, 3 when not, 2 when the key is not the scan's.

    Only the values given and the locations are printed: nothing else found in the estate."""
    from scanner.api import make_query, open_scan
    from scanner.locate import answers_table

    scan = open_scan(out_dir)
    countries = tuple((scan.summary.get("detection") or {}).get("countries") or ())
    queries = [make_query(v, kind, countries) for v in values]
    if from_file is not None:
        if output is None:
            raise ConfigError("--from-file needs --output FILE (.parquet or .csv)")
        queries += _people(from_file)
    if not queries:
        raise ConfigError("give at least one VALUE or --from-file")
    if output is not None and output.suffix.lower() not in (".parquet", ".csv"):
        raise ConfigError("--output must end in .parquet or .csv")
    answers = scan.answers(queries, key_env=key_env)
    if output is not None:
        _write(answers_table(answers), output)
        click.echo(f"answer: {output}", err=as_json)
    if as_json:
        click.echo(json.dumps([_as_dict(a) for a in answers], indent=2, ensure_ascii=False))
    elif output is None or from_file is None:
        for answer in answers:
            _print(answer)
    raise SystemExit(EXIT_OK if any(a.found for a in answers) else EXIT_NOT_FOUND)


def _people(path: Path) -> list[Query]:
    """One query per filled cell of the known columns; the row's other cells (or its number) label it."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip().lower() for h in reader.fieldnames or ()]
        if not set(header) & set(KINDS):
            raise ConfigError(f"{path}: no column named {', '.join(KINDS)}")
        queries = []
        for n, row in enumerate(reader, start=1):
            cells = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
            label = cells.get("id") or cells.get("label") or str(n)
            queries += [Query(cells[k], (k,), label) for k in KINDS if cells.get(k)]
        return queries


def _write(table, output: Path) -> None:
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    output.parent.mkdir(parents=True, exist_ok=True)
    if output.suffix.lower() == ".parquet":
        pq.write_table(table, output)
    else:
        pcsv.write_csv(table, output)


def _as_dict(answer: Answer) -> dict:
    return {
        "value": answer.query.value, "label": answer.query.label, "kinds": list(answer.query.kinds),
        "found": len(answer.found), "at_least": answer.at_least,
        "places": [{"source": p.source, "location": p.location, "field": p.field, "entity": p.entity,
                    "kind": p.kind} for p in answer.found],
        "possible": [{"source": p.source, "location": p.location, "field": p.field, "entity": p.entity}
                     for p in answer.possible],
    }


def _print(answer: Answer) -> None:
    found, possible = answer.found, answer.possible
    more = "at least " if possible else ""
    sources = len({p.source for p in found})
    click.echo(f"{answer.query.value}: found in {more}{len(found)} place(s) in {sources} source(s)"
               if found else f"{answer.query.value}: not found")
    for p in found:
        click.echo(f"  {p.entity:<16} {p.source}  {p.location}" + (f"  [{p.field}]" if p.field else ""))
    if possible:
        click.echo(f"  {len(possible)} finding(s) kept only the first fingerprints (limits.fingerprints_per_finding)"
                   " and may hold it too:")
        for p in possible:
            click.echo(f"  ? {p.entity:<14} {p.source}  {p.location}" + (f"  [{p.field}]" if p.field else ""))
