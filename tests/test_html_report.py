"""The HTML report: quotes highlighted on their pages, filters that run in a real browser
(headless Chromium, installed by scripts/setup.sh --tests), and contract text that never becomes
markup, a link or a script."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote as url_quote

import lxml.html
import pytest
from typer.testing import CliRunner

import clausescan
from clausescan.cli import app
from clausescan.report import html as html_report
from clausescan.report import pages
from conftest import CROSSING_SENTENCE, FILLER, text_pdf, wrap

NETWORK_SENTENCE = ("Vendor may share ALPR Data with any other law enforcement agency in its national network "
                    "without notice to the Agency.")
NO_SALE_SENTENCE = "Vendor shall not sell ALPR Data to any third party for any purpose."
# Every way contract text could try to become markup, a link or a script: in a file name, in the
# parties (vendor and town), in a quote.
HOSTILE_NAME = '"><img src=x onerror=alert(1)><script>alert(2)<.txt'
HOSTILE_TEXT = ('MEMORANDUM OF UNDERSTANDING\nThis MOU is made between <script>alert(5)</script> Corp. ("Vendor") and '
                'the City of "><b onmouseover=alert(6)>Hostile ("Agency").\n1. Data\n'
                '1.1 Vendor may sell ALPR Data to third parties at javascript:alert(1) "><img src=x onerror=alert(4)> '
                '<script>document.body.dataset.pwned="1"</script> without limit.\n')


def agreement_pages() -> list[list[str]]:
    """Two pages: a concern at the foot of page 1, a safeguard and a retention period on page 2."""
    def paragraphs(*texts: str) -> list[str]:
        return [line for text in texts for line in wrap(text) + [""]]

    preamble = 'This Agreement is made between Acme Plate Readers, Inc. ("Vendor") and the Town of Testville ("Agency").'
    retention = "Vendor shall delete ALPR Data thirty (30) days after it is collected."
    return [["ALPR SERVICES AGREEMENT", ""] + paragraphs(preamble, *FILLER, NETWORK_SENTENCE),
            paragraphs(*FILLER[:2], NO_SALE_SENTENCE, retention)]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """A folder with a two-page PDF agreement and a hostile text file, scanned."""
    folder = tmp_path_factory.mktemp("html") / "contracts" / "testville"
    folder.mkdir(parents=True)
    (folder / "agreement.pdf").write_bytes(text_pdf(agreement_pages()))
    (folder / HOSTILE_NAME).write_text(HOSTILE_TEXT, encoding="utf-8")
    (folder / "zero-bytes.pdf").write_bytes(b"")
    return clausescan.scan([folder.parent])


@pytest.fixture(scope="module")
def report(scanned, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("out") / "report.html"
    scanned.to_html(path)
    return path


def quotes(text: str) -> list[str]:
    return [q.text_content() for q in lxml.html.fromstring(text).xpath("//blockquote")]


def chromium_dom(path: Path, query: str, profile: Path) -> lxml.html.HtmlElement:
    """The page's DOM after its scripts ran, as headless Chromium serialises it."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    assert browser, "Chromium is not installed: scripts/setup.sh --tests installs it"
    proc = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           f"--user-data-dir={profile}", "--dump-dom", path.resolve().as_uri() + query],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "<html" in proc.stdout, proc.stderr[-2000:]
    return lxml.html.fromstring(proc.stdout)


