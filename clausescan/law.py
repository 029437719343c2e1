"""Judge each document against a state law profile: one verdict per statutory limit, from the
findings of the rules the limit names for its roles (profiles.ROLES: retention values in days;
sale, sharing, immigration and health-care findings with their polarity) and their verdicts.

The statutes bind the agency; a contract that lets the vendor keep, share or sell the agency's
data beyond what the agency itself may do is reported as a conflict for the analyst to check."""
from __future__ import annotations

from dataclasses import dataclass

from .judge import NOT_READ as RULE_NOT_READ
from .models import Finding, ScanResult
from .profiles import Limit, Profile, check_rules

EXCEEDS, CONFLICTS, WITHIN, CHECK = "exceeds limit", "conflicts", "within limit", "check"
NOT_STATED, NOT_READ = "not stated in contract", "not fully read"


@dataclass
class LawVerdict:
    kind: str            # the limit's kind: retention, no-sale, sharing-in-state-only...
    status: str          # one of the statuses above
    text: str            # one sentence, with the contract page and the citation
    citation: str
    verified: bool
    page: int | None = None

    def to_json(self) -> dict:
        return {"kind": self.kind, "status": self.status, "text": self.text, "citation": self.citation,
                "verified": self.verified, "page": self.page}


def apply(result: ScanResult, profile: Profile) -> None:
    """Judge every document of a scan with the rules it ran (check_rules: the profile's limits must
    name rules among them) and record the profile on the result."""
    check_rules(profile, result.rules)
    result.profile = profile
    for d in result.documents:
        d.law = judge(d.findings, d.summary, profile) if d.judged else []


def judge(findings: list[Finding], summary: dict[str, str], profile: Profile) -> list[LawVerdict]:
    return [JUDGES[limit.kind](limit, findings, summary) for limit in profile.limits]


def _days(value: float | int) -> str:
    if value < 1:
        minutes = round(value * 1440)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{value:g} day{'s' if value != 1 else ''}"


def _page(page: int | None) -> str:
    return f" (p. {page})" if page else ""


def _verdict(limit: Limit, status: str, text: str, page: int | None = None) -> LawVerdict:
    return LawVerdict(limit.kind, status, f"{text} ({limit.label}).", limit.citation, limit.verified, page)


def _first(findings: list[Finding], rule: str, polarity: str) -> Finding | None:
    return next((f for f in findings if f.rule == rule and f.polarity == polarity), None)


def _silent(limit: Limit, summary: dict[str, str], roles: tuple[str, ...], law_says: str) -> LawVerdict:
    """No finding: say whether the contract is silent or simply could not be read (by the verdicts
    of the rules of these roles)."""
    if any(summary.get(limit.rules[role]) == RULE_NOT_READ for role in roles):
        return _verdict(limit, NOT_READ, f"pages could not be read, so the contract was not fully checked; {law_says}")
    return _verdict(limit, NOT_STATED, f"the contract does not say; {law_says}")


def retention(limit: Limit, findings: list[Finding], summary: dict[str, str]) -> LawVerdict:
    cap = limit.max_days
    assert cap is not None, "a retention limit has a max (profiles.Limit checks it)"
    law_says = f"state law caps retention at {limit.max}"
    found = [f for f in findings if f.rule == limit.rules["retention"]]
    numbers = [(f, f.value) for f in found if isinstance(f.value, (int, float))]
    indefinite = next((f for f in found if f.value == "indefinite"), None)
    if indefinite:
        return _verdict(limit, EXCEEDS, f"the contract lets data be kept indefinitely{_page(indefinite.page)}; "
                        f"{law_says}", indefinite.page)
    if numbers:
        longest, days = max(numbers, key=lambda pair: pair[1])
        if days > cap:
            return _verdict(limit, EXCEEDS, f"retention {_days(days)}{_page(longest.page)} exceeds the "
                            f"cap of {limit.max}", longest.page)
        relation = "equals" if days == cap else "is within"
        return _verdict(limit, WITHIN, f"retention {_days(days)}{_page(longest.page)} {relation} the cap "
                        f"of {limit.max}", longest.page)
    agency = next((f for f in found if f.value == "agency-defined"), None)
    if agency:
        return _verdict(limit, CHECK, f"the agency sets the retention period{_page(agency.page)}; {law_says}",
                        agency.page)
    if found:
        return _verdict(limit, CHECK, f"the contract refers to a retention period without a number"
                        f"{_page(found[0].page)}; {law_says}", found[0].page)
    return _silent(limit, summary, ("retention",), law_says)


def no_sale(limit: Limit, findings: list[Finding], summary: dict[str, str]) -> LawVerdict:
    law_says = "state law forbids selling the data"
    sale = limit.rules["sale"]
    concern, safeguard = _first(findings, sale, "concern"), _first(findings, sale, "safeguard")
    if concern:
        return _verdict(limit, CONFLICTS, f"the contract lets the data be sold or monetized{_page(concern.page)}; "
                        f"{law_says}", concern.page)
    if safeguard:
        return _verdict(limit, WITHIN, f"the contract forbids sale{_page(safeguard.page)}, as state law does",
                        safeguard.page)
    return _silent(limit, summary, ("sale",), law_says)


