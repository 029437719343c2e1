"""The scan, top to bottom: collect inputs -> extract -> segment and match -> judge -> result.

Documents are independent, so they are processed in parallel worker processes. Four caches,
keyed by file content: extracted page text (so no page is ever OCR'd twice), the document cut up
for matching and each rule's findings (so a rule change re-runs only the rules that changed, from
the cut-up document), and whole results (so a re-scan with unchanged rules is mostly hashing)."""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from . import __version__
from .cache import Cache
from .extract import extract
from .extract.archive import CONTAINERS, expand
from .extract.sniff import sniff
from .facts import ContractFacts, read_facts
from .inputs import collect
from .judge import verdicts
from .match import Prepared, match_document, prepare
from .models import Document, DocumentResult, Finding, Page, ScanResult
from .rules.engine import CompiledLibrary
from .rules.loader import RuleLibrary, load_rules

EXTRACT_VERSION = "4"   # bump when extraction or OCR output changes, to invalidate cached pages


@dataclass
class Input:
    """One document to read: a file, or a member of an archive (its bytes), or an error."""
    name: str
    path: Path | None = None
    data: bytes | None = None
    error: str | None = None


def iter_inputs(paths) -> Iterator[Input]:
    """Every input, in order; ZIP archives yield one input per member, e-mail messages one for
    the message and one per attachment."""
    for path in collect(list(paths) if isinstance(paths, (list, tuple)) else [paths]):
        try:
            with open(path, "rb") as fh:
                head = fh.read(4096)
        except OSError as exc:
            yield Input(str(path), error=f"the file could not be opened ({exc.strerror or exc}).")
            continue
        # a ZIP archive (or a DOCX, which is a ZIP too) or an e-mail message, with attachments
        if head.startswith(b"PK\x03\x04") or sniff(head, path.name) == "email":
            data = path.read_bytes()
            if sniff(data, path.name) in CONTAINERS:
                for member in expand(data, str(path)):
                    yield Input(member.name, data=member.data, error=member.error)
                continue
        yield Input(str(path), path=path)


def scan(paths, rules: RuleLibrary | None = None, ocr: str = "auto", cache: Cache | None = None,
         workers: int | None = None, progress=None, dask=None, profile=None, baseline=None) -> ScanResult:
    """Scan files and folders; every input becomes a DocumentResult, read or not.

    `dask`, a scheduler address ("tcp://host:8786") or a distributed.Client, runs the documents on
    that Dask cluster instead of local processes (`workers` is then ignored); see cluster.py.
    `profile`, a state ("me", "Maine") or a loaded Profile, judges each document against that
    state's ALPR law (law.py); `baseline`, the vendor's template file, compares each document with
    it (diff.py)."""
    library = rules or load_rules()
    if isinstance(profile, str):
        from .profiles import load_profile
        profile = load_profile(profile)
    template = None
    if baseline:   # read first: an unreadable template stops the batch before it starts
        from .diff import read_one
        template = read_one(baseline, library, ocr, cache, role="baseline template")
    inputs = list(iter_inputs(paths))
    workers = max(1, min(workers or os.cpu_count() or 1, len(inputs)))
    pool = None
    if dask is not None:
        from .cluster import run_on_cluster
        results_iter = run_on_cluster(dask, inputs, library, ocr, cache)
    elif workers == 1:
        _init_worker(library, ocr, cache)
        results_iter = map(_process, inputs)
    else:
        import multiprocessing
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                              else "spawn")
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                                   initargs=(library, ocr, cache, workers))
        results_iter = pool.map(_process, inputs)
    results = []
    try:
        for result in results_iter:
            results.append(result)
            if progress:
                progress(result)
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
        elif dask is not None:
            results_iter.close()   # cancels what is still queued on the cluster
    result = ScanResult(documents=results, rules=library.rules, rules_version=library.version,
                        tool_version=__version__)
    if profile:
        from .law import apply
        apply(result, profile)
    if template:
        from .diff import apply_baseline
        apply_baseline(result, template)
    return result


_STATE: dict = {}


