"""The scan, top to bottom: collect inputs -> per document, extract -> segment -> parties -> match
-> facts -> judge -> the result. The one module that runs scans: of folders (scan), of a diff's two
files (diff_files), of the baseline template (read_one); it applies a state's law and a reviews
file to the result. How a scan runs (rules, OCR, limits, workers, cache) is one ScanOptions.

Documents are independent, so they are processed in parallel worker processes. Each stage is a
plain function of plain data (the end of this module); read_document chains them, and it alone
keeps what they make in the cache, each kind of value through one wrapper (cache.Kept) under a key
of what it depends on (DocumentKeys): the extracted pages (so no page is ever OCR'd twice), the
document's kind, the document cut up for matching, each rule's findings (so a rule change re-runs
only the rules that changed, from the cut-up document), the contract's facts, and the whole result
(so a re-scan with unchanged rules is mostly hashing)."""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from .cache import Cache, Kept
from .cluster import run_on_cluster
from .diff import DiffResult, apply_baseline, compare
from .extract import extract
from .extract.containers import CONTAINERS, expand
from .extract.sniff import HEAD_BYTES, sniff, sniff_head
from .errors import InputError, NothingToScan, UsageError
from .facts import ContractFacts, read_facts
from .inputs import Input, collect, not_a_file, open_regular, printable_name, skipped_kinds, with_bytes
from .limits import (DOCUMENT_MEMORY_MB, DOCUMENT_SECONDS, TimeLimitExceeded, document_limits, too_large_message,
                     too_long_message)
from .judge import verdicts
from .kinds import CORRESPONDENCE, DocumentKind, classify, mark_copies
from .kinds import version as kinds_version
from .law import apply as apply_law
from .match import match_document
from .models import Document, DocumentResult, Finding, finding_order
from .ocrview import lexicon_version
from .options import ScanOptions
from .preamble import Parties, read_parties
from .profiles import load_profile
from .report.json import document_dict, document_from_dict
from .result import ScanResult
from .review import Reviews, apply as apply_reviews, load
from .rules.engine import CompiledLibrary
from .rules.loader import RuleLibrary, load_rules
from .rules.values import REFERENCE
from .segment import Segmented, segment
from .version import __version__
from .watchdog import can_start_workers, forks, run_watched

EXTRACT_VERSION = "6"   # bump when extraction or OCR output changes, to invalidate cached pages
# bump when segmenting or the shared matching and polarity logic change what a rule finds, so that
# no finding cached by the old logic is reused (4: the title and parties read from the preamble;
# private parties, agreed text and recitals; 6: OCR'd text matched through ocrview's tolerant view;
# 9: struck-out text of a marked copy blanked, values read from the text as matched; 10: a blank line
# at a page's edge is no paragraph break; 11: parties from the preamble, capital list marks, words an
# amendment deletes; 12: public bodies described in lower case; 13: provisos read on their own, terms
# pasted into quoted messages; 14: an excluded noun beside a needed one in a list, a yes/no answer
# pair, periods in citations; 15: a staff report before the agreement it presents; 16: a definition
# whose term is its run-in heading; 17: an opening "unless" condition keeps its negation; 18: a
# non-binding term sheet's proposals are no protections; 19: "shall not fail to" is a duty; 20: numbered
# terms run into one paragraph, underlined headings, long running headers, a safeguard yielding to the
# concern its exception names, a retailer as the private party; 21: a redline's "Deleted: [...]"; 22: a word of a
# document's name, "the Equipment Lease and Data Services Agreement", or a cross-reference's title,
# "Section 9.2 (Automatic Renewal)", is no trigger; 23: a table cell that ends a sentence ends it,
# "shares no data" is negated; 24: "It shall be unlawful ... to sell" forbids)
MATCH_VERSION = "24"


@dataclass
class ScanProgress:
    """What a scan's `progress` callback is given: before the first document (done 0, result None)
    and after each. Results arrive in input order, so `reading` is the document the scan waits for."""
    done: int
    total: int
    reading: str | None = None          # the next document's name, None after the last
    result: DocumentResult | None = None   # the document just finished