def test_chromium_runs_the_filters_and_shows_the_highlight_on_the_right_page(scanned, report, tmp_path):
    findings = [f for d in scanned.judged for f in d.findings]
    safeguards = [f for d in scanned.judged if d.parties.get("agency_name") == "Town of Testville"
                  for f in d.findings if f.polarity == "safeguard"]
    assert any(f.quote == NO_SALE_SENTENCE for f in safeguards) and len(safeguards) < len(findings)
    dom = chromium_dom(report, "?polarity=safeguard&town=" + url_quote("Town of Testville"), tmp_path / "profile")

    cards = dom.xpath("//article[contains(@class, 'finding')]")
    assert len(cards) == len(findings)
    shown = [c for c in cards if c.get("hidden") is None]
    # the script read the filter from the address: only the town's safeguards are left, and counted
    assert dom.get_element_by_id("shown-count").text_content() == str(len(safeguards))
    assert dom.get_element_by_id("total-count").text_content() == str(len(findings))
    assert {c.get("data-polarity") for c in shown} == {"safeguard"}
    assert len(shown) == len(safeguards)

    sale = next(c for c in cards if c.xpath(".//blockquote")[0].text_content() == NO_SALE_SENTENCE)
    assert sale.get("hidden") is None
    page_views = sale.xpath(".//div[contains(@class, 'page ')]")
    assert [p.get("data-page") for p in page_views] == ["2"]    # the sentence is on page 2, not page 1
    marks = page_views[0].xpath(".//mark[@class='hl']")
    assert len(marks) == 1   # one line of text
    style = dict(item.split(":") for item in marks[0].get("style").split(";"))
    top = float(style["top"].rstrip("%"))
    # page 2 has two filler paragraphs (8 lines) above the sentence: a third of the page down, not at the top
    assert 12 < top < 40 and float(style["height"].rstrip("%")) < 3

    # the concern on page 1 is marked on page 1, and hidden by the filter
    network = next(c for c in cards if c.xpath(".//blockquote")[0].text_content() == NETWORK_SENTENCE)
    assert network.get("hidden") == "" or network.get("hidden") == "hidden"
    assert [p.get("data-page") for p in network.xpath(".//div[contains(@class, 'page ')]")] == ["1"]

    # hostile text stayed text: one script (the report's own), no image, no handler, no link out
    assert len(dom.xpath("//script")) == 1
    assert not dom.xpath("//img") and not dom.xpath("//*[@onerror or @onmouseover]")
    assert all(a.get("href").startswith("#") for a in dom.xpath("//a"))
    assert dom.xpath("//body")[0].get("data-pwned") is None
    assert HOSTILE_NAME in dom.text_content() and "<script>alert(5)</script> Corp." in dom.text_content()


def test_an_unreadable_file_is_an_error_row_and_a_section(report):
    dom = lxml.html.fromstring(report.read_text(encoding="utf-8"))
    row = next(r for r in dom.xpath("//tr[@class='doc-row']") if "zero-bytes.pdf" in r.text_content())
    assert row.xpath("td[@class='error']")[0].text_content() == "Not read: the file is empty (0 bytes)."
    section = dom.get_element_by_id(row.xpath(".//a")[0].get("href")[1:])
    assert "No verdicts can be given for it." in section.text_content()


def test_contract_text_is_escaped_in_the_file(report):
    text = report.read_text(encoding="utf-8")
    assert text.count("<script") == 1 and "<img" not in text and "<b onmouseover" not in text
    assert "&lt;script&gt;document.body.dataset.pwned" in text
    assert 'href="javascript' not in text and "href=\"#" in text
    # only the report's own script may run, and nothing may be fetched
    policy = text.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
    assert "default-src 'none'" in policy and "script-src 'sha256-" in policy and "unsafe-inline" not in \
        policy.split("script-src")[1]


def test_page_pictures_are_embedded_once_and_small(report):
    text = report.read_text(encoding="utf-8")
    pictures = text.count("data:image/jpeg;base64,")
    assert pictures == 2   # page 1 and page 2, each once however many findings are on it
    assert report.stat().st_size < 600_000


def test_a_quote_that_runs_onto_the_next_page_is_marked_on_both(fixture_file):
    path = fixture_file("clause-across-page-break.pdf")
    result = clausescan.scan([path])
    finding = next(f for f in result.documents[0].findings if f.quote == CROSSING_SENTENCE)
    source = pages.PdfSource(path.read_bytes(), set())
    try:
        spans = pages.locate(finding.quote, source.stream, finding.page)
        assert sorted(spans) == [1, 2]
        last_line_of_page_1 = pages.boxes(source.stream(1), spans[1])[-1]
        first_line_of_page_2 = pages.boxes(source.stream(2), spans[2])[0]
        assert last_line_of_page_1[1] > 0.6 and first_line_of_page_2[1] < 0.2
    finally:
        source.close()