def _init_worker(library: RuleLibrary, ocr: str, cache: Cache | None, workers: int = 1) -> None:
    if workers > 1:   # share the cores between workers' OCR processes
        os.environ["CLAUSESCAN_OCR_PROCESSES"] = str(max(1, (os.cpu_count() or 1) // workers))
    _STATE.update(compiled=CompiledLibrary(library), ocr=ocr, cache=cache)


@lru_cache(maxsize=8)
def _rule_keys(library: RuleLibrary) -> dict[str, str]:
    """Rule id -> a hash of everything its findings depend on: the rule and the shared word lists."""
    lexicon = json.dumps(library.lexicon, sort_keys=True)
    return {rule.id: hashlib.sha256((rule.model_dump_json(exclude={"source"}) + lexicon).encode()).hexdigest()[:24]
            for rule in library.rules}


def _process(item: Input) -> DocumentResult:
    return process_input(item, _STATE["compiled"], _STATE["ocr"], _STATE["cache"])


def with_bytes(item: Input) -> Input:
    """The input with its file's bytes in hand, or with the reason they could not be read."""
    if item.error or item.data is not None:
        return item
    try:
        return Input(item.name, data=item.path.read_bytes())
    except OSError as exc:
        return Input(item.name, error=f"the file could not be opened ({exc.strerror or exc}).")


def process_input(item: Input, compiled: CompiledLibrary, ocr: str, cache: Cache | None) -> DocumentResult:
    """One document, start to finish: the work a local process or a Dask worker does per input."""
    item = with_bytes(item)
    if item.error:
        return analyse(Document(file=item.name, status="error", error=item.error), compiled)
    data = item.data
    sha = hashlib.sha256(data).hexdigest()
    result_key = f"{sha}:{ocr}:{EXTRACT_VERSION}:{compiled.library.version}:{__version__}"
    if cache and (hit := cache.get("results", result_key)):
        restored = _restore(hit, item.name)
        if restored:
            return restored
    document = None
    pages_key = f"{sha}:{ocr}:{EXTRACT_VERSION}"
    if cache and (hit := cache.get("pages", pages_key)):
        document = _restore_document(hit, item.name)
    if document is None:
        document = extract(Path(item.name), display_name=item.name, data=data, ocr=ocr, cache=cache)
        if cache and document.status != "error" and not document.pages_unreadable:
            cache.put("pages", pages_key, asdict(document))
    cacheable = cache is not None and document.status != "error" and not document.pages_unreadable
    result = _analyse_changed_rules(document, compiled, cache, f"{pages_key}:{__version__}") if cacheable else \
        analyse(document, compiled)
    if cacheable:
        cache.put("results", result_key, {"document": asdict(document), "findings": [asdict(f) for f in result.findings],
                                          "summary": result.summary, "parties": result.parties, "title": result.title,
                                          "facts": result.facts.to_json() if result.facts else None})
    return result


def _analyse_changed_rules(document: Document, compiled: CompiledLibrary, cache: Cache, key: str) -> DocumentResult:
    """Match only the rules whose findings in this document are not cached (all of them the first
    time; after a rule is edited, that rule), and cache the findings of each rule, and what no rule
    changes: the document's facts, and the document cut up for matching."""
    rule_keys = _rule_keys(compiled.library)
    entry = cache.get("rule-findings", key)
    entry = entry if isinstance(entry, dict) else {}
    known = {}
    for rule_id, rule_key in rule_keys.items():
        findings = _restore_findings(entry[rule_key], document.file) if rule_key in entry else None
        if findings is not None:
            known[rule_id] = findings
    missing = frozenset(rule_keys) - set(known)
    prepared = Prepared.from_json(cache.get("prepared", key))
    if prepared is None:
        prepared = prepare(document)
        cache.put("prepared", key, prepared.to_json())
    new_findings, parties, title = match_document(document, compiled.only(missing), prepared)
    by_rule = {rule_id: [] for rule_id in missing} | known
    for finding in new_findings:
        by_rule[finding.rule].append(finding)
    facts = _restore_facts(entry.get(FACTS_KEY))
    result = analyse(document, compiled, matched=([f for fs in by_rule.values() for f in fs], parties, title),
                     facts=facts)
    cache.put("rule-findings", key, {FACTS_KEY: result.facts.to_json() if result.facts else None,
                                     **{rule_keys[rule_id]: [asdict(f) for f in findings]
                                        for rule_id, findings in by_rule.items()}})
    return result


FACTS_KEY = "facts"   # beside the rule keys, which are hex digests


def _restore_facts(entry) -> ContractFacts | None:
    try:
        return ContractFacts.from_json(entry) if isinstance(entry, dict) else None
    except (TypeError, KeyError, ValueError):
        return None


def _restore_findings(entries, name: str) -> list[Finding] | None:
    try:
        return [Finding(**{**f, "file": name}) for f in entries]
    except TypeError:
        return None   # an entry from another version, or damaged: match again


def _restore_document(entry: dict, name: str) -> Document | None:
    try:
        pages = [Page(**p) for p in entry["pages"]]
        return Document(**{**entry, "pages": pages, "file": name})
    except (TypeError, KeyError):
        return None   # an entry from another version, or damaged: rebuild it


def _restore(entry: dict, name: str) -> DocumentResult | None:
    try:
        document = _restore_document(entry["document"], name)
        if document is None:
            return None
        findings = _restore_findings(entry["findings"], name)
        if findings is None:
            return None
        facts = ContractFacts.from_json(entry["facts"]) if entry["facts"] is not None else None
        return DocumentResult(document=document, findings=findings, summary=dict(entry["summary"]),
                              parties=dict(entry["parties"]), title=str(entry["title"]), facts=facts)
    except (TypeError, KeyError, ValueError):
        return None


def analyse(document: Document, compiled: CompiledLibrary, matched=None, facts=None) -> DocumentResult:
    """Match (unless `matched` gives the findings, parties and title already), read the contract's
    facts (unless given) and judge."""
    if matched is not None:
        findings, parties, title = matched
    else:
        findings, parties, title = ([], {}, "") if document.status == "error" else match_document(document, compiled)
    findings.sort(key=lambda f: (f.page, f.rule, f.polarity, f.quote, str(f.value)))
    if facts is None and document.status != "error":
        facts = read_facts(document, parties)
    return DocumentResult(document=document, findings=findings, parties=parties, title=title, facts=facts,
                          summary=verdicts(document, findings, compiled.library.rules))
