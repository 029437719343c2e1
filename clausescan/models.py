"""The plain dataclasses passed between the pipeline stages."""
from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:   # the types of fields that later stages fill in; never imported at run time
    from .diff import Baseline
    from .facts import ContractFacts
    from .inputs import Skipped
    from .law import LawVerdict
    from .profiles import Profile
    from .review import ReviewOutcome
    from .rules.schema import Rule


@dataclass
class Page:
    number: int                 # 1-based
    text: str
    method: str = "text"        # "text", "ocr", or "none" when unreadable
    unreadable_reason: str | None = None
    ocr_confidence: float | None = None
    tables: list = field(default_factory=list)   # rows of cells of price/term tables (PDF pages only)

    @property
    def low_quality_ocr(self) -> bool:
        """Read by OCR so poorly that a clause on it may have been missed (see LOW_QUALITY_OCR)."""
        return self.method == "ocr" and self.ocr_confidence is not None and self.ocr_confidence < LOW_QUALITY_OCR


# Tesseract's mean word confidence below which a page counts as low-quality OCR. Measured per page
# with benchmarks/ocr.py (290 scanned pages, ten kinds of degradation): pages at 90 or more gave 96%
# of their text layer's findings, pages under 90 only 79% (80-85: 73%, 85-90: 80%).
LOW_QUALITY_OCR = 90.0


@dataclass
class Document:
    file: str                   # the path as the user gave it, or as found under a folder
    sha256: str = ""
    kind: str = ""              # pdf, docx, txt, image...
    pages: list[Page] = field(default_factory=list)
    status: str = "ok"          # ok | partial | error
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        """Everything, page text included (the cache's form; the findings JSON keeps less)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict, file: str) -> Document:
        """The inverse of to_json, under the name `file` (the same content may come under another)."""
        return cls(**{**data, "pages": [Page(**p) for p in data["pages"]], "file": file})

    @property
    def pages_ocr(self) -> list[int]:
        return [p.number for p in self.pages if p.method == "ocr"]

    @property
    def pages_unreadable(self) -> list[int]:
        return [p.number for p in self.pages if p.unreadable_reason]

    @property
    def pages_low_quality_ocr(self) -> list[int]:
        return [p.number for p in self.pages if p.low_quality_ocr]

    @property
    def pages_ocr_confidence(self) -> dict[str, float]:
        """Page number (as a string, a JSON key) -> Tesseract's mean word confidence, 0-100."""
        return {str(p.number): p.ocr_confidence for p in self.pages if p.ocr_confidence is not None}

    @property
    def ocr_confidence(self) -> float | None:
        scores = [p.ocr_confidence for p in self.pages if p.ocr_confidence is not None]
        return round(sum(scores) / len(scores), 1) if scores else None


@dataclass
class Clause:
    """One sentence of contract text, with where it came from."""
    text: str
    page: int
    section: str | None = None
    heading: str | None = None
    is_definition: bool = False


# How a Finding field is written in the findings JSON (its `json` metadata): every field is a key
# of each finding, but for the file, which the JSON gives once per document, and the fields
# marked WHEN_SET, written only when they have a value.
WHEN_SET = "when set"
NOT_WRITTEN = "not written"
Polarity = Literal["concern", "safeguard", "info"]
ReviewStatus = Literal["confirmed", "wrong"]   # a person's verdict on a finding (review.py)


@dataclass
class Finding:
    """One matched sentence. Adding a field here is the whole change: the findings JSON, its
    reader, its published schema (report/json_schema.py) and the cache all follow the fields."""
    rule: str
    polarity: Polarity
    page: int
    section: str | None
    quote: str
    value: float | int | str | None = None
    unit: str | None = None
    file: str = field(default="", metadata={"json": NOT_WRITTEN})
    trigger: str = ""           # the words that set the finding off, for highlighting
    # a person's verdict from the reviews file (review.py), and its note
    review: ReviewStatus | None = field(default=None, metadata={"json": WHEN_SET})
    review_note: str | None = field(default=None, metadata={"json": WHEN_SET})

    def to_json(self) -> dict:
        out = {}
        for f in fields(self):
            written, value = f.metadata.get("json"), getattr(self, f.name)
            if written is None or (written == WHEN_SET and value):
                out[f.name] = value
        return out

    @classmethod
    def from_json(cls, data: dict, file: str = "") -> Finding:
        """The inverse of to_json (`file`: the document's, which the JSON gives once per document).
        Raises KeyError for a missing key without a default; keys it does not know are left out."""
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.metadata.get("json") != NOT_WRITTEN
                      and (f.name in data or f.default is MISSING)}, file=file)


def finding_order(f: Finding) -> tuple:
    """The order of a document's findings: by page, then rule, so every output lists them alike."""
    return f.page, f.rule, f.polarity, f.quote, str(f.value)


# The kinds of document (DocumentResult.document_kind), which kinds.py tells apart.
AGREEMENT, AMENDMENT, ORDER_FORM, POLICY = "agreement", "amendment", "order-form", "policy"
CORRESPONDENCE, DATA, OTHER, UNREAD, COPY = "correspondence", "data", "other", "unread", "copy"
# A staff or agenda report asks a council to approve a contract and states its terms: judged like one.
REPORT = "report"
OPERATIVE = {AGREEMENT, AMENDMENT, ORDER_FORM, POLICY, REPORT}
# A document that could not be read may be a contract: it is judged, and every verdict is "not fully read".
JUDGED = OPERATIVE | {UNREAD}


@dataclass
class DocumentResult:
    document: Document
    findings: list[Finding] = field(default_factory=list)
    summary: dict[str, str] = field(default_factory=dict)   # rule id -> verdict
    # agency_name, vendor_name when read; between: the parties as the preamble lists them (parties.py)
    parties: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    law: list[LawVerdict] = field(default_factory=list)     # when scanned with --profile
    facts: ContractFacts | None = None   # clausescan.facts: vendor, term, cameras, price...
    baseline: Baseline | None = None   # set by `scan --baseline`: the comparison with the template
    document_kind: str = "agreement"   # clausescan.kinds: agreement, amendment, order-form, policy, correspondence...
    kind_reason: str = ""              # why, in words: "titled 'Order Form'", "an e-mail without contract terms"
    copy_of: str | None = None         # for a copy (kinds.mark_copies): the file judged in its place
    marked_wrong: list[Finding] = field(default_factory=list)   # left out of findings and verdicts by review.py

    @property
    def judged(self) -> bool:
        """Whether the document gets rule verdicts: contracts, and files that could not be read."""
        return self.document_kind in JUDGED


@dataclass
class ScanResult:
    documents: list[DocumentResult]
    rules: list[Rule]           # the rules used
    rules_version: str
    tool_version: str
    profile: Profile | None = None   # the state law the documents were judged against
    skipped: list[Skipped] = field(default_factory=list)   # files under the folders that were not read
    reviews: ReviewOutcome | None = None   # when a reviews file was applied

    @property
    def judged(self) -> list[DocumentResult]:
        return [d for d in self.documents if d.judged]

    @property
    def findings(self) -> list[Finding]:
        """The findings of the contracts (a letter's references to other documents are in its own
        DocumentResult, for followup, but are not findings about a contract)."""
        return [f for d in self.documents if d.judged for f in d.findings]
