"""Who the parties are and which text is agreed: a private body made a party by the document,
"we" and "you" in plain-language terms, defined terms that name data, options left unticked
on a form and redline proposals the other side rejected."""
from __future__ import annotations

import pytest

from clausescan.kinds import classify
from clausescan.match import match_document
from clausescan.models import Document, Page
from clausescan.nlp import get_nlp
from clausescan.parties import detect_parties
from clausescan.rules.engine import CompiledLibrary
from clausescan.rules.loader import load_rules
from clausescan.segment import agreed_view, blanked_spans, not_agreed_spans, segment, zones


@pytest.fixture(scope="module")
def library():
    return CompiledLibrary(load_rules(), get_nlp())


def findings(library, text: str) -> set[tuple[str, str]]:
    doc = Document(file="x.txt", kind="txt", pages=[Page(number=1, text=text)])
    return {(f.rule, f.polarity) for f in match_document(doc, library)}


THREE_PARTY = """MEMORANDUM OF UNDERSTANDING

This Memorandum is entered into by the Millbrook Police Department ("MPD"), the Cedar Glen
Homeowners Association, Inc., a nonprofit corporation ("Association"), and Lumen Roadway
Systems, Inc. ("Lumen").

1. MPD officers may search Association camera reads through MPD's account.

2. MPD data will not be shared with the Association.

3. Lumen shall not sell data collected by either MPD or the Association.
"""


def test_a_nonprofit_party_is_private_not_vendor():
    parties = detect_parties(THREE_PARTY)
    assert "association" in parties["private"]
    assert "lumen" in parties["vendor"] and "association" not in parties["vendor"]
    assert "mpd" in parties["agency"]


def test_a_business_district_defined_as_a_party_is_private_in_that_document():
    head = ('This MOU is made among the City of Harlow Division of Police ("HPD"); the Harlow Downtown '
            'Business Improvement District, Inc., an Ohio nonprofit corporation ("the District"); and '
            'Ardent Signal LLC, an Ohio limited liability company ("Ardent").')
    parties = detect_parties(head)
    assert "district" in parties["private"] and "district" not in parties["agency"]
    assert "ardent" in parties["vendor"] and "harlow" not in parties["vendor"]


@pytest.mark.parametrize("preamble, owner", [
    # the preamble names the sides; "Authority" alone says nothing
    ('This Concession Agreement is made between the Wexley Harbor Parking Authority (the "Authority") and '
     'Curbline Services, LLC (the "Concessionaire").', "Authority"),
    # a generic word that ends the agency's own name
    ('THIS AGREEMENT is made BETWEEN the Dunmore Police Service Board, on behalf of the Dunmore Police Service\n'
     '(the "Service")\n- and -\nNorthlight Imaging Ltd. (the "Licensor")', "Service"),
    # a public body described in lower case and defined with "a": a purchasing program's rider
    ('This Schedule is issued under Master Contract 88-B between the Lakes Purchasing Consortium (the "Consortium") '
     'and Brightwater Optics, Inc. (the "Supplier"). Any city, town or other political subdivision that signs a '
     'Joinder under it (each, a "Joining Member") may order from the Supplier.', "Joining Member"),
])
def test_a_party_defined_by_a_word_no_list_holds_is_the_side_its_definition_says(library, preamble, owner):
    clause = f"4.1 All Plate Data belongs to the {owner}.\n"
    assert ("data-ownership", "safeguard") in findings(library, f"{preamble}\n\n{clause}")
    assert ("data-ownership", "safeguard") not in findings(library, clause)   # the preamble made it a party


def test_a_word_before_a_company_name_is_not_the_vendor():
    parties = detect_parties("AGREEMENT WITH NORTHVANE SYSTEMS, INC.\nThis Agreement is between Tamsin County "
                             '(the "County") and Northvane Systems, Inc. (the "Contractor").')
    assert "with" not in parties["vendor"] and "northvane" in parties["vendor"]


