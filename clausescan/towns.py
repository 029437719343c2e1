"""The town is the unit of comparison: each document is assigned to a town (the agency its parties
name, else the town of its folder-mates with the same vendor, else its folder), and each rule's
verdicts over the town's contracts are combined into one.

Combination: a safeguard in any of the town's contracts counts (an addendum that forbids sale
overrides the master agreement's silence), and so does a concern (a concern in any operative
document stays visible; with a safeguard elsewhere the town's verdict is "both", and the cell says
which document holds which). Silence is "missing safeguard" only when every document was read in
full; otherwise "not fully read".

Works on plain entries (file, parties) so that the findings JSON (memo, followup) is grouped the
same way as a scan."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .judge import BOTH, CONCERN, INFO, MISSING, NOT_FOUND, NOT_READ, SAFEGUARD
from .models import DocumentResult, Finding

# Words that say what kind of public body a name is, not which one: "Town of Harwick" and
# "Harwick Police Department" are one town.
BODY_WORDS = {"town", "city", "village", "borough", "county", "township", "municipality", "of", "the", "police",
              "department", "sheriff", "sheriff's", "sheriff’s", "office", "public", "safety", "district",
              "attorney's", "attorney’s", "attorney", "dept", "pd"}
# Of several names for one town, the one that names the place as a body comes first.
PLACE_NAME = re.compile(r"^(?:Town|City|Village|Borough|County|Township|Municipality) of\b")

FROM_PARTIES, FROM_VENDOR, FROM_FOLDER = "parties", "vendor", "folder"
NAMED_FROM = {FROM_PARTIES: "the agency the documents name",
              FROM_VENDOR: "a folder-mate with the same vendor names the agency",
              FROM_FOLDER: "the folder name: no document names the agency"}


def town_key(agency_name: str) -> str:
    words = [w for w in re.findall(r"[\w'’]+", agency_name.lower()) if w not in BODY_WORDS]
    return " ".join(words) or agency_name.lower()


def folder_of(file: str) -> str:
    return str(Path(file.split("!")[0]).parent)


@dataclass
class Assignment:
    name: str
    key: str
    named_from: str


def assign(entries: list[tuple[str, dict]], copies: list[str | None] | None = None) -> list[Assignment]:
    """The town of each (file, parties) entry, in order; `copies` gives, per entry, the file it is
    a copy of (or None): a copy belongs to that file's town."""
    out = _assign(entries)
    if copies:
        by_file = {file: town for (file, _), town in zip(entries, out)}
        out = [by_file.get(original, town) if original else town for town, original in zip(out, copies)]
    return out


def _assign(entries: list[tuple[str, dict]]) -> list[Assignment]:
    by_key: dict[str, list[str]] = {}
    for _file, parties in entries:
        if (parties or {}).get("agency_name"):
            by_key.setdefault(town_key(parties["agency_name"]), []).append(parties["agency_name"])
    display = {key: sorted(dict.fromkeys(names), key=lambda n: (not PLACE_NAME.match(n), names.index(n)))[0]
               for key, names in by_key.items()}
    # per folder: the towns named there, and the vendor of each
    folder_towns: dict[str, dict[str, set[str]]] = {}
    for file, parties in entries:
        if (parties or {}).get("agency_name"):
            vendors = folder_towns.setdefault(folder_of(file), {}).setdefault(town_key(parties["agency_name"]), set())
            if parties.get("vendor_name"):
                vendors.add(parties["vendor_name"])
    out = []
    for file, parties in entries:
        parties = parties or {}
        if parties.get("agency_name"):
            key = town_key(parties["agency_name"])
            out.append(Assignment(display[key], key, FROM_PARTIES))
            continue
        here = folder_towns.get(folder_of(file), {})
        same_vendor = [key for key, vendors in here.items() if parties.get("vendor_name") in vendors]
        candidates = same_vendor if parties.get("vendor_name") else list(here)
        if len(candidates) == 1:
            out.append(Assignment(display[candidates[0]], candidates[0], FROM_VENDOR))
        else:
            name = Path(folder_of(file)).name or Path(file).stem
            out.append(Assignment(name, f"folder:{folder_of(file)}", FROM_FOLDER))
    return out


@dataclass
class Evidence:
    """One finding a town's verdict rests on, and the document it is in."""
    document: DocumentResult
    finding: Finding


@dataclass
class TownVerdict:
    verdict: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Town:
    name: str
    key: str
    named_from: str
    documents: list = field(default_factory=list)       # every DocumentResult of the town
    verdicts: dict[str, TownVerdict] = field(default_factory=dict)

    @property
    def contracts(self) -> list:
        return [d for d in self.documents if d.judged]


def combine(verdicts: list[str], polarities: set[str], rule) -> str:
    """One rule's verdict for a town, from its contracts' verdicts and the polarities found."""
    if CONCERN in polarities and SAFEGUARD in polarities:
        return BOTH
    if CONCERN in polarities:
        return CONCERN
    if SAFEGUARD in polarities:
        return SAFEGUARD
    if polarities:
        return INFO
    if not verdicts or NOT_READ in verdicts:
        return NOT_READ
    return MISSING if rule.safeguard_expected else NOT_FOUND


def towns(result) -> list[Town]:
    """The towns of a scan, in the order they first appear, each with its combined verdicts."""
    assignments = assign([(d.document.file, d.parties) for d in result.documents],
                         [d.copy_of for d in result.documents])
    out: dict[str, Town] = {}
    for d, a in zip(result.documents, assignments):
        out.setdefault(a.key, Town(a.name, a.key, a.named_from)).documents.append(d)
    for town in out.values():
        contracts = town.contracts
        for rule in result.rules:
            evidence = [Evidence(d, f) for d in contracts for f in d.findings if f.rule == rule.id]
            verdict = combine([d.summary.get(rule.id, NOT_READ) for d in contracts],
                              {e.finding.polarity for e in evidence}, rule)
            town.verdicts[rule.id] = TownVerdict(verdict, evidence)
    return list(out.values())


def judged_rule(rule) -> bool:
    """Whether a rule finds concerns or safeguards (by its examples); a rule that only states a
    fact (the governing law, the retention period) has no "neither" to count."""
    examples = getattr(getattr(rule, "examples", None), "match", None)
    return examples is None or bool({e.polarity for e in examples} & {CONCERN, SAFEGUARD})


def counts(town_verdicts: list[dict[str, str]], rules) -> list[dict]:
    """Per rule that finds concerns or safeguards, over towns given as {rule id: combined verdict}:
    how many have the concern, the safeguard, neither, and how many were not fully read (a town
    with both counts under concern and under safeguard)."""
    rows = []
    for rule in rules:
        if not judged_rule(rule):
            continue
        verdicts = [town[rule.id] for town in town_verdicts]
        rows.append({"rule": rule.id, "title": rule.title,
                     "concern": sum(v in (CONCERN, BOTH) for v in verdicts),
                     "safeguard": sum(v in (SAFEGUARD, BOTH) for v in verdicts),
                     "neither": sum(v in (MISSING, NOT_FOUND, INFO) for v in verdicts),
                     "not fully read": sum(v == NOT_READ for v in verdicts),
                     "towns": len(verdicts)})
    return rows
