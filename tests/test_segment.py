"""Segmentation: pages -> sentence clauses that know their page, section and heading."""
from __future__ import annotations

import pytest

from clausescan.extract import extract
from clausescan.models import Document, Page
from clausescan.segment import segment, zones
from conftest import (AFTER_BREAK_SENTENCE, CAPS_ACROSS_BREAK_SENTENCE, CAPS_CAP_SENTENCE, CAPS_UNNUMBERED_SENTENCE,
                      CROSSING_SENTENCE, HEADER, HYPHENATED_SENTENCE, PAGE_END_HYPHEN_SENTENCE)


def clauses_of(*page_texts: str):
    return segment(Document(file="t.txt", kind="txt",
                            pages=[Page(number=i, text=t) for i, t in enumerate(page_texts, start=1)])).clauses()


def find(clauses, start: str):
    hits = [c for c in clauses if c.text.startswith(start)]
    assert len(hits) == 1, f"expected one clause starting {start!r}, got {[c.text for c in hits]}"
    return hits[0]


@pytest.fixture(scope="module")
def page_break_clauses(fixture_file):
    return segment(extract(fixture_file("clause-across-page-break.pdf"))).clauses()


@pytest.fixture(scope="module")
def section_clauses(fixture_file):
    return segment(extract(fixture_file("numbered-sections.pdf"))).clauses()


# --- text-layer PDF: pages, headers, footers, hyphens -------------------------------------------

def test_running_header_and_page_footer_are_removed(fixture_file, page_break_clauses):
    doc = extract(fixture_file("clause-across-page-break.pdf"))
    assert all(HEADER in p.text and f"Page {p.number} of 3" in p.text for p in doc.pages)  # there to remove
    for clause in page_break_clauses:
        assert "Springfield ALPR Services Agreement" not in clause.text
        assert "Contract No." not in clause.text
        assert "Page " not in clause.text and " of 3" not in clause.text


def test_clauses_are_cited_on_one_based_pages(page_break_clauses):
    assert {c.page for c in page_break_clauses} == {1, 2, 3}
    assert find(page_break_clauses, "This Agreement is made between").page == 1
    assert find(page_break_clauses, "Vendor shall not sell ALPR Data").page == 3


def test_word_hyphenated_at_a_line_end_is_rejoined(page_break_clauses):
    assert find(page_break_clauses, "Vendor may share ALPR Data").text == HYPHENATED_SENTENCE
    for clause in page_break_clauses:
        assert "enforce-" not in clause.text and "enforce ment" not in clause.text


def test_word_hyphenated_across_a_page_break_is_rejoined_without_the_footer(page_break_clauses):
    clause = find(page_break_clauses, "Vendor shall make the audit logs")
    assert clause.text == PAGE_END_HYPHEN_SENTENCE
    assert clause.page == 2


def test_sentence_across_a_page_break_is_one_clause_cited_where_it_starts(page_break_clauses):
    crossing = [c for c in page_break_clauses if c.text == CROSSING_SENTENCE]
    assert len(crossing) == 1 and crossing[0].page == 1
    assert not any(c.text.startswith(("search that the audit log", "shall retain each audit"))
                   for c in page_break_clauses)
    assert find(page_break_clauses, AFTER_BREAK_SENTENCE).page == 2


def test_sentence_starting_at_the_top_of_a_page_is_cited_on_that_page():
    body = ("The Vendor shall keep an audit log of every search of the System by any user and\n"
            "shall keep each log for two years after the search that the log records, in full.\n")
    clauses = clauses_of("Header Line\n" + body * 3 + "Page 1 of 2",
                         "Header Line\nVendor shall give the Agency a copy of any audit log on request\n"
                         "within ten days.\nPage 2 of 2")
    assert find(clauses, "Vendor shall give the Agency").page == 2
    assert not any("Header Line" in c.text or "Page" in c.text for c in clauses)


def test_text_with_a_literal_line_end_hyphen_is_rejoined():
    # Text files, Word exports and OCR keep the hyphen and the line break.
    clauses = clauses_of("Vendor may share ALPR Data with the sheriff and with other state law enforce-\n"
                         "ment agencies only as the Agency directs in writing and as state law allows.\n")
    assert [c.text for c in clauses] == [HYPHENATED_SENTENCE]