def test_three_party_findings_follow_the_roles(library):
    found = findings(library, THREE_PARTY)
    assert ("private-camera-data", "concern") in found       # police search the association's cameras
    assert ("private-camera-data", "safeguard") in found     # police data kept from the association
    assert ("data-sale", "safeguard") in found


TERMS_OF_SERVICE = """PlateCo Terms of Service

These terms are between you, the agency, and PlateCo. You own your data and we never claim it.
We keep our promises to you, and we tell you when we change anything.
We host your reads for you. You can export them whenever you like, and you can close your account.
We answer your support requests within a day. You agree to use the service lawfully.

We will not sell your plate reads to anyone.
"""


def test_we_and_you_name_vendor_and_agency_in_plain_language_terms(library):
    parties = detect_parties(TERMS_OF_SERVICE)
    assert {"we", "us"} <= parties["vendor"] and {"you", "your"} <= parties["agency"]
    assert ("data-sale", "safeguard") in findings(library, TERMS_OF_SERVICE)


def test_a_contract_written_in_the_third_person_keeps_we_unassigned():
    parties = detect_parties('This Agreement is between Acme, Inc. ("Vendor") and the Town ("Customer"). We agree.')
    assert "we" not in parties["vendor"] and "you" not in parties["agency"]


@pytest.mark.parametrize("text, expected", [
    ("Customer owns all Platform Records.", ("data-ownership", "safeguard")),
    ("The Vendor shall not sell Camera Data.", ("data-sale", "safeguard")),
])
def test_a_defined_term_for_data_is_not_the_product_it_starts_with(library, text, expected):
    assert expected in findings(library, text)


def test_a_product_is_still_a_product(library):
    assert not findings(library, "The Vendor may sell the Platform and its Software to any customer.")


FORM = """[X] Sharing limited to agencies the Chief names in writing
[ ] The Vendor may use de-identified reads to improve its products
☐ Vehicle attribute search: the Vendor may collect make, color and bumper stickers"""


def test_unticked_options_are_not_agreed():
    spans = not_agreed_spans(FORM)
    unticked = [FORM[a:b] for a, b in spans]
    assert len(unticked) == 2
    assert unticked[0].startswith("[ ] The Vendor may use") and unticked[1].startswith("☐ Vehicle")
    assert not any("Sharing limited" in u for u in unticked)


def test_unticked_options_give_no_findings(library):
    found = findings(library, "ORDER FORM\n\n" + FORM)
    assert ("derived-data-use", "concern") not in found and ("data-scope", "concern") not in found


def test_in_a_yes_no_pair_only_the_unticked_answer_is_not_agreed(library):
    text = ('☒ Yes ☐ No Customer is subject to an open records law. If "Yes" is marked, Vendor '
            "acknowledges that this Order Form may be released by Customer under the Open Records Act.")
    assert [text[a:b] for a, b in not_agreed_spans(text)] == ["☐ No"]
    assert ("public-records", "safeguard") in findings(library, text)
    # an option that only starts with "No" is still the whole option
    option = "[X] Regional sharing\n[ ] No sharing: Vendor shall not share reads with any other agency"
    assert [option[a:b] for a, b in not_agreed_spans(option)] == ["[ ] No sharing: Vendor shall not share reads with any other agency"]


AGENDA_PACKET = """STAFF REPORT

TO: Honorable Mayor and Members of the Town Council
FROM: Chief of Police
SUBJECT: License plate reader services agreement with Corvid Systems

SUMMARY
In staff's reading, the vendor deletes all reads after 30 days and never shares them with other agencies.

ATTACHMENT A

LPR SERVICES AGREEMENT

This LPR Services Agreement is entered into by the Town of Aldermere and Corvid Systems, Inc.

1. Corvid shall delete all reads forty-five (45) days after capture.
"""


