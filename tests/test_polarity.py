"""The shared polarity logic: negation, double negatives, coordination, exceptions that carve
data back out, consent and purpose restrictions, and who is acting."""
from __future__ import annotations

import textwrap

import pytest

from clausescan.models import Document, Page
from clausescan.match import match_document
from clausescan.nlp import get_nlp
from clausescan.rules.engine import CompiledLibrary
from clausescan.rules.loader import load_rules

RULE = textwrap.dedent("""\
    id: toy-sale
    title: Toy sale rule
    category: testing
    severity: low
    why: A small rule used to test the polarity logic that every rule shares.
    patterns:
      - name: sale
        polarity: concern
        negated: safeguard
        carve_out: concern
        trigger: ["sell|sells|selling|sold"]
        with: [["data"]]
        without: ["hardware|licences"]
        actor: [vendor, either, unknown]
      - name: sharing
        polarity: concern
        negated: safeguard
        restricted: safeguard
        trigger: ["share|shares|shared"]
        with: [["data"]]
    examples:
      match:
        - text: "Vendor may sell data."
          polarity: concern
      no_match:
        - "Vendor may sell cameras."
    """)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("toy-rules")
    (folder / "toy.yaml").write_text(RULE)
    return CompiledLibrary(load_rules([folder], builtin=False), get_nlp())


def polarities(compiled, text):
    doc = Document(file="t", pages=[Page(number=1, text=text)])
    return sorted({f.polarity for f in match_document(doc, compiled)})


@pytest.mark.parametrize("text, expected", [
    ("Vendor may sell Agency data.", ["concern"]),
    ("Vendor shall not sell Agency data.", ["safeguard"]),
    ("No Agency data shall be sold by Vendor.", ["safeguard"]),
    ("Vendor does not own and shall not sell Agency data.", ["safeguard"]),
    ("Vendor shall never sell Agency data.", ["safeguard"]),
    ("Vendor is prohibited from selling Agency data.", ["safeguard"]),
    ("Nothing in this Agreement shall prevent Vendor from selling de-identified data.", ["concern"]),
    ("Vendor shall not be prohibited from selling Agency data.", ["concern"]),
    ("Vendor shall not sell raw data, but may sell summary data.", ["concern", "safeguard"]),
    ("Vendor shall not sell Agency data and may sell aggregated data.", ["concern", "safeguard"]),
    ("Vendor shall not sell Agency data, except aggregated data.", ["concern", "safeguard"]),
    ("Vendor shall not sell Agency data, except as required by law.", ["safeguard"]),
    ("Vendor shall not sell Agency data, no later than ever.", ["safeguard"]),
    ("Vendor may share Agency data only with the Agency's prior written consent.", ["safeguard"]),
    ("Vendor may share Agency data with any participating agency.", ["concern"]),
    ("Vendor shall not share Agency data without the Agency's consent.", ["safeguard"]),
    ("In no event, however, shall Vendor sell Agency data.", ["safeguard"]),
    ("No camera owned or operated by a private entity shall share data with Vendor.", ["safeguard"]),
    ("Vendor shall disable any feature that shares Agency data.", ["safeguard"]),
    ("Vendor shall not disable the feature that shares Agency data.", ["concern"]),
    ("Vendor   shall   not   sell   Agency   data.", ["safeguard"]),
    # a negated duty not to act leaves the act allowed
    ("Nothing in this Agreement requires that Agency data not be sold.", ["concern"]),
    ("Vendor is required by law not to sell Agency data.", ["safeguard"]),
    # a negated lead-in governs every item of the list after it
    ("Vendor shall not: (a) publish passwords; (b) sell Agency data; or (c) remove notices.", ["safeguard"]),
    ("Vendor may: (a) store Agency data; (b) sell Agency data; and (c) delete it on request.", ["concern"]),
    # "read-only" names a kind of access and restricts nothing
    ("Vendor may share read-only Agency data with any participating agency.", ["concern"]),
    # a negative verb listed beside the trigger governs nothing: the "not" still bears on "sell"
    ("Vendor shall not disable or sell Agency data.", ["safeguard"]),
    ("Nothing shall prevent or restrict Vendor from selling Agency data.", ["concern"]),
    # each coordinated predicate is read with its own context: the data of the first, the
    # negation of the second
    ("Vendor may keep Agency data on its servers and shall never sell it.", ["safeguard"]),
    ("Vendor shall store Agency data in the United States, and Vendor may sell summaries.", []),
    # an exclusion in one list item does not hide a finding in another
    ("Vendor shall not: (a) sell the Hardware; (b) sell Agency data; or (c) resell licences.", ["safeguard"]),
    # an insertion (", unless the law forbids it,", "(unless prohibited by law)") keeps its own
    # negation, and what stands before it still governs the trigger
    ("Vendor shall not, unless the law requires it, sell Agency data.", ["safeguard"]),
    ("Vendor shall, unless the law forbids it, sell Agency data to any participating agency.", ["concern"]),
    ("Vendor shall (unless prohibited by law) sell Agency data to the Agency's auditors.", ["concern"]),
    # the negation can sit in the object: "share it with no other agency"
    ("Vendor shall share Agency data with no participating agency.", ["safeguard"]),
    ("Vendor shall share Agency data with participating agencies no later than Friday.", ["concern"]),
    # a relative clause keeps its own negation; a provision that "does not apply" grants nothing;
    # advice ("should") is no term
    ("Vendor's standard terms, which the Agency did not sign, would let Vendor sell Agency data.", ["concern"]),
    ("Section 4 does not apply to Agency data that Vendor sells to participating agencies.", []),
    ("The Agency should require that Vendor never sell Agency data.", []),
    # a negation in an earlier predicate does not reach a later one with its own subject
    ("Vendor shall not sell Agency data, and the Agency may share data with any participating agency.",
     ["concern", "safeguard"]),
    # a list with no ':' after its lead-in: the lead-in's negation governs every item, and a
    # lead-in's trigger reads on through them
    ("Vendor shall not (a) host Agency data abroad; or (b) sell it to any person.", ["safeguard"]),
    ("Vendor may (a) host Agency data; and (b) sell it to any person.", ["concern"]),
    ("Vendor may sell Agency data to (a) insurers; and (b) marketers.", ["concern"]),
    # what a person is reported to have said is no term; "as stated in" is a cross-reference
    ("Councilmember Gravois asked whether Vendor sells Agency data.", []),
    ("The regional manager, Jarrod Pettibone, stated that Vendor has never sold Agency data.", []),
    ("As stated in Section 4, Vendor may sell Agency data.", ["concern"]),
    # a condition set before its clause keeps its own negation
    ("If the Agency does not renew, Vendor may sell Agency data.", ["concern"]),
    ("If the Agency does not renew, Vendor shall not sell Agency data.", ["safeguard"]),
    ("Vendor shall not, if the Agency asks, sell Agency data.", ["safeguard"]),
    # a comma closes the subject's insertion; only "and"/"or" before a modal opens a new predicate
    ("No party, and no vendor acting for a party, shall sell Agency data.", ["safeguard"]),
    # a negated failure is a duty: the two negations cancel
    ("Vendor shall not fail to disable any feature that shares Agency data.", ["safeguard"]),
    ("Vendor shall never neglect to sell Agency data to participating agencies.", ["concern"]),
    # a sanction takes away what it names: suspending sharing is no sharing
    ("Vendor shall suspend shared data feeds to any agency that breaches this Section.", ["safeguard"]),
    ("Upon suspension of the account, Vendor may share Agency data with participating agencies.", ["concern"]),
])
def test_polarity(compiled, text, expected):
    assert polarities(compiled, text) == expected


