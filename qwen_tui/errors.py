"""Expected failures. The CLI prints them as one line and exits with their code; no traceback."""

from __future__ import annotations


class QwenTuiError(Exception):
    """An expected failure with a one-line message for the user."""

    exit_code = 1


class UsageError(QwenTuiError):
    """A bad flag, value or file given by the user (exit code 2)."""

    exit_code = 2


class CatalogError(UsageError):
    """A catalog file that cannot be used. The message names file, line, entry and field."""

    def __init__(self, path: str, message: str, *, line: int | None = None,
                 entry: str | None = None, field: str | None = None) -> None:
        self.path, self.line, self.entry, self.field = path, line, entry, field
        where = path if line is None else f"{path}:{line}"
        parts = [where]
        if entry:
            parts.append(entry)
        if field:
            parts.append(f"field '{field}'")
        super().__init__(": ".join(parts) + ": " + message)


class CacheError(QwenTuiError):
    """The cache cannot be read or written (unwritable dir, full disk, corrupt file)."""
