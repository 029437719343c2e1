"""The scan, top to bottom: collect inputs -> extract -> segment and match -> judge -> result.
The one module that runs scans: of folders (scan), of a diff's two files (diff_files), of the
baseline template (read_one); it applies a state's law and a reviews file to the result.

Documents are independent, so they are processed in parallel worker processes. Five caches,
keyed by file content: extracted page text (so no page is ever OCR'd twice), the document's kind,
the document cut up for matching and each rule's findings (so a rule change re-runs only the
rules that changed, from the cut-up document), and whole results (so a re-scan with unchanged
rules is mostly hashing)."""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .cache import Cache
from .cluster import run_on_cluster
from .diff import DiffResult, apply_baseline, compare
from .extract import extract
from .extract.containers import CONTAINERS, expand
from .extract.sniff import sniff
from .errors import InputError, NothingToScan, UsageError
from .facts import ContractFacts, read_facts
from .inputs import Input, collect, not_a_file, open_regular, printable_name, skipped_kinds, with_bytes
from .limits import (DOCUMENT_MEMORY_MB, DOCUMENT_SECONDS, TimeLimitExceeded, document_limits, too_large_message,
                     too_long_message)
from .judge import verdicts
from .kinds import CORRESPONDENCE, DocumentKind, classify, mark_copies
from .kinds import version as kinds_version
from .law import apply as apply_law
from .match import Prepared, match_document, prepare
from .models import Document, DocumentResult, Finding, finding_order
from .ocrview import lexicon_version
from .profiles import load_profile
from .report.json import document_dict, document_from_dict
from .result import ScanResult
from .review import Reviews, apply as apply_reviews, load
from .rules.engine import CompiledLibrary
from .rules.loader import RuleLibrary, load_rules
from .rules.values import REFERENCE
from .version import __version__
from .watchdog import can_start_workers, forks, run_watched

EXTRACT_VERSION = "5"   # bump when extraction or OCR output changes, to invalidate cached pages
# bump when segmenting or the shared matching and polarity logic change what a rule finds, so that
# no finding cached by the old logic is reused (4: the title and parties read from the preamble;
# private parties, agreed text and recitals; 6: OCR'd text matched through ocrview's tolerant view)
MATCH_VERSION = "8"


@dataclass
class ScanProgress:
    """What a scan's `progress` callback is given: before the first document (done 0, result None)
    and after each. Results arrive in input order, so `reading` is the document the scan waits for."""
    done: int
    total: int
    reading: str | None = None          # the next document's name, None after the last
    result: DocumentResult | None = None   # the document just finished


def iter_inputs(files) -> Iterator[Input]:
    """Every input, in order; ZIP archives yield one input per member, e-mail messages one for
    the message and one per attachment."""
    for path in files:
        name = printable_name(str(path))
        if reason := not_a_file(path):
            yield Input(name, error=reason)
            continue
        try:
            with open_regular(path) as fh:
                head = fh.read(4096)
        except OSError as exc:
            yield Input(name, error=f"the file could not be opened ({exc.strerror or exc}).")
            continue
        # a ZIP archive (or a DOCX, which is a ZIP too: only the whole file tells) or an e-mail
        # message, with attachments
        if sniff(head, path.name) in (*CONTAINERS, "docx"):
            try:
                with open_regular(path) as fh:
                    data = fh.read()
            except OSError as exc:
                yield Input(name, error=f"the file could not be opened ({exc.strerror or exc}).")
                continue
            if sniff(data, path.name) in CONTAINERS:
                for member in expand(data, name):
                    yield Input(member.name, data=member.data, error=member.error)
                continue
        yield Input(name, path=path)


