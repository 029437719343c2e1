"""`clausescan report FINDINGS.json`: a memo for legislative testimony, in Markdown or DOCX.

First page: the date and an executive summary with the counts over towns ("5 of 9 towns have no
clause forbidding sharing with immigration authorities"). Then per town (its documents combined,
as on the workbook's Towns sheet): the concerns, and the safeguards as model language other towns
could ask for, each quote once with every rule it bears on and its citation ("Town of X, Master
Services Agreement, p. 4, § 4.3"), and the safeguards found in none of its documents, by their
plain titles. Last, the methods, with paths relative to the folder scanned.

Both formats are rendered from one list of blocks, so they say the same thing."""
from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..judge import MISSING, NOT_READ
from ..models import DocumentResult, Finding, ScanResult, finding_order
from ..towns import FROM_FOLDER, assign, combine, counts
from . import law as law_report
from .atomic import STDOUT, atomic_path, write_text
from .links import page_link
from .markdown import escape
from .outputs import output_format


def review_sentence(result: ScanResult) -> str:
    """How many findings a person reviewed, and that those marked wrong are not cited; "" if none."""
    reviews = [f.review for d in result.judged for f in d.findings + d.marked_wrong if f.review]
    if not reviews:
        return ""
    wrong = reviews.count("wrong")
    return (f"{len(reviews)} of the findings were reviewed by a person: {len(reviews) - wrong} confirmed and "
            f"{wrong} marked wrong, which {'is' if wrong == 1 else 'are'} left out of this memo.")


@dataclass
class Quote:
    """One sentence, with every rule it bears on and every place it appears."""
    text: str
    rules: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    confirmed: set[str] = field(default_factory=set)   # the rules a person confirmed it for (review.py)
    links: list[str | None] = field(default_factory=list)   # per citation: its page of the PDF, when it is one


@dataclass
class MemoTown:
    name: str
    documents: list[DocumentResult]            # its judged documents
    verdicts: dict[str, str]
    concerns: list[Quote]
    safeguards: list[Quote]
    missing: list[str]                         # rule ids
    unread: list[str]                          # "the Order Form (pages 3, 4)", "scan.pdf (not read: ...)"


def _title(d: DocumentResult) -> str:
    return d.title or Path(d.document.file.split("!")[-1]).stem.replace("-", " ").replace("_", " ")


def _citation(prefix: str, finding: Finding) -> str:
    cite = f"{prefix}, p. {finding.page}"
    if finding.section:
        cite += f", § {finding.section}"
    return cite


def _quotes(docs: list[tuple[DocumentResult, str]], polarity: str, base=None) -> list[Quote]:
    """The town's quotes of one polarity, each sentence once (normalized for spacing); `base`, the
    folder the memo is written to, makes each citation's link to its page relative to it."""
    out: dict[str, Quote] = {}
    for d, prefix in docs:
        for f in sorted(d.findings, key=finding_order):
            if f.polarity != polarity:
                continue
            quote = out.setdefault(" ".join(f.quote.split()), Quote(text=f.quote))
            if f.rule not in quote.rules:
                quote.rules.append(f.rule)
            if f.review == "confirmed":
                quote.confirmed.add(f.rule)
            cite = _citation(prefix, f)
            if cite not in quote.citations:
                quote.citations.append(cite)
                quote.links.append(page_link(d.document.file, f.page, base))
    return list(out.values())


def build(result: ScanResult, base=None) -> list[MemoTown]:
    """The towns of a scan, in the order they first appear, with their judged documents."""
    docs = result.judged
    groups: dict[str, tuple[str, list[DocumentResult]]] = {}
    for doc, town in zip(docs, assign([(d.document.file, d.parties) for d in docs])):
        name = town.name if town.named_from != FROM_FOLDER else f"{town.name} (folder name: no document names the agency)"
        groups.setdefault(town.key, (name, []))[1].append(doc)
    out = []
    for name, town_docs in groups.values():
        prefixed = [(d, f"{name}, {_title(d)}") for d in town_docs]
        verdicts = {rule.id: combine([d.summary.get(rule.id, NOT_READ) for d in town_docs],
                                     {f.polarity for d in town_docs for f in d.findings if f.rule == rule.id}, rule)
                    for rule in result.rules}
        unread = [f"{_title(d)} ({'not read: ' + (d.document.error or '') if d.document.status == 'error' else 'pages ' + ', '.join(map(str, d.document.pages_unreadable))})"
                  for d in town_docs if d.document.status == "error" or d.document.pages_unreadable]
        unread += [f"{_title(d)} ({low_quality_line(d.document.pages_low_quality_ocr)})" for d in town_docs
                   if d.document.pages_low_quality_ocr]
        out.append(MemoTown(name=name, documents=town_docs, verdicts=verdicts,
                            concerns=_quotes(prefixed, "concern", base),
                            safeguards=_quotes(prefixed, "safeguard", base),
                            missing=[r for r, v in verdicts.items() if v == MISSING], unread=unread))
    return out


