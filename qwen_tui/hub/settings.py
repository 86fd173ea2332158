"""Knobs of a refresh: concurrency, timeouts, retries. Plain data, no heavy imports."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class SyncSettings:
    # Threads fetching at once (org listings and model_info calls share the pool). An org's pages
    # come one after another (each page's Link names the next), so the listings can use one thread
    # per org; a few more let model_info calls run alongside. Measured on 2 cores (benchmarks/):
    # 24 beat 16 (orgs queued) and 32 (more GIL contention, no more parallel work).
    workers: int = 24
    # huggingface_hub sets no timeout at all; these apply to every request we make.
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    # Our retry (429, 5xx, timeouts, dropped connections): attempts after the first one.
    max_retries: int = 4
    backoff_base: float = 1.0  # first wait; doubles each retry (with jitter) ...
    backoff_max: float = 20.0  # ... up to this
    # The longest wait the Hub may ask for (Retry-After / RateLimit) that we sit out; a longer one
    # fails the vendor with a message saying when to try again, instead of hanging the refresh.
    max_server_wait: float = 60.0
    # model_info for each catalogued repo (derivative counts, renames, 404s).
    check_repos: bool = True


# What a refresh says when offline mode stops it: the CLI, `sync.refresh` and the explorer say this.
OFFLINE_REFRESH_MESSAGE = ("cannot refresh in offline mode (--offline, HF_HUB_OFFLINE=1 or TRANSFORMERS_OFFLINE=1); "
                           "the cached data is shown as it is")


def offline_mode() -> bool:
    """THE offline rule: HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE as set now (huggingface_hub reads
    them once, at import, so a flag set later would be missed by the library's own check)."""
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        if os.environ.get(name, "").strip().upper() in ("1", "ON", "YES", "TRUE"):
            return True
    return False
