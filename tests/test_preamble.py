"""The title and the parties read from the top of a contract, in the drafting styles contracts use.
Every preamble here is written for these tests (made-up vendors and towns)."""
from __future__ import annotations

import pytest

from clausescan.models import Document, Page
from clausescan.preamble import read_preamble, title_case
from clausescan.segment import blocks


def preamble_of(text: str):
    return read_preamble(blocks(Document(file="t.txt", pages=[Page(number=1, text=text)])))


def sides(preamble) -> list[tuple[str, str, str]]:
    return [(p.name, p.defined_as, p.side) for p in preamble.parties]


def test_by_and_between_with_descriptions_and_defined_terms():
    pre = preamble_of(
        "MASTER SERVICES AGREEMENT\n"
        'This Master Services Agreement (this "Agreement") is entered into as of the date of the last signature '
        '(the "Effective Date") by and between Brightline Optics, Inc., a Nevada corporation with offices at '
        '12 Quarry Road, Suite 4, Elko, Nevada ("Brightline"), and the Town of Quillfield, Vermont, acting through '
        'its Police Department ("Customer"). Brightline and Customer are each a "Party".\n'
        "1. SERVICES\n1.1 Brightline shall install the cameras.\n")
    assert pre.title == "Master Services Agreement"
    assert sides(pre) == [("Brightline Optics, Inc.", "Brightline", "vendor"),
                          ("Town of Quillfield", "Customer", "agency")]
    assert pre.names() == {"vendor_name": "Brightline Optics, Inc.", "agency_name": "Town of Quillfield"}


def test_capitals_letterhead_and_a_between_line_above_the_preamble():
    pre = preamble_of(
        "Norvale Systems, LLC : Agreement No. 2025-77\n\n"
        "LICENSE PLATE READER SERVICES AGREEMENT\n\n"
        "between the City of Ostrow and Norvale Systems, LLC\n\n"
        "THIS AGREEMENT is made this 4th day of May, 2025, by and between the CITY OF OSTROW, OREGON, a municipal "
        'corporation (the "City"), and NORVALE SYSTEMS, LLC, a Texas limited liability company ("Contractor").\n\n'
        "1. DEFINITIONS\n")
    # the title line in capitals, not the letterhead; names in capitals read in title case
    assert pre.title == "License Plate Reader Services Agreement"
    assert sides(pre) == [("City of Ostrow", "City", "agency"), ("Norvale Systems, LLC", "Contractor", "vendor")]


def test_made_by_x_and_y_without_defined_terms():
    pre = preamble_of(
        "DATA SHARING AGREEMENT\n"
        "This Agreement is made on 1 June 2025 by the Pellmoor County Sheriff's Office and Vantor Analytics Corp.\n"
        "1. Sharing. Each party shall keep the data confidential.\n")
    assert pre.title == "Data Sharing Agreement"
    assert sides(pre) == [("Pellmoor County Sheriff's Office", "", "agency"), ("Vantor Analytics Corp.", "", "vendor")]


def test_a_party_the_preamble_only_describes_is_not_taken_for_a_name():
    pre = preamble_of(
        'This Subscription Agreement is entered into between Ardent Plate Co. ("Ardent") and the customer named '
        'on the order form ("Subscriber") (each a "Party").\n'
        "1. Fees. Subscriber shall pay the fees.\n")
    assert pre.title == "Subscription Agreement"   # from the preamble: there is no title line
    (vendor, agency) = pre.parties
    assert (vendor.name, vendor.side, vendor.named) == ("Ardent Plate Co.", "vendor", True)
    assert (agency.name, agency.defined_as, agency.side, agency.named) == \
        ("the customer named on the order form", "Subscriber", "agency", False)
    assert pre.names() == {"vendor_name": "Ardent Plate Co."}


def test_among_three_agencies():
    pre = preamble_of(
        "MEMORANDUM OF UNDERSTANDING\n"
        'This Memorandum of Understanding is entered into among the Village of Tessaly (the "Village"), the Town '
        'of Corrin (the "Town") and the Harlan County Sheriff\'s Office (the "Sheriff").\n'
        "1. Purpose. The parties will share plate reads.\n")
    assert pre.title == "Memorandum of Understanding"
    assert sides(pre) == [("Village of Tessaly", "Village", "agency"), ("Town of Corrin", "Town", "agency"),
                          ("Harlan County Sheriff's Office", "Sheriff", "agency")]


def test_the_list_of_parties_ends_where_the_sentence_goes_on_to_something_else():
    pre = preamble_of(
        "ADDENDUM NO. 2 TO THE SERVICES AGREEMENT\n"
        'This Addendum No. 2 (the "Addendum") is made by and between the City of Brask (the "City") and Luma '
        'Roads, Inc. ("Vendor"), and amends the Services Agreement between the City and Vendor (the "Agreement").\n')
    assert pre.title == "Addendum No. 2 to the Services Agreement"
    assert sides(pre) == [("City of Brask", "City", "agency"), ("Luma Roads, Inc.", "Vendor", "vendor")]