def test_a_staff_report_before_the_agreement_is_not_its_terms(library):
    doc = Document(file="x.txt", kind="txt", pages=[Page(number=1, text=AGENDA_PACKET)])
    segmented = segment(doc)
    by_text = {b.paragraph.text.strip()[:20]: zone for b, zone in zip(segmented.blocks, zones(segmented.blocks))}
    assert by_text["In staff's reading, "] == "correspondence"
    assert by_text["This LPR Services Ag"] == "body"
    found = match_document(doc, library)
    assert [(f.rule, f.value) for f in found if f.rule == "retention-period"] == [("retention-period", 45)]
    assert ("network-sharing", "safeguard") not in {(f.rule, f.polarity) for f in found}
    # without the agreement, the report is the record of its terms there is
    report = AGENDA_PACKET.split("ATTACHMENT A")[0]
    alone = match_document(Document(file="x.txt", kind="txt", pages=[Page(number=1, text=report)]), library)
    assert [(f.rule, f.value) for f in alone if f.rule == "retention-period"] == [("retention-period", 30)]


TERM_SHEET = """LETTER OF INTENT

This letter sets out the terms on which Granite Optics, Inc. proposes to supply cameras to the Village
of Ashby. This Letter of Intent is not binding except for Sections 3 and 4.

1. Proposed Data Terms

(a) Granite not to sell Village data.

(b) Granite to have a perpetual license to use aggregated data to improve its products.

2. Definitive Agreement

The parties intend to negotiate a definitive agreement reflecting these terms.

3. Public Records (Binding)

Granite acknowledges that this letter is a public record under the state Public Records Act.

4. Confidentiality

Each party shall bear its own costs of the negotiation.
"""


def test_a_letter_of_intent_proposes_concerns_but_binds_only_its_binding_sections(library):
    found = findings(library, TERM_SHEET)
    assert ("data-sale", "safeguard") not in found            # proposed only: no protection yet
    assert ("derived-data-use", "concern") in found           # a warning of what the contract may say
    assert ("public-records", "safeguard") in found           # a section it says binds
    assert findings(library, TERM_SHEET.replace(" is not binding except for Sections 3 and 4", "")) >= \
        found | {("data-sale", "safeguard")}


REDLINE = ("Section 7.3 (City proposed): Vendor shall never disclose City Data to federal immigration "
           "authorities. [Vendor rejects]\n\nAgreed text: Vendor shall not disclose City Data to any "
           "agency except under a court order.")


def test_a_rejected_proposal_is_not_agreed_text(library):
    block = REDLINE.split("\n\n")[0]
    assert (0, len(block)) in not_agreed_spans(block)
    inline = "(Proposed): Vendor shall delete City Data. [Vendor rejects] Agreed text: Vendor shall keep it."
    assert inline[max(end for _, end in not_agreed_spans(inline)):].startswith("Agreed text:")
    found = findings(library, REDLINE)
    assert ("immigration-enforcement", "safeguard") not in found


def test_the_agreed_view_keeps_positions_and_breaks_at_each_box():
    view = agreed_view(FORM, 0, blanked_spans(FORM))
    assert len(view) == len(FORM)
    assert "de-identified" not in view and "Sharing limited" in view
    assert view.startswith(".")


def test_former_text_an_amendment_quotes_is_not_agreed(library):
    text = ('(Former Section 5.1(c), which is of no further effect, read: "Vendor may make City Data available '
            'to federal immigration authorities.") 5.1(c) Vendor shall not sell City Data.')
    (span,) = not_agreed_spans(text)
    assert text[span[0]:span[1]].endswith('authorities.")')
    found = findings(library, text)
    assert ("immigration-enforcement", "concern") not in found and ("data-sale", "safeguard") in found


def test_an_accepted_proposal_stays_agreed_and_only_the_answer_is_blanked():
    text = "(City proposed): Vendor shall delete City Data. [Vendor accepts]"
    assert [text[a:b] for a, b in not_agreed_spans(text)] == ["[Vendor accepts]"]


