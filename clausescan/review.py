"""The review loop: a person marks a finding confirmed or wrong once, in reviews.yaml, and every
later scan, report and check applies it.

A review is keyed by what identifies a finding across re-scans: the file's SHA-256 (so the reviews
of a file that changed no longer apply: they are stale), the rule id, and a fingerprint of the
quote (case-folded, whitespace collapsed, so a re-extraction with other line breaks still
matches). The file name, page and an excerpt of the quote are there for a person editing the file.

Reviews are applied after matching and before judging, in one place (`review_findings`): a finding
marked wrong leaves the findings and the verdicts (a wrong safeguard cannot hide a missing one, a
wrong concern makes no concern), and is kept aside (DocumentResult.marked_wrong) for the JSON.
Applying them is cheap and comes after the cached findings load, so editing reviews.yaml never
needs a re-scan."""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ReviewsError, UsageError
from .judge import verdicts
from .models import Finding, ReviewStatus, ScanResult, finding_order
from .report.atomic import write_text
from .rules.loader import SAFE_LOADER

CONFIRMED: ReviewStatus = "confirmed"
WRONG: ReviewStatus = "wrong"
STATUSES: tuple[ReviewStatus, ...] = (CONFIRMED, WRONG)
DEFAULT_FILE = "reviews.yaml"
EXCERPT = 120          # characters of the quote kept in the file, for the person reading it
SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)   # libyaml's, when PyYAML has it: faster
HEX = re.compile(r"[0-9a-f]+")
KEYS = ("id", "file", "page", "rule", "quote", "status", "note", "sha256", "fingerprint")
HEADER = """\
# clausescan reviews: a person's verdict on findings, applied by every later scan, report and check.
# Written by 'clausescan review FINDINGS.json --wrong ID' (or --confirm ID); you may edit it by hand.
# status: confirmed or wrong; note: optional. sha256, rule and fingerprint (of the quote) say which
# finding is meant; file, page and quote are there to read. A file that changes gets new reviews.
"""


def fingerprint(quote: str) -> str:
    """The quote case-folded, its whitespace collapsed, hashed: line breaks do not change it."""
    return hashlib.sha256(" ".join(quote.casefold().split()).encode("utf-8")).hexdigest()[:16]


def finding_id(sha256: str, rule: str, quote_fingerprint: str) -> str:
    """The short id a person types: the same finding of the same file has the same id in every scan."""
    return hashlib.sha256(f"{sha256}:{rule}:{quote_fingerprint}".encode()).hexdigest()[:8]


@dataclass
class Review:
    sha256: str
    rule: str
    fingerprint: str
    status: ReviewStatus
    note: str | None = None
    file: str = ""
    page: int | None = None
    quote: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return self.sha256, self.rule, self.fingerprint

    @property
    def id(self) -> str:
        return finding_id(*self.key)

    def to_yaml(self) -> dict:
        excerpt = " ".join(self.quote.split())
        excerpt = excerpt if len(excerpt) <= EXCERPT else excerpt[:EXCERPT - 1] + "…"
        out = {"id": self.id, "file": self.file, "page": self.page, "rule": self.rule, "quote": excerpt,
               "status": self.status}
        if self.note:
            out["note"] = self.note
        return out | {"sha256": self.sha256, "fingerprint": self.fingerprint}


@dataclass
class Reviews:
    path: Path
    by_key: dict[tuple[str, str, str], Review] = field(default_factory=dict)

    def find(self, sha256: str, rule: str, quote: str) -> Review | None:
        return self.by_key.get((sha256, rule, fingerprint(quote)))

    def to_yaml(self) -> str:
        entries = sorted(self.by_key.values(), key=lambda r: (r.file, r.page or 0, r.rule, r.fingerprint))
        body = yaml.dump({"reviews": [r.to_yaml() for r in entries]}, Dumper=SAFE_DUMPER, sort_keys=False,
                         allow_unicode=True, width=100)
        return HEADER + body

    def save(self) -> None:
        write_text(self.path, self.to_yaml())


# --- loading and validating ------------------------------------------------------------------

