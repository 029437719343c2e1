"""Which format an output is written in: the one its file name's extension says (as csvkit,
sqlite-utils and OCRmyPDF do), so `-o out.csv` never holds a workbook; a name that says another
format than the one asked for is refused before any work is done. `-` is stdout, for text formats."""
from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from .atomic import STDOUT

EXTENSIONS = {".xlsx": "xlsx", ".json": "json", ".csv": "csv", ".md": "md", ".markdown": "md",
              ".docx": "docx", ".html": "html", ".htm": "html"}
# formats that can go to stdout; a workbook or a Word file on a terminal is only noise
TEXT_FORMATS = frozenset({"json", "csv", "md"})
NAMES = {"xlsx": "a workbook", "json": "JSON", "csv": "CSV", "md": "Markdown", "docx": "a Word file",
         "html": "an HTML page"}


def _ending(fmt: str) -> str:
    return "." + fmt


def _endings(formats: tuple[str, ...]) -> str:
    """ ".xlsx", ".docx or .md", ".xlsx, .json or .csv"."""
    names = [_ending(f) for f in formats]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def output_format(path: str | Path, option: str, formats: tuple[str, ...], chosen: str | None = None) -> str:
    """The format to write `path` in, one of `formats` (those the option writes):
    the one its extension names, else `chosen` (a --format option), else the only one there is.
    Refuses a name whose extension says another format, and a binary format on stdout."""
    endings = _endings(formats)
    if str(path) == STDOUT:
        text = [f for f in formats if f in TEXT_FORMATS]
        fmt = chosen or (text[0] if len(text) == 1 else None)
        if fmt is None:
            raise UsageError(f"{option} - (stdout) does not say which format to print; "
                             f"give a file name ending {endings}.")
        if fmt not in TEXT_FORMATS:
            raise UsageError(f"{option} -: {NAMES[fmt]} cannot be written to stdout; "
                             f"give a file name ending {_ending(fmt)}.")
        return fmt
    named = EXTENSIONS.get(Path(path).suffix.lower())
    if named in formats:
        if chosen and chosen != named:
            raise UsageError(f"{option} {path}: the name says {NAMES[named]} but --format says {NAMES[chosen]}; "
                             f"make them agree (a name ending {_ending(chosen)}).")
        return named
    if named:
        raise UsageError(f"{option} {path}: the name says {NAMES[named]}, which {option} does not write; "
                         f"give a name ending {endings}.")
    if chosen or len(formats) == 1:
        return chosen or formats[0]
    raise UsageError(f"{option} {path}: the name does not say which format to write; end it with {endings}.")


def one_stdout(*paths) -> bool:
    """Whether an output goes to stdout (at most one may: two would be mixed up)."""
    on_stdout = [p for p in paths if p is not None and str(p) == STDOUT]
    if len(on_stdout) > 1:
        raise UsageError("only one output can be written to stdout ('-'); give the others file names.")
    return bool(on_stdout)
