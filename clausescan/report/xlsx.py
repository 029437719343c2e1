"""The comparison workbook: Towns (town x rule, with a chart of the counts), Summary (contract x
rule), Findings, Counts, Terms (dates, prices), Files (every input, and why it was or was not
judged), Rules and Legend.

Made to be read and printed: rule titles as column headers with the rule id in a second header
row, wrapped cells with row heights set, landscape pages fitted to the width with the header
rows repeated, paths relative to the folder scanned, money and dates as formatted numbers.

Contract text is untrusted: every cell made from it is written as a string cell, never a
formula, whatever it starts with. Links between sheets, and from a finding's page to that page of
its PDF (`msa.pdf#page=4`, made from the file's path), are hyperlink objects, not formulas."""
from __future__ import annotations

import datetime
import os
from pathlib import Path

from ..facts import LABELS, MONEY_FIELDS
from ..judge import BOTH, CONCERN, INFO, MISSING, NOT_FOUND, NOT_READ, SAFEGUARD
from ..kinds import KIND_LABELS
from ..models import ScanResult
from ..towns import FROM_FOLDER, NAMED_FROM, counts, towns
from .atomic import atomic_path
from .law import add_to_workbook as add_law
from .links import page_link
from .reviews import add_to_workbook as add_reviews
from .sheets import (FILLS, cell_styles, column_letter, finish_table, first_sheet, fit_rows, print_setup, set_widths,
                     solid_fill, table_sheet, text_cell)
from .tables import FACT_COLUMNS, cell_text, cell_verdict, document_names, not_judged_text, summary_rows

POLARITY_FILLS = {CONCERN: FILLS[CONCERN], SAFEGUARD: FILLS[SAFEGUARD], "info": "DCE6F1"}
# Marks that carry the verdict in black and white.
MARKS = {CONCERN: "✖ ", BOTH: "◐ ", SAFEGUARD: "✔ ", MISSING: "○ ", NOT_READ: "? "}
POLARITY_MARKS = {CONCERN: "✖", SAFEGUARD: "✔", "info": "•"}
LEGEND = [(CONCERN, "the contract widens what the vendor or others may do with the data"),
          (SAFEGUARD, "the contract limits data use, sharing or retention"),
          (BOTH, "both kinds of clause are present (in one document or across a town's documents)"),
          (MISSING, "a safeguard a careful agency would insist on was not found in any of the documents"),
          (NOT_READ, "some pages could not be read, so absence proves nothing"),
          (NOT_FOUND, "the rule found nothing, and its absence is not a missing safeguard"),
          (INFO, "a fact the documents state (e.g. the governing law), neither concern nor safeguard")]
MONEY_FORMAT, DATE_FORMAT = '"$"#,##0.00', "mmm d, yyyy"
RULE_WIDTH = 12      # the width of a verdict column, in characters


def display_root(result: ScanResult) -> str:
    """The folder that all inputs are under: paths in the workbook are shown relative to it."""
    outer = [os.path.abspath(d.document.file.split("!")[0]) for d in result.documents] + \
            [os.path.abspath(s.file) for s in result.skipped]
    if not outer:
        return ""
    root = os.path.commonpath(outer)
    return os.path.dirname(root) if len(set(outer)) == 1 or os.path.isfile(root) else root


def relative(file: str, root: str) -> str:
    outer, _, inner = file.partition("!")
    shown = os.path.relpath(os.path.abspath(outer), root) if root else outer
    return shown + ("!" + inner if inner else "")


def _rule_headers(ws, first_col: int, rules, style) -> None:
    """Row 1: the rule's title; row 2: its id, small and grey."""
    for offset, rule in enumerate(rules):
        title = text_cell(ws, 1, first_col + offset, rule.title)
        title.font, title.alignment = style["bold"], style["wrap"]
        rule_id = text_cell(ws, 2, first_col + offset, rule.id)
        rule_id.font, rule_id.alignment = style["id"], style["wrap"]


def _fixed_headers(ws, names: list[str], style) -> None:
    for col, name in enumerate(names, start=1):
        cell = text_cell(ws, 1, col, name)
        cell.font, cell.alignment = style["bold"], style["wrap"]
        ws.merge_cells(start_row=1, start_column=col, end_row=2, end_column=col)