REDLINE_SECTIONS = """RESPONSE TO CITY REDLINES

Section 4.1 (Sharing)
Original: "The Vendor may share City Data with every agency on its network."
City redline: "The Vendor shall not share City Data with any other agency."
[Vendor accepts.]

Section 5.2 (Immigration)
City redline: "City Data shall never be disclosed to federal immigration authorities."
[Vendor rejects. The Vendor does not control how approved agencies use data.]
"""


def test_a_redline_response_is_read_section_by_section(library):
    found = findings(library, REDLINE_SECTIONS)
    assert ("network-sharing", "safeguard") in found      # the accepted redline is the text
    assert ("network-sharing", "concern") not in found    # the original it replaced is not
    assert ("immigration-enforcement", "safeguard") not in found   # the rejected redline is not


def test_a_tick_box_form_is_not_read_as_code():
    lines = ["[X] Fixed cameras (4)", "[ ] National lookup across the network", "[X] Standard retention (30 days)",
             "[X] Audit log of every search (exportable)", "☒ Plate-only search"]
    doc = Document(file="form.txt", kind="txt", pages=[Page(number=1, text="ORDER FORM\n" + "\n".join(lines))])
    assert classify(doc).kind != "data"


RESOLUTION = """RESOLUTION NO. 14

WHEREAS, the Council wishes to ensure that plate data is never sold and is deleted within thirty (30) days; and

WHEREAS, state law prohibits sharing plate data with federal immigration authorities;

NOW, THEREFORE, BE IT RESOLVED that the Chief of Police may sign the agreement.
"""


def test_a_recital_of_intent_or_law_is_no_term(library):
    assert findings(library, RESOLUTION) == set()


def test_a_recital_that_describes_the_service_is_read():
    text = "WHEREAS, the Vendor deletes all footage on a rolling thirty (30) day basis."
    found = findings(CompiledLibrary(load_rules(), get_nlp()), text)
    assert ("retention-period", "info") in found


DEFINED_DATA = """CUSTOMER AGREEMENT

1.4 "Learnings" means statistics, patterns and models that the Provider derives from plate reads and images
captured for the Customer.

1.5 "Vehicle Signature" means the make, colour and distinguishing marks of a vehicle.

5.2 The Provider may use Learnings for any commercial purpose, including to train its models.

5.3 The Provider shall not sell Learnings to any person.
"""


def test_a_term_defined_for_data_is_read_as_data(library):
    from clausescan.definitions import defined_terms
    assert defined_terms(DEFINED_DATA, library.data_nouns)["learnings"] == "data"
    found = findings(library, DEFINED_DATA)
    assert ("derived-data-use", "concern") in found and ("data-sale", "safeguard") in found


def test_a_defined_term_for_a_product_is_not_data():
    from clausescan.definitions import defined_terms
    assert defined_terms('"Platform" means the hardware and software that stores plate reads.', frozenset()) == {}


def test_a_short_name_defined_for_an_agreement_is_read_as_the_agreement(library):
    from clausescan.definitions import defined_terms
    text = ('This Participating Addendum ("PA") is made under the Master Agreement.\n\n'
            "7.1 Within sixty (60) days after this PA ends, Contractor shall delete all Entity Data.")
    assert defined_terms(text, library.data_nouns)["pa"] == "agreement"
    assert ("deletion-on-termination", "safeguard") in findings(library, text)
    # a capitalised word is no short name: "in order to" must not read as "in agreement to"
    assert "order" not in defined_terms('The "Order" means an order form under this Agreement.', frozenset())


COMPLIANCE_MATRIX = """REQUIREMENTS COMPLIANCE MATRIX

REQ 4.1  The Contractor shall not sell City data to any person.
RESPONSE: COMPLY

REQ 4.2  The Contractor shall not use City data to train any machine learning model.
RESPONSE: EXCEPTION
Alternative language: The Contractor may use de-identified City data to train its recognition models.
"""


