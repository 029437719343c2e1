"""State law profiles: the statutory limits on ALPR data (retention, sharing, sale) that a state's
contracts are checked against. One YAML file per state in rules/profiles/, named by postal code,
loaded safely (yaml) and validated strictly; errors name the file and the key."""
from __future__ import annotations

import datetime
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from .errors import ProfileError, UsageError
from .rules.loader import PROFILES_DIR, builtin_rules_dir, load_yaml
from .rules.schema import Strict
from .quantities import durations

LimitKind = Literal["retention", "no-sale", "sharing-in-state-only", "sharing-named-states",
                    "no-immigration-use", "attestation-required", "immigration-assistance-limited",
                    "no-health-care-investigation"]
# Each kind of limit, and the roles of the rules it is judged by (law.py): a limit's `rules` names
# the rule for each role, so the verdicts follow whatever rule of that id the scan ran with.
ROLES: dict[LimitKind, tuple[str, ...]] = {
    "retention": ("retention",), "no-sale": ("sale",), "sharing-in-state-only": ("sharing", "immigration"),
    "sharing-named-states": ("sharing", "immigration"), "no-immigration-use": ("immigration",),
    "attestation-required": ("health-care", "sharing"), "immigration-assistance-limited": ("immigration",),
    "no-health-care-investigation": ("health-care", "sharing")}
# The value a rule must give for the role to be judged: a retention limit compares days.
ROLE_VALUES = {"retention": "retention-days"}
POSTAL = r"^[A-Z]{2}$"


class Limit(Strict):
    kind: LimitKind
    rules: dict[str, str]   # role -> rule id, one per role of the kind (ROLES)
    # Retention only: a duration in words ("3 minutes", "21 days", "18 months"), normalised to days
    # by the same code as contract values, so "18 months" in a contract equals an 18-month cap.
    max: str | None = None
    states: list[str] = Field(default_factory=list)   # sharing-named-states only: postal codes
    summary: str = Field(min_length=10)
    exceptions: str | None = None
    citation: str = Field(min_length=3)
    url: str | None = Field(default=None, pattern=r"^https?://")
    checked: datetime.date
    verified: bool
    sources: list[str] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def fields_fit_kind(self):
        if set(self.rules) != set(ROLES[self.kind]):
            raise ValueError(f"'rules' must name the rule for each of {', '.join(ROLES[self.kind])} (kind "
                             f"{self.kind}), as in 'rules: {{{ROLES[self.kind][0]}: RULE-ID}}'")
        if (self.kind == "retention") != (self.max is not None):
            raise ValueError("'max' is required for kind retention and allowed only there")
        if self.max is not None:
            self.max_days   # noqa: B018 - raises ValueError when the duration cannot be read
        if (self.kind == "sharing-named-states") != bool(self.states):
            raise ValueError("'states' is required for kind sharing-named-states and allowed only there")
        bad = [s for s in self.states if not (len(s) == 2 and s.isalpha() and s.isupper())]
        if bad:
            raise ValueError(f"'states' must be two-letter postal codes, not {bad}")
        return self

    @property
    def max_days(self) -> float | int | None:
        if self.max is None:
            return None
        found = durations(self.max)
        if len(found) != 1 or found[0][1] != self.max.strip():
            raise ValueError(f"'max' must be one duration such as '21 days' or '3 minutes', not {self.max!r}")
        return found[0][0]

    @property
    def label(self) -> str:
        return f"{self.citation}{'' if self.verified else ', unverified'}"

    def to_json(self) -> dict:
        return {"kind": self.kind, "rules": self.rules, "max": self.max, "max_days": self.max_days, "states": self.states,
                "summary": " ".join(self.summary.split()), "exceptions": self.exceptions,
                "citation": self.citation, "url": self.url, "checked": self.checked.isoformat(),
                "verified": self.verified, "sources": self.sources}


class Profile(Strict):
    state: str = Field(pattern=POSTAL)
    name: str
    limits: list[Limit] = Field(min_length=1)
    source: str = ""   # the file it came from, filled in by the loader

    def to_json(self) -> dict:
        return {"state": self.state, "name": self.name, "limits": [limit.to_json() for limit in self.limits]}


def check_rules(profile: Profile, rules) -> None:
    """Refuse a profile whose limits name a rule the scan did not run, or one that gives other
    values than the limit compares (a retention rule overridden to give no days)."""
    by_id = {rule.id: rule for rule in rules}
    problems = []
    for number, limit in enumerate(profile.limits):
        for role, rule_id in limit.rules.items():
            where = f"{profile.source or profile.state}: limits.{number}.rules.{role}"
            if rule_id not in by_id:
                problems.append(f"{where}: no rule {rule_id!r} among the rules used")
            elif ROLE_VALUES.get(role, by_id[rule_id].value) != by_id[rule_id].value:
                problems.append(f"{where}: rule {rule_id!r} gives {by_id[rule_id].value or 'no'} values, not the "
                                f"{ROLE_VALUES[role]} a {limit.kind} limit compares")
    if problems:
        raise ProfileError(problems)


def profiles_dir() -> Path:
    return builtin_rules_dir() / PROFILES_DIR


def load_profile_file(path: Path) -> Profile:
    path = Path(path)
    problems: list[str] = []
    data = load_yaml(path, problems)
    if problems:
        raise ProfileError(problems)
    if not isinstance(data, dict):
        raise ProfileError([f"{path}: must be a mapping with state, name and limits"])
    try:
        profile = Profile.model_validate({**data, "source": str(path)})
    except ValidationError as exc:
        raise ProfileError([f"{path}: {'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}"
                            for err in exc.errors()]) from exc
    if profile.state.lower() != path.stem:
        raise ProfileError([f"{path}: state: {profile.state!r} does not match the file name; "
                            f"name the file {profile.state.lower()}.yaml"])
    return profile


def available(directory: Path | None = None) -> list[Profile]:
    """Every shipped profile, by postal code."""
    return [load_profile_file(p) for p in sorted((directory or profiles_dir()).glob("*.yaml"))]


def load_profile(state: str, directory: Path | None = None) -> Profile:
    """A profile by postal code or full state name, in any case ("me", "ME", "Maine", "new-hampshire")."""
    wanted = " ".join(state.replace("-", " ").replace("_", " ").split()).lower()
    by_code = (directory or profiles_dir()) / f"{wanted}.yaml"
    if by_code.is_file():   # a postal code: read that file only, so another broken profile does not matter
        return load_profile_file(by_code)
    profiles = available(directory)
    for profile in profiles:
        if wanted in (profile.state.lower(), profile.name.lower()):
            return profile
    choices = ", ".join(f"{p.state.lower()} ({p.name})" for p in profiles)
    raise UsageError(f"no state law profile for {state!r}; use one of: {choices}.")