def _link(cell, rows: list[int], last_col: int) -> None:
    """A link to the Findings rows a cell rests on: the row, or the block of rows (selected)."""
    from openpyxl.worksheet.hyperlink import Hyperlink
    if not rows:
        return
    first, last = min(rows), max(rows)
    target = f"'Findings'!A{first}" if first == last else f"'Findings'!A{first}:{column_letter(last_col)}{last}"
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=target)


FINDING_COLUMNS = [("Town", 18), ("Document", 26), ("File", 30), ("Page", 5), ("Section", 7), ("Rule", 22),
                   ("Rule id", 14), ("Polarity", 10), ("Value", 11), ("Unit", 7), ("Quote", 70), ("Back to", 12)]


def write(result: ScanResult, path) -> None:
    from openpyxl import Workbook
    from openpyxl.worksheet.hyperlink import Hyperlink

    wb = Workbook()
    style = cell_styles()
    root = display_root(result)
    rules = result.rules
    town_list = towns(result)
    with_contracts = [t for t in town_list if t.contracts]
    town_of = {id(d): t for t in town_list for d in t.documents}
    town_row = {t.key: row for row, t in enumerate(with_contracts, start=3)}
    judged = result.judged
    summary_row = {id(d): row for row, d in enumerate(judged, start=3)}
    rule_order = {r.id: i for i, r in enumerate(rules)}

    towns_ws = first_sheet(wb, "Towns")
    summary = wb.create_sheet("Summary")
    findings = wb.create_sheet("Findings")

    # Findings, by town, rule, document and page: each town cell's findings are one block of rows,
    # and so are each document cell's.
    ordered = sorted(((town_of[id(d)], d, f) for d in judged for f in d.findings),
                     key=lambda t: (town_row.get(t[0].key, 0), rule_order.get(t[2].rule, 99), summary_row[id(t[1])],
                                    t[2].page))
    for col, (name, _w) in enumerate(FINDING_COLUMNS, start=1):
        cell = text_cell(findings, 1, col, name)
        cell.font, cell.alignment = style["bold"], style["wrap"]
    by_id = {r.id: r for r in rules}
    rows_of_town: dict[tuple, list[int]] = {}
    rows_of_doc: dict[tuple, list[int]] = {}
    last_col = len(FINDING_COLUMNS)
    for frow, (town, d, f) in enumerate(ordered, start=2):
        value = f.value if f.value is not None else ""
        values = [town.name, d.title or Path(d.document.file.split("!")[-1]).name, relative(f.file, root), f.page,
                  f.section or "", by_id[f.rule].title_for(f.polarity) if f.rule in by_id else f.rule, f.rule, POLARITY_MARKS.get(f.polarity, "") + " " +
                  f.polarity, value, f.unit or "", f.quote]
        for col, v in enumerate(values, start=1):
            cell = text_cell(findings, frow, col, v)
            cell.font, cell.alignment = style["body"], style["wrap"]
        findings.cell(row=frow, column=8).fill = solid_fill(POLARITY_FILLS.get(f.polarity, "FFFFFF"))
        if f.review:   # confirmed by a person (review.py); those marked wrong are on the Reviews sheet only
            findings.cell(row=frow, column=8).value += f" ({f.review})"
        link = page_link(f.file, f.page, Path(path).parent)
        if link:   # a hyperlink object made from the file's path (the cell keeps its number, no formula)
            page_cell = findings.cell(row=frow, column=4)
            page_cell.hyperlink = Hyperlink(ref=page_cell.coordinate, target=link)
            page_cell.font = style["link"]
        if f.unit == "USD" and isinstance(value, (int, float)):
            findings.cell(row=frow, column=9).number_format = MONEY_FORMAT
        back = text_cell(findings, frow, last_col, f"Summary row {summary_row[id(d)]}")
        back.hyperlink = Hyperlink(ref=back.coordinate, location=f"'Summary'!A{summary_row[id(d)]}")
        back.font, back.alignment = style["link"], style["wrap"]
        rows_of_town.setdefault((town.key, f.rule), []).append(frow)
        rows_of_doc.setdefault((id(d), f.rule), []).append(frow)
    finish_table(findings, [w for _, w in FINDING_COLUMNS])

    _towns_sheet(towns_ws, with_contracts, rules, rows_of_town, last_col, style)
    _summary_sheet(summary, result, judged, town_of, rows_of_doc, last_col, root, style)
    _counts_sheet(wb, towns_ws, with_contracts, rules)
    _terms_sheet(wb, judged, town_of, root)
    _files_sheet(wb, result, town_of, root)
    table_sheet(wb, "Rules", [("Rule", 36), ("Rule id", 24), ("Category", 12), ("Severity", 9),
                              ("Why it matters", 100)],
                ([rule.title, rule.id, rule.category, rule.severity, " ".join(rule.why.split())] for rule in rules))
    table_sheet(wb, "Legend", [("Mark", 22), ("Meaning", 90)],
                ([MARKS.get(verdict, "") + verdict, meaning] for verdict, meaning in LEGEND),
                fills={0: lambda v: FILLS.get(v.split(" ", 1)[-1] if v[:1] in "✖◐✔○?" else v)})
    if result.profile:
        add_law(wb, summary, result, result.profile, first_col=summary.max_column + 1, first_row=3)
    if result.reviews:
        add_reviews(wb, result, result.reviews, lambda file: relative(file, root))
    with atomic_path(path) as tmp:
        wb.save(tmp)


