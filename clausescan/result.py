"""The result of a scan as clausescan.scan returns it: the plain ScanResult of models.py, with its
tables and its outputs. Kept apart from models.py, which every stage imports, because the outputs
are the renderers under report/, the top of the library; imported inside the methods so that
`import clausescan` does not load every renderer."""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from . import models
from .towns import Town, towns as grouped_by_town


class ScanResult(models.ScanResult):
    """A scan's documents, rules and versions (models.ScanResult) with the tables and files made from them."""

    @classmethod
    def of(cls, result: models.ScanResult) -> ScanResult:
        """The same result, with its outputs (report.json.from_dict reads a plain one)."""
        return cls(**{f.name: getattr(result, f.name) for f in fields(result)})

    def towns(self) -> list[Town]:
        """The documents grouped by town, with each rule's combined verdict (clausescan.towns)."""
        return grouped_by_town(self)

    def towns_frame(self):
        from .report.tables import towns_frame
        return towns_frame(self)

    def findings_frame(self):
        from .report.tables import findings_frame
        return findings_frame(self)

    def summary_frame(self):
        from .report.tables import summary_frame
        return summary_frame(self)

    # Every output the command line writes, by the same writers: `scan -o`, `--json`, `--csv`, `report`.
    def to_xlsx(self, path: str | Path) -> None:
        """The comparison workbook."""
        from .report import xlsx
        xlsx.write(self, path)

    @classmethod
    def from_json(cls, data: dict, rules=None) -> ScanResult:
        """The scan a findings JSON was written from (clausescan.report.json.from_dict)."""
        from .report.json import from_dict
        return cls.of(from_dict(data, rules))

    def to_json(self, path: str | Path) -> None:
        """The findings JSON (`-`: stdout)."""
        from .report import json
        json.write(self, path)

    def to_findings_csv(self, path: str | Path) -> None:
        """findings.csv alone, at `path` (`-`: stdout)."""
        from .report.atomic import write_text
        from .report.csv import findings_csv
        write_text(path, findings_csv(self))

    def to_csv(self, directory: str | Path) -> None:
        """findings.csv, summary.csv and towns.csv in `directory` (`-`: findings.csv to stdout)."""
        from .report import csv
        csv.write(self, directory)

    def to_memo(self, path: str | Path, format: str | None = None) -> None:
        """The memo for testimony: a Word file, or Markdown, as the name's extension (or `format`) says."""
        from .report.memo import write_memo
        write_memo(self, path, format)

    def to_html(self, path: str | Path) -> None:
        """Write the HTML report (clausescan.report.html), atomically."""
        from .report.html import write
        write(self, path)
