"""Make text from outside (Hub ids, card data, license names, user files) inert.

Every string that did not come from our own code goes through `clean()` before it is stored or shown:
escape sequences (CSI, OSC — OSC 52 included — DCS, ...), C0 and C1 controls and bidi overrides are
removed (see `UNSAFE`), and the length is capped. Rich markup needs no removal: views render with `rich.text.Text`
(or `markup=False`), which never interprets brackets; `clean()` keeps the brackets as text.
"""

from __future__ import annotations

import re

MAX_TEXT = 300  # a displayed field longer than this is cut with an ellipsis

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC (ESC ] ... BEL or ST), and
# two-character escapes. The 8-bit C1 forms (CSI = U+009B, OSC = U+009D ...) are handled the same way.
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?                 # CSI
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)  # OSC, DCS, SOS, PM, APC
  | \x1b[ -/]*[0-~]?                                  # other ESC sequences (and a lone ESC)
    """,
    re.VERBOSE | re.DOTALL,
)
# THE rule for characters that never reach the screen (clean() removes them; the catalog loader
# rejects files that hold one): C0 controls (keep none: tab and newline are
# folded to spaces), DEL, C1 controls, the bidirectional formatting characters that can reorder what
# the user reads (Trojan Source), and the invisible ones that let one id pose as another
# (`01-ai/Yi-34B` + a zero-width space): zero-width space/joiners and marks U+200B-U+200F, the line
# and paragraph separators U+2028/U+2029, and the BOM / zero-width no-break space U+FEFF.
UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ufeff\ufff9-\ufffb]"
)


def clean(value: object, max_len: int = MAX_TEXT) -> str:
    """Return `value` as one line of inert plain text, at most `max_len` characters."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= max_len and text.isascii() and text.isprintable():
        return text  # most text: nothing to remove (printable ASCII holds no control or escape)
    if len(text) > max_len * 4:
        # Bound the regex work on megabyte strings; what is cut is never shown anyway.
        text = text[: max_len * 4]
    text = _ESCAPES.sub("", text)
    text = text.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    text = UNSAFE.sub("", text)
    # Lone surrogates (from invalid UTF-8 decoded with surrogateescape) cannot be encoded: replace.
    text = text.encode("utf-8", "replace").decode("utf-8")
    if len(text) > max_len:
        text = text[: max_len - 1] + "…"
    return text


def visible(text: str) -> str:
    """`text` with every control/bidi character written as an escape (\\x1b, \\u202e): for
    messages that must show the user exactly which bad character a file or flag held."""
    return UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