def _town_cell_text(town, rule_id: str, numbers: dict[int, int]) -> str:
    """One short line, since LibreOffice neither wraps nor breaks the lines of a cell that holds a
    link: the mark of each polarity with the numbers of the documents (the Documents column) and,
    where they fit, the pages: "✖1 p.5 ✔3 p.2"; "○ missing safeguard" where nothing was found."""
    tv = town.verdicts[rule_id]
    if not tv.evidence:
        return MARKS.get(tv.verdict, "") + tv.verdict
    groups = []
    for polarity in (CONCERN, SAFEGUARD, "info"):
        found = [e for e in tv.evidence if e.finding.polarity == polarity]
        if not found:
            continue
        docs = list(dict.fromkeys(numbers[id(e.document)] for e in found))
        pages = list(dict.fromkeys(e.finding.page for e in found))
        # numbers only (days, months, dollars): titles and addresses are in the Findings sheet
        values = list(dict.fromkeys(e.finding.value for e in found if isinstance(e.finding.value, (int, float))))
        shown = " " + ",".join(_short_value(v, [e.finding for e in found]) for v in values[:2]) if values else ""
        groups.append((POLARITY_MARKS[polarity], ",".join(map(str, docs)), docs, pages, shown))
    full = " ".join(f"{mark}{nums}{' p.' + ','.join(map(str, pages)) if len(docs) == 1 else ''}{shown}"
                    for mark, nums, docs, pages, shown in groups)
    if len(full) <= RULE_WIDTH + 2:
        return full
    return " ".join(f"{mark}{nums}{shown}" for mark, nums, _docs, _pages, shown in groups)


def _short_value(value, findings) -> str:
    unit = next((f.unit for f in findings if f.unit and f.value == value), "")
    if unit == "USD" and isinstance(value, (int, float)):
        return f"${value:,.0f}"
    if isinstance(value, (int, float)):
        return f"{value:g}{unit[:1] if unit in ('days', 'months') else ' ' + (unit or '')}".strip()
    return str(value)