# --- section numbers and headings ---------------------------------------------------------------

@pytest.mark.parametrize("start, section, heading", [
    ("This Article governs all ALPR Data", "Article IV", "DATA RIGHTS"),
    ("Vendor shall delete ALPR Data thirty (30) days", "4.3", "Data Retention"),
    ("Vendor shall keep no copy of deleted ALPR Data", "4.3(a)", "Data Retention"),
    ("Vendor shall not sell ALPR Data to Acme Analytics", "4.3(b)", "Data Retention"),
    ("The Agency may share ALPR Data with the U.S.", "5", "Data Sharing"),
    ('"Hot List" means', "Article V", "DEFINITIONS"),
])
def test_clauses_carry_their_section_number_and_heading(section_clauses, start, section, heading):
    clause = find(section_clauses, start)
    assert (clause.section, clause.heading) == (section, heading)


def test_section_labels_are_not_left_in_the_clause_text(section_clauses):
    for clause in section_clauses:
        assert not clause.text.startswith(("ARTICLE", "4.3", "(a)", "(b)", "Section 5", "Data Retention."))


def test_section_number_on_its_own_line_from_a_text_file():
    clauses = clauses_of("ARTICLE IV\n\nDATA RIGHTS\n\n"
                         "Section 5. Vendor shall not sell ALPR Data.\n\n"
                         "(b) Vendor shall delete ALPR Data after thirty days.\n")
    assert find(clauses, "Vendor shall not sell").section == "5"
    assert find(clauses, "Vendor shall delete").section == "5(b)"
    assert [c.heading for c in clauses] == [None, None]   # a new section starts without a heading
    assert not any("ARTICLE" in c.text or "DATA RIGHTS" in c.text for c in clauses)


@pytest.mark.parametrize("heading_line", ["7.2 Retention of Data.", "7.2 Retention of Data",
                                          "Section 7.2 Retention of Data."])
def test_numbered_heading_on_its_own_line_is_the_heading_not_a_clause(heading_line):
    clauses = clauses_of(f"{heading_line}\n\nVendor shall delete all plate records thirty days after "
                         "collection.\n")
    assert [(c.text, c.section, c.heading) for c in clauses] == [
        ("Vendor shall delete all plate records thirty days after collection.", "7.2", "Retention of Data")]


@pytest.mark.parametrize("numbered, sentence", [
    ("4. Ownership. The Agency owns all ALPR Data.", "The Agency owns all ALPR Data."),
    ("4. The Agency owns all ALPR Data.", "The Agency owns all ALPR Data."),
    ("1. Term. This Agreement starts on the Effective Date.", "This Agreement starts on the Effective Date."),
    ("(b) The Agency owns all ALPR Data.", "The Agency owns all ALPR Data."),
])
def test_short_numbered_sentence_is_a_clause_not_a_heading(numbered, sentence):
    clauses = clauses_of(f"{numbered}\n\nVendor shall delete ALPR Data after thirty days.\n")
    assert [c.text for c in clauses] == [sentence, "Vendor shall delete ALPR Data after thirty days."]


# --- sentence splitting -------------------------------------------------------------------------

@pytest.mark.parametrize("start, must_contain", [
    ("This Agreement is made between Acme Plate Readers, Inc.", '("Vendor") and the City of Springfield'),
    ("The Agency may share ALPR Data with the U.S.", "U.S. Department of Justice only as permitted by Sec. 5.2 "
                                                     "of this Agreement and Resolution No. 17 of the City Council"),
    ("Vendor shall not sell ALPR Data to Acme Analytics, Inc.", "Inc. or to any other third party"),
    ("Vendor shall share ALPR Data with another agency", "Section 4.3 (a) and (b) of this Agreement"),
])
def test_sentences_are_not_split_at_abbreviations(page_break_clauses, section_clauses, start, must_contain):
    clause = find(page_break_clauses + section_clauses, start)
    assert must_contain in clause.text and clause.text.endswith(".")


