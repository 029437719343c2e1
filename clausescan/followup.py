"""`clausescan followup FINDINGS.json`: the records to ask for next.

A contract that incorporates a policy, terms at a web address or an exhibit leaves the operative
text out of what the agency returned. From the findings JSON of a scan, this lists per town the
documents that the findings of the rules whose value is a reference (incorporated-terms) refer to
and that no scanned document of that town is, as numbered request items ready to paste into a
public-records request.

A referenced title or exhibit counts as found when another document of the same town carries it
as its title, its file name or an attached exhibit; a web address only when a scanned document is
that page (its metadata `web_address`), never because some document has a similar title: the
online version may differ from any copy on file."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .models import DocumentResult, ScanResult, finding_order
from .quantities import URL
from .rules.values import REFERENCE, REFERENCED_TITLE
from .towns import assign

# What may stand between a title and its address: "Policy, available at https://..."
_TITLE_TO_URL = re.compile(r"^[\s,:(]*(?:(?:which|that) (?:is|are) )?(?:(?:available|located|posted|published|found|"
                           r"accessible|set out|shown)\s+)?(?:at|on)?\s*:?\s*$", re.I)
_EXHIBIT = re.compile(r"^(?:Exhibit|Schedule|Attachment|Appendix|Annex) ([A-Z0-9]+)$", re.I)
# Words that name no particular document, so they cannot decide whether two titles are the same.
_GENERIC = {"the", "of", "and", "for", "to", "its", "this", "that", "these", "full"}


@dataclass
class Citation:
    """Where a contract refers to the missing document."""
    file: str
    document: str        # "the <title>" of the referring document, else its file name
    page: int
    section: str | None
    quote: str


@dataclass
class Reference:
    """One document a contract incorporates: a title, a web address, or both."""
    title: str | None
    url: str | None
    citations: list[Citation] = field(default_factory=list)

    @property
    def exhibit(self) -> bool:
        return bool(self.title and _EXHIBIT.match(self.title))


@dataclass
class TownRequest:
    agency: str
    documents: list[str]             # the scanned files of this town
    missing: list[Reference]


def references_in(quote: str) -> list[tuple[str | None, str | None]]:
    """(title, url) of every document a sentence refers to; a title directly before a web
    address ("Acceptable Use Policy, available at https://...") is paired with it."""
    urls = [(m.start(), m.end(), m.group(0)) for m in URL.finditer(quote)]
    titles = []
    for m in REFERENCED_TITLE.finditer(quote):
        title = _clean_title(m.group(1))
        if title and not any(start <= m.start() < end for start, end, _ in urls):
            titles.append((m.start(1), m.end(1), title))
    out: list[tuple[str | None, str | None]] = []
    paired: set[int] = set()
    for start, _end, url in urls:
        before = [t for t in titles if t[1] <= start and _TITLE_TO_URL.match(quote[t[1]:start])]
        title = before[-1][2] if before else None
        if before:
            paired.add(before[-1][0])
        out.append((title, url.rstrip(".,;")))
    out += [(title, None) for start, _end, title in titles if start not in paired]
    return list(dict.fromkeys(out))


def _clean_title(raw: str) -> str | None:
    """'The Corvid's Acceptable Use Policy' -> 'Corvid Acceptable Use Policy'; None for a bare
    'Agreement' or 'Terms' (the contract itself, or no name at all)."""
    words = raw.split()
    while words and words[0].lower() in _GENERIC:
        words = words[1:]
    words = [re.sub(r"['’]s?$", "", w) for w in words]
    if len(words) < 2:
        return None
    return " ".join(words)


def _key(title: str | None, url: str | None) -> str:
    if url:
        return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).rstrip("/")
    return " ".join(_words(title or ""))


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower().replace("’s", "").replace("'s", ""))
            if w not in _GENERIC]


def _names(d: DocumentResult) -> list[set[str]]:
    """Word sets naming a scanned document: its title, its file name, its attached exhibits."""
    stem = Path(d.document.file.split("!")[-1]).stem
    names = [set(_words(d.title)), set(_words(stem.replace("_", " ").replace("-", " ")))]
    names += [set(_words(a)) for a in (d.facts.attachments if d.facts else [])]
    return [n for n in names if n]


def _found(ref: Reference, docs: list[DocumentResult], vendor_words: set[str]) -> bool:
    if ref.url:
        key = _key(None, ref.url)
        return any(_key(None, (d.facts.web_address if d.facts else None) or "") == key for d in docs)
    wanted = set(_words(ref.title or ""))
    if not ref.exhibit:
        # "Corvid Acceptable Use Policy" is found as "Acceptable Use Policy": the vendor's name is optional
        wanted -= vendor_words
    return bool(wanted) and any(wanted <= name for d in docs for name in _names(d))


def _vendor_words(docs: list[DocumentResult]) -> set[str]:
    words = set()
    for d in docs:
        name = d.parties.get("vendor_name") or ""
        words |= set(_words(re.sub(r",?\s+(?:Inc|LLC|L\.L\.C|Corp|Corporation|Company|Ltd)\.?$", "", name)))
    return words


def followup(result: ScanResult) -> list[TownRequest]:
    """Per town, in the order towns first appear: the referenced documents not among its scanned ones."""
    # A document that names no agency (a vendor policy) belongs to the town of its folder-mates
    # with the same vendor (clausescan.towns), the grouping of the workbook's Towns sheet.
    towns: dict[str, list[DocumentResult]] = {}
    names: dict[str, str] = {}
    entries = [(d.document.file, d.parties) for d in result.documents]
    for doc, town in zip(result.documents, assign(entries, [d.copy_of for d in result.documents])):
        towns.setdefault(town.key, []).append(doc)
        names[town.key] = town.name
    reference_rules = {rule.id for rule in result.rules if rule.value == REFERENCE}
    out = []
    for key, docs in towns.items():
        agency = names[key]
        refs: dict[str, Reference] = {}
        for doc in docs:
            file = doc.document.file
            name = f"the {doc.title}" if doc.title else Path(file.split("!")[-1]).name
            for f in sorted(doc.findings, key=finding_order):
                if f.rule not in reference_rules:
                    continue
                pairs = references_in(f.quote)
                if not pairs and f.value:   # a value the sentence parser does not see
                    value = str(f.value)
                    pairs = [(None, value) if URL.fullmatch(value) else (value, None)]
                for title, url in pairs:
                    key = _key(title, url)
                    if title and _EXHIBIT.match(title):
                        key += "@" + file   # Exhibit A of one contract is not Exhibit A of another
                    ref = refs.setdefault(key, Reference(title=title, url=url))
                    ref.title = ref.title or title
                    citation = Citation(file=file, document=name, page=f.page, section=f.section, quote=f.quote)
                    if all((c.file, c.page, c.section) != (citation.file, citation.page, citation.section)
                           for c in ref.citations):
                        ref.citations.append(citation)
        vendor_words = _vendor_words(docs)
        missing = [r for r in refs.values() if not _found(r, docs, vendor_words)]
        out.append(TownRequest(agency=agency, documents=[d.document.file for d in docs], missing=missing))
    return out


def _where(c: Citation) -> str:
    place = f"section {c.section} of {c.document}" if c.section else c.document
    return f"{place} (page {c.page})"


def request_text(ref: Reference) -> str:
    """One request item, ready to paste."""
    where = " and in ".join(_where(c) for c in ref.citations)
    if ref.exhibit:
        return f"{ref.title} to {ref.citations[0].document}, referenced in {where}, as signed, " \
               "with every amendment to it."
    what = f"The document titled '{ref.title}'" if ref.title else f"The web page at {ref.url}"
    text = f"{what} referenced in {where}, as in effect on the date of signature and every later version"
    if ref.title and ref.url:
        text += f", available at {ref.url}"
    return text + "."
