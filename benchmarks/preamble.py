"""The title and the parties clausescan reads from each document's top: a table to measure the
preamble reader on a corpus (the documents are read, never copied).

    python benchmarks/preamble.py DIR_OR_FILE... [--save run.json] [--compare before.json]

Prints one row per document: file, title, parties (each party's name with the term the contract
defines for it, and the side, vendor or agency, it was read as). --save keeps the rows as JSON;
--compare adds the rows of an earlier --save (e.g. from the main branch) as "before" lines, and
counts the documents whose title or parties changed."""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from clausescan.cache import Cache
from clausescan.pipeline import scan


def parties_text(parties: dict) -> str:
    between = parties.get("between") or []
    if between:
        return " | ".join(f"{p['name']}" + (f" (\"{p['defined_as']}\")" if p.get("defined_as") else "")
                          + (f" [{p['side']}]" if p.get("side") else "") for p in between)
    return " | ".join(f"{parties[k]} [{k.split('_')[0]}]" for k in ("vendor_name", "agency_name") if parties.get(k))


def rows(paths: list[Path], cache_dir: Path) -> dict[str, dict]:
    # pages and OCR are kept between runs (a scanned page takes seconds); whole results are not,
    # so that the title and parties are read again by the code being measured
    shutil.rmtree(cache_dir / "results", ignore_errors=True)
    cache = Cache(cache_dir)
    result = scan(paths, cache=cache, workers=1)
    return {Path(d.document.file).name: {"title": d.title, "parties": parties_text(d.parties),
                                          "agency_name": d.parties.get("agency_name", ""),
                                          "vendor_name": d.parties.get("vendor_name", "")}
            for d in result.documents}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--save", type=Path)
    parser.add_argument("--compare", type=Path)
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "clausescan-preamble-cache")
    args = parser.parse_args()
    now = rows(args.paths, args.cache_dir)
    before = json.loads(args.compare.read_text()) if args.compare else {}
    changed = 0
    for name, row in now.items():
        print(f"{name}\n    title:   {row['title'] or '-'}\n    parties: {row['parties'] or '-'}")
        old = before.get(name)
        if old:
            if (old["title"], old["parties"]) != (row["title"], row["parties"]):
                changed += 1
            print(f"    before:  {old['title'] or '-'} / {old['parties'] or '-'}")
    if before:
        print(f"{len(now)} documents, {changed} with a changed title or parties")
    if args.save:
        args.save.write_text(json.dumps(now, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
