"""The whole hostile set in one batch: does clausescan finish, with a row for every file, no
traceback, bounded memory and no file over the time limit?

    python benchmarks/hostile.py [--small-files 10000] [--line-mb 100] [--keep DIR]

Builds, in a temporary folder, every case of tests/test_hostile_suite.py (archives, DOCX
entities, e-mails, PDFs, text, FIFO and symbolic links, injection) plus the large ones the unit
suite leaves out: a 100 MB text file that is one line, 10,000 small files, a 1,000,033-character
"sentence", a run of a million "(". Then:

1. one `clausescan scan` of it all with every output and `--time-limit 60` (a file over 60 s
   would be a "took too long" row): rows, statuses, exit code, wall time, peak RSS of any process
   of the scan, tracebacks, formula cells;
2. kill -9 in the middle of a scan that writes over an existing workbook: the old workbook is
   intact, and a re-scan with the cache the killed scan left gives the same JSON as a scan with
   a cache of its own (apart from tool.version).
Needs the test dependencies (scripts/setup.sh --tests) and Tesseract for the OCR case."""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import test_hostile_suite as suite  # noqa: E402  (the builders of the unit suite's cases)
from conftest import docx_bytes, text_pdf  # noqa: E402

CLAUSESCAN = [sys.executable, "-m", "clausescan"]


