"""Values: durations to days, notice days, liability caps, references, governing law."""
from __future__ import annotations

import pytest

from clausescan.rules import values


@pytest.mark.parametrize("text, days", [
    ("kept for thirty (30) days", 30),
    ("for one (1) year", 365),
    ("deleted after 72 hours", 3),
    ("held for 18 months", 540),
    ("no longer than 3 minutes", 0.002),
    ("for twenty-one (21) days", 21),
    ("for ninety days", 90),
    ("for a period of two (2) weeks", 14),
    ("kept for thirty (3O) days", 30),
    ("kept for fourteen (l4) days", 14),
    ("retained for thirty ( 30 ) days", 30),
    ("for one (1) calendar year", 365),
])
def test_durations_are_days(text, days):
    from clausescan.segment import normalize_for_matching
    assert values.durations(normalize_for_matching(text))[0][0] == days


def test_several_retention_periods_in_one_sentence():
    text = "Reads are kept for thirty (30) days unless flagged, in which case they are kept for one (1) year."
    assert values.retention_values(text) == [30, 365]


def test_retention_deadlines_are_not_periods():
    text = "Reads are retained until the Agency releases the hold and shall then be deleted within five (5) days."
    assert values.retention_values(text) == ["agency-defined"]


@pytest.mark.parametrize("text, expected", [
    ("Plate data shall be destroyed within sixty (60) days of collection.", [60]),
    ("Footage rolls off after 30 days.", [30]),
    ("Provider retains commercial LPR data collected by private partners for up to five years.", [1825]),
    ("Vendor shall respond to deletion requests within ten (10) days of the request.", [None]),
    # a long object between the verb and "for up to"
    ("Vendor retains Telemetry, including the sampled plate and vehicle images, for up to twenty-four (24) months.", [720]),
    # the period a sentence replaces is not kept
    ("Reads are deleted twenty-one (21) days after capture, rather than after the thirty (30) days stated in Section 7.", [21]),
    # the customer's administrator picks the period
    ("Licensee's administrator may configure any other retention period in the Storage settings.", ["agency-defined"]),
])
def test_retention_periods_counted_from_capture(text, expected):
    assert values.retention_values(text) == expected


def test_indefinite_retention():
    assert values.retention_values("Hit data is retained indefinitely.") == ["indefinite"]


@pytest.mark.parametrize("text, expected", [
    ("Reads are purged after 21 days, and alerts are preserved permanently.", [21, "indefinite"]),
    ("Vendor shall never keep reads indefinitely; it purges them every 14 days.", [14]),
    ("Where no retention period is chosen, reads are deleted after 30 days.", [30]),
])
def test_indefinite_period_beside_a_number(text, expected):
    assert values.retention_values(text) == expected


def test_contract_term_is_not_a_retention_period():
    assert values.retention_values("Storage: 45 days | Term: 24 months") == [45]
    assert values.retention_values("Reads are kept 60 days during the 3-year term.") == [60]


def test_notice_days_of_an_order_form_row():
    assert values.notice_days("Auto Renew: YES  Notice Period: 60 days") == [60]


def test_notice_days_skip_the_renewal_length():
    text = ("The term renews for successive one (1) year periods unless either party gives notice at least "
            "sixty (60) days before the end of the term.")
    assert values.notice_days(text) == [60]


@pytest.mark.parametrize("text", [
    "Within ten (10) days after termination, Vendor shall delete the reads.",
    "No later than ten days after the contract ends, Vendor shall delete the reads.",
])
def test_termination_days(text):
    assert values.termination_days(text) == [10]


@pytest.mark.parametrize("text, expected", [
    ("liability shall not exceed the fees paid in the twelve (12) months before the claim", (12, "months")),
    ("shall not exceed two times the fees paid during the 12 months preceding the claim", (24, "months")),
    ("shall not exceed One Hundred Thousand Dollars ($100,000)", (100000, "USD")),
    ("liability shall not exceed the total fees paid in the prior year", (12, "months")),
    ("Liability: capped at 2x annual fees", (24, "months")),
    ("liability is limited to the price of the Product", (None, None)),
])
def test_liability_cap(text, expected):
    assert values.liability_cap(text)[0] == expected


def test_reference_prefers_the_url():
    text = "The Privacy Policy at https://vendor.example.com/legal/privacy, is incorporated."
    assert values.reference(text) == ["https://vendor.example.com/legal/privacy"]


@pytest.mark.parametrize("text, state", [
    ("governed by the laws of the State of New Mexico", "New Mexico"),
    ("construed under the laws of the Commonwealth of Virginia", "Virginia"),
    ("Disputes shall be resolved by binding arbitration in Denver", "arbitration (Denver)"),
])
def test_governing_law(text, state):
    assert values.state(text) == [state]


@pytest.mark.parametrize("text, expected", [
    # one period written in two units is one value, the year rather than twelve 30-day months
    ("Reads are kept for twelve (12) months (one year) and then deleted.", [365]),
    ("Images are retained for one (1) year (365 days) from capture.", [365]),
    ("Reads are kept for six (6) months (180 days).", [180]),
    # the limits of a period the agency chooses are not the period
    ("Reads are retained for the period the Customer selects, between one (1) and three hundred sixty-five (365) days.",
     ["agency-defined"]),
    ("Retention: Customer-configurable (1-90 days)", ["agency-defined"]),
    ("The Member shall fix the retention of plate reads at a period of its own choosing, not less than five (5) "
     "days and not more than sixty (60) days.", ["agency-defined"]),
    # a period said not to apply is no period
    ("Saved images are kept as the Department's evidence retention policy requires and are not subject to the "
     "30-day overwrite.", ["agency-defined"]),
    # a number, and the agency's own rules for the reads kept longer
    ("Reads are deleted after fourteen (14) days unless attached to a case, when the Town's own evidence "
     "retention rules apply.", [14, "agency-defined"]),
    ("Reads may be kept under the MSP records retention and disposal schedule.", ["agency-defined"]),
])
def test_retention_values_read_as_one_period_each(text, expected):
    assert values.retention_values(text) == expected


@pytest.mark.parametrize("text, expected", [
    # the agency picks a period within a range, or releases a hold
    ("The Controller may set any retention period from one (1) to three hundred sixty-five (365) days.",
     ["agency-defined"]),
    ("Plate Reads marked as evidence are kept until unmarked by the Controller.", ["agency-defined"]),
    ("Reads under a preservation request are retained until the Sheriff notifies the Contractor that they are no "
     "longer needed.", ["agency-defined"]),
    # the vendor deciding is no agency-defined period
    ("Reads are kept until unmarked by the Vendor.", [None]),
    ("Reads are kept until deleted by the Contractor.", [None]),
])
def test_a_period_the_agency_chooses_or_ends(text, expected):
    assert values.retention_values(text) == expected