def iter_inputs(files) -> Iterator[Input]:
    """Every input, in order, with its kind (extract.sniff's) when its first bytes tell it; ZIP
    archives yield one input per member, e-mail messages one for the message and one per
    attachment."""
    for path in files:
        name = printable_name(str(path))
        if reason := not_a_file(path):
            yield Input(name, error=reason)
            continue
        try:
            with open_regular(path) as fh:
                head = fh.read(HEAD_BYTES)
                kind = sniff_head(head, path.name, whole=not fh.read(1))
        except OSError as exc:
            yield Input(name, error=f"the file could not be opened ({exc.strerror or exc}).")
            continue
        # only the whole file tells (a ZIP, so a DOCX too), or it holds documents (an e-mail message)
        if kind is None or kind in CONTAINERS:
            try:
                with open_regular(path) as fh:
                    data = fh.read()
            except OSError as exc:
                yield Input(name, error=f"the file could not be opened ({exc.strerror or exc}).")
                continue
            kind = kind or sniff(data, path.name)
            if kind in CONTAINERS:
                for member in expand(data, name, kind):
                    yield Input(member.name, data=member.data, error=member.error, kind=member.kind)
                continue
        yield Input(name, path=path, kind=kind)


def scan(paths, rules: RuleLibrary | None = None, ocr: str = "auto", cache: Cache | None = None,
         workers: int | None = None, progress=None, dask=None, profile=None, baseline=None,
         time_limit: float | None = DOCUMENT_SECONDS, memory_limit: int | None = DOCUMENT_MEMORY_MB,
         include=(), exclude=(), reviews=None) -> ScanResult:
    """Scan files and folders; every input becomes a DocumentResult, read or not, and only
    contracts (agreements, amendments, order forms, policies) get rule verdicts.

    How the documents are read (a ScanOptions): `include` and `exclude`, glob patterns, choose the
    files read under the folders given (see inputs.py: by default source code, data files and
    dotfiles are skipped, and listed as such). `dask`, a scheduler address ("tcp://host:8786") or a
    distributed.Client, runs the documents on that Dask cluster instead of local processes
    (`workers` is then ignored); see cluster.py. `time_limit` (seconds) and `memory_limit` (MB)
    bound each document (limits.py); None or 0 for none. With a time limit, even one document is
    read in a worker process that the scan kills if it overruns (watchdog.py); without one, a
    single worker reads in this process.

    What is done with the result: `profile`, a state ("me", "Maine") or a loaded Profile, judges
    each document against that state's ALPR law (law.py); `baseline`, the vendor's template file,
    compares each document with it (diff.py); `reviews`, a reviews file or loaded review.Reviews,
    leaves out the findings a person marked wrong and judges without them (review.py)."""
    options = ScanOptions(rules=rules, ocr=ocr, cache=cache, workers=workers, time_limit=time_limit,
                          memory_limit=memory_limit, include=tuple(include), exclude=tuple(exclude), dask=dask)
    return scan_with(paths, options, progress=progress, profile=profile, baseline=baseline, reviews=reviews)


def scan_with(paths, options: ScanOptions, progress=None, profile=None, baseline=None, reviews=None) -> ScanResult:
    """scan(), its options as one ScanOptions."""
    options = replace(options, rules=options.rules or load_rules())
    library = options.rules
    assert library is not None
    if isinstance(profile, str):
        profile = load_profile(profile)
    template = None
    if baseline:   # read first: an unreadable template stops the batch before it starts
        template = read_one(baseline, options, role="baseline template")
    paths = list(paths) if isinstance(paths, (list, tuple)) else [paths]
    files, skipped = collect(paths, options.include, options.exclude)
    if not files:
        raise NothingToScan(nothing_to_scan(paths, skipped))
    inputs = list(iter_inputs(files))
    workers = max(1, min(options.workers or os.cpu_count() or 1, len(inputs)))
    compiled = CompiledLibrary(library, cache=options.cache)
    results_iter: Iterator[DocumentResult]
    if options.dask is not None:
        results_iter = run_on_cluster(options.dask, inputs, process_input, replace(options, workers=None))
    elif not can_start_workers() or (workers == 1 and not options.time_limit):   # read here: no worker to watch
        results_iter = map(partial(process_input, compiled=compiled, options=replace(options, workers=1)), inputs)
    else:
        results_iter = _run_in_pool(inputs, compiled, replace(options, workers=workers))
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
        if close := getattr(results_iter, "close", None):
            close()   # stops the pool, or cancels what is still queued on the cluster
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


