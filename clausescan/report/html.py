"""The HTML report: one self-contained file a reporter opens by double-click.

An overview of every town and document with its verdict counts, the pages not fully read and the
files that could not be read; then per document every finding with its rule's plain title, why it
matters, page and section, and the quote highlighted on a picture of its page (PDFs and scans,
pages/boxes from clausescan.report.pages) or in the text around it (DOCX, TXT, e-mail). Filters by
rule, polarity and town run in a small inline script; `?rule=...&polarity=...&town=...` in the
address pre-applies them.

Contract text is untrusted. Everything from a findings file is escaped where it is written into
the page, nothing from it becomes a link, a style or a script, and a Content-Security-Policy lets
only this module's own script run and no request leave the page."""
from __future__ import annotations

import base64
import datetime
import hashlib
import html
from dataclasses import dataclass, field
from pathlib import Path

from ..judge import MISSING, NOT_READ
from . import pages as page_views
from .atomic import write_text
from .json import to_dict
from .tables import count

# Page pictures stop being embedded past this many bytes of JPEG (some 300 pages): later findings
# show their text, with a note, so a report of a hundred contracts still opens in a browser.
IMAGE_BUDGET_BYTES = 30_000_000
PICTURES_LEFT_OUT = ("Page pictures were left out to keep this report small; 'clausescan check FILE --html OUT' "
                     "writes them for this file alone.")
POLARITY_LABEL = {"concern": "concern", "safeguard": "safeguard", "info": "fact"}


def write(result, path) -> None:
    """Write the HTML report of a ScanResult (`scan --html`, ScanResult.to_html)."""
    write_text(path, render(to_dict(result), result.rules))


def write_findings(result, path, findings_path: Path | None = None) -> None:
    """Write the HTML report of a findings file read back (`report --format html`); source files
    named in it are looked for as given, then beside the findings file."""
    from .json import to_dict
    search = [Path(findings_path).resolve().parent] if findings_path else []
    write_text(path, render(to_dict(result), result.rules, search))


def e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


@dataclass
class Pictures:
    """The page pictures embedded so far, as CSS rules (one per page, however many findings it
    has), and the bytes left of IMAGE_BUDGET_BYTES."""
    css: list[str] = field(default_factory=list)
    left: int = IMAGE_BUDGET_BYTES

    def add(self, css_class: str, image) -> None:
        self.css.append(f".{css_class}{{background-image:url({image.data_uri()})}}\n")
        self.left -= len(image.jpeg)


@dataclass
class Evidence:
    """How one document's quotes can be shown: its pages as pictures, its text, or neither (why)."""
    source: page_views.Source | None = None
    note: str = ""                        # why pictures or text are not shown, for the reader
    images: dict = field(default_factory=dict)   # page number -> css class of its embedded picture


def render(data: dict, rules, search_dirs=()) -> str:
    by_id = {r.id: r for r in rules}
    # findings marked wrong by review are left out, and counted in the header
    documents = [{**d, "findings": [f for f in d.get("findings") or [] if f.get("review") != "wrong"]}
                 for d in data.get("documents") or []]
    left_out = sum(len(d.get("findings") or []) for d in data.get("documents") or []) - \
        sum(len(d["findings"]) for d in documents)
    judged = [(n, d) for n, d in enumerate(documents, start=1) if d.get("summary") or d.get("status") == "error"]
    pictures = Pictures()
    body = [_header(data, judged, left_out), _filters(judged, by_id), _overview(data, judged, documents)]
    for number, doc in judged:
        body.append(_document(number, doc, by_id, _evidence(doc, search_dirs, pictures), pictures))
    script = SCRIPT
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    policy = f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-{digest}'"
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>clausescan report: {count(len(judged), "document")}</title>\n'
            f'<style>{STYLE}</style>\n<style>{"".join(pictures.css)}</style>\n</head><body>\n'
            + "\n".join(body) + f"\n<script>{script}</script>\n</body></html>\n")


# ---------------------------------------------------------------------------------------------
# Finding the pages: the source file the findings file names, unchanged since the scan
# ---------------------------------------------------------------------------------------------