def _towns_sheet(ws, town_list, rules, rows_of_town, last_col, style) -> None:
    from openpyxl.comments import Comment

    fixed = ["Town", "Documents"]
    _fixed_headers(ws, fixed, style)
    _rule_headers(ws, len(fixed) + 1, rules, style)
    for row, town in enumerate(town_list, start=3):
        names = document_names(town)
        numbers = {id(d): n for n, d in enumerate(town.contracts, start=1)}
        name = text_cell(ws, row, 1, town.name + ("" if town.named_from != FROM_FOLDER else " (folder name)"))
        name.font, name.alignment = style["bold"], style["wrap"]
        docs = text_cell(ws, row, 2, "\n".join(f"{numbers[id(d)]} {names[id(d)]}" for d in town.contracts))
        docs.font, docs.alignment = style["body"], style["wrap"]
        docs.comment = Comment("\n".join(f"{numbers[id(d)]}: {Path(d.document.file.split('!')[0]).name}"
                                         for d in town.contracts)
                               + f"\nTown named from {NAMED_FROM[town.named_from]}.", "clausescan")
        for offset, rule in enumerate(rules):
            tv = town.verdicts[rule.id]
            cell = text_cell(ws, row, len(fixed) + 1 + offset, _town_cell_text(town, rule.id, numbers))
            cell.font, cell.alignment = style["body"], style["wrap"]
            if tv.evidence:   # the documents by name, on hover
                cell.comment = Comment(cell_text(town, rule.id, names), "clausescan", width=260, height=90)
            if tv.verdict in FILLS:
                cell.fill = solid_fill(FILLS[tv.verdict])
            _link(cell, rows_of_town.get((town.key, rule.id), []), last_col)
    widths = set_widths(ws, [18, 13] + [RULE_WIDTH] * len(rules))
    fit_rows(ws, widths, 3, header_rows=2)
    ws.freeze_panes = "C3"
    print_setup(ws, "1:2", "A:A")


def _summary_sheet(ws, result, judged, town_of, rows_of_doc, last_col, root, style) -> None:
    baseline = any(d.baseline for d in result.documents)
    fixed = ["File", "Town", "Type", "Status"] + ["Negotiated changes"] * baseline
    _fixed_headers(ws, fixed, style)
    _rule_headers(ws, len(fixed) + 1, result.rules, style)
    for row, (d, cells) in enumerate(zip(judged, summary_rows(result)), start=3):
        status = cells["status"] if not cells["error"] else f"{cells['status']}: {cells['error']}"
        values = [relative(d.document.file, root), town_of[id(d)].name, KIND_LABELS.get(d.document_kind, ""), status]
        if baseline:
            values.append(cells["negotiated_changes"])
        for col, value in enumerate(values, start=1):
            cell = text_cell(ws, row, col, value)
            cell.font, cell.alignment = style["body"], style["wrap"]
        for offset, rule in enumerate(result.rules):
            verdict, text = d.summary.get(rule.id, ""), cell_verdict(d, rule)
            cell = text_cell(ws, row, len(fixed) + 1 + offset, MARKS.get(verdict, "") + text)
            cell.font, cell.alignment = style["body"], style["wrap"]
            if verdict in FILLS:
                cell.fill = solid_fill(FILLS[verdict])
            _link(cell, rows_of_doc.get((id(d), rule.id), []), last_col)
    widths = set_widths(ws, [26, 16, 9, 9] + [30] * baseline + [RULE_WIDTH - 2] * len(result.rules))
    fit_rows(ws, widths, 3, header_rows=2)
    ws.freeze_panes = "B3"
    if ws.max_row > 2:
        ws.auto_filter.ref = f"A2:{column_letter(ws.max_column)}{ws.max_row}"
    print_setup(ws, "1:2", "A:A")


# Darker than the cell fills: thin bars in pale colours vanish on paper.
COUNT_SERIES = [("concern", "C0392B"), ("safeguard", "2E8B57"), ("neither", "B05A98"), ("not fully read", "7F7F7F")]