def build_set(root: Path, small_files: int, line_mb: int) -> None:
    """Every hostile case as files under root (one folder per kind)."""
    def put(relative: str, data: bytes | str) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)

    put("good/good-contract.txt", suite.GOOD)
    put("good/msa.pdf", text_pdf([[suite.CLAUSE, "", "Vendor shall delete Agency Data thirty (30) days after it is "
                                                     "collected."]]))
    # archives
    put("archives/slip.zip", suite.zip_bytes([("../../escaped.txt", suite.GOOD), ("/tmp/absolute-escape.txt", suite.GOOD),
                                              ("inside/ok.txt", suite.GOOD)]))
    nested = suite.zip_bytes([("c9.txt", suite.contract(9))])
    for level in range(8, -1, -1):
        nested = suite.zip_bytes([(f"c{level}.txt", suite.contract(level)), (f"z{level + 1}.zip", nested)])
    put("archives/nested.zip", nested)
    put("archives/declared-bomb.zip", suite._declare_sizes(
        suite.zip_bytes([(f"part-{i:03}.txt", b"x") for i in range(300)]), 0xF0000000))
    put("archives/zeros-bomb.zip", suite.zip_bytes([("zeros.txt", b"\0" * 200_000_000)]))
    put("archives/locked.zip", suite._encrypted_flag(suite.zip_bytes([("msa.txt", suite.GOOD)])))
    put("archives/names.zip", suite.zip_bytes([(n, suite.GOOD) for n in ("line\nbreak.txt", "=HYPERLINK(1).txt",
                                                                         "+cmd.txt", "@sum.txt")]))
    put("archives/really-a-docx.zip", docx_bytes(lambda d: d.add_paragraph(suite.CLAUSE)))
    put("archives/really-a-zip.docx", suite.zip_bytes([("msa.txt", suite.GOOD)]))
    # DOCX entities
    laughs = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    put("docx/laughs.docx", suite._docx_with_document_xml(
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol0 "lol">{laughs}]><w:document xmlns:w="{suite.W}">'
        f'<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p><w:p><w:r><w:t>{suite.CLAUSE}</w:t></w:r></w:p></w:body>'
        f'</w:document>'))
    put("docx/external.docx", suite._docx_with_document_xml(
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        f'<w:document xmlns:w="{suite.W}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>'
        f'<w:p><w:r><w:t>{suite.CLAUSE}</w:t></w:r></w:p></w:body></w:document>'))
    # e-mail
    inner = suite._message("level 6", suite.CLAUSE)
    for level in range(5, -1, -1):
        outer = suite._message(f"level {level}", f"Forwarded, level {level}. {suite.CLAUSE}")
        outer.add_attachment(inner)
        inner = outer
    put("email/fwd.eml", bytes(inner))
    many = suite._message("many", suite.CLAUSE)
    for i in range(300):
        many.add_attachment(f"Exhibit {i}.".encode(), maintype="text", subtype="plain", filename=f"exhibit-{i:03}.txt")
    put("email/many.eml", bytes(many))
    # PDFs
    from fpdf import FPDF
    huge = FPDF(unit="pt", format=(14400, 14400))
    huge.add_page()
    put("pdf/huge-blank-page.pdf", bytes(huge.output()))
    put("pdf/zero-pages.pdf", suite.raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                             b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    put("pdf/rotated.pdf", suite.one_page_pdf(rotate=90))
    put("pdf/claims-100000-pages.pdf", suite.one_page_pdf(count=100_000))
    put("pdf/claims-40-pages.pdf", suite.one_page_pdf(count=40))
    put("pdf/page-tree-loop.pdf", suite.one_page_pdf(count=2, kids=b"[2 0 R 3 0 R]"))
    put("pdf/private-use-text-layer.pdf", suite.one_page_pdf(cmap=suite.PRIVATE_USE_CMAP))
    # text
    put("text/utf16le-no-bom.txt", suite.CLAUSE.encode("utf-16-le"))
    put("text/nul-bytes.txt", suite.CLAUSE.encode().replace(b" ", b" \0", 2))
    for name, run in (("parens", "("), ("dots", "."), ("numbering", "1.1.1.")):
        put(f"text/run-of-{name}.txt", suite.CLAUSE + " " + run * (1_000_000 // len(run)))
    unit = "[(1.1.1)] the vendor may sell, license or share agency data and retain it for thirty (30) days; "
    put("text/million-char-sentence.txt", (unit * (1_000_033 // len(unit) + 1))[:1_000_033])
    with open(root / "text" / "100mb-one-line.txt", "wb") as fh:
        block = b"the vendor may sell agency data (1.1) " * 27_000   # about 1 MB, no newline
        for _ in range(line_mb):
            fh.write(block)
    # injection
    for start in suite.STARTS:
        put(f"injection/{start}evil {ord(start)}.txt", suite.INJECTED)
    # many small files
    for i in range(small_files):
        put(f"small/town-{i // 500:03}/doc-{i:05}.txt", f"{i}. Term\nThe term of this agreement is one year.\n")
    # the file system, last: nothing above may be written through them
    fs = root / "filesystem"
    fs.mkdir()
    os.mkfifo(fs / "contract.pdf")
    os.symlink("loop-b.pdf", fs / "loop-a.pdf")
    os.symlink("loop-a.pdf", fs / "loop-b.pdf")
    os.symlink("/dev/zero", fs / "zero.pdf")


def run_scan(args: list[str], kill_after: float | None = None) -> tuple[int, float, str]:
    """Run clausescan; (exit code, wall seconds, stderr). With kill_after, SIGKILL it then."""
    started = time.monotonic()
    proc = subprocess.Popen(CLAUSESCAN + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    if kill_after is not None:
        time.sleep(kill_after)
        os.killpg(proc.pid, signal.SIGKILL)   # the scan and its worker processes, as the OOM killer or a power cut would
    _, stderr = proc.communicate()
    return proc.returncode, time.monotonic() - started, stderr


def without_tool(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("tool", None)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small-files", type=int, default=10_000)
    parser.add_argument("--line-mb", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="build the set here and keep it")
    options = parser.parse_args()
    root = options.keep or Path(tempfile.mkdtemp(prefix="clausescan-hostile-"))
    try:
        built = time.monotonic()
        build_set(root / "set", options.small_files, options.line_mb)
        files = sum(1 for _ in (root / "set").rglob("*") if not _.is_dir())
        print(f"built {files} files in {time.monotonic() - built:.1f} s under {root / 'set'}")
        out = root / "out"

        # 1. the whole set in one batch
        code, wall, stderr = run_scan(["scan", str(root / "set"), "-o", str(out / "c.xlsx"), "--json",
                                       str(out / "f.json"), "--csv", str(out / "csv"), "--cache-dir",
                                       str(root / "cache"), "--time-limit", "60", "-q"])
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        documents = json.loads((out / "f.json").read_text())["documents"]
        statuses = Counter(d["status"] for d in documents)
        too_long = [d["file"] for d in documents if (d["error"] or "").startswith("took too long")]
        import openpyxl
        book = openpyxl.load_workbook(out / "c.xlsx", read_only=True)
        formulas = sum(1 for ws in book for row in ws.iter_rows() for cell in row
                       if getattr(cell, "data_type", None) == "f")
        print(f"whole set: {len(documents)} rows, statuses {dict(sorted(statuses.items()))}, exit code {code}, "
              f"wall {wall:.1f} s, peak RSS {peak_mb:.0f} MB, traceback {'Traceback' in stderr}, "
              f"files over 60 s {len(too_long)}, formula cells {formulas}")
        for d in documents:
            if d["status"] != "ok" and "/small/" not in d["file"] and "declared-bomb.zip!" not in d["file"] \
                    and "many.eml!" not in d["file"]:
                print(f"  {d['status']:7} {d['file'][len(str(root / 'set')) + 1:]!r}: {d['error']}")
        print(f"  declared-bomb.zip: {sum(1 for d in documents if 'declared-bomb.zip!' in d['file'])} member rows; "
              f"many.eml: {sum(1 for d in documents if 'many.eml!' in d['file'])} attachment rows; small files: "
              f"{sum(1 for d in documents if '/small/' in d['file'] and d['status'] == 'ok')} ok")

        # 2. kill -9 in the middle of a scan that writes over an existing workbook
        subset = [str(root / "set" / name) for name in ("good", "archives", "email", "pdf", "text", "injection")]
        subset.append(str(root / "set" / "small" / "town-000"))
        # the uncached scan's time first, so that the kill lands in the middle of the scan
        code_fresh, wall_fresh, _ = run_scan(["scan", *subset, "--json", str(out / "fresh.json"), "--cache-dir",
                                              str(root / "cache-fresh"), "-q"])
        before = hashlib.sha256((out / "c.xlsx").read_bytes()).hexdigest()
        code_killed, killed_after, _ = run_scan(["scan", *subset, "-o", str(out / "c.xlsx"), "--json",
                                                 str(out / "killed.json"), "--cache-dir", str(root / "cache-killed"),
                                                 "-q"], kill_after=wall_fresh / 2)
        intact = hashlib.sha256((out / "c.xlsx").read_bytes()).hexdigest() == before
        leftovers = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
        code_rescan, wall_rescan, _ = run_scan(["scan", *subset, "--json", str(out / "rescan.json"), "--cache-dir",
                                                str(root / "cache-killed"), "-q"])
        same = without_tool(out / "rescan.json") == without_tool(out / "fresh.json")
        print(f"kill -9 after {killed_after:.1f} s (killed: {code_killed == -signal.SIGKILL}): previous workbook "
              f"intact {intact}, killed JSON written {(out / 'killed.json').exists()}, temporary files left "
              f"{len(leftovers)}; re-scan with its cache: exit {code_rescan} in {wall_rescan:.1f} s, a fresh cache: "
              f"exit {code_fresh} in {wall_fresh:.1f} s, identical JSON {same}")
    finally:
        if not options.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
