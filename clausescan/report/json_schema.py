"""The findings JSON (report/json.py) as types, and the JSON Schema published from them in
schema/findings.schema.json. Each TypedDict lists exactly the keys the writer puts in that object
(optional ones as NotRequired; a finding's, from the fields of models.Finding), and refuses others, so a key added to the writer and not here fails
the schema test: keys may be added to the file, never renamed or removed (../shared/spec/output.md).

Regenerate the file after changing a type: python -m clausescan.report.json_schema > schema/findings.schema.json"""
from __future__ import annotations

import json
from dataclasses import fields
from typing import TYPE_CHECKING, Literal, NotRequired, Union, get_args, get_type_hints

from pydantic import ConfigDict, TypeAdapter, with_config
from typing_extensions import TypedDict   # pydantic reads typing.TypedDict only from Python 3.12

from .. import models

EXACT = ConfigDict(extra="forbid")
Polarity = models.Polarity
Value = float | int | str | None


@with_config(EXACT)
class Tool(TypedDict):
    name: Literal["clausescan"]
    version: str


@with_config(EXACT)
class Rules(TypedDict):
    count: int
    version: str


def _finding_type(finding=models.Finding) -> type:
    """A finding's keys, from the fields of models.Finding as its to_json writes them: a field
    marked WHEN_SET is NotRequired, and its type without None."""
    hints = get_type_hints(finding)
    keys: dict = {}
    for f in fields(finding):
        written = f.metadata.get("json")
        if written == models.NOT_WRITTEN:
            continue
        if written == models.WHEN_SET:
            keys[f.name] = NotRequired[Union[tuple(t for t in get_args(hints[f.name]) if t is not type(None))]]
        else:
            keys[f.name] = hints[f.name]
    return with_config(EXACT)(TypedDict("Finding", keys))   # type: ignore[operator]  # keys known at run time


if TYPE_CHECKING:   # to mypy, which cannot read a TypedDict made at run time, a finding is a dict
    Finding = dict[str, Value]
else:
    Finding = _finding_type()


@with_config(EXACT)
class Fact(TypedDict):
    value: str | int | float   # ISO date, months, count, or US dollars
    text: str
    page: int


@with_config(EXACT)
class Metadata(TypedDict):
    vendor: Fact | None
    agency: Fact | None
    effective_date: Fact | None
    initial_term_months: Fact | None
    renewal_term_months: Fact | None
    cameras: Fact | None
    price_per_camera_year: Fact | None
    total_contract_value: Fact | None
    attachments: list[str]
    web_address: str | None


@with_config(EXACT)
class CitedChange(TypedDict):
    rule: str
    polarity: Polarity
    page: int
    section: str | None
    quote: str


@with_config(EXACT)
class ValuesChange(TypedDict):
    rule: str
    polarity: Polarity
    old_values: list[str]
    new_values: list[str]


@with_config(EXACT)
class Baseline(TypedDict):
    """A document compared with the template of scan --baseline; the counts only when it is not the template."""
    file: str
    is_template: bool
    findings_gained: NotRequired[list[CitedChange]]
    findings_lost: NotRequired[list[CitedChange]]
    findings_changed: NotRequired[list[ValuesChange]]
    clauses_added: NotRequired[int]
    clauses_removed: NotRequired[int]
    clauses_changed: NotRequired[int]
    clauses_unchanged: NotRequired[int]


@with_config(EXACT)
class LawVerdict(TypedDict):
    kind: str
    status: Literal["exceeds limit", "conflicts", "within limit", "check", "not stated in contract", "not fully read"]
    text: str
    citation: str
    verified: bool
    page: int | None


@with_config(EXACT)
class Party(TypedDict):
    name: str
    defined_as: str            # the short name the contract gives it: "Customer", "Flock"
    side: Literal["vendor", "agency", "private", ""]
    named: bool                # False for a party the text only describes


@with_config(EXACT)
class Parties(TypedDict):
    agency_name: NotRequired[str]
    vendor_name: NotRequired[str]
    between: NotRequired[list[Party]]   # every party the preamble names, in its order


@with_config(EXACT)
class ReviewCounts(TypedDict):
    confirmed: int
    wrong: int


@with_config(EXACT)
class Document(TypedDict):
    file: str                  # the path as given, or as found under a folder given
    sha256: str
    kind: str                  # pdf, docx, txt, image...
    document_kind: str         # agreement, amendment, order-form, policy, correspondence...
    document_kind_reason: str
    status: Literal["ok", "partial", "error"]
    error: str | None          # why nothing could be read, in one sentence
    notes: list[str]
    pages: int
    pages_ocr: list[int]
    pages_unreadable: list[int]
    unreadable_reasons: dict[str, str]      # page number -> why it could not be read
    ocr_confidence: float | None
    pages_ocr_confidence: dict[str, float]  # page number -> Tesseract's mean word confidence
    pages_low_quality_ocr: list[int]
    title: str
    parties: Parties
    findings: list[Finding]
    summary: dict[str, str]    # rule id -> verdict
    metadata: Metadata | None
    baseline: NotRequired[Baseline]        # only with scan --baseline
    copy_of: NotRequired[str]              # a text copy, judged as this file
    law: NotRequired[list[LawVerdict]]     # only with --profile
    review_counts: NotRequired[ReviewCounts]
    town: str


@with_config(EXACT)
class Evidence(TypedDict):
    file: str
    page: int
    section: str | None
    polarity: Polarity


@with_config(EXACT)
class TownVerdict(TypedDict):
    verdict: str
    findings: list[Evidence]


@with_config(EXACT)
class Town(TypedDict):
    name: str
    named_from: str
    documents: list[str]
    verdicts: dict[str, TownVerdict]


@with_config(EXACT)
class Skipped(TypedDict):
    file: str
    reason: str


@with_config(EXACT)
class Limit(TypedDict):
    kind: str
    rules: dict[str, str]      # the rule judged for each role of the kind: {"sale": "data-sale"}
    max: str | None
    max_days: float | int | None
    states: list[str]
    summary: str
    exceptions: str | None
    citation: str
    url: str | None
    checked: str               # ISO date
    verified: bool
    sources: list[str]


@with_config(EXACT)
class Profile(TypedDict):
    state: str
    name: str
    limits: list[Limit]


@with_config(EXACT)
class Review(TypedDict):
    id: str
    file: str
    page: int | None
    rule: str
    quote: str
    status: Literal["confirmed", "wrong"]
    note: NotRequired[str]
    sha256: str
    fingerprint: str


@with_config(EXACT)
class Reviews(TypedDict):
    file: str
    confirmed: int
    wrong: int
    stale: list[Review]        # for a file that changed since
    not_found: list[Review]    # of findings no longer made


@with_config(EXACT)
class FindingsFile(TypedDict):
    tool: Tool
    rules: Rules
    documents: list[Document]
    towns: list[Town]
    skipped: NotRequired[list[Skipped]]
    profile: NotRequired[Profile]
    reviews: NotRequired[Reviews]


def findings_schema() -> dict:
    """The JSON Schema of the findings file, as checked in at schema/findings.schema.json."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **TypeAdapter(FindingsFile).json_schema()}
    schema["title"] = "clausescan findings file"
    schema["description"] = "What 'clausescan scan --json' and 'clausescan check --json' write."
    return schema


def dumps() -> str:
    return json.dumps(findings_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(dumps(), end="")