def scan(paths, rules: RuleLibrary | None = None, ocr: str = "auto", cache: Cache | None = None,
         workers: int | None = None, progress=None, dask=None, profile=None, baseline=None,
         time_limit: float | None = DOCUMENT_SECONDS, memory_limit: int | None = DOCUMENT_MEMORY_MB,
         include=(), exclude=(), reviews=None) -> ScanResult:
    """Scan files and folders; every input becomes a DocumentResult, read or not, and only
    contracts (agreements, amendments, order forms, policies) get rule verdicts.

    `include` and `exclude`, glob patterns, choose the files read under the folders given (see
    inputs.py: by default source code, data files and dotfiles are skipped, and listed as such).
    `dask`, a scheduler address ("tcp://host:8786") or a distributed.Client, runs the documents on
    that Dask cluster instead of local processes (`workers` is then ignored); see cluster.py.
    `profile`, a state ("me", "Maine") or a loaded Profile, judges each document against that
    state's ALPR law (law.py); `baseline`, the vendor's template file, compares each document with
    it (diff.py). `time_limit` (seconds) and `memory_limit` (MB) bound each document (limits.py);
    None or 0 for none. With a time limit, even one document is read in a worker process that the
    scan kills if it overruns (watchdog.py); without one, a single worker reads in this process. `reviews`, a reviews file or loaded review.Reviews, leaves out the findings
    a person marked wrong and judges without them (review.py)."""
    library = rules or load_rules()
    if isinstance(profile, str):
        profile = load_profile(profile)
    template = None
    if baseline:   # read first: an unreadable template stops the batch before it starts
        template = read_one(baseline, library, ocr, cache, role="baseline template")
    paths = list(paths) if isinstance(paths, (list, tuple)) else [paths]
    files, skipped = collect(paths, include, exclude)
    if not files:
        raise NothingToScan(nothing_to_scan(paths, skipped))
    inputs = list(iter_inputs(files))
    workers = max(1, min(workers or os.cpu_count() or 1, len(inputs)))
    if dask is not None:
        results_iter = run_on_cluster(dask, inputs, process_input, library, ocr, cache)
    elif not can_start_workers() or (workers == 1 and not time_limit):   # read here: no worker to watch
        _init_worker(CompiledLibrary(library, cache=cache), ocr, cache, time_limit, memory_limit)
        results_iter = map(_process, inputs)
    else:
        compiled = CompiledLibrary(library, cache=cache)
        results_iter = _run_in_pool(inputs, workers, (compiled, ocr, cache, time_limit, memory_limit, workers))
    results = []
    if progress:
        progress(ScanProgress(0, len(inputs), inputs[0].name if inputs else None))
    try:
        for result in results_iter:
            results.append(result)
            if progress:
                done = len(results)
                progress(ScanProgress(done, len(inputs), inputs[done].name if done < len(inputs) else None, result))
    finally:
        if hasattr(results_iter, "close"):
            results_iter.close()   # stops the pool, or cancels what is still queued on the cluster
    mark_copies(results)
    scanned = ScanResult(documents=results, rules=library.rules, rules_version=library.version,
                        tool_version=__version__, skipped=skipped)
    if reviews is not None:   # after the (cached) findings, before anything judges them
        scanned.reviews = apply_reviews(scanned, reviews if isinstance(reviews, Reviews) else load(reviews))
    if profile:
        apply_law(scanned, profile)
    if template:
        apply_baseline(scanned, template)
    return scanned


def read_one(path, rules=None, ocr: str = "auto", cache=None, role: str = "file") -> DocumentResult:
    """Scan one contract file with the ordinary pipeline; a folder, an archive of several
    documents or an unreadable file is an error that says so."""
    if Path(path).is_dir():
        raise UsageError(f"{path} is a folder; the {role} must be one contract file.")
    documents = scan([path], rules=rules, ocr=ocr, cache=cache, workers=1).documents
    if len(documents) != 1:
        raise UsageError(f"{path} holds {len(documents)} documents; give the {role} as one contract file "
                         "(unzip the archive first).")
    document = documents[0]
    if document.document.status == "error":
        raise InputError(f"the {role} {path} could not be read: {document.document.error}")
    return document


def diff_files(old_path, new_path, rules=None, ocr: str = "auto", cache=None) -> DiffResult:
    return compare(read_one(old_path, rules, ocr, cache, role="old version"),
                   read_one(new_path, rules, ocr, cache, role="new version"))



def nothing_to_scan(paths: list, skipped: list) -> str:
    """Why a scan found nothing to read, in one sentence."""
    where = ", ".join(str(p) for p in paths) or "the paths given"
    if skipped:
        return (f"no contract files to read in {where}: every file there is skipped by default "
                f"({skipped_kinds(skipped)}); --include GLOB reads them.")
    return f"no contract files to read in {where}: the folder is empty; nothing was written."


def _run_in_pool(inputs: list[Input], workers: int, initargs: tuple) -> Iterator[DocumentResult]:
    """Results in input order from worker processes the scan watches (watchdog.py): a document
    still being read past its time limit, even inside a reader's C code, is stopped with its worker
    and becomes its "took too long" row; one whose worker dies (a reader library crashing the
    process, the kernel killing it for memory) its crash row; a new worker reads on."""
    compiled, time_limit = initargs[0], initargs[3]
    if forks():   # the rules compiled once, here; forked workers share them, and spaCy with them
        compiled.prepare_for_workers()
    return run_watched(inputs, workers, _process, _init_worker, initargs, time_limit,
                       timed_out=lambda item: _error_result(item, too_long_message(time_limit), [], compiled),
                       crashed=lambda item: _error_result(item, CRASHED, [], compiled))


