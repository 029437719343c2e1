"""Contract text in Markdown: it comes from untrusted documents, so none of its characters may
become emphasis, a link, a table cell, a heading or HTML, and it stays on one line."""
from __future__ import annotations

import re

# Besides markup, GitHub-flavoured Markdown links bare addresses ("https://x", "www.x", "a@b.org"):
# a backslash before the ":" of "://", the "." of "www." and every "@" leaves them plain text.
_BARE_LINK = re.compile(r":(?=//)|(?<=www)\.|@", re.I)


def escape(text) -> str:
    text = re.sub(r"([\\`*_~\[\]<>|#])", r"\\\1", " ".join(str(text).split()))
    return _BARE_LINK.sub(lambda m: "\\" + m.group(0), text)
