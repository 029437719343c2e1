"""Document kinds: only contracts get verdicts; notes, data, code and letters are listed with
the reason; folders skip source code, data files and dotfiles unless --include names them."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from clausescan import scan
from clausescan.cli import app
from clausescan.kinds import classify
from clausescan.models import Document, Page

runner = CliRunner()

AGREEMENT = """SERVICES AGREEMENT

This Services Agreement is entered into by and between Acme Plate Systems, Inc. ("Vendor") and the
Town of Pellworth ("Agency"), and the parties agree as follows:
1.1 Vendor shall not sell, rent or lease Agency Data to any person.
1.2 Vendor shall delete Agency Data thirty (30) days after collection.
1.3 The Agency may audit Vendor once a year and Vendor shall keep an audit log of every search.
"""
NOTES = """# Notes on the records we received

We asked the town for its ALPR contracts in March and got the files in this folder back in May.
The clerk said that more documents may follow once the police department has reviewed them.
The spreadsheet beside this file lists what each file is and when it arrived, and who sent it.
Open questions for the next call with the clerk are at the end, along with the request number.
"""
LETTER = """Dear Ms. Ortega,

Thank you for your public records request of March 3. Enclosed are the documents responsive to your
request concerning the license plate reader program. Some pages have been withheld in part.
Please let us know if you have questions about the response or the fees that apply to copies.

Sincerely,
Records Office
"""
EMAIL_WITH_TERMS = """From: sales@acme.example
To: chief@pellworth.example
Subject: our terms
Date: Tue, 3 Mar 2026 10:00:00 -0500

Chief, as discussed, here are the terms that apply to the pilot.

ACME PLATE SYSTEMS -- TERMS OF SERVICE

1. Vendor shall retain hit data indefinitely and non-hit data for sixty (60) days.
2. Customer grants Vendor a perpetual licence to Customer Content.
3. Vendor may share detections with any agency on the national network unless Customer opts out.
4. Customer agrees that these terms change when Vendor posts a new version.
"""
PLAIN_TERMS = """How we handle your camera data