def load(path: Path | str) -> Reviews:
    """The reviews in `path` (none if the file does not exist yet), validated: a mistake raises
    ReviewsError naming the file, the review and the key."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Reviews(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewsError(f"{path} cannot be read ({exc}).") from exc
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ReviewsError(f"{path} is not valid YAML{where}: {getattr(exc, 'problem', None) or exc}.") from exc
    if data is None:
        return Reviews(path)
    if not isinstance(data, dict) or set(data) - {"reviews"}:
        raise ReviewsError(f"{path} must have one top-level key 'reviews', a list of reviews.")
    entries = data.get("reviews") or []
    if not isinstance(entries, list):
        raise ReviewsError(f"{path}: key 'reviews' must be a list of reviews, not {type(entries).__name__}.")
    reviews = Reviews(path)
    for number, entry in enumerate(entries, start=1):
        review = _review(entry, f"{path}: review {number}")
        if review.key in reviews.by_key:
            raise ReviewsError(f"{path}: review {number} (id {review.id}) reviews the same finding as an earlier "
                               "one; keep one of them.")
        reviews.by_key[review.key] = review
    return reviews


def _review(entry, where: str) -> Review:
    if not isinstance(entry, dict):
        raise ReviewsError(f"{where} must be a mapping of keys ({', '.join(KEYS)}).")
    unknown = [k for k in entry if k not in KEYS]
    if unknown:
        raise ReviewsError(f"{where}: key {unknown[0]!r} is not a review key; the keys are {', '.join(KEYS)}.")

    def text(key: str, length: int | None = None) -> str:
        value = entry.get(key)
        kind = "a text" if length is None else f"{length} hex digits"
        if value is None:
            raise ReviewsError(f"{where}: key {key!r} is missing; it must be {kind}.")
        if not isinstance(value, str) or not value.strip() or \
                (length is not None and not (len(value) == length and HEX.fullmatch(value))):
            raise ReviewsError(f"{where}: key {key!r} must be {kind}, not {value!r}.")
        return value

    def optional_text(key: str) -> str | None:
        return None if entry.get(key) in (None, "") else text(key)

    status = entry.get("status")
    if status not in STATUSES:
        raise ReviewsError(f"{where}: key 'status' must be 'confirmed' or 'wrong', not {status!r}.")
    page = entry.get("page")
    if page is not None and (not isinstance(page, int) or isinstance(page, bool) or page < 1):
        raise ReviewsError(f"{where}: key 'page' must be a page number, not {page!r}.")
    review = Review(sha256=text("sha256", length=64), rule=text("rule"), fingerprint=text("fingerprint", length=16),
                    status=status, note=optional_text("note"), file=optional_text("file") or "",
                    page=page, quote=optional_text("quote") or "")
    if entry.get("id") is not None and entry["id"] != review.id:
        raise ReviewsError(f"{where}: key 'id' is {entry['id']!r} but its sha256, rule and fingerprint make "
                           f"{review.id!r}; correct the id or remove it.")
    return review


def for_scan(path: Path | str | None) -> Reviews | None:
    """The reviews a scan, check or report applies: `path` (which must exist), else reviews.yaml in
    the current folder if there is one, else none."""
    if path is None:
        return load(DEFAULT_FILE) if Path(DEFAULT_FILE).is_file() else None
    if not Path(path).is_file():
        raise UsageError(f"--reviews {path}: no such file; mark findings with 'clausescan review FINDINGS.json "
                         "--wrong ID' to create it.")
    return load(path)


# --- applying: to a scan, or to a findings file read back (report/json.read) ---------------------

@dataclass
class ReviewOutcome:
    """What applying a reviews file to one scan did."""
    path: str
    confirmed: int = 0
    wrong: int = 0
    stale: list[Review] = field(default_factory=list)      # its file was scanned, with other content
    not_found: list[Review] = field(default_factory=list)  # its file is unchanged, the finding is no longer made

    @property
    def applied_or_lost(self) -> bool:
        """Whether any review applied to this scan, or should have and no longer does."""
        return bool(self.confirmed or self.wrong or self.stale or self.not_found)

    def line(self) -> str:
        """ "reviews.yaml: 2 findings marked wrong by review left out, 1 confirmed." and what did not apply."""
        text = f"{self.path}: {_count(self.wrong, 'finding')} marked wrong by review left out, {self.confirmed} " \
               "confirmed"
        if self.stale:
            files = sorted({Path(r.file).name for r in self.stale})
            text += f"; {_count(len(self.stale), 'review')} stale, for a file that changed since ({', '.join(files)})"
        if self.not_found:
            text += f"; {_count(len(self.not_found), 'review')} of findings no longer made"
        return text + "."

    def to_json(self) -> dict:
        return {"file": self.path, "confirmed": self.confirmed, "wrong": self.wrong,
                "stale": [r.to_yaml() for r in self.stale], "not_found": [r.to_yaml() for r in self.not_found]}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def review_findings(reviews: Reviews, sha256: str, findings: list[Finding],
                    applied: set) -> tuple[list[Finding], list[Finding]]:
    """Each finding's review set from the reviews; returns the findings kept (confirmed or not
    reviewed) and those marked wrong. The keys of the reviews used are added to `applied`."""
    kept: list[Finding] = []
    wrong: list[Finding] = []
    for f in findings:
        review = reviews.find(sha256, f.rule, f.quote)
        f.review, f.review_note = (review.status, review.note) if review else (None, None)
        if review:
            applied.add(review.key)
        (wrong if f.review == WRONG else kept).append(f)
    return kept, wrong


def apply(result: ScanResult, reviews: Reviews) -> ReviewOutcome:
    """Apply the reviews to a scan, before its law verdicts and reports: findings marked wrong
    move to `marked_wrong` and the document's verdicts are judged again without them."""
    applied: set = set()
    for d in result.documents:
        d.findings, d.marked_wrong = review_findings(reviews, d.document.sha256, d.findings + d.marked_wrong, applied)
        d.findings.sort(key=finding_order)
        if d.summary:
            d.summary = verdicts(d.document, d.findings, result.rules)
    return _outcome(reviews, applied, [(d.document.file, d.document.sha256) for d in result.documents],
                    [f for d in result.documents for f in d.findings], [f for d in result.documents for f in d.marked_wrong])