def test_a_requirement_the_bidder_took_exception_to_is_not_agreed_but_its_alternative_is(library):
    found = findings(library, COMPLIANCE_MATRIX)
    assert ("data-sale", "safeguard") in found
    assert ("derived-data-use", "concern") in found and ("derived-data-use", "safeguard") not in found


BIDDER_QUESTIONS = """ADDENDUM No. 1 - RESPONSES TO BIDDERS' QUESTIONS

Q1. Our standard terms let the vendor sell de-identified reads to its partners. Will the City accept that?
A1. No. The Contractor shall not sell City Data in any form.

Question 2: May the vendor keep the City's data after the contract ends?
We ask because our backups run for a year.
Answer: The Contractor shall delete all City Data within thirty (30) days after the Contract ends.
"""


def test_a_bidders_question_is_not_a_term_but_its_answer_is(library):
    found = findings(library, BIDDER_QUESTIONS)
    assert ("data-sale", "safeguard") in found and ("data-sale", "concern") not in found
    assert ("deletion-on-termination", "safeguard") in found and ("deletion-on-termination", "concern") not in found


MARKED_COPY = """AMENDMENT NO. 2

4.1 Retention. Vendor shall delete plate reads [deleted: one hundred eighty (180) days] [inserted: thirty (30) days]
after capture.

4.2 Use. Vendor may use Agency Data only to provide the Services. [deleted: Vendor may also use Agency Data, in
de-identified form, to improve its products.] [inserted: Vendor shall not use Agency Data, whether or not
de-identified, to train any product or model.]

4.3 Sharing. ~~Agency Data is available to every agency on the Vendor network.~~ Agency Data shall not be shared
with any other agency without the Agency's written approval.
"""


def test_struck_out_text_of_a_marked_copy_is_no_term_and_the_sentence_reads_on(library):
    spans = blanked_spans(MARKED_COPY)
    struck = [MARKED_COPY[a:b] for a, b, breaks in spans if not breaks]
    assert struck[0] == "[deleted: one hundred eighty (180) days]" and struck[-1].startswith("~~Agency Data")
    doc = Document(file="x.txt", kind="txt", pages=[Page(number=1, text=MARKED_COPY)])
    found = match_document(doc, library)
    assert {f.value for f in found if f.rule == "retention-period"} == {30}
    polarities = {(f.rule, f.polarity) for f in found}
    assert ("derived-data-use", "safeguard") in polarities and ("derived-data-use", "concern") not in polarities
    assert ("network-sharing", "safeguard") in polarities and ("network-sharing", "concern") not in polarities


REPLY_WITH_TERMS = """From: chief@town.example
To: clerk@town.example
Subject: RE: vendor terms

> Can the vendor sell our data or share it with ICE?
> Does it renew automatically?

See the pasted terms below.

---------- Pasted text ----------

ROADWAY VISION CUSTOMER TERMS

1. Vendor will never sell Customer Data.
2. Customer Data is not shared with any other agency unless Customer approves each agency in writing.
3. Vendor shall keep a log of every search.
"""


def test_the_lines_a_reply_quotes_are_correspondence_and_the_pasted_terms_are_judged(library):
    assert classify(Document(file="x.txt", kind="txt", pages=[Page(number=1, text=REPLY_WITH_TERMS)])).judged
    found = findings(library, REPLY_WITH_TERMS)
    assert ("data-sale", "safeguard") in found and ("network-sharing", "safeguard") in found
    assert not {rule for rule, _ in found} & {"immigration-enforcement", "auto-renewal"}


QUOTED_THREAD_WITH_TERMS = """From: buyer@town.example
Subject: RE: RE: subscription terms

Agreed on both points below; we accept the terms as pasted.

> 1. Can you sell our data to insurers?
>
> Our standard terms are pasted below.
>
>> 4. Sharing. 4.1 Vendor will never sell Customer Data.
>>
>> 5. Logs. Vendor shall keep a log of every search and give Customer the log on request.
"""