def test_actor_must_match(compiled):
    assert polarities(compiled, "The Agency may sell Agency data at auction.") == []


def test_definitions_are_not_findings(compiled):
    assert polarities(compiled, '"Sale" means to sell data for value.') == []


def test_ocr_confusions_are_tolerated(compiled):
    assert polarities(compiled, "Vendor shal1 not se11 Agency data.") == ["safeguard"] or \
        polarities(compiled, "Vendor shall not se1l Agency data.") == ["safeguard"]


ONLY_NEGATED = RULE.replace("id: toy-sale", "id: toy-purpose").replace(
    "- name: sharing\n    polarity: concern", "- name: sharing\n    polarity: none")


def test_a_pattern_can_count_only_when_negated(tmp_path):
    assert "polarity: none" in ONLY_NEGATED
    (tmp_path / "toy.yaml").write_text(ONLY_NEGATED)
    compiled = CompiledLibrary(load_rules([tmp_path], builtin=False), get_nlp())
    assert polarities(compiled, "Vendor shall not share Agency data.") == ["safeguard"]
    assert polarities(compiled, "Vendor may share Agency data with any participating agency.") == []


@pytest.fixture(scope="module")
def builtin():
    return CompiledLibrary(load_rules(), get_nlp())


def found(library, text: str, rule: str | None = None) -> set[tuple[str, str]]:
    """(rule, polarity) of every finding in a one-page text, or of one rule's."""
    doc = Document(file="t", pages=[Page(number=1, text=text)])
    return {(f.rule, f.polarity) for f in match_document(doc, library) if rule in (None, f.rule)}


