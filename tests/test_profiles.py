"""State law profiles: loading and validation, judging contracts against a profile, and
--profile on scan, check and report (driven in-process), with contracts generated here."""
from __future__ import annotations

import datetime
import json
import textwrap
from pathlib import Path

import pytest
from conftest import text_pdf, wrap
from typer.testing import CliRunner

from clausescan.cli import app
from clausescan.errors import UsageError
from clausescan.law import CHECK, CONFLICTS, EXCEEDS, JUDGES, NOT_READ, NOT_STATED, WITHIN, judge
from clausescan.models import Finding
from clausescan.errors import ProfileError
from clausescan.profiles import ROLES, LimitKind, Profile, available, load_profile, load_profile_file
from clausescan.rules.loader import load_rules

runner = CliRunner()

GOOD = """\
state: ZZ
name: Test State
limits:
  - kind: retention
    rules: {retention: retention-period}
    max: 21 days
    summary: Plate reads may not be kept longer than 21 days.
    citation: Test Code § 1
    checked: 2026-11-25
    verified: true
"""


def write_profile(tmp_path, text: str, name: str = "zz.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


# The rules the shipped profiles name for each role.
ROLE_RULES = {"retention": "retention-period", "sale": "data-sale", "sharing": "network-sharing",
              "immigration": "immigration-enforcement", "health-care": "health-care-protection"}


def profile_with(*limits: dict) -> Profile:
    base = {"summary": "What the law says, in a sentence.", "citation": "Test Code § 1",
            "checked": datetime.date(2026, 11, 25), "verified": False}
    return Profile(state="ZZ", name="Test State", limits=[
        {**base, "rules": {role: ROLE_RULES[role] for role in ROLES[limit["kind"]]}, **limit} for limit in limits])


def finding(rule: str, polarity: str, value=None, page: int = 2) -> Finding:
    return Finding(rule=rule, polarity=polarity, page=page, section=None, quote="…", value=value)


# --- loading and validation -------------------------------------------------------------------

def test_a_valid_profile_loads_with_its_cap_in_days(tmp_path):
    profile = load_profile_file(write_profile(tmp_path, GOOD))
    assert (profile.state, profile.limits[0].max_days, profile.limits[0].verified) == ("ZZ", 21, True)


@pytest.mark.parametrize("change, key", [
    (("max: 21 days", "max: a while"), "'max' must be one duration"),
    (("max: 21 days", "max: 21 days or 30 days"), "'max' must be one duration"),
    (("kind: retention", "kind: forever"), "limits.0.kind"),
    (("    verified: true\n", ""), "limits.0.verified"),
    (("checked: 2026-11-25", "checked: last week"), "limits.0.checked"),
    (("citation: Test Code § 1", "citation: Test Code § 1\n    colour: blue"), "limits.0.colour"),
    (("    max: 21 days\n", ""), "'max' is required for kind retention"),
    (("kind: retention\n    rules: {retention: retention-period}", "kind: no-sale\n    rules: {sale: data-sale}"),
     "'max' is required for kind retention and allowed only there"),
    (("kind: retention\n    rules: {retention: retention-period}\n    max: 21 days",
      "kind: sharing-named-states\n    rules: {sharing: network-sharing, immigration: immigration-enforcement}"),
     "'states' is required"),
    (("rules: {retention: retention-period}", "rules: {sale: data-sale}"),
     "limits.0: Value error, 'rules' must name the rule for each of retention (kind retention)"),
    (("    rules: {retention: retention-period}\n", ""), "limits.0.rules: Field required"),
    (("state: ZZ", "state: Zed"), "state"),
])
def test_a_bad_profile_names_the_file_and_the_key(tmp_path, change, key):
    path = write_profile(tmp_path, GOOD.replace(*change))
    with pytest.raises(ProfileError) as err:
        load_profile_file(path)
    assert str(path) in str(err.value) and key in str(err.value)


def test_a_profile_must_be_named_for_its_state(tmp_path):
    with pytest.raises(ProfileError, match="name the file zz.yaml"):
        load_profile_file(write_profile(tmp_path, GOOD, name="me.yaml"))


def test_invalid_yaml_and_non_mappings_are_clear_errors(tmp_path):
    with pytest.raises(ProfileError, match="is not valid YAML"):
        load_profile_file(write_profile(tmp_path, "state: [ZZ\n"))
    with pytest.raises(ProfileError, match="must be a mapping"):
        load_profile_file(write_profile(tmp_path, "- ZZ\n"))


def test_yaml_tags_are_not_executed(tmp_path):
    with pytest.raises(ProfileError, match="is not valid YAML"):
        load_profile_file(write_profile(tmp_path, "state: !!python/object/apply:os.system ['true']\n"))


def test_every_shipped_profile_loads_and_cites_what_was_read():
    profiles = available()
    assert {p.state for p in profiles} >= {"NH", "ME", "VT", "AR", "MT", "UT", "TN", "CA", "CT", "MA"}
    for profile in profiles:
        for limit in profile.limits:
            assert limit.citation and limit.checked and limit.sources, (profile.state, limit.kind)
            assert limit.verified or "unverified" in limit.label
    caps = {p.state: p.limits[0].max_days for p in profiles if p.limits[0].kind == "retention"}
    assert caps == {"NH": 0.002, "ME": 21, "VT": 540, "AR": 150, "MT": 90, "UT": 270, "TN": 90}


def test_every_limit_kind_has_a_judge():
    assert set(JUDGES) == set(LimitKind.__args__)


@pytest.mark.parametrize("asked", ["me", "ME", "Maine", "maine", " MAINE "])
def test_a_state_is_found_by_code_or_name(asked):
    assert load_profile(asked).state == "ME"


def test_new_hampshire_by_name_with_a_hyphen():
    assert load_profile("new-hampshire").state == "NH"


def test_an_unknown_state_lists_the_profiles():
    with pytest.raises(UsageError, match=r"no state law profile for 'wy'; use one of: ar \(Arkansas\), ca "
                                         r"\(California\), ct \(Connecticut\), ma \(Massachusetts\)"):
        load_profile("wy")


def test_the_rule_loader_skips_profiles(tmp_path):
    rules = tmp_path / "rules"
    (rules / "profiles").mkdir(parents=True)
    (rules / "profiles" / "zz.yaml").write_text(GOOD)
    library = load_rules([rules], builtin=False)   # a profile loaded as a rule would be an error
    assert library.rules == []
    assert all(Path(r.source).parent.name != "profiles" for r in load_rules().rules)


# --- judging ----------------------------------------------------------------------------------

RETENTION_21 = {"kind": "retention", "max": "21 days"}


@pytest.mark.parametrize("values, status, words", [
    ([30], EXCEEDS, "retention 30 days (p. 2) exceeds the cap of 21 days"),
    ([21], WITHIN, "retention 21 days (p. 2) equals the cap of 21 days"),
    ([14], WITHIN, "retention 14 days (p. 2) is within the cap of 21 days"),
    ([14, 365], EXCEEDS, "retention 365 days"),
    (["indefinite", 14], EXCEEDS, "kept indefinitely"),
    (["agency-defined"], CHECK, "the agency sets the retention period"),
    ([None], CHECK, "without a number"),
    ([], NOT_STATED, "the contract does not say; state law caps retention at 21 days"),
])
def test_retention_against_the_cap(values, status, words):
    (verdict,) = judge([finding("retention-period", "info", v) for v in values], {}, profile_with(RETENTION_21))
    assert verdict.status == status and words in verdict.text
    assert verdict.text.endswith("(Test Code § 1, unverified).")


def test_minutes_are_compared_in_the_same_units_as_contracts():
    nh = profile_with({"kind": "retention", "max": "3 minutes"})
    assert judge([finding("retention-period", "info", 0.002)], {}, nh)[0].status == WITHIN
    over = judge([finding("retention-period", "info", 1)], {}, nh)[0]
    assert over.status == EXCEEDS and "exceeds the cap of 3 minutes" in over.text


def test_silence_on_unread_pages_is_not_fully_read():
    (verdict,) = judge([], {"retention-period": "not fully read"}, profile_with(RETENTION_21))
    assert verdict.status == NOT_READ


@pytest.mark.parametrize("findings, status", [
    ([finding("network-sharing", "concern")], CONFLICTS),
    ([finding("immigration-enforcement", "concern")], CONFLICTS),
    ([finding("network-sharing", "safeguard")], CHECK),
    ([finding("network-sharing", "safeguard"), finding("network-sharing", "concern", page=5)], CONFLICTS),
    ([], NOT_STATED),
])
def test_in_state_only_sharing(findings, status):
    (verdict,) = judge(findings, {}, profile_with({"kind": "sharing-in-state-only"}))
    assert verdict.status == status
    if status == CONFLICTS:
        assert "in-state public agencies" in verdict.text


def test_named_states_are_named():
    (verdict,) = judge([finding("network-sharing", "concern")], {},
                       profile_with({"kind": "sharing-named-states", "states": ["ME", "NH"]}))
    assert verdict.status == CONFLICTS and "agencies in ME, NH" in verdict.text


@pytest.mark.parametrize("kind, rule, polarity, status", [
    ("no-sale", "data-sale", "concern", CONFLICTS),
    ("no-sale", "data-sale", "safeguard", WITHIN),
    ("no-immigration-use", "immigration-enforcement", "concern", CONFLICTS),
    ("no-immigration-use", "immigration-enforcement", "safeguard", WITHIN),
    ("attestation-required", "network-sharing", "concern", CONFLICTS),
    ("attestation-required", "health-care-protection", "safeguard", CHECK),
    ("immigration-assistance-limited", "immigration-enforcement", "concern", CHECK),
    ("immigration-assistance-limited", "immigration-enforcement", "safeguard", WITHIN),
    ("no-health-care-investigation", "network-sharing", "concern", CHECK),
    ("no-health-care-investigation", "health-care-protection", "safeguard", WITHIN),
])
def test_sale_immigration_and_attestation(kind, rule, polarity, status):
    (verdict,) = judge([finding(rule, polarity, page=4)], {}, profile_with({"kind": kind}))
    assert (verdict.status, verdict.page) == (status, 4)
    assert "(p. 4)" in verdict.text


# --- the command line -------------------------------------------------------------------------

KEEPS_30_DAYS_AND_SHARES = [
    "Plate reads and associated vehicle images shall be kept on the hosted platform for no more than "
    "thirty (30) days from the time of capture.",
    "Vendor may make Customer Data available to other law enforcement agencies that subscribe to the Vendor "
    "network.",
    "Vendor may sell or license Aggregated Data to third parties.",
]


@pytest.fixture(scope="module")
def contract(tmp_path_factory):
    path = tmp_path_factory.mktemp("law") / "town" / "msa.pdf"
    path.parent.mkdir()
    path.write_bytes(text_pdf([[line for p in KEEPS_30_DAYS_AND_SHARES for line in wrap(p) + [""]]]))
    return path


def test_scan_with_a_profile_adds_json_keys_and_workbook_columns(contract, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "out"
    result = runner.invoke(app, ["scan", str(contract), "--profile", "Maine", "--json", str(out / "f.json"),
                                 "-o", str(out / "c.xlsx"), "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "f.json").read_text())
    assert data["profile"]["state"] == "ME" and data["profile"]["limits"][0]["max_days"] == 21
    (law,) = data["documents"][0]["law"]
    assert law["status"] == EXCEEDS and law["verified"] is False
    assert "retention 30 days (p. 1) exceeds the cap of 21 days (29-A M.R.S. § 2117-A, unverified)" in law["text"]
    assert {"file", "findings", "summary"} <= set(data["documents"][0])   # the stable keys are still there

    wb = load_workbook(out / "c.xlsx")
    header = [c.value for c in wb["Summary"][1]]
    column = header.index("ME law: retention (unverified)") + 1
    assert wb["Summary"].cell(row=3, column=column).value.startswith("exceeds limit: retention 30 days")
    law_sheet = [[c.value for c in row] for row in wb["Law"].iter_rows()]
    assert law_sheet[1][5] == "29-A M.R.S. § 2117-A" and law_sheet[1][6] == "unverified"


def test_scan_without_a_profile_adds_nothing(contract, tmp_path):
    result = runner.invoke(app, ["scan", str(contract), "--json", str(tmp_path / "f.json"), "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "f.json").read_text())
    assert "profile" not in data and "law" not in data["documents"][0]


def test_an_unknown_profile_is_a_usage_error_before_scanning(contract, tmp_path):
    result = runner.invoke(app, ["scan", str(contract), "--profile", "Atlantis", "--json", str(tmp_path / "f.json")])
    assert result.exit_code == UsageError.exit_code == 2
    assert "Error: no state law profile for 'Atlantis'" in result.stderr
    assert not (tmp_path / "f.json").exists()


def test_check_prints_a_state_law_section(contract):
    result = runner.invoke(app, ["check", str(contract), "--profile", "ca"])
    assert result.exit_code == 0, result.output
    section = result.output.split("STATE LAW", 1)[1]
    assert "conflicts [sharing-in-state-only]" in section and "in-state public agencies" in section
    assert "conflicts [no-sale]" in section and "Cal. Civ. Code § 1798.90.55(b), unverified" in section


def test_report_judges_a_findings_file_against_a_profile(contract, tmp_path):
    findings = tmp_path / "f.json"
    assert runner.invoke(app, ["scan", str(contract), "--json", str(findings), "-q"]).exit_code == 0
    memo = tmp_path / "memo.md"
    result = runner.invoke(app, ["report", str(findings), "--format", "md", "-o", str(memo), "--profile", "ut"])
    assert result.exit_code == 0, result.output
    text = memo.read_text()
    assert "### State law" in text and "**within limit** (retention)" in text
    assert "**conflicts** (no-sale)" in text and "## State law: Utah" in text
    assert "marked unverified" in text


def test_report_docx_keeps_the_profile_of_the_scan(contract, tmp_path):
    import docx

    findings = tmp_path / "f.json"
    assert runner.invoke(app, ["scan", str(contract), "--json", str(findings), "--profile", "vt", "-q"]).exit_code == 0
    memo = tmp_path / "memo.docx"
    assert runner.invoke(app, ["report", str(findings), "-o", str(memo)]).exit_code == 0
    text = "\n".join(p.text for p in docx.Document(str(memo)).paragraphs)
    assert "State law: Vermont" in text
    assert "retention 30 days (p. 1) is within the cap of 18 months (23 V.S.A. § 1607(c)(2), unverified)." in text


def test_profiles_command_lists_citations_and_verification():
    result = runner.invoke(app, ["profiles"])
    assert result.exit_code == 0
    assert "nh  New Hampshire" in result.output
    assert "retention 3 minutes  RSA 261:75-b  (unverified, checked 2026-12-06)" in result.output
    ct = result.output.split("ct  Connecticut\n", 1)[1].split("\nma  ", 1)[0].splitlines()
    assert ct == ["    immigration-assistance-limited  Conn. Gen. Stat. § 54-192h, as amended in 2025  "
                  "(unverified, checked 2026-12-06)",
                  "    no-health-care-investigation  Conn. Gen. Stat. § 54-155a, added by P.A. 22-19  "
                  "(unverified, checked 2026-12-06)"]
    assert ("ma  Massachusetts\n    no-health-care-investigation  Mass. Gen. Laws ch. 147, § 63, added by "
            "St. 2022, c. 127, § 20  (unverified") in result.output


def test_rules_list_does_not_show_profiles():
    result = runner.invoke(app, ["rules", "list"])
    assert result.exit_code == 0 and "retention-period" in result.output
    assert not any(code in result.output.split() for code in ("ME", "me", "nh", "Maine"))


# --- Connecticut and Massachusetts, on generated contracts ------------------------------------

SHARES_WITH_ICE = [
    "Vendor may provide Customer Data to U.S. Immigration and Customs Enforcement when it requests the data.",
    "Vendor may make Customer Data available to other law enforcement agencies that subscribe to the Vendor "
    "network.",
]
PROTECTS = [
    "Vendor shall not use or disclose Customer Data for the purpose of civil immigration enforcement.",
    "Vendor may make Customer Data available to other law enforcement agencies that subscribe to the Vendor "
    "network.",
    "No Customer Data shall be disclosed to assist an investigation of any person for seeking, providing or "
    "receiving reproductive or gender-affirming health care that is lawful in this state.",
]


@pytest.fixture(scope="module")
def campaign_contracts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("campaigns")
    for name, paragraphs in (("shares-with-ice.pdf", SHARES_WITH_ICE), ("protects.pdf", PROTECTS)):
        (folder / name).write_bytes(text_pdf([[line for p in paragraphs for line in wrap(p) + [""]]]))
    return folder


def law_by_file(folder: Path, state: str, out: Path) -> dict[str, list[dict]]:
    result = runner.invoke(app, ["scan", str(folder), "--profile", state, "--json", str(out), "-q", "--no-cache"])
    assert result.exit_code == 0, result.output
    return {Path(d["file"]).name: d["law"] for d in json.loads(out.read_text())["documents"]}


def test_connecticut_flags_access_for_immigration_authorities_and_accepts_a_prohibition(campaign_contracts, tmp_path):
    law = law_by_file(campaign_contracts, "ct", tmp_path / "ct.json")
    trust_act, health_care = law["shares-with-ice.pdf"]
    assert (trust_act["kind"], trust_act["status"], trust_act["verified"]) == ("immigration-assistance-limited",
                                                                              CHECK, False)
    assert trust_act["text"].startswith("the contract permits immigration-enforcement access (p. 1); check it")
    assert trust_act["text"].endswith("(Conn. Gen. Stat. § 54-192h, as amended in 2025, unverified).")
    # the contract shares with other agencies and says nothing of health care
    assert (health_care["status"], health_care["page"]) == (CHECK, 1)
    assert "Conn. Gen. Stat. § 54-155a, added by P.A. 22-19, unverified" in health_care["text"]
    assert [v["status"] for v in law["protects.pdf"]] == [WITHIN, WITHIN]


def test_massachusetts_shield_law_accepts_a_bar_on_use_against_health_care(campaign_contracts, tmp_path):
    law = law_by_file(campaign_contracts, "ma", tmp_path / "ma.json")
    (shares,), (protects,) = law["shares-with-ice.pdf"], law["protects.pdf"]
    assert shares["status"] == CHECK and "does not bar its use against health care" in shares["text"]
    assert protects["status"] == WITHIN and "against reproductive or gender-affirming care (p. 1)" in protects["text"]
    assert protects["text"].endswith("(Mass. Gen. Laws ch. 147, § 63, added by St. 2022, c. 127, § 20, unverified).")