def test_numbered_terms_pasted_into_a_quoted_message_are_judged_and_a_quoted_question_is_not(library):
    found = findings(library, QUOTED_THREAD_WITH_TERMS)
    assert ("data-sale", "safeguard") in found and ("audit-logging", "safeguard") in found
    assert ("data-sale", "concern") not in found   # the numbered question is the message's


def test_the_words_an_amendment_deletes_are_not_agreed(library):
    text = ('Section 5.1 is amended by deleting the words "thirty (30) days" and substituting "sixty (60) days", '
            "so that Read Data is deleted sixty (60) days after capture.")
    doc = Document(file="letter.txt", kind="txt", pages=[Page(number=1, text=text)])
    assert {f.value for f in match_document(doc, library) if f.rule == "retention-period"} == {60.0}
    struck = text[text.index("deleting"):text.index(" and substituting")]
    assert (text.index("deleting"), text.index(" and substituting")) in not_agreed_spans(text), struck


def test_we_defined_beside_the_agency_name_is_the_agency():
    parties = detect_parties('This agreement is between the Juniper Unified School District (the "District", "we") '
                             'and Brisk Safety Co. (the "Company").')
    assert "we" in parties["agency"] and "we" not in parties["vendor"]
    vendor_speaks = detect_parties('These terms are between Glimmer Imaging, Inc. ("Glimmer", "we" or "us") and you.')
    assert "we" in vendor_speaks["vendor"] and "we" not in vendor_speaks["agency"]


def test_a_quoted_provision_an_amendment_says_is_deleted_is_not_agreed(library):
    text = ('Section 7.1, which permits "Vendor to use de-identified Read Data to improve its products," is deleted, '
            'and the following is substituted: "Vendor shall use Read Data solely to provide the Services to the City."')
    assert findings(library, text) >= {("derived-data-use", "safeguard")}
    assert ("derived-data-use", "concern") not in findings(library, text)


def test_each_member_defined_after_a_list_of_cities_is_the_agency_and_the_system_is_no_party():
    parties = detect_parties(
        'This Interlocal Agreement ("Agreement") is made by and among Brant County, acting through the Brant County '
        'Sheriff\'s Office (the "Lead Agency"); the CITY OF OXLEY; and the CITY OF PELL (each city a "Member '
        'Jurisdiction"). WHEREAS, the Lead Agency operates a plate recognition system (the "System").')
    assert "jurisdiction" in parties["agency"]
    assert not {"agreement", "system"} & parties["agency"]


CHANGE_POWER = "1.04 Vendor may modify the Documentation from time to time by posting the modified version online.\n\n"


@pytest.mark.parametrize("named, kept", [("1.04", False), ("3", True)])
def test_a_safeguard_yields_to_the_concern_its_exception_names(library, named, kept):
    # "Except as provided in Section 1.04" where 1.04 lets the vendor change terms by posting: the
    # signed-amendment promise does not hold; an exception naming the fees section leaves it whole
    text = (CHANGE_POWER + "3. Fees. The Agency shall pay the fees within thirty days.\n\n"
            f"12.04 Except as provided in Section {named}, this Agreement may be amended only in a writing "
            "signed by both parties.\n")
    found = findings(library, text)
    assert ("unilateral-changes", "concern") in found
    assert (("unilateral-changes", "safeguard") in found) is kept


def test_a_redline_that_labels_its_struck_text_before_the_bracket_reads_only_what_remains(library):
    redline = ("7.1 Sharing with Other Agencies.\n"
               "Deleted: [Plate Data will be made available to all law enforcement agencies participating in the\n"
               "Vendor's national network.]\n"
               "Inserted: Vendor shall not make Plate Data available to any other agency unless the Chief of Police\n"
               "has approved the specific receiving agency in writing.\n")
    found = findings(library, redline)
    assert ("network-sharing", "safeguard") in found and ("network-sharing", "concern") not in found
