"""What the background jobs tell the app: typed messages (post_message is thread-safe).

The jobs turn what they get from `sync` and `diff` into these plain fields at the seam, so the
app's handlers read attributes that exist, never `getattr(x, "field", default)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

from qwen_tui.query import Dataset

if TYPE_CHECKING:  # diff imports the store (sqlite3): not before the first frame
    from qwen_tui.diff import Change


@dataclass
class RefreshProgress(Message):
    orgs_done: int
    orgs_total: int
    repos_seen: int

    def can_replace(self, message: Message) -> bool:
        # A flood of progress updates: only the newest one matters.
        return isinstance(message, RefreshProgress)


@dataclass
class Refreshed(Message):
    """A refresh ended and wrote what it could; `dataset` is the cache read again."""

    dataset: Dataset
    repos_seen: int
    new: int
    changed: int
    failed: dict[str, str] = field(default_factory=dict)  # vendor id -> one-line reason
    warning: str = ""  # the cache had to be moved aside or could not be opened
    vendors_ok: int = 0  # vendors whose Hub facts were fetched
    host: str = ""  # the Hub endpoint's host (and port), for "cannot reach <host>"


@dataclass
class RefreshFailed(Message):
    """A refresh stopped before writing anything; `reason` is one line for the user."""

    reason: str
    host: str = ""


@dataclass
class ChangesReady(Message):
    title: str
    changes: list[Change]
    enough_snapshots: bool = True  # False: `title` says why there is nothing to compare