CRASHED = ("reading this document stopped the process that read it (a reader library crashed, or the system "
           "ran out of memory); the other documents were read.")

_STATE: dict = {}


def _init_worker(compiled: CompiledLibrary, ocr: str, cache: Cache | None, time_limit: float | None = None,
                 memory_limit: int | None = None, workers: int = 1) -> None:
    if workers > 1:   # share the cores between workers' OCR processes
        os.environ["CLAUSESCAN_OCR_PROCESSES"] = str(max(1, (os.cpu_count() or 1) // workers))
    _STATE.update(compiled=compiled, ocr=ocr, cache=cache, time_limit=time_limit, memory_limit=memory_limit)


def _process(item: Input) -> DocumentResult:
    return process_input(item, _STATE["compiled"], _STATE["ocr"], _STATE["cache"], _STATE["time_limit"],
                         _STATE["memory_limit"])


def process_input(item: Input, compiled: CompiledLibrary, ocr: str, cache: Cache | None,
                  time_limit: float | None = None, memory_limit: int | None = None) -> DocumentResult:
    """One document, start to finish: the work a local process or a Dask worker does per input.
    Whatever goes wrong with this one document (its time or memory limit, a bug) becomes its
    error row, and the batch goes on."""
    notes: list[str] = []
    try:
        with document_limits(time_limit, memory_limit):
            return _read_and_analyse(item, compiled, ocr, cache)
    except TimeLimitExceeded:
        assert time_limit, "only a time limit raises TimeLimitExceeded"
        error = too_long_message(time_limit)
    except MemoryError:
        error = too_large_message(memory_limit) if memory_limit else \
            "too large: this document needed more memory than the computer has."
    except Exception as exc:   # a bug: reported on this document's row, not as the end of the batch
        error = "clausescan failed on this document because of a bug; please report it with the file."
        notes.append(f"{type(exc).__name__}: {exc}")
    return _error_result(item, error, notes, compiled)


def _error_result(item: Input, error: str, notes: list[str], compiled: CompiledLibrary) -> DocumentResult:
    sha = hashlib.sha256(item.data).hexdigest() if item.data is not None else ""
    return analyse(Document(file=item.name, sha256=sha, status="error", error=error, notes=notes), compiled)


def _read_and_analyse(item: Input, compiled: CompiledLibrary, ocr: str, cache: Cache | None) -> DocumentResult:
    item = with_bytes(item)
    data = item.data
    if item.error or data is None:   # with_bytes gives the bytes or the reason there are none
        unread = Document(file=item.name, status="error", error=item.error)
        return with_kind(analyse(unread, compiled), classify(unread))
    sha = hashlib.sha256(data).hexdigest()
    result_key = f"{sha}:{ocr}:{EXTRACT_VERSION}:{MATCH_VERSION}:{compiled.library.version}:{__version__}:{kinds_version()}"
    if cache and (restored := _read_cached(_result_from_cache, cache.get("results", result_key), item.name)):
        return restored
    pages_key = f"{sha}:{ocr}:{EXTRACT_VERSION}"
    document = _read_cached(Document.from_json, cache.get("pages", pages_key), item.name) if cache else None
    if document is None:
        document = extract(Path(item.name), display_name=item.name, data=data, ocr=ocr, cache=cache)
        if cache and document.status != "error" and not document.pages_unreadable:
            cache.put("pages", pages_key, document.to_json())
    del item, data   # the file's bytes (a scanned PDF's can be hundreds of MB) are not needed after reading
    # the cache, if this document's results may be kept in it
    keep_in = cache if cache is not None and document.status != "error" and not document.pages_unreadable else None
    kind = _classify_cached(document, keep_in, f"{pages_key}:{kinds_version()}") if keep_in is not None \
        else classify(document)
    if not kind.judged:
        result = not_a_contract(document, compiled, kind)
    elif keep_in is not None:
        # OCR'd text is matched through a view that depends on the words of the built-in rules (ocrview.py)
        result = _analyse_changed_rules(document, compiled, keep_in,
                                        f"{pages_key}:{MATCH_VERSION}:{__version__}:{lexicon_version()}")
    else:
        result = analyse(document, compiled)
    with_kind(result, kind)
    if keep_in is not None:   # the document as the findings JSON has it, and its pages with their text
        keep_in.put("results", result_key, {"document": document.to_json(), "result": document_dict(result)})
    return result


def _result_from_cache(entry: dict, name: str) -> DocumentResult:
    result = document_from_dict({**entry["result"], "file": name})
    result.document = Document.from_json(entry["document"], name)
    return result


def _read_cached(read, entry, *args):
    """`read(entry, *args)`; None when there is no entry, or it is from another version or damaged:
    what it held is then made again."""
    try:
        return read(entry, *args) if entry is not None else None
    except (TypeError, KeyError, ValueError, AttributeError):
        return None


def _classify_cached(document: Document, cache: Cache, key: str) -> DocumentKind:
    """The document's kind, kept by its text: a re-scan after a rule edit does not read it again."""
    entry = cache.get("kinds", key)
    if isinstance(entry, dict) and isinstance(entry.get("kind"), str) and isinstance(entry.get("reason"), str):
        return DocumentKind(entry["kind"], entry["reason"])
    kind = classify(document)
    cache.put("kinds", key, {"kind": kind.kind, "reason": kind.reason})
    return kind


def with_kind(result: DocumentResult, kind: DocumentKind) -> DocumentResult:
    result.document_kind, result.kind_reason = kind.kind, kind.reason
    return result




def not_a_contract(document: Document, compiled: CompiledLibrary, kind: DocumentKind) -> DocumentResult:
    """A document that gets no verdicts: correspondence keeps its parties and the documents it
    refers to; data and other files only their name."""
    if kind.kind != CORRESPONDENCE:
        return DocumentResult(document=document)
    # matched for the documents it refers to only (the rules whose value is a reference): they feed `clausescan followup`
    references = frozenset(rule.id for rule in compiled.library.rules if rule.value == REFERENCE)
    findings, parties, title = match_document(document, compiled.only(references))
    return DocumentResult(document=document, findings=findings, parties=parties, title=title)


def _analyse_changed_rules(document: Document, compiled: CompiledLibrary, cache: Cache, key: str) -> DocumentResult:
    """Match only the rules whose findings in this document are not cached (all of them the first
    time; after a rule is edited, that rule), and cache the findings of each rule, and what no rule
    changes: the document's facts, and the document cut up for matching."""
    rule_keys = compiled.library.rule_keys
    entry = cache.get("rule-findings", key)
    entry = entry if isinstance(entry, dict) else {}
    known = {rule_id: findings for rule_id, rule_key in rule_keys.items()
             if (findings := _read_cached(_findings_from_cache, entry.get(rule_key), document.file)) is not None}
    missing = frozenset(rule_keys) - set(known)
    prepared = Prepared.from_json(cache.get("prepared", key))
    if prepared is None:
        prepared = prepare(document)
        cache.put("prepared", key, prepared.to_json())
    new_findings, parties, title = match_document(document, compiled.only(missing), prepared)
    by_rule: dict[str, list[Finding]] = {rule_id: [] for rule_id in missing} | known
    for finding in new_findings:
        by_rule[finding.rule].append(finding)
    facts = _read_cached(ContractFacts.from_json, entry.get(FACTS_KEY))
    result = analyse(document, compiled, matched=([f for fs in by_rule.values() for f in fs], parties, title),
                     facts=facts)
    cache.put("rule-findings", key, {FACTS_KEY: result.facts.to_json() if result.facts else None,
                                     **{rule_keys[rule_id]: [f.to_json() for f in findings]
                                        for rule_id, findings in by_rule.items()}})
    return result


FACTS_KEY = "facts"   # beside the rule keys, which are hex digests


def _findings_from_cache(entries: list, name: str) -> list[Finding]:
    return [Finding.from_json(f, name) for f in entries]


def analyse(document: Document, compiled: CompiledLibrary, matched=None, facts=None) -> DocumentResult:
    """Match (unless `matched` gives the findings, parties and title already), read the contract's
    facts (unless given) and judge."""
    if matched is not None:
        findings, parties, title = matched
    else:
        findings, parties, title = ([], {}, "") if document.status == "error" else match_document(document, compiled)
    findings.sort(key=finding_order)
    if facts is None and document.status != "error":
        facts = read_facts(document, parties)
    return DocumentResult(document=document, findings=findings, parties=parties, title=title, facts=facts,
                          summary=verdicts(document, findings, compiled.library.rules))
