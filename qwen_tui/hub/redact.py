"""Keep secrets out of what we print, log, cache and export: the token and endpoint credentials.

Redaction runs on the full text, before any cut to length: a message that echoes the token after
170 filler characters must not leave a prefix of it behind. Light: no huggingface_hub import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit, urlunsplit

MASK = "***"
# Whatever follows "Bearer" / "Basic" is a credential, whoever echoed it.
_AUTH = re.compile(r"(?i)\b(bearer|basic)(\s+)[^\s\"',;]+")
# A Hugging Face token by its shape (hf_ + 30 or more letters and digits), known to us or not.
_HF_TOKEN = re.compile(r"\bhf_[A-Za-z0-9]{30,}")
# user:password@ in any URL.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]*@")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every known secret, bearer/basic credential, token-shaped string and URL
    user-info replaced by ***."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    text = _AUTH.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    text = _HF_TOKEN.sub(MASK, text)
    return _USERINFO.sub(r"\1", text)


def public_url(url: str) -> str:
    """`url` without user-info (http://user:pw@host -> http://host): the form we store and show."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc.rsplit("@", 1)[1] if "@" in parts.netloc else parts.netloc
        return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        return _USERINFO.sub(r"\1", url)


def url_secrets(url: str) -> tuple[str, ...]:
    """The credentials in `url`'s user-info, raw and percent-decoded, to redact wherever they appear."""
    try:
        parts = urlsplit(url)
        user, password = parts.username, parts.password
    except ValueError:
        return ()
    found = [s for s in (password, user and password and f"{user}:{password}") if s]
    return tuple(dict.fromkeys([*found, *(unquote(s) for s in found)]))