def display_root(result: ScanResult) -> str:
    outer = [os.path.abspath(d.document.file.split("!")[0]) for d in result.documents]
    if not outer:
        return ""
    root = os.path.commonpath(outer)
    return os.path.dirname(root) if len(set(outer)) == 1 else root


def relative(file: str, root: str) -> str:
    outer, _, inner = file.partition("!")
    return (os.path.relpath(os.path.abspath(outer), root) if root else outer) + ("!" + inner if inner else "")


def executive_summary(towns: list[MemoTown], rules) -> list[str]:
    """Sentences with the counts over towns: the missing safeguards first, then the concerns."""
    n = len(towns)
    rows = counts([t.verdicts for t in towns], rules)
    by_id = {r.id: r for r in rules}
    missing_lines, concern_lines = [], []
    for row in rows:
        rule = by_id[row["rule"]]
        if rule.safeguard_expected:
            lacking = row["towns"] - row["safeguard"]
            if lacking:
                phrase = rule.memo.no_safeguard or f"no safeguard on “{rule.title.lower()}”"
                missing_lines.append((lacking, f"{_of(lacking, n)} {phrase}."))
        if row["concern"] and rule.memo.concern:
            concern_lines.append((row["concern"], f"{_of(row['concern'], n)} {rule.memo.concern}."))
    ordered = sorted(missing_lines, key=lambda x: -x[0]) + sorted(concern_lines, key=lambda x: -x[0])
    unread = sum(bool(t.unread) for t in towns)
    if unread:
        ordered.append((0, f"{unread} of {n} {'town has' if unread == 1 else 'towns have'} documents that could not "
                           "be fully read: there, a missing clause may be on a page that was not read."))
    return [line for _, line in ordered]


def _of(k: int, n: int) -> str:
    """ "5 of 9 towns have", "1 of 9 towns has"."""
    return f"{k} of {n} towns {'has' if k == 1 else 'have'}"


def methods(result: ScanResult, root: str) -> str:
    docs = result.documents
    contracts = result.judged
    ocr_pages = sum(len(d.document.pages_ocr) for d in contracts)
    unread = [relative(d.document.file, root) for d in contracts
              if d.document.status != "ok" or d.document.pages_low_quality_ocr]
    text = (f"Method. {len(contracts)} documents were judged with clausescan {result.tool_version} and its rule "
            f"library version {result.rules_version} ({len(result.rules)} rules). "
            f"{sum(len(d.document.pages) for d in contracts)} pages were read, {ocr_pages} of them by optical character "
            "recognition. Each finding is a sentence matched by a published rule and quoted exactly as the document "
            "reads. A town's documents are read together: a safeguard in any of them counts, and so does a concern; "
            "a missing safeguard means no sentence of any of the town's documents matched that rule. Automated "
            "reading can miss unusual wording and OCR can misread scanned pages, so every quotation should be "
            "checked against the page cited before it is relied on.")
    if review_sentence(result):
        text += " " + review_sentence(result)
    others = len(docs) - len(contracts)
    if others:
        text += f" {others} other files (letters, notes, data, copies) were read but are not contracts, so they " \
                "were not judged."
    if unread:
        text += " These files could not be fully read, and absence of a clause in them proves nothing: " + \
            "; ".join(unread) + "."
    return text


# --- the memo as blocks: ("title" | "heading1" | "heading2" | "para", text), ("bullets", [runs...]),
# ("table", header, rows), ("law_document", law), ("law_profile", profile); a run is (text, style).

