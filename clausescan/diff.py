"""What changed between two versions of a contract: findings gained and lost first, then text.

Both documents come from the ordinary scan (pipeline.diff_files), so the comparison sees the same
clauses and findings as every other report. A passage is a numbered section (the segmenter's blocks that share one
section label, joined) or an unnumbered paragraph. Passages are paired in three passes:
identical text (wherever it moved), then section number and heading where they agree, then text
similarity (difflib over words). Text is compared after whitespace, quote marks and OCR
confusions are normalised; line-end hyphens and page breaks are already undone by segmentation.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .judge import CONCERN, SAFEGUARD
from .models import DocumentResult, Finding, ScanResult
from .segment import blocks, normalize_for_matching

# Minimum word similarity for a pair, by how much of the label the two passages share: a
# passage whose number and heading agree may have been rewritten; a stranger must read alike.
SIMILARITY_NEEDED = {2: 0.25, 1: 0.45, 0: 0.6}


@dataclass
class Passage:
    """A numbered section, or an unnumbered paragraph, with where it starts."""
    section: str | None
    heading: str | None
    page: int
    text: str               # whitespace, quotes and OCR confusions normalised

    @property
    def words(self) -> list[str]:
        return self.text.split()

    @property
    def label(self) -> str:      # "§ 4.3 Anonymized Data", "paragraph under RECITALS"
        if self.section:
            return f"§ {self.section} {self.heading}" if self.heading else f"§ {self.section}"
        return f"paragraph under {self.heading}" if self.heading else "paragraph"


@dataclass
class ClauseChange:
    change: str                                  # added | removed | changed
    old: Passage | None
    new: Passage | None
    words: list[tuple[str, str]] = field(default_factory=list)   # ("=" | "-" | "+", words), for "changed"

    @property
    def passage(self) -> Passage:
        """The new passage, or the old one of a removed clause (a change has at least one)."""
        passage = self.new or self.old
        assert passage is not None, "a clause change has an old passage, a new one or both"
        return passage

    def segments(self, context: int | None = None) -> list[tuple[str, str]]:
        """The word diff's runs; with `context`, unchanged runs longer than twice that many words
        are cut to their ends."""
        last = len(self.words) - 1
        return [(op, elide(text, context, first=index == 0, last=index == last) if op == "=" else text)
                for index, (op, text) in enumerate(self.words)]

    def word_diff(self, context: int | None = None) -> str:
        """The text with deletions as [-words-] and insertions as {+words+}."""
        return " ".join(WORD_MARKS[op].format(text) for op, text in self.segments(context))


WORD_MARKS = {"-": "[-{}-]", "+": "{{+{}+}}", "=": "{}"}


def elide(text: str, context: int | None, first: bool = False, last: bool = False) -> str:
    """Keep `context` words on each side of an unchanged run (only the side next to a change at
    the start or end of the passage)."""
    words = text.split()
    if context is None or len(words) <= 2 * context:
        return text
    head = [] if first else words[:context]
    tail = [] if last else words[-context:]
    return " ".join(head + ["…"] + tail)


@dataclass
class FindingChange:
    change: str                  # gained | lost | changed (same rule and polarity, other values)
    rule: str
    polarity: str
    old: Finding | None          # the first such finding in the old document, cited
    new: Finding | None
    old_values: list[str] = field(default_factory=list)   # values with units ("30 days"), for "changed"
    new_values: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:      # "safeguard lost", "concern gained", "info changed"
        return f"{self.polarity} {self.change}"

    @property
    def finding(self) -> Finding:
        """The finding to cite: the new one, or the old one of a lost finding (a change has at least one)."""
        finding = self.new or self.old
        assert finding is not None, "a finding change has an old finding, a new one or both"
        return finding


@dataclass
class DiffResult:
    old: DocumentResult
    new: DocumentResult
    findings: list[FindingChange]
    clauses: list[ClauseChange]  # in the new document's order, removed ones where they stood
    unchanged: int               # passages whose text is the same (renumbered or not)

    def count(self, change: str) -> int:
        return sum(1 for c in self.clauses if c.change == change)

    def findings_with(self, change: str, polarity: str | None = None) -> list[FindingChange]:
        return [f for f in self.findings if f.change == change and polarity in (None, f.polarity)]


def passages(result: DocumentResult) -> list[Passage]:
    """Blocks that share a section label are one passage (a heading the layout of one version
    splits off must not split it); unnumbered blocks stand alone."""
    out: list[Passage] = []
    for block in blocks(result.document):
        text = " ".join(normalize_for_matching(block.body).split())
        if block.section is not None and out and out[-1].section == block.section:
            out[-1].text += " " + text
        else:
            out.append(Passage(block.section, block.heading, block.paragraph.page_at(block.offset), text))
    return out


def _agreement(old: Passage, new: Passage) -> int:
    return sum(1 for a, b in ((old.section, new.section), (old.heading, new.heading)) if a is not None and a == b)


def align(old: list[Passage], new: list[Passage]) -> list[tuple[int, int]]:
    """Pairs (old index, new index) of passages that are versions of each other."""
    pairs: dict[int, int] = {}
    by_text: dict[str, list[int]] = defaultdict(list)
    for j, passage in enumerate(new):
        by_text[passage.text].append(j)
    for i, passage in enumerate(old):
        if by_text.get(passage.text):
            pairs[i] = by_text[passage.text].pop(0)
    taken = set(pairs.values())
    free_old = [i for i in range(len(old)) if i not in pairs]
    candidates = []
    old_words = {i: old[i].words for i in free_old}
    matcher = SequenceMatcher(autojunk=False)
    for j in (j for j in range(len(new)) if j not in taken):
        matcher.set_seq2(new[j].words)       # difflib caches the second sequence: loop over it outside
        for i in free_old:
            agreement = _agreement(old[i], new[j])
            needed = SIMILARITY_NEEDED[agreement]
            matcher.set_seq1(old_words[i])
            if matcher.real_quick_ratio() < needed or matcher.quick_ratio() < needed:
                continue
            ratio = matcher.ratio()
            if ratio >= needed:
                candidates.append((-agreement, -ratio, i, j))
    for _, _, i, j in sorted(candidates):
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    return sorted(pairs.items())


def word_ops(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    ops = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("=", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("-", " ".join(old[i1:i2])))
        if j2 > j1:
            ops.append(("+", " ".join(new[j1:j2])))
    return ops


def compare_clauses(old: list[Passage], new: list[Passage]) -> tuple[list[ClauseChange], int]:
    pairs = align(old, new)
    paired_new = {j: i for i, j in pairs}
    placed: list[tuple[float, int, ClauseChange]] = []
    unchanged = 0
    for i, j in pairs:
        if old[i].text == new[j].text:
            unchanged += 1
        else:
            placed.append((j, 0, ClauseChange("changed", old[i], new[j], word_ops(old[i].words, new[j].words))))
    for j in range(len(new)):
        if j not in paired_new:
            placed.append((j, 0, ClauseChange("added", None, new[j])))
    # a removed passage is listed after the new position of the last old passage before it that was kept
    position, old_to_new = -1.0, dict(pairs)
    for i in range(len(old)):
        if i in old_to_new:
            position = old_to_new[i]
        else:
            placed.append((position + 0.5, i, ClauseChange("removed", old[i], None)))
    return [change for _, _, change in sorted(placed, key=lambda p: (p[0], p[1]))], unchanged


# Worst news first: protections lost and concerns gained, then the good news, then new values.
_FINDING_ORDER = {("lost", SAFEGUARD): 0, ("gained", CONCERN): 1, ("lost", CONCERN): 2, ("gained", SAFEGUARD): 3}


def compare_findings(old: list[Finding], new: list[Finding]) -> list[FindingChange]:
    def by_key(findings) -> dict[tuple[str, str], list[Finding]]:
        out: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for f in findings:
            out[(f.rule, f.polarity)].append(f)
        return out

    def values(findings) -> list[str]:
        return sorted({f"{f.value} {f.unit}" if f.unit else str(f.value) for f in findings if f.value is not None})

    def headline(findings) -> Finding:
        """The finding to cite for a changed value: a number (days, months) before a word."""
        numbers = [f for f in findings if isinstance(f.value, (int, float))]
        return (numbers or [f for f in findings if f.value is not None] or findings)[0]

    before, after = by_key(old), by_key(new)
    changes = [FindingChange("lost", *key, found[0], None) for key, found in before.items() if key not in after]
    changes += [FindingChange("gained", *key, None, found[0]) for key, found in after.items() if key not in before]
    changes += [FindingChange("changed", *key, headline(found), headline(after[key]), values(found),
                              values(after[key]))
                for key, found in before.items() if key in after and values(found) != values(after[key])]
    return sorted(changes, key=lambda c: (_FINDING_ORDER.get((c.change, c.polarity), 4), c.rule, c.polarity))


def compare(old: DocumentResult, new: DocumentResult, old_passages: list[Passage] | None = None) -> DiffResult:
    """Compare two scanned documents (both read, at least in part); `old_passages`, when given,
    are the old document's, already segmented."""
    clauses, unchanged = compare_clauses(old_passages or passages(old), passages(new))
    return DiffResult(old, new, compare_findings(old.findings, new.findings), clauses, unchanged)