@pytest.mark.parametrize("sentence", [
    'This Agreement is made between Acme Plate Readers, Inc. ("Vendor") and the City ("Agency").',
    "Vendor may share ALPR Data with the U.S. Department of Justice only on a warrant.",
    "Vendor may share ALPR Data only as permitted by Sec. 5.2 of this Agreement.",
    "The Agency adopted Resolution No. 17 to govern the sharing of ALPR Data.",
    "Except as set out in Section 4. (a) of Exhibit B, Vendor shall not disclose ALPR Data.",
    "Vendor shall (a) encrypt ALPR Data at rest and (b) log every query made by any user.",
    "Data is kept as required by 18 U.S.C. § 2721 and the Agency's policy.",
])
def test_one_sentence_with_an_abbreviation_stays_one_clause(sentence):
    assert [c.text for c in clauses_of(sentence)] == [sentence]


@pytest.mark.parametrize("line_end, next_line", [
    ("Acme Plate Readers, Inc.", '("Vendor") as its processor.'),
    ("agencies of the U.S.", "Department of Justice on request."),
    ("as permitted by Sec.", "5.2 of this Agreement."),
    ("under Agency Resolution No.", "17 of the City Council."),
    ("as provided in Art.", "5 of the Agency's Charter."),
    ("the Agency's records officer, Dr.", "Jane Smith, in writing."),
    ("its office at 100 Main St.", "Springfield only."),
    ("the City Police Dept.", "Records Unit on request."),
])
def test_sentence_is_not_split_at_an_abbreviation_that_ends_a_line(line_end, next_line):
    # Both lines before the last are full width, so only the abbreviation could end the paragraph.
    lines = ["The Agency may share ALPR Data only as its written sharing policy and state law",
             f"allow, and only with the officers that are named in writing by {line_end}",
             next_line]
    clauses = clauses_of("\n".join(lines) + "\n")
    assert [c.text for c in clauses] == [" ".join(lines)]


def test_several_abbreviations_at_line_ends_stay_one_clause():
    lines = ["The Agency may share ALPR Data with its processor, Acme Plate Readers, Inc.",
             '("Vendor"), and with the task force officers assigned by agencies of the U.S.',
             "Department of Justice, but only as permitted by Sec. 5.2 of this Agreement, by",
             "the data sharing policy adopted by the City Council under Agency Resolution No.",
             "17 and by state law."]
    clauses = clauses_of("\n".join(lines) + "\n")
    assert [c.text for c in clauses] == [" ".join(lines)]


def test_runs_of_spaces_between_words_are_collapsed():
    clauses = clauses_of("    Vendor  shall   not sell  ALPR Data.")
    assert [c.text for c in clauses] == ["Vendor shall not sell ALPR Data."]


def test_two_sentences_are_two_clauses():
    clauses = clauses_of("Vendor shall not sell ALPR Data. Vendor shall delete ALPR Data after 30 days.")
    assert [c.text for c in clauses] == ["Vendor shall not sell ALPR Data.",
                                         "Vendor shall delete ALPR Data after 30 days."]


# --- definitions --------------------------------------------------------------------------------

def test_definition_sentences_in_the_pdf_are_flagged(section_clauses):
    assert find(section_clauses, '"Hot List" means').is_definition
    assert find(section_clauses, "ALPR Data means all images").is_definition
    assert not find(section_clauses, "Vendor shall notify the Agency").is_definition
    assert not find(section_clauses, "Vendor shall delete ALPR Data thirty").is_definition


