"""Knobs of a refresh: concurrency, timeouts, retries. Plain data, no heavy imports."""

from __future__ import annotations

from dataclasses import dataclass

from qwen_tui.hub.offline import OFFLINE_REFRESH_MESSAGE, offline_mode

__all__ = ["OFFLINE_REFRESH_MESSAGE", "SyncSettings", "offline_mode"]


@dataclass(frozen=True)
class SyncSettings:
    # Threads fetching at once (org listings and model_info calls share the pool). An org's pages
    # come one after another (each page's Link names the next), so the listings can use one thread
    # per org; a few more let model_info calls run alongside. Measured on 2 cores (benchmarks/):
    # 24 beat 16 (orgs queued) and 32 (more GIL contention, no more parallel work).
    workers: int = 24
    # huggingface_hub sets no timeout at all; these apply to every request we make.
    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # the longest silence while waiting for or reading an answer
    # The longest one answer may take to arrive in full: a Hub that drips a byte a second never
    # trips the read timeout, so the body is cut here.
    request_deadline: float = 25.0
    # The whole refresh: what is not fetched by then fails (naming the host) and the rest is saved.
    # `refresh --timeout` and the config key `refresh_timeout` change it.
    deadline: float = 45.0
    # Timeouts or refused connections in a row (all threads together) before the host is given up.
    max_stalls: int = 3
    # The most one answer may hold once decompressed (a listing page of 1,000 repos is ~5 MB).
    max_response_bytes: int = 64 * 2**20
    # Pages of one org's listing (the Hub sends up to 1,000 repos a page); a longer chain is a loop.
    max_pages: int = 200
    # Our retry (429, 5xx, timeouts, dropped connections): attempts after the first one.
    max_retries: int = 4
    backoff_base: float = 1.0  # first wait; doubles each retry (with jitter) ...
    backoff_max: float = 20.0  # ... up to this
    # The longest wait the Hub may ask for (Retry-After / RateLimit) that we sit out; a longer one
    # fails the vendor with a message saying when to try again, instead of hanging the refresh.
    max_server_wait: float = 60.0
    # When the Hub's RateLimit says this few requests are left in its window, pause until it resets.
    rate_reserve: int = 5
    # model_info for catalogued repos (derivative counts, renames, 404s); see docs/sync.md for
    # which repos are asked (changed, vanished, or not checked for `check_max_age_hours`) ...
    check_repos: bool = True
    check_max_age_hours: float = 24.0
    # ... and at most this many model_info calls an hour for the routine ones (first checks and
    # old ones), counted from the checks the cache holds: a refresh within the hour spends the rest.
    checks_per_hour: int = 100