def read_one(path, options: ScanOptions, role: str = "file") -> DocumentResult:
    """Scan one contract file with the ordinary pipeline; a folder, an archive of several
    documents or an unreadable file is an error that says so."""
    if Path(path).is_dir():
        raise UsageError(f"{path} is a folder; the {role} must be one contract file.")
    documents = scan_with([path], replace(options, workers=1)).documents
    if len(documents) != 1:
        raise UsageError(f"{path} holds {len(documents)} documents; give the {role} as one contract file "
                         "(unzip the archive first).")
    document = documents[0]
    if document.document.status == "error":
        raise InputError(f"the {role} {path} could not be read: {document.document.error}")
    return document


def diff_files(old_path, new_path, rules=None, ocr: str = "auto", cache=None) -> DiffResult:
    options = ScanOptions(rules=rules, ocr=ocr, cache=cache)
    return compare(read_one(old_path, options, role="old version"), read_one(new_path, options, role="new version"))


def nothing_to_scan(paths: list, skipped: list) -> str:
    """Why a scan found nothing to read, in one sentence."""
    where = ", ".join(str(p) for p in paths) or "the paths given"
    if skipped:
        return (f"no contract files to read in {where}: every file there is skipped by default "
                f"({skipped_kinds(skipped)}); --include GLOB reads them.")
    return f"no contract files to read in {where}: the folder is empty; nothing was written."


def _run_in_pool(inputs: list[Input], compiled: CompiledLibrary, options: ScanOptions) -> Iterator[DocumentResult]:
    """Results in input order from `options.workers` worker processes the scan watches
    (watchdog.py): a document still being read past its time limit, even inside a reader's C code,
    is stopped with its worker and becomes its "took too long" row; one whose worker dies (a reader
    library crashing the process, the kernel killing it for memory) its crash row; a new worker
    reads on."""
    if forks():   # the rules compiled once, here; forked workers share them, and spaCy with them
        compiled.prepare_for_workers()
    time_limit = options.time_limit
    return run_watched(inputs, options.workers or 1, partial(process_input, compiled=compiled, options=options),
                       time_limit, timed_out=lambda item: _error_result(item, too_long_message(time_limit or 0), [],
                                                                         compiled),
                       crashed=lambda item: _error_result(item, CRASHED, [], compiled))


CRASHED = ("reading this document stopped the process that read it (a reader library crashed, or the system "
           "ran out of memory); the other documents were read.")


def process_input(item: Input, compiled: CompiledLibrary, options: ScanOptions) -> DocumentResult:
    """One document, start to finish: the work a local process or a Dask worker does per input.
    Whatever goes wrong with this one document (its time or memory limit, a bug) becomes its
    error row, and the batch goes on."""
    notes: list[str] = []
    try:
        with document_limits(options.time_limit, options.memory_limit):
            return read_document(item, compiled, options)
    except TimeLimitExceeded:
        assert options.time_limit, "only a time limit raises TimeLimitExceeded"
        error = too_long_message(options.time_limit)
    except MemoryError:
        error = too_large_message(options.memory_limit) if options.memory_limit else \
            "too large: this document needed more memory than the computer has."
    except Exception as exc:   # a bug: reported on this document's row, not as the end of the batch
        error = "clausescan failed on this document because of a bug; please report it with the file."
        notes.append(f"{type(exc).__name__}: {exc}")
    return _error_result(item, error, notes, compiled)