@pytest.mark.parametrize("sentence, expected", [
    ('"Hot List" means a list of plates of interest to the Agency.', True),
    ("“Hot List” means a list of plates of interest to the Agency.", True),
    ('"Agency Data" shall mean all data the Agency uploads to the System.', True),
    ('The term "Personal Information" has the meaning given in Section 1.', True),
    ('"ALPR Data" (also "Detection Data") includes plate reads and images.', True),
    ("ALPR Data means all plate reads and images captured by the System.", True),
    # the term's opening quote mark left with the sentence before it by the sentence splitter
    ('CSPD Data" means the reads captured by cameras that CSPD owns.', True),
    ('For purposes of this Agreement, "Share" means to disclose ALPR Data to a third party.', True),
    ('As used in this Agreement, "ALPR Data" means all plate reads and images.', True),
    ('"ALPR Data" or "Data" means all plate reads and images captured by the System.', True),
    ('Vendor shall not share "Hot List" entries with any third party.', False),
    ("Vendor shall delete ALPR Data after thirty (30) days.", False),
    ("The Agency may share ALPR Data, which means Vendor must keep a log.", False),
    # the term as a run-in heading, the definition its own sentence
    ("Refers to all rights of Vendor in its software, including exploitation rights and trade secrets.", True),
    ("Means the plate reads the Agency's cameras capture.", True),
])
def test_definition_flag(sentence, expected):
    clauses = clauses_of(sentence)
    assert len(clauses) == 1 and clauses[0].is_definition is expected


def test_nested_sub_clauses_carry_the_whole_label():
    clauses = clauses_of("4.3 Vendor shall protect ALPR Data as follows.\n\n"
                         "(a) Vendor shall encrypt ALPR Data at rest.\n\n"
                         "(b) Vendor shall restrict access to ALPR Data:\n\n"
                         "(i) to users whom the Agency approves; and\n\n"
                         "(ii) to devices that the Agency manages.\n\n"
                         "(c) Vendor shall log every query.\n\n"
                         "(h) Vendor shall keep each log for two years.\n\n"
                         "(i) Vendor shall report a breach within one day.\n")
    assert [(c.section, c.text.split()[0]) for c in clauses] == [
        ("4.3", "Vendor"), ("4.3(a)", "Vendor"), ("4.3(b)", "Vendor"), ("4.3(b)(i)", "to"),
        ("4.3(b)(ii)", "to"), ("4.3(c)", "Vendor"), ("4.3(h)", "Vendor"), ("4.3(i)", "Vendor")]


# --- clauses set in capitals --------------------------------------------------------------------

@pytest.fixture(scope="module")
def caps_clauses(fixture_file):
    return segment(extract(fixture_file("all-caps-clauses.pdf"))).clauses()


@pytest.mark.parametrize("sentence, page, section, heading", [
    (CAPS_UNNUMBERED_SENTENCE, 1, "9", "LIMITATION OF LIABILITY"),
    (CAPS_CAP_SENTENCE, 1, "9.1", "Cap"),
    (CAPS_ACROSS_BREAK_SENTENCE, 1, "9.2", "Exclusions"),   # runs from page 1 onto page 2
])
def test_clause_in_capitals_keeps_every_line(caps_clauses, sentence, page, section, heading):
    clause = find(caps_clauses, sentence[:30])
    assert (clause.text, clause.page, clause.section, clause.heading) == (sentence, page, section, heading)


@pytest.mark.parametrize("start, section, heading", [
    ("WHEREAS, the Town operates", None, "RECITALS"),
    ("This Article governs all ALPR Data", "Article 7", "DATA"),
    ("The Agency owns all ALPR Data", "7.1", "Ownership"),
])
def test_headings_next_to_clauses_in_capitals_stay_headings(caps_clauses, start, section, heading):
    clause = find(caps_clauses, start)
    assert (clause.section, clause.heading) == (section, heading)


def test_exhibit_heading_after_a_clause_in_capitals_stays_a_heading(caps_clauses):
    assert find(caps_clauses, "The Vendor shall install twelve fixed cameras").heading == "EXHIBIT A"
    for text in ("RECITALS", "ARTICLE 7", "LIMITATION OF LIABILITY", "EXHIBIT A"):
        assert not any(text in c.text for c in caps_clauses)


def test_liability_cap_in_capitals_is_read_with_its_value(fixture_file):
    import clausescan

    [document] = clausescan.scan([fixture_file("all-caps-clauses.pdf")], cache=None).documents
    caps = [(f.value, f.unit, f.page) for f in document.findings if f.rule == "liability-cap"]
    assert (12, "months", 1) in caps


