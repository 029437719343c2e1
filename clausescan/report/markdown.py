"""Contract text in Markdown: it comes from untrusted documents, so none of its characters may
become emphasis, a link, a table cell, a heading or HTML, and it stays on one line."""
from __future__ import annotations

import re


def escape(text) -> str:
    return re.sub(r"([\\`*_~\[\]<>|#])", r"\\\1", " ".join(str(text).split()))
