"""Quantities as contracts write them, in words or digits: durations (in days), sums of money,
number words and web addresses. Neutral ground: the rules' value extractors (rules/values.py),
the contract facts (facts.py), the price tables (extract/tables.py) and the state-law profiles
all read them, and none of those need the others."""
from __future__ import annotations

import re

UNITS = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1, "business day": 1, "week": 7, "month": 30, "year": 365}
ONES = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "a": 1, "an": 1, "single": 1}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fifth": 5, "seventh": 7, "tenth": 10, "fifteenth": 15,
            "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "ninetieth": 90}
_NUMBER_WORD = "|".join(sorted(list(ONES) + list(TENS) + list(ORDINALS) + ["hundred"], key=len, reverse=True))
NUMBER_WORDS = rf"(?:(?:{_NUMBER_WORD})(?:[\s-]+(?:{_NUMBER_WORD}))*)"
DURATION = re.compile(
    rf"\b(?:(?P<words>{NUMBER_WORDS})\s*(?:\(\s*(?P<paren>\d[\d,.]*)(?:st|nd|rd|th)?\s*\))?|(?P<digits>\d[\d,]*(?:\.\d+)?)(?:st|nd|rd|th)?)"
    rf"[\s-]*(?P<unit>business\s+days?|calendar\s+(?:days?|weeks?|months?|years?)|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|mos?|years?|yrs?)\b\.?(?:'s?|’s?)?",
    re.I)
MONEY = re.compile(r"\$\s?(\d[\d,]*(?:\.\d{2})?)(?:\s*(million|thousand))?", re.I)
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+[^\s<>\"')\].,;:]", re.I)


def words_to_number(text: str) -> float | None:
    total, current = 0, 0
    for word in re.split(r"[\s-]+", text.lower().strip()):
        if word in ONES:
            current += ONES[word]
        elif word in TENS:
            current += TENS[word]
        elif word in ORDINALS:
            current += ORDINALS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word:
            return None
    return total + current


def durations(text: str) -> list[tuple[float, str, int, int]]:
    """Every duration in the text as (days, original words, start, end); "thirty (30) days" = 30,
    "72 hours" = 3, "18 months" = 540, "3 minutes" = 0.002."""
    out = []
    for m in DURATION.finditer(text):
        if m.group("paren"):
            number = float(m.group("paren").replace(",", ""))
        elif m.group("digits"):
            number = float(m.group("digits").replace(",", ""))
        else:
            in_words = words_to_number(m.group("words"))
            if in_words is None:
                continue
            number = in_words
        unit = re.sub(r"\s+", " ", m.group("unit").lower()).rstrip("s").replace("calendar ", "")
        unit = {"min": "minute", "hr": "hour", "wk": "week", "mo": "month", "yr": "year"}.get(unit, unit)
        days = number * UNITS[unit]
        out.append((tidy(days), m.group(0).strip(), m.start(), m.end()))
    return out


def tidy(number: float) -> float | int:
    """A whole number as an int, else rounded to 3 decimals."""
    return int(number) if float(number).is_integer() else round(number, 3)


def usd(money: re.Match) -> float | int:
    """The amount of a MONEY match in dollars: "$2 million" is 2000000."""
    amount = float(money.group(1).replace(",", ""))
    return tidy(amount * {"million": 1_000_000, "thousand": 1_000}.get((money.group(2) or "").lower(), 1))