def test_clause_in_capitals_in_a_text_file_keeps_every_line():
    # Fixed-width text: a line of capitals is as long as one in lower case.
    lines = ["The Vendor shall host the data on servers in the United States and shall not move it.",
             "",
             "LIMITATION OF LIABILITY",
             "THE VENDOR'S TOTAL LIABILITY UNDER THIS AGREEMENT, WHETHER IN CONTRACT, TORT",
             "OR OTHERWISE, SHALL NOT EXCEED THE FEES PAID BY THE AGENCY IN THE TWELVE (12)",
             "MONTHS IMMEDIATELY PRECEDING THE CLAIM, LESS ANY AMOUNTS ALREADY PAID OUT.",
             ""]
    clauses = clauses_of("\n".join(lines))
    assert [(c.text, c.heading) for c in clauses] == [
        (lines[0], None), (" ".join(lines[3:6]), "LIMITATION OF LIABILITY")]


def test_numbered_heading_after_an_unfinished_line_is_still_a_heading():
    # A table row of an order form ends without a full stop; the heading under it is still one.
    clauses = clauses_of("Payment Terms: Net 30; the annual subscription is invoiced in advance of each year\n"
                         "1. SERVICES AND PRICING\n"
                         "The Agency shall pay for twelve cameras.\n")
    assert [(c.section, c.heading) for c in clauses][-1] == ("1", "SERVICES AND PRICING")
    assert not any("SERVICES AND PRICING" in c.text for c in clauses)


@pytest.mark.parametrize("heading_line", ["ARTICLE 7 – DATA", "ARTICLE 7 - DATA", "ARTICLE 7. DATA", "ARTICLE 7 DATA"])
def test_article_heading_after_a_dash_or_full_stop(heading_line):
    clauses = clauses_of(f"{heading_line}\n\nThis Article governs all ALPR Data.\n")
    assert [(c.text, c.section, c.heading) for c in clauses] == [
        ("This Article governs all ALPR Data.", "Article 7", "DATA")]


def test_items_of_a_list_set_out_one_per_line_are_read_after_its_negated_lead_in():
    from clausescan.match import match_document
    from clausescan.nlp import get_nlp
    from clausescan.rules.engine import CompiledLibrary
    from clausescan.rules.loader import load_rules

    text = ("4.4 Vendor shall not:\n(a) reverse engineer the Software;\n"
            "(b) sell or lease Customer Data to any person; or\n(c) disclose Customer Data to any third party.\n")
    findings = match_document(Document(file="t", pages=[Page(number=1, text=text)]),
                              CompiledLibrary(load_rules(), get_nlp()))
    sale = [f for f in findings if f.rule == "data-sale"]
    assert [(f.polarity, f.section) for f in sale] == [("safeguard", "4.4(b)")]
    assert sale[0].quote.startswith("sell or lease Customer Data to any person;")


def test_cover_e_mail_headers_greeting_notices_and_signature_are_correspondence():
    from clausescan.segment import blocks, zones

    text = ("From: Records Unit <records@town.example>\nSubject: RE: Public Records Request 12\n\n"
            "Dear Ms. Reyes,\n\nIn response to your public records request, the Town has one responsive record.\n\n"
            "This e-mail may be a public record under state law.\n\nRegards,\n\nAna Diaz\nRecords Officer\n\n"
            "1. Data. Vendor shall not sell Agency Data.\n")
    items = blocks(Document(file="t", pages=[Page(number=1, text=text)]))
    zone_of = {b.body.strip(): z for b, z in zip(items, zones(items))}
    assert zone_of["Vendor shall not sell Agency Data."] == "body"
    assert {z for body, z in zone_of.items() if "sell" not in body} == {"correspondence"}


@pytest.mark.parametrize("text", [
    "This e-mail may be a public record under state law.", "THE TRANSMISSION IS CONFIDENTIAL.",
    "The message below was sent in error.", "In response to your open records request, see below.",
    "The Town has two responsive documents.", "Please find attached the agreement.",
    "I have pasted the terms below.", "This communication is intended only for the addressee.",
    "Vendor shall not sell Agency Data.", "The parties request a meeting.", "Please note the fees.",
    "This tranſmission is confidential.", "THİS MESSAGE IS PRIVILEGED.",
])
def test_the_quick_test_for_a_mail_notice_agrees_with_the_full_pattern(text):
    from clausescan.segment import _MAIL_NOTICE, _is_mail_notice

    assert _is_mail_notice(text) == bool(_MAIL_NOTICE.search(text))


