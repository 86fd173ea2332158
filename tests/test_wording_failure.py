"""The one line a failed refresh gets (present/wording.py): host, reason, what is shown instead."""

from __future__ import annotations

import calendar
import time

import pytest

from qwen_tui.evidence import Snapshot
from qwen_tui.present.wording import network_reason, refresh_failure, short_reason, utc_minute


@pytest.mark.parametrize("text, reason", [
    ("cannot connect on /api/models?author=qwen after 5 tries", "cannot connect"),
    ("[Errno 111] Connection refused", "connection refused"),
    ("connection timed out on /api/models after 5 tries", "timed out"),
    ("[Errno -3] Temporary failure in name resolution", "host not found"),
    ("[Errno -2] Name or service not known", "host not found"),
    ("HTTP 503 (Service Unavailable) on /api/models after 5 tries", "HTTP 503"),
    ("403 Client Error: Forbidden for url: http://x/api/models", "HTTP 403"),
    ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed", "TLS certificate rejected"),
])
def test_network_reasons_in_the_users_words(text, reason):
    assert network_reason(text) == reason == short_reason(text)


def test_other_failures_are_not_called_network_ones():
    text = "cache /home/u/.cache/qwen-tui/cache.db is busy: another qwen-tui is writing it, try again"
    assert network_reason(text) is None
    assert short_reason(text) == text[:39] + "…"


def test_the_line_names_host_reason_and_the_data_shown():
    snap = Snapshot(id=3, started_at="2026-04-03T09:59:00Z", finished_at="2026-04-03T10:00:00Z",
                    endpoint="https://huggingface.co")
    now = calendar.timegm(time.strptime("2026-04-03T13:00:00Z", "%Y-%m-%dT%H:%M:%SZ"))
    assert refresh_failure("huggingface.co", "connection refused", snap, now) == \
        "cannot reach huggingface.co (connection refused) — showing Hub data from 2026-04-03 10:00 UTC"
    assert refresh_failure("huggingface.co", "connection refused", snap, now, short=True) == \
        "cannot reach huggingface.co (connection refused) — Hub data 3 h old"
    assert refresh_failure("hub.example.org", "HTTP 503", None) == \
        "hub.example.org refused the refresh (HTTP 503) — showing the catalog only"
    assert refresh_failure("", "cache is busy", None, short=True) == "refresh failed (cache is busy) — catalog only"
    assert utc_minute("2026-04-03") == "2026-04-03"


def test_the_age_of_a_stamp_is_read_as_utc_and_a_bad_stamp_has_none():
    from qwen_tui.present.wording import data_age
    from qwen_tui.query import seconds_since

    now = calendar.timegm((2026, 4, 3, 13, 0, 0))
    assert seconds_since("2026-04-03T10:00:00Z", now) == 3 * 3600
    assert seconds_since("2026-4-3T9:0:0Z", now) == 4 * 3600  # one-digit fields, as strptime took them
    assert seconds_since("2026-04-04T00:00:00Z", now) == 0  # (a clock behind the stamp: never negative)
    for bad in ("2026-02-30T00:00:00Z", "2026-04-03T25:00:00Z", "2026-04-03 10:00:00Z", "2026-04-03T10:00:00",
                "yesterday", ""):
        assert seconds_since(bad, now) is None, bad
    snap = Snapshot(id=1, started_at="", finished_at="2026-04-03T10:00:00Z", endpoint="")
    assert data_age(snap, now) == "Hub data 3 h old"
    assert data_age(Snapshot(id=1, started_at="", finished_at="soon", endpoint=""), now) == "Hub data from soon"