def _error_result(item: Input, error: str, notes: list[str], compiled: CompiledLibrary) -> DocumentResult:
    sha = item.sha256 or (hashlib.sha256(item.data).hexdigest() if item.data is not None else "")
    return analyse(Document(file=item.name, sha256=sha, status="error", error=error, notes=notes), compiled)


# --- one document: the stages chained, and what they make kept in the cache -----------------------

@dataclass(frozen=True)
class DocumentKeys:
    """What each kept value of one document depends on, as its cache key's parts."""
    sha256: str
    ocr: str
    rules_version: str

    @property
    def pages(self) -> tuple:
        return self.sha256, self.ocr, EXTRACT_VERSION

    @property
    def kind(self) -> tuple:
        return *self.pages, kinds_version()

    @property
    def matching(self) -> tuple:
        """The cut-up document, each rule's findings, the facts; OCR'd text is matched through a
        view that depends on the words of the built-in rules (ocrview.py)."""
        return *self.pages, MATCH_VERSION, __version__, lexicon_version()

    @property
    def result(self) -> tuple:
        return *self.pages, MATCH_VERSION, self.rules_version, __version__, kinds_version()


def _result_to_cache(result: DocumentResult) -> dict:
    """The document with its pages' text, and the result as the findings JSON has it."""
    return {"document": result.document.to_json(), "result": document_dict(result)}


def _result_from_cache(entry: dict, name: str) -> DocumentResult:
    result = document_from_dict({**entry["result"], "file": name})
    result.document = Document.from_json(entry["document"], name)
    return result


def _kind_from_cache(entry: dict) -> DocumentKind:
    if not (isinstance(entry.get("kind"), str) and isinstance(entry.get("reason"), str)):
        raise ValueError("not a document kind")
    return DocumentKind(entry["kind"], entry["reason"])


def _findings_from_cache(entries: list, name: str) -> list[Finding]:
    return [Finding.from_json(f, name) for f in entries]


# Each kind of kept value: its cache namespace, its writer and its reader.
RESULTS = Kept[DocumentResult]("results", _result_to_cache, _result_from_cache)
PAGES = Kept[Document]("pages", Document.to_json, Document.from_json)
KINDS = Kept[DocumentKind]("kinds", lambda kind: {"kind": kind.kind, "reason": kind.reason}, _kind_from_cache)
SEGMENTED = Kept[Segmented]("segmented", Segmented.to_json, Segmented.from_json)
# per document, each rule's findings under the rule's key (a digest of its definition)
RULE_FINDINGS = Kept[dict]("rule-findings", dict, lambda entry: entry if isinstance(entry, dict) else None)
FACTS = Kept[ContractFacts]("facts", ContractFacts.to_json, ContractFacts.from_json)


def fully_read(document: Document) -> bool:
    """Whether what is made from a document may be kept: a file that could not be read, or a page,
    may be read next time (another OCR setting, Tesseract installed)."""
    return document.status != "error" and not document.pages_unreadable


def read_document(item: Input, compiled: CompiledLibrary, options: ScanOptions) -> DocumentResult:
    """One input through the stages, what each makes kept in the cache (if any) by what it depends on."""
    item = with_bytes(item)
    if item.error or item.data is None or item.sha256 is None:   # with_bytes gives the bytes or why there are none
        unread = Document(file=item.name, status="error", error=item.error)
        return with_kind(analyse(unread, compiled), classify(unread))
    keys = DocumentKeys(item.sha256, options.ocr, compiled.library.version)
    cache = options.cache
    if (kept := RESULTS.get(cache, keys.result, item.name)) is not None:
        return kept
    document = PAGES.through(cache, keys.pages, partial(extract_pages, item, options), item.name, keep=fully_read)
    del item   # the file's bytes (a scanned PDF's can be hundreds of MB) are not needed after reading
    if not fully_read(document):
        cache = None
    kind = KINDS.through(cache, keys.kind, partial(classify, document))
    if not kind.judged:
        result = not_a_contract(document, compiled, kind)
    else:
        segmented = SEGMENTED.through(cache, keys.matching, partial(segment, document))
        parties = read_parties(segmented.blocks)
        findings = _match_changed_rules(document, compiled, segmented, parties, cache, keys.matching)
        facts = FACTS.through(cache, keys.matching, partial(read_facts, document, parties.names))
        result = judge(document, compiled, findings, parties, facts)
    with_kind(result, kind)
    RESULTS.put(cache, keys.result, result)
    return result