def test_every_quote_the_matcher_cites_is_one_of_the_clauses_segment_lists():
    # segment() is the stage the scan runs: its clauses() are the sentences findings quote,
    # on the same pages and in the same sections
    from clausescan.match import match_document
    from clausescan.nlp import get_nlp
    from clausescan.rules.engine import CompiledLibrary
    from clausescan.rules.loader import load_rules
    from clausescan.segment import segment

    document = Document(file="t.txt", kind="txt", pages=[
        Page(number=1, text="1. DATA\n1.1 Vendor shall not sell Customer Data. Vendor shall delete all\n"),
        Page(number=2, text="Customer Data within thirty (30) days after termination.\n"
                            "1.2 Vendor may use Aggregated Data to improve its products.\n")])
    clauses = {(c.text, c.page, c.section) for c in segment(document).clauses()}
    findings = match_document(document, CompiledLibrary(load_rules(), get_nlp()))
    assert {f.rule for f in findings} >= {"data-sale", "deletion-on-termination", "derived-data-use"}
    assert {(f.quote, f.page, f.section) for f in findings} <= clauses


def test_a_clause_across_a_form_feed_of_a_text_export_is_one_clause():
    # a text export ends each page with a newline: that blank edge is the page break, not a paragraph's end
    clauses = clauses_of("7.1 Vendor shall delete all\n", "Customer Data within thirty (30) days after termination.\n")
    assert [(c.text, c.page, c.section) for c in clauses] == [
        ("Vendor shall delete all Customer Data within thirty (30) days after termination.", 1, "7.1")]


def test_the_blank_lines_tesseract_leaves_between_the_lines_of_a_scan_do_not_cut_its_sentences():
    scanned = Page(number=1, method="ocr", text=(
        "6.7 Audit. The System shall log every query of City Data with the user's name, agency,\n\n"
        "date and time, and Vendor shall provide the log to the City on request.\n\n"
        "6.8 Requests. Vendor shall refer to the City any request for City Data.\n"))
    clauses = segment(Document(file="scan.pdf", kind="pdf", pages=[scanned])).clauses()
    assert [(c.text, c.section) for c in clauses] == [
        ("The System shall log every query of City Data with the user's name, agency, date and time, "
         "and Vendor shall provide the log to the City on request.", "6.7"),
        ("Vendor shall refer to the City any request for City Data.", "6.8")]
    # a text layer's blank line still ends a paragraph
    typed = Page(number=1, text="Vendor shall keep reads for\n\nSchedule A\n")
    assert [c.text for c in segment(Document(file="t.pdf", kind="pdf", pages=[typed])).clauses()] == [
        "Vendor shall keep reads for", "Schedule A"]


def test_the_running_header_of_an_agreement_on_a_few_pages_of_a_packet_is_removed():
    header = "Sable Ridge Technologies, Inc. -- Services Agreement Contract C-2026-031"
    clauses = clauses_of("STAFF REPORT\nThe Council is asked to approve the agreement.\n",
                         "RESOLUTION\nThe Council approves the agreement.\n",
                         f"{header}\n6.7 The System shall log every query of City Data with the user's name,\n",
                         f"{header}\nagency, date and time of the query.\n")
    assert "The System shall log every query of City Data with the user's name, agency, date and time of the " \
           "query." in [c.text for c in clauses]
    assert not any("Sable Ridge" in c.text for c in clauses)


def test_a_numbered_sentence_that_opens_with_a_determiner_is_no_inline_heading():
    clauses = clauses_of("4.01 The University owns all Campus Data. Vendor shall not assert any lien.\n"
                         "4.02 Data Retention. Vendor shall keep reads for 30 days.\n")
    assert [(c.text, c.section, c.heading) for c in clauses] == [
        ("The University owns all Campus Data.", "4.01", None),
        ("Vendor shall not assert any lien.", "4.01", None),
        ("Vendor shall keep reads for 30 days.", "4.02", "Data Retention")]


