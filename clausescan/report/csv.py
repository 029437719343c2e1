"""findings.csv, summary.csv (one row per contract) and towns.csv (one row per town); cells made from contract text cannot become formulas."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ..models import ScanResult
from .atomic import write_text
from .tables import FINDING_COLUMNS, finding_rows, summary_rows, towns_rows
from .xlsx import FORMULA_STARTS


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


def write(result: ScanResult, directory) -> None:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    write_text(directory / "findings.csv", render(finding_rows(result), FINDING_COLUMNS))
    rows = summary_rows(result)
    write_text(directory / "summary.csv", render(rows, list(rows[0]) if rows else ["file"]))
    towns = towns_rows(result)
    write_text(directory / "towns.csv", render(towns, list(towns[0]) if towns else ["town"]))
