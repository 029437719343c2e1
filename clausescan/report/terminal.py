"""Short human summaries for the terminal."""
from __future__ import annotations

import sys
from contextlib import contextmanager

import typer

from ..diff import negotiated_summary
from ..inputs import skipped_summary
from ..models import ScanResult
from .tables import count, not_judged_text, polarity_counts


def print_scan_summary(result: ScanResult, written: list) -> None:
    for d in result.documents:
        doc = d.document
        missing = [r for r, v in d.summary.items() if v == "missing safeguard"]
        if doc.status == "error":
            typer.echo(f"✖ {doc.file}: not read: {doc.error}")
            continue
        if not d.judged:
            typer.echo(f"- {doc.file}: {not_judged_text(d)}")
            continue
        line = f"{'!' if doc.status == 'partial' else '•'} {doc.file}: {count(len(doc.pages), 'page')}, " \
               + ", ".join(polarity_counts(d))
        if missing:
            line += f", missing safeguards: {', '.join(missing)}"
        if d.marked_wrong:
            line += f" ({count(len(d.marked_wrong), 'finding')} marked wrong by review left out)"
        typer.echo(line)
        if d.baseline:
            typer.echo(f"    vs template: {negotiated_summary(d.baseline)}")
        if doc.status == "partial":
            typer.echo(f"    some pages were not read: {doc.error}")
    from ..extract.ocr import NO_TESSERACT
    if any(p.unreadable_reason == NO_TESSERACT for d in result.documents for p in d.document.pages):
        typer.echo("Scanned pages were not read because Tesseract is not installed: "
                   "run scripts/setup.sh, or apt-get install tesseract-ocr tesseract-ocr-eng.", err=True)
    if result.skipped:
        typer.echo(skipped_summary(result.skipped))
    if result.reviews:
        typer.echo(result.reviews.line())
    for path in written:
        typer.echo(f"wrote {path}")


@contextmanager
def progress_bar(enabled: bool = True):
    """A progress callback for scan(): a rich bar on stderr for batches on a terminal, else nothing."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[pages]} pages"),
                  TimeRemainingColumn(), TextColumn("{task.fields[current]}"),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("scan", total=None, pages=0, current="")
        pages = 0

        def advance(result):
            nonlocal pages
            pages += len(result.document.pages)
            bar.update(task, advance=1, pages=pages, current=result.document.file[-50:])

        yield advance
