"""Fetch models.dev's models.json with httpx: revalidated, bounded, retried, offline-safe.

* `If-None-Match` with the ETag of the stored snapshot: an unchanged file answers 304 and costs
  one small request (`NotModified`).
* The body is streamed and cut off once its *decoded* size passes `max_bytes`, so neither a 50 MB
  body nor a gzip bomb is ever held whole; a Content-Length over the cap fails before reading.
* 429, 5xx, timeouts and dropped connections are retried with capped, jittered exponential
  backoff (a server's Retry-After is honoured up to `max_server_wait`).
* Under `HF_HUB_OFFLINE` / `--offline` (`hub.settings.offline_mode()`) no client is created and no
  socket is opened.
Every outcome is a value, never an exception: `Fetched`, `NotModified` or `Failed(reason)`, where
the reason is one clean line for the refresh summary.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from qwen_tui.hub.settings import offline_mode
from qwen_tui.text import clean

DEFAULT_URL = "https://models.dev/models.json"
URL_ENV = "QWEN_TUI_MODELS_DEV_URL"


@dataclass(frozen=True)
class FetchSettings:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    # models.json is ~0.5 MB today (231 entries); 16 MB leaves room to grow 30x and no more.
    max_bytes: int = 16 * 1024 * 1024
    max_retries: int = 3  # attempts after the first
    backoff_base: float = 1.0  # first wait, doubled each retry, with jitter ...
    backoff_max: float = 20.0  # ... up to this
    max_server_wait: float = 60.0  # the longest Retry-After we sit out


@dataclass(frozen=True)
class Fetched:
    body: bytes
    etag: str  # "" when the server sent none (or one we would not store)
    fetched_at: str  # ISO 8601 UTC
    url: str


@dataclass(frozen=True)
class NotModified:
    etag: str
    fetched_at: str
    url: str


@dataclass(frozen=True)
class Failed:
    reason: str  # one line, clean
    url: str = ""


FetchResult = Fetched | NotModified | Failed


def models_dev_url() -> str:
    return os.environ.get(URL_ENV, "").strip() or DEFAULT_URL


def fetch_models_json(*, etag: str = "", url: str | None = None,
                      settings: FetchSettings = FetchSettings(),
                      sleep: Callable[[float], None] = time.sleep) -> FetchResult:
    """GET models.json once (with retries). `etag` is the stored snapshot's, or ""."""
    url = url or models_dev_url()
    shown = clean(url, 120)
    if offline_mode():
        return Failed("offline: models.dev not fetched", shown)
    if not url.lower().startswith(("http://", "https://")):
        return Failed(f"{URL_ENV} is not an http(s) URL: {shown}", shown)
    headers = {"Accept": "application/json", "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5) as client:
            return _with_retries(client, url, shown, headers, etag, settings, sleep)
    except httpx.InvalidURL as exc:
        return Failed(f"bad models.dev URL {shown}: {clean(exc, 80)}", shown)


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason, self.wait = reason, wait


def _with_retries(client: httpx.Client, url: str, shown: str, headers: dict[str, str],
                  etag: str, settings: FetchSettings, sleep: Callable[[float], None]) -> FetchResult:
    attempt = 0
    while True:
        try:
            return _once(client, url, shown, headers, etag, settings)
        except _Retry as retry:
            if attempt >= settings.max_retries:
                tries = f"{attempt + 1} tries" if attempt else "1 try"
                return Failed(f"{retry.reason} (gave up after {tries})", shown)
            if retry.wait is not None and retry.wait > settings.max_server_wait:
                return Failed(f"{retry.reason}; the server asks to wait {retry.wait:.0f}s", shown)
            sleep(_backoff(attempt, settings) if retry.wait is None else retry.wait)
            attempt += 1


def _backoff(attempt: int, settings: FetchSettings) -> float:
    cap = min(settings.backoff_max, settings.backoff_base * 2 ** attempt)
    return cap / 2 + random.uniform(0, cap / 2)  # "equal jitter": never zero, never over cap


def _once(client: httpx.Client, url: str, shown: str, headers: dict[str, str], etag: str,
          settings: FetchSettings) -> FetchResult:
    try:
        with client.stream("GET", url, headers=headers) as resp:
            now = _now()
            if resp.status_code == 304:
                if not etag:
                    return Failed("304 Not Modified to a request without an ETag", shown)
                return NotModified(_etag(resp) or etag, now, shown)
            if resp.status_code == 429 or resp.status_code >= 500:
                raise _Retry(f"HTTP {resp.status_code} from {shown}", _retry_after(resp))
            if resp.status_code != 200:
                return Failed(f"HTTP {resp.status_code} from {shown}", shown)
            body = _read_capped(resp, settings.max_bytes)
            if body is None:
                return Failed(f"models.json from {shown} is over {settings.max_bytes:,} bytes", shown)
            return Fetched(body, _etag(resp), now, shown)
    except httpx.TimeoutException:
        raise _Retry(f"timed out fetching {shown}") from None
    except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
        raise _Retry(f"connection to {shown} failed ({type(exc).__name__})") from None
    except httpx.DecodingError:
        return Failed(f"models.json from {shown} is not decodable (bad compression)", shown)
    except httpx.TooManyRedirects:
        return Failed(f"too many redirects from {shown}", shown)


def _read_capped(resp: httpx.Response, limit: int) -> bytes | None:
    declared = resp.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        return None  # compressed or not, what it declares already passes the cap
    chunks, size = [], 0
    for chunk in resp.iter_bytes():  # decoded: the cap applies to what a gzip body inflates to
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _etag(resp: httpx.Response) -> str:
    raw = resp.headers.get("ETag", "")
    # Stored and sent back verbatim: only a short, printable one.
    return raw if raw and len(raw) <= 200 and clean(raw, 200) == raw else ""


def _retry_after(resp: httpx.Response) -> float | None:
    raw = resp.headers.get("Retry-After", "").strip()
    try:
        return max(0.0, float(raw)) if raw else None
    except ValueError:
        return None  # an HTTP-date: fall back to our own backoff


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def summary(result: FetchResult, kept: int | None = None, dropped: int = 0) -> str:
    """The refresh summary's line for this source: fetched / not modified / failed and why."""
    if isinstance(result, Fetched):
        counts = "" if kept is None else f": {kept} entries" + (f", {dropped} invalid dropped" if dropped else "")
        return f"models.dev: fetched{counts}"
    if isinstance(result, NotModified):
        return "models.dev: not modified"
    return f"models.dev: failed ({result.reason})"