def _match_changed_rules(document: Document, compiled: CompiledLibrary, segmented: Segmented, parties: Parties,
                         cache: Cache | None, key: tuple) -> list[Finding]:
    """match, for only the rules whose findings in this document are not kept (all of them the
    first time; after a rule is edited, that rule), keeping each rule's findings."""
    if cache is None:
        return match_document(document, compiled, segmented, parties.roles)
    rule_keys = compiled.library.rule_keys
    kept = RULE_FINDINGS.get(cache, key) or {}
    known = {rule_id: findings for rule_id, rule_key in rule_keys.items()
             if (findings := _kept_findings(kept.get(rule_key), document.file)) is not None}
    missing = frozenset(rule_keys) - set(known)
    new_findings = match_document(document, compiled.only(missing), segmented, parties.roles) if missing else []
    by_rule: dict[str, list[Finding]] = {rule_id: [] for rule_id in missing} | known
    for finding in new_findings:
        by_rule[finding.rule].append(finding)
    if missing:
        RULE_FINDINGS.put(cache, key, {rule_keys[rule_id]: [f.to_json() for f in findings]
                                       for rule_id, findings in by_rule.items()})
    return [f for fs in by_rule.values() for f in fs]


def _kept_findings(entries, name: str) -> list[Finding] | None:
    """One rule's kept findings; None when none are kept, or they are damaged."""
    try:
        return _findings_from_cache(entries, name) if isinstance(entries, list) else None
    except (TypeError, KeyError, ValueError, AttributeError):
        return None


# --- the stages: plain functions of plain data ------------------------------------------------------

def extract_pages(item: Input, options: ScanOptions) -> Document:
    """extract: the input's pages of text, read as its kind says (OCR'd where they are scans)."""
    return extract(Path(item.name), display_name=item.name, data=item.data, ocr=options.reading, cache=options.cache,
                   kind=item.kind, sha256=item.sha256)


def not_a_contract(document: Document, compiled: CompiledLibrary, kind: DocumentKind) -> DocumentResult:
    """A document that gets no verdicts: correspondence keeps its parties and the documents it
    refers to; data and other files only their name."""
    if kind.kind != CORRESPONDENCE:
        return DocumentResult(document=document)
    # matched for the documents it refers to only (the rules whose value is a reference): they feed `clausescan followup`
    references = frozenset(rule.id for rule in compiled.library.rules if rule.value == REFERENCE)
    segmented = segment(document)
    parties = read_parties(segmented.blocks)
    findings = match_document(document, compiled.only(references), segmented, parties.roles)
    return DocumentResult(document=document, findings=findings, parties=parties.names, title=parties.title)


def analyse(document: Document, compiled: CompiledLibrary) -> DocumentResult:
    """segment -> parties -> match -> facts -> judge, nothing kept: for a document read, or one that could not be."""
    if document.status == "error":
        return judge(document, compiled, [], None, None)
    segmented = segment(document)
    parties = read_parties(segmented.blocks)
    findings = match_document(document, compiled, segmented, parties.roles)
    return judge(document, compiled, findings, parties, read_facts(document, parties.names))


def judge(document: Document, compiled: CompiledLibrary, findings: list[Finding], parties: Parties | None,
          facts: ContractFacts | None) -> DocumentResult:
    """judge: each rule's verdict from the findings, and the document's result."""
    findings = sorted(findings, key=finding_order)
    return DocumentResult(document=document, findings=findings, parties=parties.names if parties else {},
                          title=parties.title if parties else "", facts=facts,
                          summary=verdicts(document, findings, compiled.library.rules))


def with_kind(result: DocumentResult, kind: DocumentKind) -> DocumentResult:
    result.document_kind, result.kind_reason = kind.kind, kind.reason
    return result