def test_solicitation_numbering_and_capital_list_marks_keep_each_list_under_its_own_lead_in():
    from clausescan.segment import blocks

    text = ("ST-6 OWNERSHIP OF COUNTY DATA\n\n"
            "(a) Use.\n"
            "(i) The County grants the Contractor a licence to use County Data only:\n"
            "(A) to perform the Work; and\n"
            "(B) to produce the reports.\n"
            "(ii) The Contractor shall not:\n"
            "(A) sell County Data;\n"
            "(B) disclose County Data to any private entity.\n")
    found = [(b.section, b.lead_in, b.body) for b in blocks(Document(file="t.txt", pages=[Page(number=1, text=text)]))]
    assert ("ST-6(a)(ii)", "", "The Contractor shall not:") in found          # a sibling, not an item of (i)
    assert ("ST-6(a)(ii)", "The Contractor shall not: ", "(A) sell County Data;") in found
    assert ("ST-6(a)(i)", "The County grants the Contractor a licence to use County Data only: ",
            "(B) to produce the reports.") in found


def test_numbered_terms_run_into_one_paragraph_are_each_their_own_section():
    # the back of a quote: its terms printed one after another, a term's number at a line's end
    # and one period read by OCR as a comma
    clauses = clauses_of("1. ACCEPTANCE. These terms govern every order. 2. PRICES; TAXES. Prices exclude\n"
                         "taxes. 3. DATA. Customer owns the plate reads. Seller will delete reads after 30 days. 4.\n"
                         "STORAGE. Reads are kept in the cloud. 5, SALE OF DATA. Seller will not sell Customer Data.\n"
                         "The fee is $500. 9. The Vendor shall keep a log.\n")
    assert [(c.text, c.section, c.heading) for c in clauses] == [
        ("These terms govern every order.", "1", "ACCEPTANCE"),
        ("Prices exclude taxes.", "2", "PRICES; TAXES"),
        ("Customer owns the plate reads.", "3", "DATA"),
        ("Seller will delete reads after 30 days.", "3", "DATA"),
        ("Reads are kept in the cloud.", "4", "STORAGE"),
        ("Seller will not sell Customer Data.", "5", "SALE OF DATA"),
        # a number out of sequence, before a sentence rather than a heading, is the clause's own
        ("The fee is $500.", "5", "SALE OF DATA"),
        ("The Vendor shall keep a log.", "5", "SALE OF DATA")]


def test_a_heading_underlined_with_dashes_is_a_heading_and_its_underline_no_text():
    clauses = clauses_of("SECTION 5 - DATA OWNERSHIP\n------------------------\n"
                         "5.1 The Village is the owner of all ALPR Data.\n\n"
                         "SECTION 6 - SHARING\n===================\n"
                         "6.1 Vendor shall not share ALPR Data.\n")
    assert [(c.text, c.section) for c in clauses] == [
        ("The Village is the owner of all ALPR Data.", "5.1"), ("Vendor shall not share ALPR Data.", "6.1")]
    # the underline is no separator of pasted text: what follows is the contract's body
    underlined = Page(number=1, text="SECTION 5 - DATA\n--------\n5.1 Vendor owns nothing.\n")
    assert zones(segment(Document(file="t.txt", pages=[underlined])).blocks) == ["body"]


def test_a_long_running_header_on_every_page_is_removed_from_a_sentence_it_splits():
    header = "Brightway / CSPD / Veritrack - Parking Field Camera Data Sharing Agreement Brightway Legal Form LP-3 (2024)"
    clauses = clauses_of(f"{header}\n1 of 3\n3.3 CSPD shall not use Store Reads for the enforcement of federal civil\n",
                         f"{header}\n2 of 3\nimmigration law.\n3.4 Store Reads are provided as is.\n",
                         f"{header}\n3 of 3\nSIGNATURES\n")
    assert "CSPD shall not use Store Reads for the enforcement of federal civil immigration law." in \
        [c.text for c in clauses]
    assert not any("Brightway Legal" in c.text for c in clauses)