def test_report_command_without_the_source_files_shows_the_quotes_and_says_so(scanned, tmp_path):
    from clausescan.report import json as json_report
    data = json_report.to_dict(scanned)
    for doc in data["documents"]:
        doc["file"] = "moved-away/" + Path(doc["file"]).name
    findings = tmp_path / "findings.json"
    findings.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "report.html"
    run = CliRunner().invoke(app, ["report", str(findings), "--format", "html", "-o", str(out)])
    assert run.exit_code == 0, run.output
    text = out.read_text(encoding="utf-8")
    assert "data:image/jpeg" not in text
    assert "The source file moved-away/agreement.pdf was not found, so its pages are not shown" in text
    assert NO_SALE_SENTENCE in quotes(text)


def test_a_source_file_changed_since_the_scan_is_not_pictured(scanned, tmp_path):
    from clausescan.report import json as json_report
    changed = json_report.from_dict(json_report.to_dict(scanned))
    agreement = next(d for d in changed.documents if d.document.file.endswith("agreement.pdf"))
    agreement.document.sha256 = "0" * 64
    out = tmp_path / "report.html"
    html_report.write_findings(changed, out)
    text = out.read_text(encoding="utf-8")
    assert "has changed since the scan" in text and text.count("data:image/jpeg") == 0


def test_a_text_file_shows_its_quote_marked_in_the_text_around_it(report):
    dom = lxml.html.fromstring(report.read_text(encoding="utf-8"))
    views = dom.xpath("//div[@class='textview']")
    assert len(views) == 1
    marked = views[0].xpath(".//mark")[0].text_content()
    assert marked.startswith("Vendor may sell ALPR Data") and marked.endswith('dataset.pwned="1"</script> without limit')


def test_scan_and_check_write_the_report(tmp_path):
    contract = tmp_path / "town-a" / "contract.pdf"
    contract.parent.mkdir()
    contract.write_bytes(text_pdf(agreement_pages()))
    run = CliRunner().invoke(app, ["scan", str(tmp_path / "town-a"), "--html", str(tmp_path / "scan.html"), "-q",
                                   "--no-cache"])
    assert run.exit_code == 0, run.output
    run = CliRunner().invoke(app, ["check", str(contract), "--html", str(tmp_path / "check.html"), "--no-cache"])
    assert run.exit_code == 0, run.output
    for name in ("scan.html", "check.html"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert NO_SALE_SENTENCE in quotes(text) and text.count('class="hl"') >= 3


def test_a_scanned_page_upside_down_is_shown_upright_with_the_quote_marked_by_tesseract(fixture_file, tmp_path):
    result = clausescan.scan([fixture_file("scanned-page-upside-down.pdf")])
    assert result.documents[0].document.pages_ocr == [1] and result.documents[0].findings
    out = tmp_path / "scan.html"
    result.to_html(out)
    dom = lxml.html.fromstring(out.read_text(encoding="utf-8"))
    card = dom.xpath("//article[contains(@class, 'finding')]")[0]
    marks = card.xpath(".//div[@data-page='1']/mark[@class='hl']")
    assert len(marks) >= 3   # the sentence's lines, found among Tesseract's words on the page turned upright
    tops = [float(dict(i.split(":") for i in m.get("style").split(";"))["top"].rstrip("%")) for m in marks]
    assert tops == sorted(tops) and tops[0] < 50   # read top to bottom: the page is upright


def test_pages_not_read_are_named_in_the_overview_and_the_document(fixture_file, no_tesseract, tmp_path):
    result = clausescan.scan([fixture_file("text-then-scanned-page.pdf")])
    assert result.documents[0].document.pages_unreadable == [2]
    out = tmp_path / "report.html"
    result.to_html(out)
    dom = lxml.html.fromstring(out.read_text(encoding="utf-8"))
    row = dom.xpath("//tr[@class='doc-row']")[0]
    assert row.xpath(".//div[@class='unread-note']")[0].text_content() == "pages 2 not read"
    assert "not fully read" in row.xpath(".//span[contains(@class, 'unread')]")[0].text_content()
    note = dom.xpath("//section[@class='document']//p[@class='unread-note']")[0].text_content()
    assert note.startswith("Not fully read: pages 2 not read.") and note.endswith("may be on those pages.")
