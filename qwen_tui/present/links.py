"""A URL on screen is a short label (its site, and a title when there is one), linked to the URL.

A long URL wrapped inside a pane breaks mid-word ("…/alibaba/qwen3.6" / "-plus.toml") and can be
neither read nor clicked. The label is words, which wrap like words; the link (`Style(link=...)`,
OSC 8) makes it open the URL in terminals that support hyperlinks, and the others ignore it.
`y` in the explorer copies the full URL.

Text only, never markup: a URL or title from outside stays inert (callers `clean()` first).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from rich.style import Style
from rich.text import Text

URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")


def site(url: str) -> str:
    """'https://www.example.org/a/b' -> 'example.org'; the URL itself when it has no host."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    return host.removeprefix("www.") or url


def url_label(url: str, title: str = "", style: str = "") -> Text:
    """'qwen.ai · Qwen3.6 blog', linked to `url`."""
    label = site(url) + (f" · {title}" if title else "")
    return Text(label, style=Style.parse(style or "none") + Style(link=url))


def linkify(text: str, style: str = "") -> Text:
    """`text` with every URL in it replaced by its label (linked)."""
    out = Text(style=style)
    pos = 0
    for m in URL.finditer(text):
        url = m.group(0).rstrip(".,;:")
        out.append(text[pos:m.start()])
        out.append_text(url_label(url))
        pos = m.start() + len(url)
    out.append(text[pos:])
    return out
