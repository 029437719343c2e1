"""Short human summaries for the terminal."""
from __future__ import annotations

import sys
from collections import Counter
from contextlib import contextmanager

import typer

from ..extract.ocr import NO_TESSERACT
from ..inputs import skipped_summary
from ..models import ScanResult
from .tables import count, negotiated_summary, not_judged_text, polarity_counts


def print_scan_summary(result: ScanResult, written: list, err: bool = False) -> None:
    """One line per document, then what was skipped and written; on stderr when stdout carries an output."""
    for d in result.documents:
        doc = d.document
        missing = [r for r, v in d.summary.items() if v == "missing safeguard"]
        if doc.status == "error":
            typer.echo(f"✖ {doc.file}: not read: {doc.error}", err=err)
            continue
        if not d.judged:
            typer.echo(f"- {doc.file}: {not_judged_text(d)}", err=err)
            continue
        line = f"{'!' if doc.status == 'partial' else '•'} {doc.file}: {count(len(doc.pages), 'page')}, " \
               + ", ".join(polarity_counts(d))
        if missing:
            line += f", missing safeguards: {', '.join(missing)}"
        if d.marked_wrong:
            line += f" ({count(len(d.marked_wrong), 'finding')} marked wrong by review left out)"
        typer.echo(line, err=err)
        if d.baseline:
            typer.echo(f"    vs template: {negotiated_summary(d.baseline)}", err=err)
        if doc.status == "partial":
            typer.echo(f"    some pages were not read: {doc.error}", err=err)
    if any(p.unreadable_reason == NO_TESSERACT for d in result.documents for p in d.document.pages):
        typer.echo("Scanned pages were not read because Tesseract is not installed: "
                   "run scripts/setup.sh, or apt-get install tesseract-ocr tesseract-ocr-eng.", err=True)
    if result.skipped:
        typer.echo(skipped_summary(result.skipped), err=err)
    if result.reviews:
        typer.echo(result.reviews.line(), err=err)
    for path in written:
        typer.echo(f"wrote {path}", err=err)


def print_notes(documents, err: bool = False) -> None:
    """Each document's notes (a reader library's error, a bug's detail), for `-v`."""
    for d in documents:
        for note in d.document.notes:
            typer.echo(f"    note on {d.document.file}: {note}", err=err)


def totals_line(result: ScanResult, seconds: float) -> str:
    """The closing line of a scan: "scanned 4 documents, 9 pages in 2.3 s: 3 read, 1 partly read, 0 not read"."""
    statuses = Counter(d.document.status for d in result.documents)
    pages = sum(len(d.document.pages) for d in result.documents)
    return (f"scanned {count(len(result.documents), 'document')}, {count(pages, 'page')} in {seconds:.1f} s: "
            f"{statuses['ok']} read, {statuses['partial']} partly read, {statuses['error']} not read")


class ProgressBar:
    """A scan's progress on stderr: done of total, percentage, time left, and the file being read."""

    def __init__(self, console):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, \
            TimeRemainingColumn

        self.bar = Progress(TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                            TextColumn("{task.fields[pages]}"), TimeRemainingColumn(),
                            TextColumn("{task.fields[reading]}"), console=console, transient=True)
        # hidden until the scan knows its total, so that it never shows "0/?"
        self.task = self.bar.add_task("scan", total=None, pages=count(0, "page"), reading="", visible=False)
        self.pages = 0

    def __call__(self, update) -> None:
        """pipeline.ScanProgress: the total before the first document, then each document done."""
        if update.result is not None:
            self.pages += len(update.result.document.pages)
        reading = f"reading {update.reading[-50:]}" if update.reading else ""
        self.bar.update(self.task, total=update.total, completed=update.done, pages=count(self.pages, "page"),
                        reading=reading, visible=True)


@contextmanager
def progress_bar(enabled: bool = True, console=None):
    """A progress callback for scan(): a rich bar on stderr when it is a terminal, else nothing."""
    if not enabled or (console is None and not sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console

    progress = ProgressBar(console or Console(stderr=True))
    with progress.bar:
        yield progress