def low_quality_line(pages: list[int]) -> str:
    return (f"pages {', '.join(map(str, pages))} were read by OCR with low confidence; a clause missing from "
            "them may be unread, not absent")


def blocks(result: ScanResult, today: datetime.date | None = None, base=None) -> list[tuple]:
    rules = result.rules
    by_id = {r.id: r for r in rules}

    def title(rule_id: str, polarity: str) -> str:
        return by_id[rule_id].title_for(polarity) if rule_id in by_id else rule_id
    towns = build(result, base)
    root = display_root(result)
    today = today or datetime.date.today()
    n_docs = sum(len(t.documents) for t in towns)
    out: list[tuple] = [("title", "ALPR contract review: findings with citations"),
                        ("para", f"{today.strftime('%B')} {today.day}, {today.year}. {len(towns)} towns, {n_docs} "
                                 f"contract documents, read by clausescan {result.tool_version}."),
                        ("heading1", "Summary")]
    out.append(("bullets", [[(line, None)] for line in executive_summary(towns, rules)]))
    rows = counts([t.verdicts for t in towns], rules)
    out.append(("table", ["Rule", "Towns with the concern", "Towns with the safeguard", "Towns with neither",
                          "Not fully read"],
                [[r["title"], str(r["concern"]), str(r["safeguard"]), str(r["neither"]), str(r["not fully read"])]
                 for r in rows]))
    for town in towns:
        out.append(("heading1", town.name))
        out.append(("para", "Documents: " + "; ".join(f"{_title(d)} ({relative(d.document.file, root)})"
                                                     for d in town.documents) + "."))
        if town.unread:
            out.append(("para", "Not fully read, so the findings below cover only what was read: "
                                + "; ".join(town.unread) + "."))
        for polarity, heading, intro, quotes in (
                ("concern", "Concerns", None, town.concerns),
                ("safeguard", "Safeguards: model language",
                 "Clauses of this town's contracts that other towns could ask for:", town.safeguards)):
            if not quotes:
                continue
            out.append(("heading2", heading))
            if intro:
                out.append(("para", intro))
            out.append(("bullets", [[("; ".join(title(r, polarity) + " (confirmed by review)" * (r in q.confirmed)
                                                for r in q.rules) + ": ", "bold"),
                                     (f"“{q.text}” ", "italic"), (list(zip(q.citations, q.links)), "citations")]
                                    for q in quotes]))
        if town.missing:
            out.append(("heading2", "Missing safeguards"))
            out.append(("para", "No clause on these was found in any of the town's documents:"))
            out.append(("bullets", [[(title(m, "safeguard"), None)] for m in town.missing]))
        for d in town.documents:
            if d.law:
                out.append(("law_document", d.law))
    if result.profile:
        out.append(("law_profile", result.profile))
    out.append(("heading1", "Methods"))
    out.append(("para", methods(result, root)))
    out.append(("table", ["File", "SHA-256"], [[relative(d.document.file, root), d.document.sha256]
                                               for d in result.judged]))
    return out


def _markdown_run(text, style) -> str:
    if style == "citations":   # (citation, link or None) pairs; a link is made from the file's path only
        return "(" + "; ".join(f"[{escape(cite)}]({link})" if link else escape(cite) for cite, link in text) + ")"
    return f"**{escape(text.strip())}**" if style == "bold" else escape(text.strip())


def to_markdown(result: ScanResult, today: datetime.date | None = None, base=None) -> str:
    """The memo as Markdown; `base`, the folder it is written to, for the links to cited PDF pages."""
    lines: list[str] = []
    for block in blocks(result, today, base):
        kind = block[0]
        if kind == "title":
            lines += [f"# {escape(block[1])}", ""]
        elif kind in ("heading1", "heading2"):
            lines += ["", f"{'##' if kind == 'heading1' else '###'} {escape(block[1])}", ""]
        elif kind == "para":
            lines += [escape(block[1]), ""]
        elif kind == "bullets":
            lines += ["- " + " ".join(_markdown_run(t, style) for t, style in item) for item in block[1]] + [""]
        elif kind == "table":
            header, rows = block[1], block[2]
            lines += ["| " + " | ".join(map(escape, header)) + " |", "|---" * len(header) + "|"]
            lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in rows] + [""]
        elif kind == "law_document":
            lines += law_report.markdown_document(block[1], escape)
        elif kind == "law_profile":
            lines += law_report.markdown_profile(block[1], escape)
    return "\n".join(lines).rstrip() + "\n"