def document_counts(kept: list[Finding], wrong: list[Finding]) -> dict:
    """The "review_counts" key of a document in the JSON, when any of its findings was reviewed."""
    confirmed = sum(f.review == CONFIRMED for f in kept)
    return {"review_counts": {"confirmed": confirmed, "wrong": len(wrong)}} if confirmed or wrong else {}


def _outcome(reviews: Reviews, applied: set, files: list[tuple[str, str]], kept: list[Finding],
             wrong: list[Finding]) -> ReviewOutcome:
    outcome = ReviewOutcome(str(reviews.path), confirmed=sum(f.review == CONFIRMED for f in kept), wrong=len(wrong))
    scanned = {_same_file(name): sha for name, sha in files}
    shas = {sha for _, sha in files}
    for review in reviews.by_key.values():
        if review.key in applied:
            continue
        if review.sha256 in shas:
            outcome.not_found.append(review)
        elif review.file and scanned.get(_same_file(review.file), review.sha256) != review.sha256:
            outcome.stale.append(review)
    return outcome


def _same_file(name: str) -> str:
    """A file name as given, made comparable between `scan samples/x.pdf` and `scan ./samples`."""
    outer, bang, inner = name.partition("!")
    return os.path.normpath(os.path.abspath(outer)) + bang + inner


# --- `clausescan review FINDINGS.json`: listing and marking -----------------------------------

@dataclass
class Listed:
    """One finding of a findings file, with its id and its review in the reviews file."""
    id: str
    file: str
    sha256: str
    finding: Finding
    review: Review | None

    def line(self, whole: bool = False) -> str:
        """One line: the id, the review, where, the rule and the quote (cut at 100 characters unless `whole`)."""
        f = self.finding
        where = f"p. {f.page}" + (f", § {f.section}" if f.section else "")
        status = self.review.status if self.review else "unreviewed"
        quote = " ".join(f.quote.split())
        quote = quote if whole or len(quote) <= 100 else quote[:99] + "…"
        note = f"  ({self.review.note})" if self.review and self.review.note else ""
        return f"{self.id}  [{status}]  {self.file} {where}  {f.rule} ({f.polarity})  “{quote}”{note}"


