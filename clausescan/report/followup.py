"""`clausescan followup` as text, Markdown and CSV rows: per town, the documents scanned and the
numbered request items for the documents its contracts incorporate but that were not scanned
(worked out by clausescan/followup.py)."""
from __future__ import annotations

from ..followup import TownRequest, request_text
from .markdown import escape
from .tables import count


def to_text(requests: list[TownRequest]) -> str:
    blocks = []
    for town in requests:
        lines = [f"{town.agency} ({count(len(town.documents), 'document')} scanned)"]
        if not town.missing:
            lines.append("Every document its contracts incorporate by reference was among the scanned documents.")
        for n, ref in enumerate(town.missing, start=1):
            lines.append(f"{n}. {request_text(ref)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def to_markdown(requests: list[TownRequest]) -> str:
    parts = ["# Follow-up records requests", ""]
    for town in requests:
        parts += [f"## {escape(town.agency)}", "", "Scanned: " + ", ".join(escape(f) for f in town.documents), ""]
        if not town.missing:
            parts += ["Every document its contracts incorporate by reference was among the scanned documents.", ""]
        parts += [f"{n}. {escape(request_text(ref))}" for n, ref in enumerate(town.missing, start=1)]
        parts.append("")
    return "\n".join(parts)


CSV_COLUMNS = ["agency", "item", "title", "url", "file", "page", "section", "request"]


def csv_rows(requests: list[TownRequest]) -> list[dict]:
    return [{"agency": town.agency, "item": n, "title": ref.title or "", "url": ref.url or "",
             "file": ref.citations[0].file, "page": ref.citations[0].page, "section": ref.citations[0].section or "",
             "request": request_text(ref)}
            for town in requests for n, ref in enumerate(town.missing, start=1)]
