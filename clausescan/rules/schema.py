"""The rule file format, validated on load: unknown keys, missing fields and bad values are
errors that name the file, the rule and the key."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .values import VALUE_EXTRACTORS

Polarity = Literal["concern", "safeguard", "info"]
OptionalPolarity = Literal["concern", "safeguard", "info", "none"]
Actor = Literal["vendor", "agency", "private", "either", "unknown"]
VALUE_KINDS = tuple(VALUE_EXTRACTORS)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Pattern(Strict):
    name: str
    # What an affirmed trigger means; "none" for a pattern that is a finding only when negated
    polarity: OptionalPolarity
    # What a negated trigger ("shall not sell") means; "none" drops the finding.
    negated: OptionalPolarity = "none"
    # What an affirmed trigger limited by consent or purpose ("only with prior written consent",
    # "solely to provide the Services") means; unset keeps `polarity`.
    restricted: OptionalPolarity | None = None
    # What an affirmed trigger limited in time ("for the duration of the Term only", "ends when
    # this Agreement ends") means; unset keeps `polarity`.
    time_limited: OptionalPolarity | None = None
    # What an affirmed trigger offered only as an option ("available as an optional feature",
    # "if the Customer enables it") means: a protection the customer may not have is a concern.
    optional: OptionalPolarity | None = None
    # A concern that lets the rule's protection be switched off ("an administrator may disable
    # audit logging") or takes it back ("audit logs are the Vendor's confidential information"):
    # the rule's safeguards in the same paragraph are not reported, since the paragraph makes
    # them optional or empty.
    switches_off: bool = False
    # An extra finding for a negated trigger whose exception carves data back out
    # ("shall not sell Agency Data, except Aggregated Data").
    carve_out: OptionalPolarity | None = None
    trigger: list[str] = Field(min_length=1)
    # Term sets that must all occur in the sentence (each a list of phrases or "@lexicon-name").
    with_: list[list[str] | str] = Field(default_factory=list, alias="with")
    # Term sets of which none may occur in the sentence.
    without: list[str] = Field(default_factory=list)
    # Who must be acting: the nearest party named before the trigger in its clause.
    actor: list[Actor] | None = None
    near: int | None = Field(default=None, ge=1, le=80)
    definitions: bool = False


class MatchExample(Strict):
    text: str
    polarity: Polarity
    value: float | int | str | None = None
    only: bool = False   # and no finding of another polarity: "a notice before disclosing" grants no disclosure
    note: str | None = None


class NoMatchExample(Strict):
    text: str
    note: str | None = None


class TodoExample(Strict):
    """A known miss, kept as data: the right answer (a polarity, or "none" for no finding) that the
    rule does not give yet. The suite runs it as an expected failure, so the list stays true."""
    text: str
    polarity: OptionalPolarity
    value: float | int | str | None = None
    note: str = Field(min_length=10)   # what is missed, and why it is hard


class Examples(Strict):
    match: list[MatchExample] = Field(min_length=1)
    no_match: list[NoMatchExample] = Field(min_length=1)
    todo: list[TodoExample] = Field(default_factory=list)

    @field_validator("no_match", mode="before")
    @classmethod
    def as_objects(cls, items):
        """A no_match example may be written as its text alone."""
        return [{"text": i} if isinstance(i, str) else i for i in items] if isinstance(items, list) else items


class Titles(Strict):
    """The heading over a finding of each polarity, worded the way the clause cuts ("No sale of the
    data" over a clause forbidding sale); a polarity without one falls back to the rule's title."""
    concern: str | None = Field(default=None, min_length=5)
    safeguard: str | None = Field(default=None, min_length=5)


class MemoLines(Strict):
    """The rule's lines in the memo's executive summary (report/memo.py), "5 of 9 towns have <phrase>":
    for the towns without its safeguard (a rule with safeguard_expected; else a line made from its
    title) and for the towns with its concern. Only the rules with a concern line head the summary
    with their concerns."""
    no_safeguard: str | None = Field(default=None, min_length=10)
    concern: str | None = Field(default=None, min_length=10)


class Rule(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str
    titles: Titles = Field(default_factory=Titles)
    category: str
    severity: Literal["high", "medium", "low", "info"]
    why: str = Field(min_length=20)
    # Silence is reported as "missing safeguard" for rules a careful agency would insist on.
    safeguard_expected: bool = False
    memo: MemoLines = Field(default_factory=MemoLines)
    value: Literal[VALUE_KINDS] | None = None  # type: ignore[valid-type]
    # The comparison's summary cell lists the values found ("30 days, indefinite"), not the verdict.
    summary_values: bool = False
    patterns: list[Pattern] = Field(min_length=1)
    examples: Examples
    source: str = ""  # the file it came from, filled in by the loader

    def title_for(self, polarity: str) -> str:
        """The heading over a finding of this polarity, and over a missing safeguard ("safeguard")."""
        return getattr(self.titles, polarity, None) or self.title

    @model_validator(mode="after")
    def unique_pattern_names(self):
        names = [p.name for p in self.patterns]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ValueError(f"pattern names repeat: {sorted(dupes)}")
        return self
