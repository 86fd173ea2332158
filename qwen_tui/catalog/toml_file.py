"""Typed, error-naming access to one catalog TOML file and its tables.

Validation is strict because every fact the app shows must be sourced: an unknown key is more
likely a typo that would silently drop a fact than an extension. Every error names the file, the
line (where it can be found), the entry and the field.
"""

from __future__ import annotations

import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from qwen_tui.errors import CatalogError
from qwen_tui.model import SOURCE_KINDS, PartialDate, Source
from qwen_tui.text import UNSAFE

URL_RE = re.compile(r"^https?://[^\s]+$")
SOURCE_KEYS = {"url", "kind", "title"}
# A catalog file is a few hundred KB at most; a bigger one is a mistake, not a catalog.
MAX_FILE_BYTES = 4 * 1024 * 1024


class TomlFile:
    """One TOML file being validated: knows its path and text, to point errors at a line."""

    def __init__(self, path: Path, label: str) -> None:
        self.path = path
        self.label = label
        try:
            # stat first: a FIFO or device named *.toml would block or never end.
            if not stat.S_ISREG(path.stat().st_mode):
                raise CatalogError(label, "cannot read: not a regular file")
            with open(path, "rb") as fh:
                raw = fh.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CatalogError(label, f"cannot read: {exc.strerror or exc}") from None
        if len(raw) > MAX_FILE_BYTES:
            raise CatalogError(label, f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        try:
            self.text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CatalogError(label, f"not UTF-8 (byte {exc.start})") from None
        self.data = load_toml_text(self.text, label)

    def line_of(self, entry_id: object, table: str | None = None) -> int | None:
        """The line where `id = "<entry_id>"` stands, or the first `[table]` header."""
        if isinstance(entry_id, str):
            pat = re.compile(r'^\s*id\s*=\s*["\']' + re.escape(entry_id) + r'["\']', re.M)
            m = pat.search(self.text)
            if m:
                return self.text.count("\n", 0, m.start()) + 1
        if table:
            m = re.search(r"^\s*\[+\s*" + re.escape(table) + r"\s*\]+", self.text, re.M)
            if m:
                return self.text.count("\n", 0, m.start()) + 1
        return None

    def error(self, message: str, *, entry_id: object = None, kind: str = "", index: int = 0,
              field: str | None = None, table: str | None = None) -> CatalogError:
        if isinstance(entry_id, str) and entry_id:
            entry = f"{kind} '{entry_id}'"
        elif kind:
            entry = f"{kind} #{index + 1}"
        else:
            entry = None
        return CatalogError(self.label, message, line=self.line_of(entry_id, table),
                            entry=entry, field=field)


class Entry:
    """Typed field access on one table, raising errors that name file, entry and field."""

    def __init__(self, f: TomlFile, table: Any, kind: str, index: int, keys: set[str],
                 required: set[str], table_name: str) -> None:
        self.f, self.kind, self.index, self.table_name = f, kind, index, table_name
        if not isinstance(table, dict):
            raise f.error(f"must be a table, not {type(table).__name__}", kind=kind, index=index,
                          table=table_name)
        self.t = table
        self.id = table.get("id")
        for key in table:
            if key not in keys:
                raise self.err(f"unknown key (allowed: {', '.join(sorted(keys))})", key)
        for key in sorted(required):
            if key not in table:
                raise self.err("missing required field", key)

    def err(self, message: str, field: str | None = None) -> CatalogError:
        return self.f.error(message, entry_id=self.id, kind=self.kind, index=self.index,
                            field=field, table=self.table_name)

    def string(self, key: str, default: str = "", *, pattern: re.Pattern[str] | None = None,
            what: str = "") -> str:
        value = self.t.get(key, default)
        if not isinstance(value, str):
            raise self.err(f"must be a string, not {type(value).__name__}", key)
        check_inert(self, key, value)
        if key in self.t and not value.strip() and key in ("id", "name", "url", "generation"):
            raise self.err("must not be empty", key)
        if pattern is not None and key in self.t and not pattern.match(value):
            raise self.err(f"{value!r} is not {what or 'valid'}", key)
        return value

    def optional_url(self, key: str) -> str:
        """An optional field that, when given, must be an http(s) URL."""
        value = self.string(key)
        if value and not URL_RE.match(value):
            raise self.err(f"{value!r} is not an http(s) URL", key)
        return value

    def choice(self, key: str, choices: tuple[str, ...]) -> str:
        value = self.string(key)
        if value not in choices:
            raise self.err(f"{value!r} is not one of: {', '.join(choices)}", key)
        return value

    def flag(self, key: str) -> bool:
        value = self.t.get(key)
        if not isinstance(value, bool):
            raise self.err(f"must be true or false, not {type(value).__name__}", key)
        return value

    def count(self, key: str) -> int | None:
        if key not in self.t:
            return None
        value = self.t[key]
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise self.err("must be a positive integer", key)
        return value

    def str_list(self, key: str, *, pattern: re.Pattern[str] | None = None, what: str = "",
                 choices: tuple[str, ...] | None = None) -> tuple[str, ...]:
        value = self.t.get(key, [])
        if not isinstance(value, list):
            raise self.err(f"must be a list of strings, not {type(value).__name__}", key)
        out: list[str] = []
        seen: set[str] = set()
        for item in value:
            if not isinstance(item, str) or not item:
                raise self.err(f"must be a list of non-empty strings (found {item!r})", key)
            if pattern is not None and not pattern.match(item):
                raise self.err(f"{item!r} is not {what}", key)
            if choices is not None and item not in choices:
                raise self.err(f"{item!r} is not one of: {', '.join(choices)}", key)
            check_inert(self, key, item)
            if item in seen:
                raise self.err(f"{item!r} is listed twice", key)
            seen.add(item)
            out.append(item)
        return tuple(out)

    def sources(self, key: str = "sources", *, required: bool = True) -> tuple[Source, ...]:
        value = self.t.get(key, [])
        if not isinstance(value, list):
            raise self.err("must be a list of { url = ..., kind = ... } tables", key)
        if required and not value:
            raise self.err("needs at least one source", key)
        out = []
        for item in value:
            if not isinstance(item, dict):
                raise self.err(f"each source must be {{ url = ..., kind = ... }}, found {item!r}", key)
            unknown = set(item) - SOURCE_KEYS
            if unknown:
                raise self.err(f"unknown source key {sorted(unknown)[0]!r}", key)
            url, kind, title = item.get("url"), item.get("kind"), item.get("title", "")
            if not isinstance(url, str) or not URL_RE.match(url):
                raise self.err(f"source url {url!r} is not an http(s) URL", key)
            if kind not in SOURCE_KINDS:
                raise self.err(f"source kind {kind!r} is not one of: {', '.join(SOURCE_KINDS)}", key)
            if not isinstance(title, str):
                raise self.err("source title must be a string", key)
            check_inert(self, key, url)
            check_inert(self, key, title)
            out.append(Source(url=url, kind=kind, title=title))
        return tuple(out)


MAX_FIELD = 2000


def check_inert(e: Entry, key: str, value: str) -> None:
    # Escape sequences, control characters and bidi overrides have no place in catalog text: a
    # file that holds one is rejected, so nothing a terminal would interpret can reach the screen.
    m = UNSAFE.search(value)
    if m:
        raise e.err(f"contains control character U+{ord(m.group()):04X}", key)
    if len(value) > MAX_FIELD:
        raise e.err(f"is {len(value)} characters long (at most {MAX_FIELD})", key)


def load_toml_text(text: str, label: str) -> dict[str, Any]:
    """Parse TOML, turning every way it can fail into one CatalogError naming the file."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        line = None
        m = re.search(r"at line (\d+)", msg)
        if m:
            line = int(m.group(1))
            msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        raise CatalogError(label, f"invalid TOML: {msg}", line=line) from None
    except RecursionError:
        # tomllib recurses once per nested array or inline table.
        raise CatalogError(label, "invalid TOML: nested too deeply") from None


def date_field(e: Entry, key: str, value: str) -> PartialDate:
    try:
        return PartialDate.parse(value)
    except ValueError as exc:
        raise e.err(f"bad date: {exc}", key) from None