def test_a_far_negation_does_not_turn_a_prohibition_into_a_concern(builtin):
    """"shall not use ... for any other purpose": the negation is far from "other purpose"."""
    result = found(builtin, "Contractor shall not use Plate Data, whether raw, de-identified or summarized, to build "
                            "analytics products, to market its services or for any other purpose of its own.")
    assert ("derived-data-use", "safeguard") in result
    assert ("derived-data-use", "concern") not in result


def test_one_predicate_s_purpose_is_not_read_into_another(builtin):
    """"shall use X only to provide the Services and shall not use it, in any form, including
    de-identified form, to train models": a promise, whose list of forms extends the prohibition."""
    result = found(builtin, "Provider shall use Customer Data only to provide the Services to Customer and shall not "
                            "use it, in any form, including de-identified or aggregated form, to train "
                            "machine-learning models or to develop other products.")
    assert ("derived-data-use", "safeguard") in result
    assert ("derived-data-use", "concern") not in result


def test_a_protection_the_customer_can_switch_off_is_a_concern_not_a_safeguard(builtin):
    switchable = ("6. Audit Trail. The System logs every search with the user's name and the reason given. "
                  "A Customer administrator may disable audit logging for any user group.")
    assert found(builtin, switchable, "audit-logging") == {("audit-logging", "concern")}
    optional = "The System will log every search with the user's name if the Customer purchases the Audit module."
    assert found(builtin, optional, "audit-logging") == {("audit-logging", "concern")}


def test_a_log_described_and_then_kept_from_the_agency_is_only_a_concern(builtin):
    taken_back = ("7.2 Search Records. The Platform records each search with the user and the reason entered. "
                  "Search records are the Vendor's confidential information and are provided only at its "
                  "then-current rates.")
    assert found(builtin, taken_back, "audit-logging") == {("audit-logging", "concern")}
    kept = ("7.2 Search Records. The Platform records each search with the user and the reason entered, "
            "and keeps those records for five years.")
    assert found(builtin, kept, "audit-logging") == {("audit-logging", "safeguard")}


def test_a_finite_verb_after_a_negated_predicate_is_not_under_its_negation(builtin):
    # "will not ... and requires": "requires" cannot follow "will not", so it is a predicate of its own
    result = found(builtin, "The Vendor will not sell Customer Data and requires each agency outside the state to "
                            "certify, before each search, that the search is not for investigating reproductive "
                            "health care.")
    assert {("data-sale", "safeguard"), ("health-care-protection", "safeguard")} <= result


def test_an_opening_unless_clause_keeps_its_own_negation(builtin):
    """"Unless the Town says (in 45 days' notice) it does not wish to continue, the term extends
    automatically": the "not" is the condition's, and the renewal it governs is automatic."""
    text = ("Unless the Town tells the Vendor in writing at least forty-five (45) days before the end of the term "
            "that it does not wish to continue, the term will extend automatically for further periods of one year.")
    assert found(builtin, text, "auto-renewal") == {("auto-renewal", "concern")}


def test_a_word_of_a_document_s_name_is_no_clause(builtin):
    """"the Equipment Lease and Data Services Agreement" names a document; the lease of data it
    would be as a sentence is not a term, while the same words as a predicate still are."""
    named = ("These Special Provisions are part of the Equipment Lease and Data Services Agreement dated "
             "February 27, 2024 between the Village and the Vendor.")
    assert found(builtin, named, "data-sale") == set()
    assert found(builtin, "Vendor may sell or lease Agency Data to third parties.", "data-sale") == \
        {("data-sale", "concern")}


def test_a_cross_reference_s_title_is_no_clause(builtin):
    """"Section 9.2 (Automatic Renewal)" names a provision another sentence states."""
    listed = ("The following provisions of the Master Agreement shall not apply to the City: (a) Section 9.2 "
              "(Automatic Renewal); and (b) Section 17.3 (Indemnity).")
    assert found(builtin, listed, "auto-renewal") == set()
    stated = "This Agreement renews automatically for successive one-year terms unless either party gives notice."
    assert found(builtin, stated, "auto-renewal") == {("auto-renewal", "concern")}


def test_no_object_right_after_the_verb_negates_it(builtin):
    """"shares no data with private camera owners": the negation is the object's determiner."""
    text = "The Sheriff's Office shares no data with private camera owners or with other private customers of Vendor."
    assert found(builtin, text, "private-camera-data") == {("private-camera-data", "safeguard")}


def test_an_ordinance_s_unlawful_act_is_a_prohibition(builtin):
    """Statutory drafting forbids with "It shall be unlawful for any person to ...", not with "not"."""
    text = "It shall be unlawful for any person to sell ALPR data or to exchange it for anything of value."
    assert found(builtin, text, "data-sale") == {("data-sale", "safeguard")}
