"""What applying a reviews file costs a scan: loading reviews.yaml and applying it to the findings.

    python benchmarks/reviews.py [--documents 100] [--findings 60] [--reviewed 0.2]

Builds a scan result in memory (no contract is read: reviews are applied after the cached findings
load) with --documents documents of --findings findings each, marks a --reviewed share of them
(half confirmed, half wrong) in a reviews.yaml written by the library, then prints the file's size
and the milliseconds to load it and to apply it (which judges the documents again)."""
from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from pathlib import Path

from clausescan.judge import verdicts
from clausescan.models import Document, DocumentResult, Finding, Page, ScanResult
from clausescan.review import Review, Reviews, apply, fingerprint, load
from clausescan.rules.loader import load_rules


def scan_result(documents: int, findings: int, rules) -> ScanResult:
    results = []
    ids = [r.id for r in rules]
    for n in range(documents):
        document = Document(file=f"town-{n}/msa.pdf", sha256=hashlib.sha256(str(n).encode()).hexdigest(), kind="pdf",
                            pages=[Page(number=p, text="") for p in range(1, 31)])
        found = [Finding(rule=ids[i % len(ids)], polarity=("concern", "safeguard")[i % 2], page=1 + i % 30,
                         section=f"{i % 12}.{i % 7}", quote=f"Sentence {i} of document {n}, as the contract reads it.",
                         file=document.file) for i in range(findings)]
        results.append(DocumentResult(document=document, findings=found, summary=verdicts(document, found, rules)))
    return ScanResult(documents=results, rules=rules, rules_version="", tool_version="")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--findings", type=int, default=60)
    parser.add_argument("--reviewed", type=float, default=0.2)
    args = parser.parse_args()
    rules = load_rules().rules
    result = scan_result(args.documents, args.findings, rules)
    every = max(1, round(1 / args.reviewed)) if args.reviewed else 0
    with tempfile.TemporaryDirectory() as tmp:
        reviews = Reviews(Path(tmp) / "reviews.yaml")
        marked = [f for d in result.documents for f in d.findings][::every] if every else []
        for n, f in enumerate(marked):
            sha = result.documents[int(f.file.split("-")[1].split("/")[0])].document.sha256
            review = Review(sha, f.rule, fingerprint(f.quote), ("confirmed", "wrong")[n % 2], file=f.file, page=f.page,
                            quote=f.quote)
            reviews.by_key[review.key] = review
        reviews.save()
        size = reviews.path.stat().st_size
        start = time.perf_counter()
        loaded = load(reviews.path)
        loading = time.perf_counter() - start
        start = time.perf_counter()
        outcome = apply(result, loaded)
        applying = time.perf_counter() - start
    total = args.documents * args.findings
    print(f"{args.documents} documents, {total} findings, {len(marked)} reviews ({size / 1024:.0f} KB of YAML)")
    print(f"load reviews.yaml   {1000 * loading:8.1f} ms")
    print(f"apply to the scan   {1000 * applying:8.1f} ms  ({outcome.wrong} left out, {outcome.confirmed} confirmed, "
          f"every document judged again)")


if __name__ == "__main__":
    main()