def _evidence(doc: dict, search_dirs, pictures: Pictures) -> Evidence:
    if doc.get("status") == "error" or not doc.get("findings"):
        return Evidence()
    file = doc["file"]
    if "!" in file:
        return Evidence(note="The file is inside an archive, so its pages are not shown; the quotes are.")
    path = _find(file, search_dirs)
    if path is None:
        return Evidence(note=f"The source file {file} was not found, so its pages are not shown; the quotes are.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Evidence(note=f"The source file could not be opened ({exc.strerror or exc}); the quotes are shown.")
    if doc.get("sha256") and hashlib.sha256(data).hexdigest() != doc["sha256"]:
        return Evidence(note="The source file has changed since the scan, so its pages are not shown; the "
                             "quotes are as scanned.")
    kind = doc.get("kind")
    if kind in ("pdf", "image") and pictures.left <= 0:
        return Evidence(note=PICTURES_LEFT_OUT)
    try:
        if kind == "pdf":
            return Evidence(page_views.PdfSource(data, set(doc.get("pages_ocr") or [])))
        if kind == "image":
            return Evidence(page_views.ImageSource(data))
        return Evidence(page_views.TextSource(path))
    except Exception:   # a file that scanned but will not render: the quotes are still shown
        return Evidence(note="The source file's pages could not be rendered; the quotes are shown.")


def _find(file: str, search_dirs) -> Path | None:
    candidates = [Path(file)] + [Path(d) / file for d in search_dirs if not Path(file).is_absolute()]
    return next((c for c in candidates if c.is_file()), None)


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------

def _header(data: dict, judged, left_out: int) -> str:
    tool = data.get("tool") or {}
    rules = data.get("rules") or {}
    total = sum(len(d.get("findings") or []) for _, d in judged)
    today = datetime.date.today().isoformat()
    return (f'<header id="top"><h1>clausescan report</h1>'
            f'<p class="meta">{count(len(judged), "document")}, {count(total, "finding")} · clausescan '
            f'{e(tool.get("version"))}, {e(rules.get("count"))} rules · written {today}. Every finding cites '
            f'its file, page, section and exact quote; check each against the contract before relying on it.'
            + (f' {count(left_out, "finding")} marked wrong by review left out.' if left_out else '')
            + '</p></header>')


def _filters(judged, by_id) -> str:
    rule_ids = sorted({f.get("rule") for _, d in judged for f in d.get("findings") or []})
    towns = sorted({d.get("town") or "" for _, d in judged} - {""})
    total = sum(len(d.get("findings") or []) for _, d in judged)

    def options(values, label):
        return f'<option value="">{label}</option>' + "".join(
            f'<option value="{e(v)}">{e(text)}</option>' for v, text in values)

    rule_options = options([(r, _rule_title(by_id, r)) for r in rule_ids], "every rule")
    polarity_options = options([(p, POLARITY_LABEL[p] + "s") for p in ("concern", "safeguard", "info")],
                               "concerns, safeguards and facts")
    town_options = options([(t, t) for t in towns], "every town")
    return (f'<nav id="filters" aria-label="Filters">'
            f'<label>Rule <select id="filter-rule">{rule_options}</select></label> '
            f'<label>Polarity <select id="filter-polarity">{polarity_options}</select></label> '
            f'<label>Town <select id="filter-town">{town_options}</select></label> '
            f'<span id="shown"><span id="shown-count">{total}</span> of <span id="total-count">{total}</span> '
            f'findings shown</span> <a href="#overview">overview</a></nav>')


def _chips(concerns: int, safeguards: int, missing: int, not_read: int = 0) -> str:
    chips = [f'<span class="chip concern">{count(concerns, "concern")}</span>',
             f'<span class="chip safeguard">{count(safeguards, "safeguard")}</span>',
             f'<span class="chip missing">{missing} missing safeguard{"" if missing == 1 else "s"}</span>']
    if not_read:
        chips.append(f'<span class="chip unread">{not_read} not fully read</span>')
    return " ".join(chips)


def _document_chips(doc: dict) -> str:
    findings = doc.get("findings") or []
    verdicts = list((doc.get("summary") or {}).values())
    return _chips(sum(f.get("polarity") == "concern" for f in findings),
                  sum(f.get("polarity") == "safeguard" for f in findings),
                  verdicts.count(MISSING), verdicts.count(NOT_READ))


def _unread_text(doc: dict) -> str:
    parts = []
    if doc.get("pages_unreadable"):
        parts.append("pages " + ", ".join(map(str, doc["pages_unreadable"])) + " not read")
    if doc.get("pages_low_quality_ocr"):
        parts.append("pages " + ", ".join(map(str, doc["pages_low_quality_ocr"])) + " low-quality OCR")
    return "; ".join(parts)


def _overview(data: dict, judged, documents) -> str:
    number_of = {d["file"]: n for n, d in judged}
    rows = []
    for town in data.get("towns") or []:
        verdicts = [v.get("verdict") for v in (town.get("verdicts") or {}).values()]
        links = ", ".join(f'<a href="#doc-{number_of[f]}">{e(Path(f).name)}</a>'
                          for f in town.get("documents") or [] if f in number_of)
        rows.append(f'<tr class="town" data-town="{e(town.get("name"))}"><th scope="row">{e(town.get("name"))}</th>'
                    f'<td>{_chips(sum(v in ("concern", "both") for v in verdicts), sum(v in ("safeguard", "both") for v in verdicts), verdicts.count(MISSING), verdicts.count(NOT_READ))}</td>'
                    f'<td>{links}</td></tr>')
    towns = (f'<h2>Towns</h2><p class="hint">Each rule counted once per town: a concern or safeguard in any of its '
             f'documents.</p><table><thead><tr><th>Town</th><th>Rules</th><th>Documents</th></tr></thead>'
             f'<tbody>{"".join(rows)}</tbody></table>') if rows else ""
    doc_rows = []
    for number, doc in judged:
        if doc.get("status") == "error":
            state = f'<td colspan="2" class="error">Not read: {e(doc.get("error"))}</td>'
        else:
            unread = _unread_text(doc)
            note = f'<div class="unread-note">{e(unread)}</div>' if unread else ""
            state = f'<td>{_document_chips(doc)}{note}</td><td>{e(doc.get("title"))}</td>'
        doc_rows.append(f'<tr class="doc-row" data-town="{e(doc.get("town"))}"><th scope="row" class="file">'
                        f'<a href="#doc-{number}">{e(doc["file"])}</a></th><td>{e(doc.get("town"))}</td>{state}</tr>')
    others = [d for d in documents if d["file"] not in number_of]
    other_rows = "".join(f'<li>{e(d["file"])}: not a contract ({e(d.get("document_kind_reason") or d.get("document_kind"))}); '
                         f'no verdicts.</li>' for d in others)
    other_rows += "".join(f'<li>{e(s.get("file"))}: not read ({e(s.get("reason"))}).</li>'
                          for s in data.get("skipped") or [])
    other = f'<h2>Other files</h2><ul class="others">{other_rows}</ul>' if other_rows else ""
    return (f'<section id="overview"><h2 class="sr">Overview</h2>{towns}<h2>Documents</h2><table><thead><tr>'
            f'<th>File</th><th>Town</th><th>Findings</th><th>Title</th></tr></thead><tbody>{"".join(doc_rows)}'
            f'</tbody></table>{other}</section>')


def _rule_title(by_id, rule_id) -> str:
    rule = by_id.get(rule_id)
    return rule.title if rule else str(rule_id)


def _document(number: int, doc: dict, by_id, evidence: Evidence, pictures: Pictures) -> str:
    anchor = f"doc-{number}"
    town = doc.get("town") or ""
    parties = doc.get("parties") or {}
    who = " · ".join(str(v) for v in (parties.get("agency_name"), parties.get("vendor_name")) if v)
    head = [f'<h2>{e(doc["file"])}</h2>',
            f'<p class="meta">{e(" · ".join(v for v in (doc.get("title"), who) if v))}</p>' if doc.get("title") or who else "",
            f'<p class="meta">Town: {e(town)} · {count(doc.get("pages") or 0, "page")}'
            + (f', {len(doc["pages_ocr"])} read by OCR' if doc.get("pages_ocr") else "") + "</p>"]
    if doc.get("status") == "error":
        head.append(f'<p class="error">Not read: {e(doc.get("error"))} No verdicts can be given for it.</p>')
        return f'<section class="document" id="{anchor}" data-town="{e(town)}">{"".join(head)}{_back()}</section>'
    head.append(f"<p>{_document_chips(doc)}</p>")
    if doc.get("status") == "partial" or _unread_text(doc):
        reason = f' {doc["error"]}' if doc.get("error") else ""
        head.append(f'<p class="unread-note">Not fully read: {e(_unread_text(doc))}.{e(reason)} A rule not found '
                    f'may be on those pages.</p>')
    if evidence.note:
        head.append(f'<p class="note">{e(evidence.note)}</p>')
    findings = sorted(enumerate(doc.get("findings") or [], start=1), key=lambda nf: (nf[1].get("page") or 0, nf[0]))
    index = "".join(f'<li class="finding-link" data-rule="{e(f.get("rule"))}" data-polarity="{e(f.get("polarity"))}">'
                    f'<a href="#{anchor}-f{k}">p. {e(f.get("page"))}: {e(_rule_title(by_id, f.get("rule")))}</a> '
                    f'<span class="badge {e(f.get("polarity"))}">{e(POLARITY_LABEL.get(f.get("polarity"), f.get("polarity")))}</span></li>'
                    for k, f in findings)
    cards = []
    try:
        for k, f in findings:
            cards.append(_finding(f"{anchor}-f{k}", anchor, f, town, by_id, evidence, pictures))
    finally:
        if evidence.source is not None:
            evidence.source.close()
    missing = [r for r, v in (doc.get("summary") or {}).items() if v == MISSING]
    missing_html = "".join(f'<li><b>{e(_rule_title(by_id, r))}</b>: {e(_why(by_id, r))}</li>' for r in missing)
    missing_html = (f'<h3>Missing safeguards</h3><p class="hint">No clause limiting these was found anywhere in the '
                    f'document.</p><ul class="missing-list">{missing_html}</ul>') if missing else ""
    return (f'<section class="document" id="{anchor}" data-town="{e(town)}">{"".join(head)}'
            f'<ol class="finding-index">{index}</ol>{"".join(cards)}{missing_html}{_back()}</section>')


def _back() -> str:
    return '<p class="back"><a href="#overview">back to the overview</a></p>'


def _why(by_id, rule_id) -> str:
    rule = by_id.get(rule_id)
    return " ".join(rule.why.split()) if rule else ""


def _finding(anchor: str, doc_anchor: str, f: dict, town: str, by_id, evidence: Evidence, pictures: Pictures) -> str:
    polarity = f.get("polarity") or ""
    where = f'p. {e(f.get("page"))}' + (f', § {e(f.get("section"))}' if f.get("section") else "")
    if f.get("value") is not None:
        where += f' · value: {e(f.get("value"))}' + (f' {e(f.get("unit"))}' if f.get("unit") else "")
    return (f'<article class="finding {e(polarity)}" id="{anchor}" data-rule="{e(f.get("rule"))}" '
            f'data-polarity="{e(polarity)}" data-town="{e(town)}">'
            f'<h3>{e(_rule_title(by_id, f.get("rule")))} <span class="badge {e(polarity)}">'
            f'{e(POLARITY_LABEL.get(polarity, polarity))}</span> <code>{e(f.get("rule"))}</code></h3>'
            f'<p class="why">{e(_why(by_id, f.get("rule")))}</p><p class="where">{where}</p>'
            f'<blockquote>{_quote_with_trigger(f.get("quote") or "", f.get("trigger") or "")}</blockquote>'
            f'{_quote_view_or_note(anchor, f, evidence, pictures)}'
            f'<p class="back"><a href="#{doc_anchor}">back to the document</a> · <a href="#overview">overview</a></p>'
            f'</article>')


def _quote_with_trigger(quote: str, trigger: str) -> str:
    """The quote, escaped, with the words that set the finding off marked."""
    at = quote.lower().find(trigger.lower()) if trigger else -1
    if at < 0:
        return e(quote)
    end = at + len(trigger)
    return f'{e(quote[:at])}<b class="trigger">{e(quote[at:end])}</b>{e(quote[end:])}'


def _quote_view_or_note(anchor: str, f: dict, evidence: Evidence, pictures: Pictures) -> str:
    try:
        return _quote_view(anchor, f, evidence, pictures)
    except Exception:   # a page that scanned but will not render again: the quote above still stands
        return '<p class="note">The page could not be rendered again; the quote is shown above.</p>'


def _quote_view(anchor: str, f: dict, evidence: Evidence, pictures: Pictures) -> str:
    source = evidence.source
    if source is None:
        return ""
    page = f.get("page") or 1
    spans = page_views.locate(f.get("quote") or "", source.stream, page)
    if not spans:
        return '<p class="note">The quote was not found on the page\'s text, so the page is not shown.</p>'
    if isinstance(source, page_views.TextSource):
        return "".join(f'<div class="textview" data-page="{n}"><div class="page-label">page {n}</div>'
                       f'{source.context_html(n, s)}</div>' for n, s in spans.items())
    views = []
    for number, page_spans in spans.items():
        image = source.image(number)
        if image is None:
            continue
        css = evidence.images.get(number)
        if css is None:
            if pictures.left <= 0:
                return f'<p class="note">{e(PICTURES_LEFT_OUT)}</p>'
            css = evidence.images[number] = f"pg-{anchor.split('-f')[0]}-{number}"
            pictures.add(css, image)
        stream = source.stream(number)
        if stream is None:
            continue
        rects = page_views.boxes(stream, page_spans)
        marks = "".join(f'<mark class="hl" style="left:{100 * x0:.2f}%;top:{100 * y0:.2f}%;'
                        f'width:{100 * (x1 - x0):.2f}%;height:{100 * (y1 - y0):.2f}%"></mark>'
                        for x0, y0, x1, y1 in rects)
        # the window opens on the first highlighted line: its height from the top, in % of the width
        shift = 100 * rects[0][1] * image.height / image.width if rects else 0
        views.append(f'<div class="pageview"><div class="page-label">page {number}</div>'
                     f'<div class="page {css}" data-page="{number}" role="img" aria-label="page {number} with the '
                     f'quote highlighted" style="aspect-ratio:{image.width}/{image.height};--shift:{shift:.2f}%">{marks}'
                     f'</div></div>')
    if not views:
        return ('<p class="note">The page could not be pictured with the quote\'s place (it was read by OCR and '
                'Tesseract is not installed); the quote is shown above.</p>')
    return "".join(views)


STYLE = """
:root{--concern:#b3261e;--safeguard:#1b6e3a;--info:#2b5c8a;--missing:#7b3fa0}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1f;background:#f6f6f4}
header,section{max-width:980px;margin:0 auto;padding:12px 20px}
h1{margin:8px 0 0;font-size:24px}h2{font-size:19px;margin:18px 0 6px;overflow-wrap:anywhere}h3{font-size:16px;margin:4px 0}
.meta,.hint{color:#555;margin:2px 0}.sr{position:absolute;left:-9999px}
#filters{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid #ddd;padding:8px 20px;
 display:flex;flex-wrap:wrap;gap:10px;align-items:center;justify-content:center}
#filters select{font:inherit;max-width:260px}#shown{color:#555}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border-bottom:1px solid #e4e4e4;padding:6px 8px;
 text-align:left;vertical-align:top}th[scope=row]{font-weight:600}.file{overflow-wrap:anywhere}
.chip,.badge{display:inline-block;border-radius:10px;padding:1px 8px;font-size:13px;color:#fff;white-space:nowrap;margin:1px 0}
.chip.concern,.badge.concern{background:var(--concern)}.chip.safeguard,.badge.safeguard{background:var(--safeguard)}
.chip.missing{background:var(--missing)}.chip.unread{background:#9a6700}.badge.info{background:var(--info)}
.error{color:var(--concern);font-weight:600}.unread-note{color:#9a6700;font-size:13px}.note{color:#555;font-style:italic}
.document{background:#fff;margin-top:18px;border-top:4px solid #444}
.finding{border-left:5px solid #999;padding:4px 12px;margin:14px 0}.finding.concern{border-color:var(--concern)}
.finding.safeguard{border-color:var(--safeguard)}.finding.info{border-color:var(--info)}
.finding code{font-size:12px;color:#777}.why{color:#333;margin:2px 0}.where{font-weight:600;margin:2px 0}
blockquote{margin:6px 0;padding:6px 10px;background:#f3f3f0;border-radius:4px}.trigger{text-decoration:underline}
.finding-index{columns:2;font-size:14px;color:#333}.finding-index li{break-inside:avoid}
.pageview{max-height:360px;overflow:hidden;border:1px solid #ccc;position:relative;margin:6px 0;background:#eee}
.pageview:not(.whole) .page{margin-top:min(0px,calc(50px - var(--shift)))}.pageview.whole{max-height:none}.page-label{position:sticky;top:0;left:0;z-index:2;font-size:12px;
 background:rgba(255,255,255,.85);padding:1px 6px;display:inline-block}
.page{position:relative;width:100%;background-size:100% 100%;background-repeat:no-repeat;cursor:zoom-in}
.pageview.whole .page{cursor:zoom-out}
.hl{position:absolute;background:rgba(255,210,0,.45);outline:2px solid rgba(230,150,0,.9);border-radius:2px;padding:0}
.textview{border:1px solid #ccc;padding:8px 12px;margin:6px 0;white-space:pre-wrap;font-family:Georgia,serif;
 max-height:300px;overflow:auto}.textview mark{background:#ffe066}
.back{font-size:13px}[hidden]{display:none!important}
"""

SCRIPT = """
(function () {
  var selects = {rule: document.getElementById('filter-rule'), polarity: document.getElementById('filter-polarity'),
                 town: document.getElementById('filter-town')};
  function apply() {
    var want = {rule: selects.rule.value, polarity: selects.polarity.value, town: selects.town.value};
    var shown = 0;
    document.querySelectorAll('article.finding').forEach(function (card) {
      var ok = ['rule', 'polarity', 'town'].every(function (k) { return !want[k] || card.dataset[k] === want[k]; });
      card.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.querySelectorAll('li.finding-link').forEach(function (item) {
      item.hidden = (want.rule && item.dataset.rule !== want.rule) ||
                    (want.polarity && item.dataset.polarity !== want.polarity);
    });
    document.querySelectorAll('tr.town, tr.doc-row').forEach(function (row) {
      row.hidden = !!want.town && row.dataset.town !== want.town;
    });
    // a document is hidden when its town is filtered out, or when a rule or polarity filter leaves it no finding
    document.querySelectorAll('section.document').forEach(function (section) {
      var left = section.querySelectorAll('article.finding:not([hidden])').length;
      section.hidden = (!!want.town && section.dataset.town !== want.town) ||
                       ((want.rule || want.polarity) && left === 0);
    });
    document.getElementById('shown-count').textContent = String(shown);
    document.body.dataset.filtered = (want.rule || want.polarity || want.town) ? 'yes' : 'no';
  }
  var params = new URLSearchParams(window.location.search);
  Object.keys(selects).forEach(function (key) {
    var value = params.get(key);
    if (value !== null && Array.prototype.some.call(selects[key].options, function (o) { return o.value === value; })) {
      selects[key].value = value;
    }
    selects[key].addEventListener('change', apply);
  });
  apply();
  // a page picture shows a window on its highlight; a click shows the whole page, or the window again
  document.querySelectorAll('.pageview').forEach(function (view) {
    view.addEventListener('click', function () { view.classList.toggle('whole'); });
  });
})();
"""
