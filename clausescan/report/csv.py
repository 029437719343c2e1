"""findings.csv, summary.csv (one row per contract) and towns.csv (one row per town); cells made from contract text cannot become formulas."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ..models import ScanResult
from .atomic import STDOUT, write_text
from .tables import FINDING_COLUMNS, finding_rows, summary_rows, towns_rows
from .sheets import FORMULA_STARTS


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value   # the spreadsheet convention for "this is text"
    return value


def render(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _safe(v) for k, v in row.items()})
    return buffer.getvalue()


def findings_csv(result: ScanResult) -> str:
    return render(finding_rows(result), FINDING_COLUMNS)


def write(result: ScanResult, directory) -> None:
    """The three CSV files into `directory`; `-` prints findings.csv alone, to stdout."""
    if str(directory) == STDOUT:
        write_text(STDOUT, findings_csv(result))
        return
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    write_text(directory / "findings.csv", findings_csv(result))
    rows = summary_rows(result)
    write_text(directory / "summary.csv", render(rows, list(rows[0]) if rows else ["file"]))
    towns = towns_rows(result)
    write_text(directory / "towns.csv", render(towns, list(towns[0]) if towns else ["town"]))