def _sharing(limit: Limit, findings: list[Finding], summary: dict[str, str], law_says: str) -> LawVerdict:
    concern = _first(findings, limit.rules["sharing"], "concern") or \
        _first(findings, limit.rules["immigration"], "concern")
    if concern:
        return _verdict(limit, CONFLICTS, f"the contract lets the data be shared beyond the agency"
                        f"{_page(concern.page)}; {law_says}", concern.page)
    safeguard = _first(findings, limit.rules["sharing"], "safeguard")
    if safeguard:
        return _verdict(limit, CHECK, f"the contract limits sharing{_page(safeguard.page)}; check that the limit "
                        f"is as narrow as the law: {law_says}", safeguard.page)
    return _silent(limit, summary, ("sharing",), law_says)


def sharing_in_state(limit: Limit, findings: list[Finding], summary: dict[str, str]) -> LawVerdict:
    return _sharing(limit, findings, summary, "state law allows sharing only with in-state public agencies")


def sharing_named_states(limit: Limit, findings: list[Finding], summary: dict[str, str]) -> LawVerdict:
    return _sharing(limit, findings, summary, f"state law allows sharing only with agencies in "
                    f"{', '.join(limit.states)}")


def _immigration(limit: Limit, findings: list[Finding], summary: dict[str, str], access_status: str,
                 law_says: str, agrees: str) -> LawVerdict:
    concern = _first(findings, limit.rules["immigration"], "concern")
    if concern:
        weigh = "" if access_status == CONFLICTS else "check it against the law: "
        return _verdict(limit, access_status, f"the contract permits immigration-enforcement access"
                        f"{_page(concern.page)}; {weigh}{law_says}", concern.page)
    safeguard = _first(findings, limit.rules["immigration"], "safeguard")
    if safeguard:
        return _verdict(limit, WITHIN, f"the contract forbids immigration-enforcement use{_page(safeguard.page)}, "
                        f"{agrees}", safeguard.page)
    return _silent(limit, summary, ("immigration",), law_says)


def no_immigration_use(limit: Limit, findings: list[Finding], summary: dict[str, str]) -> LawVerdict:
    return _immigration(limit, findings, summary, CONFLICTS,
                        "state law forbids use or sharing of the data for immigration enforcement", "as state law does")


def immigration_assistance_limited(limit: Limit, findings: list[Finding], summary: dict[str, str]) -> LawVerdict:
    # Laws such as Connecticut's Trust Act restrict what the agency does for federal immigration
    # authorities (detainers, interviews, custody notices, listed confidential information) without
    # naming plate data, so access that a contract grants is for the analyst to weigh, not a breach.
    return _immigration(limit, findings, summary, CHECK, "state law limits what the agency may do for or "
                        "disclose to federal immigration authorities", "in line with state law")


def _health_care(limit: Limit, findings: list[Finding], summary: dict[str, str], law_says: str,
                 on_safeguard: tuple[str, str], on_sharing: tuple[str, str]) -> LawVerdict:
    """A health-care safeguard decides first, then a sharing concern; each outcome is a status and
    a sentence with {page} and {law} to fill in."""
    for role, polarity, (status, sentence) in (("health-care", "safeguard", on_safeguard),
                                               ("sharing", "concern", on_sharing)):
        found = _first(findings, limit.rules[role], polarity)
        if found:
            return _verdict(limit, status, sentence.format(page=_page(found.page), law=law_says), found.page)
    return _silent(limit, summary, ("sharing", "health-care"), law_says)


def attestation_required(limit: Limit, findings: list[Finding], summary: dict[str, str]) -> LawVerdict:
    return _health_care(
        limit, findings, summary, "state law requires recipients to attest to permitted use before data is shared",
        (CHECK, "the contract limits recipients' use{page}; check that it requires the attestation: {law}"),
        (CONFLICTS, "the contract lets the data be shared{page} without requiring an attestation; {law}"))


def no_health_care_investigation(limit: Limit, findings: list[Finding], summary: dict[str, str]) -> LawVerdict:
    # Shield laws bar the agency's help to other states' (and federal) investigations of care that is
    # lawful in the state; they do not forbid sharing as such, so sharing without that bar is to check.
    return _health_care(
        limit, findings, summary, "state law bars the agency's help to investigations of reproductive or "
        "gender-affirming care that is lawful in the state",
        (WITHIN, "the contract bars use of the data against reproductive or gender-affirming care{page}, in line "
                 "with state law"),
        (CHECK, "the contract lets other agencies reach the data{page} and does not bar its use against health "
                "care; {law}"))


JUDGES = {"retention": retention, "no-sale": no_sale, "sharing-in-state-only": sharing_in_state,
          "sharing-named-states": sharing_named_states, "no-immigration-use": no_immigration_use,
          "attestation-required": attestation_required,
          "immigration-assistance-limited": immigration_assistance_limited,
          "no-health-care-investigation": no_health_care_investigation}