def test_a_heading_after_the_preamble_is_not_the_title():
    pre = preamble_of(
        "Master Services Agreement\n"
        'This Master Services Agreement is entered into by and between Kestrel Roadway Data, Inc. ("Kestrel") '
        'and the entity identified in the signature block ("Customer").\n'
        "RECITALS\nWHEREAS, Kestrel offers cameras;\nAGREEMENT\n1. Kestrel shall provide the services.\n")
    assert pre.title == "Master Services Agreement"
    assert [p.defined_as for p in pre.parties] == ["Kestrel", "Customer"]


def test_terms_pasted_in_an_email_take_the_title_of_the_terms_not_the_vendor_letterhead():
    pre = preamble_of(
        "From: Dana Roe <dana@omniplate.test>\nTo: Clerk <clerk@town.test>\nSubject: our terms\n\n"
        "Hi, the terms are below.\n\n"
        "OMNIPLATE SENSING, INC. -- TERMS OF SERVICE\n\n"
        "These Terms govern the use of the Omniplate service by the customer.\n\n"
        "1. Data. Omniplate shall not sell Customer Data.\n")
    assert pre.title == "Terms of Service"
    assert pre.parties == []


def test_a_document_without_a_preamble_names_no_parties_and_a_section_heading_is_no_title():
    pre = preamble_of("1. Data. Vendor shall not sell Agency Data.\n2. Retention. Agency Data is kept for 30 days.\n")
    assert pre.parties == [] and pre.names() == {} and pre.title == ""


@pytest.mark.parametrize("text, expected", [
    ("AUTOMATED LICENSE PLATE READER SERVICES AGREEMENT", "Automated License Plate Reader Services Agreement"),
    ("ORDER FORM No. EF-0417", "Order Form No. EF-0417"),
    ("ALPR DATA SHARING MOU", "ALPR Data Sharing MOU"),
    ("Master Services Agreement", "Master Services Agreement"),
])
def test_title_case_keeps_acronyms_and_numbers(text, expected):
    assert title_case(text) == expected


def test_preamble_names_win_over_names_found_elsewhere_but_a_place_stays_a_place():
    pre = preamble_of(
        'This Agreement is made between the Village of Tessaly Police Department (the "Department") and '
        'Lumen Curb Systems, Inc. ("Vendor").\n')
    assert pre.names({"agency_name": "Village of Tessaly", "vendor_name": "Lumen Curb"}) == \
        {"agency_name": "Village of Tessaly", "vendor_name": "Lumen Curb Systems, Inc."}
    assert pre.names({"agency_name": "Tessaly Police Department"})["agency_name"] == \
        "Village of Tessaly Police Department"
    only_one_side = preamble_of('This Agreement is made between Lumen Curb Systems, Inc. ("Vendor") and the '
                                'customer named on the order form ("Customer").\n')
    assert only_one_side.names({"agency_name": "Town of Corrin"})["agency_name"] == "Town of Corrin"


def test_a_private_body_that_signs_is_neither_vendor_nor_agency():
    pre = preamble_of(
        "CAMERA ACCESS MEMORANDUM OF UNDERSTANDING\n"
        'This Memorandum of Understanding is entered into among the Town of Corrin (the "Town"), Brookmere '
        'Homeowners Association, Inc., a nonprofit corporation (the "Association"), and Lumen Curb Systems, Inc. '
        '("Vendor").\n')
    assert sides(pre) == [("Town of Corrin", "Town", "agency"),
                          ("Brookmere Homeowners Association, Inc.", "Association", "private"),
                          ("Lumen Curb Systems, Inc.", "Vendor", "vendor")]
    assert pre.names() == {"agency_name": "Town of Corrin", "vendor_name": "Lumen Curb Systems, Inc."}


def test_a_retailer_beside_the_police_and_the_platform_is_the_private_party():
    # parties set apart by semicolons; two companies, of which the store owns the cameras
    pre = preamble_of(
        "CAMERA DATA SHARING AGREEMENT\n"
        'This Camera Data Sharing Agreement is made among Harlow Stores, Inc., a Minnesota corporation '
        '("Harlow"); the City of Fenwick, acting through its Police Department ("FPD"); and Ostrander Systems, '
        'Inc., a Delaware corporation ("Ostrander") (each a "Party").\n')
    assert sides(pre) == [("Harlow Stores, Inc.", "Harlow", "private"),
                          ("City of Fenwick", "FPD", "agency"),
                          ("Ostrander Systems, Inc.", "Ostrander", "vendor")]


def test_a_company_named_for_stores_that_is_the_only_company_stays_the_vendor():
    pre = preamble_of(
        'This Agreement is made between Datastore Stores, Inc. ("Vendor") and the City of Fenwick ("City").\n')
    assert [p.side for p in pre.parties] == ["vendor", "agency"]


def test_a_party_defined_together_with_its_laboratory_takes_the_defined_name():
    pre = preamble_of(
        'This Data Use Agreement is entered into by the City of Fenwick, acting through its Police Bureau (the '
        '"City"), and Northfork State University, on behalf of its Transportation Laboratory (together, "Recipient").\n')
    assert sides(pre) == [("City of Fenwick", "City", "agency"), ("Northfork State University", "Recipient", "vendor")]
