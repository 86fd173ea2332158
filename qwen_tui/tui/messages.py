"""Messages the workers post to the app (from worker threads: post_message is thread-safe)."""

from __future__ import annotations

from typing import Any

from textual.message import Message

from qwen_tui.query import Dataset


class RefreshProgress(Message):
    def __init__(self, progress: Any) -> None:
        super().__init__()
        self.progress = progress

    def can_replace(self, message: Message) -> bool:
        # A flood of progress updates: only the newest one matters.
        return isinstance(message, RefreshProgress)


class Refreshed(Message):
    def __init__(self, report: Any, dataset: Dataset, warning: str = "") -> None:
        super().__init__()
        self.report, self.dataset, self.warning = report, dataset, warning


class ChangesReady(Message):
    def __init__(self, title: str, changes: list) -> None:
        super().__init__()
        self.title, self.changes = title, changes
