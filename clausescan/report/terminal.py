"""Short human summaries for the terminal."""
from __future__ import annotations

from collections import Counter

import typer

from ..models import ScanResult


def print_scan_summary(result: ScanResult, written: list) -> None:
    for d in result.documents:
        doc = d.document
        counts = Counter(f.polarity for f in d.findings)
        missing = [r for r, v in d.summary.items() if v == "missing safeguard"]
        if doc.status == "error":
            typer.echo(f"✖ {doc.file}: not read: {doc.error}")
            continue
        line = f"{'!' if doc.status == 'partial' else '•'} {doc.file}: {len(doc.pages)} pages, " \
               f"{counts['concern']} concerns, {counts['safeguard']} safeguards"
        if missing:
            line += f", missing safeguards: {', '.join(missing)}"
        typer.echo(line)
        if doc.status == "partial":
            typer.echo(f"    some pages were not read: {doc.error}")
    for path in written:
        typer.echo(f"wrote {path}")