@dataclass
class Baseline:
    """A scanned document compared with the vendor's template."""
    template: str                # the template's file name
    diff: DiffResult | None      # None when the document is the template itself (same content)

    def to_json(self) -> dict:
        if self.diff is None:
            return {"file": self.template, "is_template": True}

        def cite(change: FindingChange) -> dict:
            finding = change.finding
            return {"rule": change.rule, "polarity": change.polarity, "page": finding.page,
                    "section": finding.section, "quote": finding.quote}

        d = self.diff
        return {"file": self.template, "is_template": False,
                "findings_gained": [cite(c) for c in d.findings_with("gained")],
                "findings_lost": [cite(c) for c in d.findings_with("lost")],
                "findings_changed": [{"rule": c.rule, "polarity": c.polarity, "old_values": c.old_values,
                                      "new_values": c.new_values} for c in d.findings_with("changed")],
                "clauses_added": d.count("added"), "clauses_removed": d.count("removed"),
                "clauses_changed": d.count("changed"), "clauses_unchanged": d.unchanged}


def apply_baseline(result: ScanResult, template: DocumentResult) -> None:
    """Compare every readable document of a scan with the template (pipeline.read_one); sets each
    one's `baseline`. The template itself, if it was scanned too, is marked, not compared."""
    template_passages = passages(template)   # segmented once for the whole batch
    for d in result.documents:
        if d.document.status == "error" or not d.judged:
            continue
        same = d.document.sha256 == template.document.sha256
        d.baseline = Baseline(template.document.file, None if same else compare(template, d, template_passages))