def _page_numbers(section) -> None:
    """"Page N of M" in the footer, as Word fields (updated when the file is opened or printed)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    para = section.footer.paragraphs[0]
    para.alignment = 1   # centred
    for text, field_code in (("Page ", "PAGE"), (" of ", "NUMPAGES")):
        para.add_run(text)
        run = para.add_run()
        for kind, code in (("begin", None), (None, field_code), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = code
            run._r.append(element)


def _hyperlink(para, text: str, url: str) -> None:
    """A Word hyperlink run (python-docx has none): an external relationship to `url`."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), para.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
    run, props = OxmlElement("w:r"), OxmlElement("w:rPr")
    for tag, value in (("w:color", "1F4E9E"), ("w:u", "single")):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        props.append(element)
    run.append(props)
    content = OxmlElement("w:t")
    content.set(qn("xml:space"), "preserve")
    content.text = text
    run.append(content)
    link.append(run)
    para._p.append(link)


def write_docx(result: ScanResult, path, today: datetime.date | None = None) -> None:
    import docx
    from docx.shared import Inches, Pt


    memo = docx.Document()
    memo.styles["Normal"].font.name = "Calibri"
    memo.styles["Normal"].font.size = Pt(11)
    _page_numbers(memo.sections[0])
    for block in blocks(result, today, base=Path(path).parent):
        kind = block[0]
        if kind == "title":
            memo.add_heading(block[1], level=0)
        elif kind in ("heading1", "heading2"):
            memo.add_heading(block[1], level=1 if kind == "heading1" else 2)
        elif kind == "para":
            memo.add_paragraph(block[1])
        elif kind == "bullets":
            for item in block[1]:
                para = memo.add_paragraph(style="List Bullet")
                for text, style in item:
                    if style == "citations":
                        para.add_run("(")
                        for i, (cite, link) in enumerate(text):
                            para.add_run("; " if i else "")
                            if link:
                                _hyperlink(para, cite, link)
                            else:
                                para.add_run(cite)
                        para.add_run(")")
                        continue
                    run = para.add_run(text)
                    run.bold, run.italic = style == "bold", style == "italic"
        elif kind == "table":
            header, rows = block[1], block[2]
            table = memo.add_table(rows=1, cols=len(header))
            table.style = "Light Grid Accent 1"
            for cell, text in zip(table.rows[0].cells, header):
                cell.text = text
            for row in rows:
                for cell, text in zip(table.add_row().cells, row):
                    cell.text = text
            table.autofit = False
            first = Inches(2.6 if len(header) > 2 else 3.2)
            rest = int((Inches(6.5) - first) / (len(header) - 1))
            for index, column in enumerate(table.columns):
                width = first if index == 0 else rest
                column.width = width   # the grid, which LibreOffice reads
                for cell in column.cells:
                    cell.width = width  # each cell, which Word reads
                    for paragraph in cell.paragraphs:
                        for run in paragraph.runs:
                            run.font.size = Pt(8.5)
        elif kind == "law_document":
            law_report.docx_document(memo, block[1])
        elif kind == "law_profile":
            law_report.docx_profile(memo, block[1])
    with atomic_path(path) as tmp:
        memo.save(tmp)


MEMO_FORMATS = ("docx", "md")


def write(result: ScanResult, path, fmt: str) -> None:
    """The memo of a scan, or of a findings file read back, at `path`, as a Word file or Markdown
    (`-`: stdout)."""
    if fmt == "md":
        # page links relative to where the memo is written
        write_text(path, to_markdown(result, base=None if str(path) == STDOUT else Path(path).parent))
    else:
        write_docx(result, path)


def write_memo(result: ScanResult, path, fmt: str | None = None) -> None:
    """The memo of a scan (ScanResult.to_memo), in the format the name's extension (or `fmt`) says."""

    write(result, path, output_format(path, "the memo", MEMO_FORMATS, fmt))