These terms are part of your Order Form. In them, "you" is the police department and "we" is Harlow Optics.
You own the plate reads, images and hot lists that your cameras and users create.
We keep statistics about how often our software misreads a character, and they identify no vehicle.
We don't use your reads to train the models we sell to other customers, and we never sell them.
Reads are deleted thirty days after they are captured unless one of your users saves one to a case.
Only your own users can search your reads, unless you switch sharing on and pick each agency.
If we receive a subpoena for your reads, we send the requester to you and tell you about it.
We may change these terms, and we tell you thirty days before a change takes effect.
"""
CSV = "plate,date,camera,hit\nABC123,2026-01-02,North St,no\nXYZ789,2026-01-02,Main St,yes\n" * 5
TOML = '[project]\nname = "tool"\nversion = "0.1.0"\ndependencies = ["pdfplumber>=0.11", "spacy>=3.7"]\n' \
       '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n'
CODE = "import json\n\n\ndef load(path):\n    with open(path) as fh:\n        return json.load(fh)\n\n\n" \
       "class Reader:\n    def __init__(self, name):\n        self.name = name\n"


def doc(text: str, kind: str = "txt") -> Document:
    return Document(file="x", kind=kind, pages=[Page(number=1, text=text)])


@pytest.mark.parametrize("text, kind, reason", [
    (AGREEMENT, "agreement", "titled 'SERVICES AGREEMENT'"),
    ("ORDER FORM\nCameras: 4 at $2,500 per camera per year.\nCustomer shall pay within 30 days.", "order-form",
     "ORDER FORM"),
    ("ADDENDUM NO. 1 TO THE SERVICES AGREEMENT\n1. Vendor shall not share Agency Data.", "amendment", "ADDENDUM"),
    ("Automated License Plate Reader Policy\nOfficers shall query ALPR data only for an open case.", "policy",
     "Policy"),
    (NOTES, "other", "no contract title"),
    (LETTER, "correspondence", "a letter"),
    (CSV, "data", "delimited values"),
    (TOML, "data", "source code or settings"),
    (CODE, "data", "source code or settings"),
    ("INVOICE\nALPR subscription, 4 cameras: $10,000.00\nAmount due within 30 days.", "other", "an invoice"),
    # a vendor's plain-language data terms: few words of obligation, but a title or a sentence
    # that makes them part of the order
    ("Harlow Optics Data Processing Terms\nYou own the reads your cameras collect.\nWe delete reads after 30 days.",
     "agreement", "titled 'Harlow Optics Data Processing Terms'"),
    (PLAIN_TERMS, "agreement", "'these terms are part of'"),
])
def test_the_kind_is_read_from_the_text_with_the_reason(text, kind, reason):
    found = classify(doc(text))
    assert (found.kind, found.judged) == (kind, kind in {"agreement", "order-form", "amendment", "policy"})
    assert reason in found.reason


def test_terms_pasted_into_an_email_are_judged_but_a_cover_note_is_correspondence():
    assert classify(doc(EMAIL_WITH_TERMS, kind="email")).kind == "agreement"
    assert "TERMS OF SERVICE" in classify(doc(EMAIL_WITH_TERMS, kind="email")).reason
    mou = ("From: lt@village.example\nTo: sheriff@county.example\nSubject: MOU for signature\n\nHi, the final text.\n\n"
           "MEMORANDUM OF UNDERSTANDING\n1. Each party may query the other party's reads for a case.\n"
           "2. Neither party will share the other party's data outside the State.\n")
    assert classify(doc(mou, kind="email")).kind == "agreement"
    note = "From: clerk@town.example\nTo: me@news.example\nSubject: records\n\nAttached are the files you asked for."
    assert classify(doc(note, kind="email")).kind == "correspondence"


def test_a_page_without_text_is_other_but_an_unreadable_one_is_not_proof_of_anything():
    assert classify(doc("")).kind == "other"
    unread = Document(file="x", kind="image", pages=[Page(number=1, text="", method="none",
                                                          unreadable_reason="OCR is not installed.")])
    assert classify(unread).judged


def records_folder(tmp_path):
    folder = tmp_path / "pellworth"
    (folder / "src").mkdir(parents=True)
    (folder / "msa.txt").write_text(AGREEMENT)
    (folder / "NOTES.md").write_text(NOTES)
    (folder / "cover-letter.txt").write_text(LETTER)
    (folder / "search-log.csv").write_text(CSV)
    (folder / "src" / "make.py").write_text(CODE)
    (folder / ".hidden.txt").write_text(AGREEMENT)
    return folder


def test_a_records_folder_gives_verdicts_only_for_the_contract(tmp_path):
    result = scan([records_folder(tmp_path)], workers=1)
    kinds = {d.document.file.split("pellworth/")[-1]: d.document_kind for d in result.documents}
    assert kinds == {"NOTES.md": "other", "cover-letter.txt": "correspondence", "msa.txt": "agreement"}
    assert [bool(d.summary) for d in result.documents] == [False, False, True]
    skipped = {s.file.split("pellworth/")[-1]: s.reason for s in result.skipped}
    assert skipped == {".hidden.txt": "dotfile", "search-log.csv": "data or settings (*.csv)",
                       "src/make.py": "source code (*.py)"}


def test_include_and_exclude_choose_the_files_under_a_folder(tmp_path):
    folder = records_folder(tmp_path)
    only_csv = scan([folder], workers=1, include=["*.csv"])
    assert [d.document.file.split("pellworth/")[-1] for d in only_csv.documents] == ["search-log.csv"]
    assert only_csv.documents[0].document_kind == "data" and not only_csv.documents[0].summary
    no_notes = scan([folder], workers=1, exclude=["*.md", "cover-*"])
    assert [d.document.file.split("pellworth/")[-1] for d in no_notes.documents] == ["msa.txt"]
    assert {s.reason for s in no_notes.skipped} >= {"--exclude *.md", "--exclude cover-*"}


def test_scan_prints_what_it_skipped_and_the_json_says_what_each_file_is(tmp_path):
    out = tmp_path / "f.json"
    result = runner.invoke(app, ["scan", str(records_folder(tmp_path)), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "skipped 3 files: 1 dotfile, 1 data or settings, 1 source code" in result.output
    assert "NOTES.md: not a contract: no contract title" in result.output
    data = json.loads(out.read_text())
    by_name = {d["file"].split("pellworth/")[-1]: d for d in data["documents"]}
    assert by_name["cover-letter.txt"]["document_kind"] == "correspondence"
    assert by_name["cover-letter.txt"]["summary"] == {} and by_name["msa.txt"]["summary"]
    assert "data or settings (*.csv)" in {s["reason"] for s in data["skipped"]}


def test_a_text_copy_of_a_pdf_is_listed_as_a_copy_and_not_judged_twice(tmp_path, fixture_file):
    import shutil

    from clausescan.extract import extract
    pdf = fixture_file("numbered-sections.pdf")
    shutil.copy(pdf, tmp_path / "msa.pdf")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "msa.md").write_text("\n".join(p.text for p in extract(pdf).pages))
    result = scan([tmp_path], workers=1)
    copy = next(d for d in result.documents if d.document.file.endswith("msa.md"))
    assert copy.document_kind == "copy" and "a copy of msa.pdf" in copy.kind_reason
    assert not copy.summary and not copy.findings
    original = next(d for d in result.documents if d.document.file.endswith("msa.pdf"))
    assert original.summary and copy.copy_of == original.document.file
    (town,) = result.towns()     # the copy in src/ belongs to the town of the PDF
    assert [d.document.file for d in town.documents] == [original.document.file, copy.document.file]


@pytest.mark.parametrize("name, content", [("pyproject.toml", TOML), ("log.csv", CSV)])
def test_check_on_a_file_that_is_not_a_contract_reports_no_missing_safeguards(tmp_path, name, content):
    (tmp_path / name).write_text(content)
    result = runner.invoke(app, ["check", str(tmp_path / name), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "Not a contract:" in result.output and "safeguards missing" not in result.output


def test_check_on_a_plain_image_reports_no_missing_safeguards(tmp_path):
    from PIL import Image
    Image.new("RGB", (400, 300), (220, 30, 30)).save(tmp_path / "red.png")
    result = runner.invoke(app, ["check", str(tmp_path / "red.png"), "--no-cache"])
    # with Tesseract the page is read and empty; without it, it is reported as not read
    assert "safeguards missing" not in result.output
    assert "Not a contract: no text to read" in result.output or "not read" in result.output.lower()


def test_a_staff_report_with_memo_lines_is_judged_like_a_contract():
    from clausescan.kinds import REPORT, classify
    from clausescan.models import Document, Page

    text = ("CITY OF ALDER\nCITY COUNCIL AGENDA REPORT\n\nTo: Mayor and Council\nFrom: Chief of Police\n"
            "Subject: Approve an agreement with a plate reader vendor\n\nRECOMMENDATION\n"
            "Approve the agreement. Under it the vendor may not sell the City's data, and reads are kept for 30 days.\n")
    kind = classify(Document(file="report.txt", kind="txt", pages=[Page(number=1, text=text)]))
    assert kind.kind == REPORT and "AGENDA REPORT" in kind.reason


LETTER_AGREEMENT = """Dear Chief Marlowe:

This firm represents Kestrel Optics, Inc. ("Kestrel"). Kestrel has asked us to confirm the terms on
which it will provide its cameras and service to the Town. In particular:

1. Kestrel will not enroll the Town's cameras in any national lookup, and the Town will decide which
agencies may search its reads.
2. Kestrel will delete each read twenty-one days after capture, and Kestrel will not sell the reads.
3. Kestrel may update its software, but Kestrel will not change these terms without the Town's signed consent.

If these terms are acceptable to the Town, please countersign this letter and return a copy to me.

Sincerely,
Annika Sorvino

ACCEPTED AND AGREED on behalf of the Town of Little Harlow:
"""


def test_a_letter_agreement_binds_by_the_parties_names_and_is_judged():
    kind = classify(doc(LETTER_AGREEMENT))
    assert kind.kind == "agreement", kind.reason
    assert classify(doc(LETTER)).kind == "correspondence"


MINUTES_WITH_TERMS = """MINUTES OF THE REGULAR MEETING OF THE CITY COUNCIL

Councilmember Gravois asked whether the vendor sells data. The vendor's manager stated that it "has never sold a read."
The City Attorney read the following provisions of the agreement into the record:
"Section 4.3. Vendor shall not sell City data. Section 5.1. Vendor shall delete each read thirty (30) days after capture.
Section 5.2. Vendor shall not share City data with any agency outside the State. Section 5.4. Vendor shall notify the
Chief of any subpoena. Section 6.1. Vendor shall log each search."
The motion to approve the agreement as read CARRIED, 4-1.
"""


def test_minutes_that_read_terms_into_the_record_are_judged_but_what_was_said_is_no_term(tmp_path):
    assert classify(doc(MINUTES_WITH_TERMS)).kind == "report"
    assert classify(doc("MINUTES OF THE PARKS BOARD\n\nThe board discussed the skate park and adjourned at 8 p.m.")).kind == "other"
    minutes = tmp_path / "minutes.txt"
    minutes.write_text(MINUTES_WITH_TERMS)
    result = scan([minutes], cache=False, workers=1)
    quotes = [f.quote for d in result.documents for f in d.findings if f.rule == "data-sale"]
    assert quotes and all("asked" not in q and "stated" not in q for q in quotes)