def listed(result: ScanResult, reviews: Reviews) -> list[Listed]:
    """Every finding of a scan read back, in the order of its findings file, marked wrong or not."""
    out = []
    for d in result.documents:
        sha = d.document.sha256
        for f in sorted(d.findings + d.marked_wrong, key=finding_order):
            quote_fingerprint = fingerprint(f.quote)
            out.append(Listed(finding_id(sha, f.rule, quote_fingerprint), d.document.file, sha, f,
                              reviews.by_key.get((sha, f.rule, quote_fingerprint))))
    return out


def list_text(result: ScanResult, reviews: Reviews) -> str:
    """Every finding with its id and review, then the reviews that no longer apply to this scan."""
    entries = listed(result, reviews)
    lines = [e.line() for e in entries]
    applied = {e.review.key for e in entries if e.review}
    outcome = _outcome(reviews, applied, [(d.document.file, d.document.sha256) for d in result.documents], [], [])
    for review in outcome.stale:
        lines.append(f"{review.id}  [stale: {review.status}]  {review.file} p. {review.page}  {review.rule}: the file "
                     "changed since this review, so it no longer applies; review the finding again.")
    for review in outcome.not_found:
        lines.append(f"{review.id}  [not found: {review.status}]  {review.file} p. {review.page}  {review.rule}: "
                     "this finding is no longer made, so the review does nothing.")
    counts = {status: sum(1 for e in entries if e.review and e.review.status == status) for status in STATUSES}
    lines.append(f"{_count(len(entries), 'finding')}: {counts[CONFIRMED]} confirmed, {counts[WRONG]} marked wrong, "
                 f"{len(entries) - counts[CONFIRMED] - counts[WRONG]} unreviewed"
                 + (f"; {_count(len(outcome.stale), 'stale review')}" if outcome.stale else "")
                 + f" ({reviews.path}).")
    return "\n".join(lines) + "\n"


def mark(result: ScanResult, reviews: Reviews, ids: list[str], status: ReviewStatus | None,
         note: str | None = None) -> list[Listed]:
    """Mark the findings with these ids `status` (confirmed or wrong), or forget their reviews
    (status None). Unknown ids raise UsageError before anything changes. Does not save."""
    by_id: dict[str, list[Listed]] = {}
    for entry in listed(result, reviews):
        by_id.setdefault(entry.id, []).append(entry)
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise UsageError(f"no finding with id {unknown[0]!r} in this findings file; run 'clausescan review "
                         "FINDINGS.json --list' to see the ids.")
    changed = []
    for finding_key in dict.fromkeys(ids):
        entry = by_id[finding_key][0]   # the same quote of the same rule twice in a file: one review for both
        key = (entry.sha256, entry.finding.rule, fingerprint(entry.finding.quote))
        if status is None:
            reviews.by_key.pop(key, None)
        else:
            reviews.by_key[key] = Review(*key, status=status, note=note, file=entry.file,
                                         page=entry.finding.page, quote=entry.finding.quote)
        changed.append(entry)
    return changed


def ask_each(result: ScanResult, reviews: Reviews, ask, show) -> int:
    """Ask, for each finding not yet reviewed, whether it is confirmed or wrong (and for a note),
    saving the reviews file after each answer, so stopping half-way loses nothing. `ask(prompt)`
    returns the answer, `show(text)` prints. Returns how many findings were marked."""
    marked = 0
    for entry in listed(result, reviews):
        if entry.review or (entry.sha256, entry.finding.rule, fingerprint(entry.finding.quote)) in reviews.by_key:
            continue   # reviewed, or the same quote of the same rule already answered above
        show(entry.line(whole=True))
        answer = ask("[c]onfirmed, [w]rong, [s]kip or [q]uit").strip().lower()[:1]
        if answer == "q":
            break
        if answer in ("c", "w"):
            note = ask("note (Enter for none)").strip() or None
            mark(result, reviews, [entry.id], CONFIRMED if answer == "c" else WRONG, note)
            reviews.save()
            marked += 1
    return marked
