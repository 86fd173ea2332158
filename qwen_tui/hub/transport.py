"""An httpx2 transport that owns timeouts and retries for every Hub request.

Why a transport: huggingface_hub passes `timeout=None` (no limit) and retries 408/429/5xx and
timeouts itself with fixed 1-2-4-8-8 s sleeps on listings, and not at all on model_info. Doing it
here gives one bounded policy for both: our timeouts, our backoff (capped, with jitter), the Hub's
Retry-After / RateLimit honoured, and a shared pause after a 429 so the other threads do not keep
hammering. When we give up we raise `HubUnavailable`, which is not an httpx error, so the library
never sees a retryable status or exception and never adds its own sleeps.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
import httpx2

from qwen_tui.hub.settings import SyncSettings, offline_mode

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_RETRY_EXCEPTIONS = (httpx2.TimeoutException, httpx2.NetworkError, httpx2.RemoteProtocolError)


class HubUnavailable(Exception):
    """The Hub did not answer usefully within our retry budget. The message is one clean line."""


class OfflineRefused(HubUnavailable):
    """A request was attempted while offline mode is on (belt and braces: refresh checks first)."""


def server_wait(response: httpx2.Response) -> float | None:
    """Seconds the Hub asks us to wait: RateLimit (when exhausted) or Retry-After; else None."""
    from huggingface_hub.utils import parse_ratelimit_headers

    if response.status_code == 429:
        info = parse_ratelimit_headers(response.headers)
        if info is not None and info.remaining == 0:
            return float(info.reset_in_seconds)
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:  # the HTTP-date form
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class RetryTransport(httpx2.BaseTransport):
    def __init__(self, inner: httpx2.BaseTransport, settings: SyncSettings, *, allowed_host: str,
                 cancel: threading.Event | None = None) -> None:
        self.inner = inner
        self.settings = settings
        self.allowed_host = allowed_host.lower()
        self.cancel = cancel or threading.Event()
        self._timeout = httpx2.Timeout(settings.read_timeout, connect=settings.connect_timeout).as_dict()
        self._pause_lock = threading.Lock()
        self._resume_at = 0.0  # monotonic time before which nobody sends (after a 429)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        where = request.url.path
        if offline_mode():
            raise OfflineRefused(f"offline mode is on; not requesting {where}")
        # Only the endpoint we were given: a library side-request (telemetry, a redirect to another
        # host) must not leave for somewhere the user did not choose.
        if (request.url.host or "").lower() != self.allowed_host:
            raise HubUnavailable(f"refusing a request to {request.url.host} (endpoint is {self.allowed_host})")
        request.extensions["timeout"] = self._timeout  # the library asks for none
        s = self.settings
        attempt = 0
        while True:
            attempt += 1
            if self.cancel.is_set():
                raise HubUnavailable("refresh cancelled")
            self._wait_for_pause()
            try:
                response = self.inner.handle_request(request)
            except _RETRY_EXCEPTIONS as exc:
                if request.method != "GET" or attempt > s.max_retries:
                    raise HubUnavailable(f"{_describe_exc(exc)} on {where} after {attempt} tries") from None
                self.sleep(self._backoff(attempt))
                continue
            if response.status_code not in RETRY_STATUSES or request.method != "GET":
                return response
            wait = server_wait(response)
            status = response.status_code
            response.read()
            response.close()
            if attempt > s.max_retries:
                raise HubUnavailable(f"HTTP {status} ({_reason(status)}) on {where} after {attempt} tries")
            if wait is not None and wait > s.max_server_wait:
                raise HubUnavailable(f"HTTP {status} ({_reason(status)}) on {where}: the Hub asks to wait "
                                     f"{wait:.0f} s (more than {s.max_server_wait:.0f} s); try again later")
            if wait is None:
                wait = self._backoff(attempt)
            if status == 429:
                self._pause_all(wait)
            self.sleep(wait)

    def close(self) -> None:
        self.inner.close()

    def sleep(self, seconds: float) -> None:
        # An Event wait, not time.sleep: Ctrl-C must not sit out a 20 s backoff in every worker.
        if self.cancel.wait(seconds):
            raise HubUnavailable("refresh cancelled")

    def _backoff(self, attempt: int) -> float:
        s = self.settings
        base = min(s.backoff_max, s.backoff_base * 2 ** (attempt - 1))
        return base * (0.5 + random.random() / 2)  # jitter: threads that failed together spread out

    def _pause_all(self, seconds: float) -> None:
        with self._pause_lock:
            self._resume_at = max(self._resume_at, time.monotonic() + seconds)

    def _wait_for_pause(self) -> None:
        with self._pause_lock:
            left = self._resume_at - time.monotonic()
        if left > 0:
            self.sleep(left)


def _reason(status: int) -> str:
    try:
        return httpx2.codes.get_reason_phrase(status) or "error"
    except Exception:  # noqa: BLE001 - a phrase is decoration only
        return "error"


def _describe_exc(exc: BaseException) -> str:
    if isinstance(exc, httpx2.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, httpx2.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx2.ConnectError):
        return "cannot connect"
    return "connection dropped"