def _counts_sheet(wb, towns_ws, town_list, rules) -> None:
    """Per rule, how many towns have the concern, the safeguard, neither, or were not fully
    read; and a bar chart of it on the Towns sheet, under the towns."""
    from openpyxl.chart import BarChart, Reference

    rows = counts([{rule_id: tv.verdict for rule_id, tv in t.verdicts.items()} for t in town_list], rules)
    ws = table_sheet(wb, "Counts", [("Rule", 36), ("Rule id", 24), ("Towns with the concern", 12),
                                    ("Towns with the safeguard", 12), ("Towns with neither", 12),
                                    ("Towns not fully read", 12), ("Towns", 8)],
                     ([r["title"], r["rule"], r["concern"], r["safeguard"], r["neither"], r["not fully read"],
                       r["towns"]] for r in rows))
    if not rows or not town_list:
        return
    chart = BarChart()
    chart.type = "bar"                 # horizontal bars: the rule titles stay readable
    chart.grouping = "clustered"
    chart.title = f"How many of the {len(town_list)} towns have each concern and safeguard"
    chart.x_axis.title = None
    chart.y_axis.title = "towns"
    chart.y_axis.majorUnit = 1
    chart.x_axis.scaling.orientation = "maxMin"   # the first rule at the top, as in the table
    chart.add_data(Reference(ws, min_col=3, max_col=6, min_row=1, max_row=len(rows) + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(rows) + 1))
    for series, (_name, colour) in zip(chart.series, COUNT_SERIES):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    chart.gapWidth = 40
    chart.x_axis.tickLblSkip = 1      # every rule's title, not every other one
    chart.height, chart.width = max(10, 1.3 * len(rows)), 24
    chart.legend.position = "b"
    towns_ws.add_chart(chart, f"A{towns_ws.max_row + 3}")


def _terms_sheet(wb, judged, town_of, root) -> None:
    """The contracts' own terms: dates, term lengths, cameras, prices (as numbers, formatted)."""
    columns = [("File", 30), ("Town", 18), ("Vendor", 22), ("Pages", 6), ("Pages read by OCR", 8)] + \
        [(LABELS[name], 13) for name in FACT_COLUMNS]
    rows = []
    for d in judged:
        facts = d.facts
        values = []
        for name in FACT_COLUMNS:
            fact = getattr(facts, name) if facts else None
            value = fact.value if fact else ""
            if name == "effective_date" and isinstance(value, str) and value:
                try:
                    value = datetime.date.fromisoformat(value)
                except ValueError:
                    pass
            values.append(value)
        rows.append([relative(d.document.file, root), town_of[id(d)].name, (d.parties or {}).get("vendor_name") or "",
                     len(d.document.pages), len(d.document.pages_ocr), *values])
    ws = table_sheet(wb, "Terms", columns, rows)
    for col, name in enumerate(FACT_COLUMNS, start=6):
        for row in range(2, ws.max_row + 1):
            cell = ws.cell(row=row, column=col)
            if name in MONEY_FIELDS and isinstance(cell.value, (int, float)):
                cell.number_format = MONEY_FORMAT
            elif isinstance(cell.value, datetime.date):
                cell.number_format = DATE_FORMAT


def _files_sheet(wb, result, town_of, root) -> None:
    """Every input: judged or not and why, and every file skipped under the folders."""
    columns = [("File", 34), ("Town", 16), ("Type", 12), ("Judged", 44), ("Format", 7), ("Status", 8),
               ("Error", 30), ("Pages", 6), ("Pages read by OCR", 9), ("Unreadable pages", 9),
               ("Mean OCR confidence", 9), ("OCR confidence by page", 16), ("Low-quality OCR pages", 9),
               ("SHA-256", 20), ("clausescan version", 9), ("Rule library version", 11)]
    rows = []
    for d in result.documents:
        doc = d.document
        judged = "judged" if d.judged else not_judged_text(d)
        rows.append([relative(doc.file, root), town_of[id(d)].name, KIND_LABELS.get(d.document_kind, ""), judged,
                     doc.kind, doc.status, doc.error or "", len(doc.pages), ", ".join(map(str, doc.pages_ocr)),
                     ", ".join(map(str, doc.pages_unreadable)),
                     doc.ocr_confidence if doc.ocr_confidence is not None else "",
                     ", ".join(f"{page}: {conf}" for page, conf in doc.pages_ocr_confidence.items()),
                     ", ".join(map(str, doc.pages_low_quality_ocr)), doc.sha256, result.tool_version,
                     result.rules_version])
    for s in result.skipped:
        rows.append([relative(s.file, root), "", "not read", f"skipped: {s.reason}", "", "skipped", "", "", "", "",
                     "", "", "", "", result.tool_version, result.rules_version])
    table_sheet(wb, "Files", columns, rows,
                fills={3: lambda v: FILLS[SAFEGUARD] if v == "judged" else ("E8E8E8" if v else None)})
