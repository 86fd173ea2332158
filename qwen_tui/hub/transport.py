"""An httpx2 transport that owns timeouts, retries, size caps and the rate budget of every Hub request.

Why a transport: huggingface_hub passes `timeout=None` (no limit) and retries 408/429/5xx and
timeouts itself with fixed 1-2-4-8-8 s sleeps on listings, and not at all on model_info. Doing it
here gives one bounded policy for both: our timeouts, our backoff (capped, with jitter), the Hub's
Retry-After / RateLimit honoured, and a shared pause after a 429 so the other threads do not keep
hammering. When we give up we raise `HubUnavailable`, which is not an httpx error, so the library
never sees a retryable status or exception and never adds its own sleeps.

What else it guards (docs/sync.md, "A hostile or dead Hub"):
* one origin: a request (a Link to follow, a redirect) to any other scheme, host or port than the
  endpoint's is refused, so the token is never sent elsewhere;
* size: the body is read here, decompressed by us with a cap (a gzip bomb stops at the cap);
* time: an answer that trickles in is cut at `request_deadline`; after `max_stalls` timeouts or
  refused connections in a row the host is given up on and no more requests are scheduled to it;
* rate: the Hub's RateLimit header is read on every answer; when few requests are left in its
  window every thread pauses until the window resets, instead of collecting 429s.
"""

from __future__ import annotations

import contextlib
import email.utils
import random
import socket
import threading
import time
import weakref
import zlib

import httpx2

from qwen_tui.hub.settings import SyncSettings, offline_mode

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_RETRY_EXCEPTIONS = (httpx2.TimeoutException, httpx2.NetworkError, httpx2.RemoteProtocolError)
_STALLS = (httpx2.TimeoutException, httpx2.ConnectError)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Headers that describe the body as sent; the body we hand on is decoded and complete.
_BODY_HEADERS = frozenset({b"content-encoding", b"content-length", b"transfer-encoding"})


class HubUnavailable(Exception):
    """The Hub did not answer usefully within our retry budget. The message is one clean line."""


class OfflineRefused(HubUnavailable):
    """A request was attempted while offline mode is on (belt and braces: refresh checks first)."""


class _TooSlow(Exception):
    """An answer still arriving at the request deadline (a Hub dripping bytes)."""


def origin(url: httpx2.URL) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in: what 'same origin' compares."""
    scheme = url.scheme.lower()
    return scheme, (url.host or "").lower(), url.port or _DEFAULT_PORTS.get(scheme)


def origin_text(o: tuple[str, str, int | None]) -> str:
    scheme, host, port = o
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" + ("" if port == _DEFAULT_PORTS.get(scheme) else f":{port}")


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
    def __init__(self, inner: httpx2.BaseTransport, settings: SyncSettings, *, endpoint: str,
                 cancel: threading.Event | None = None) -> None:
        self.inner = inner
        self.settings = settings
        self.origin = origin(httpx2.URL(endpoint))
        self.host = origin_text(self.origin).split("://", 1)[1]
        self.cancel = cancel or threading.Event()
        self._timeout = httpx2.Timeout(settings.read_timeout, connect=settings.connect_timeout).as_dict()
        self._lock = threading.Lock()
        self._resume_at = 0.0  # monotonic time before which nobody sends (after a 429 / low budget)
        self._stalls = 0  # timeouts and refused connections in a row, all threads together
        self._last_stall = ""
        self._budget_gone = ""  # set when the Hub's rate window is spent for longer than we wait
        self.requests = 0  # requests sent (retries included): the refresh summary reports it
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()  # every connection opened

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        where = request.url.path
        if offline_mode():
            raise OfflineRefused(f"offline mode is on; not requesting {where}")
        # Only the endpoint's own origin (scheme, host and port): a Link to follow or a redirect to
        # anywhere else would carry the token there, and an https -> http step would expose it.
        there = origin(request.url)
        if there != self.origin:
            raise HubUnavailable(f"refusing a request to {origin_text(there)} "
                                 f"(not the endpoint's origin, {origin_text(self.origin)})")
        request.extensions["timeout"] = self._timeout  # the library asks for none
        request.extensions["trace"] = self._trace  # to know our sockets (see abort)
        request.headers["Accept-Encoding"] = "gzip, deflate"  # the encodings we decode with a cap
        s = self.settings
        attempt = 0
        while True:
            attempt += 1
            if self.cancel.is_set():
                raise HubUnavailable("refresh cancelled")
            self._wait_for_pause()
            self._check_host()
            with self._lock:
                self.requests += 1
            try:
                response = self.inner.handle_request(request)
                if response.status_code not in RETRY_STATUSES or request.method != "GET":
                    response = self._read_capped(request, response)
            except (_TooSlow, *_RETRY_EXCEPTIONS) as exc:
                why = _describe_exc(exc, s.request_deadline)
                if isinstance(exc, (_TooSlow, *_STALLS)):
                    self._stalled(why)
                if request.method != "GET" or attempt > s.max_retries:
                    raise HubUnavailable(f"{self._reach(why)} on {where} after {attempt} tries") from None
                self.sleep(self._backoff(attempt))
                continue
            with self._lock:
                self._stalls = 0
            self._note_rate_budget(response)
            if response.status_code not in RETRY_STATUSES or request.method != "GET":
                return response
            wait = server_wait(response)
            status = response.status_code
            response.read()
            response.close()
            if attempt > s.max_retries:
                raise HubUnavailable(f"HTTP {status} ({_reason(status)}) from {self.host} on {where} "
                                     f"after {attempt} tries")
            if wait is not None and wait > s.max_server_wait:
                raise HubUnavailable(f"HTTP {status} ({_reason(status)}) from {self.host} on {where}: the Hub "
                                     f"asks to wait {wait:.0f} s (more than {s.max_server_wait:.0f} s); "
                                     "try again later")
            if wait is None:
                wait = self._backoff(attempt)
            if status == 429:
                self._pause_all(wait)
            self.sleep(wait)

    def close(self) -> None:
        self.inner.close()

    def abort(self) -> None:
        """End every connection now, in use or not (the refresh deadline passed).

        A worker blocked reading a Hub that drips one byte a second never reaches a read timeout,
        and closing a socket from another thread does not wake it; shutting the socket down does:
        its read fails at once and, the cancel event being set, it stops."""
        self.cancel.set()
        for sock in list(self._sockets):
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)

    def _trace(self, event: str, info: dict) -> None:
        # httpx's public "trace" request extension: httpcore reports each new connection here.
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if isinstance(sock, socket.socket):
                self._sockets.add(sock)

    def sleep(self, seconds: float) -> None:
        # An Event wait, not time.sleep: Ctrl-C must not sit out a 20 s backoff in every worker.
        if self.cancel.wait(seconds):
            raise HubUnavailable("refresh cancelled")

    # -- the body ---------------------------------------------------------------------------------

    def _read_capped(self, request: httpx2.Request, response: httpx2.Response) -> httpx2.Response:
        """The whole body, decoded by us: at most `max_response_bytes`, by `request_deadline`."""
        cap = self.settings.max_response_bytes
        deadline = time.monotonic() + self.settings.request_deadline
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            decoder = zlib.decompressobj()
        elif encoding in ("identity", ""):
            decoder = None
        else:
            response.close()
            raise HubUnavailable(f"{self.host} answered in an encoding we did not ask for ({encoding[:20]})")
        body = bytearray()
        raw = 0
        try:
            for chunk in response.stream:  # type: ignore[union-attr]  # a sync client's stream
                raw += len(chunk)
                if decoder is None:
                    body += chunk
                else:
                    # At most cap + 1 bytes out, whatever the ratio: a bomb stops at the cap.
                    body += decoder.decompress(chunk, cap + 1 - len(body))
                if len(body) > cap or raw > cap:
                    raise HubUnavailable(f"answer from {self.host} on {request.url.path} is larger than "
                                         f"{cap // 2**20} MB (decompressed); not read further")
                if time.monotonic() > deadline:
                    raise _TooSlow()
            if decoder is not None:
                body += decoder.flush(cap + 1 - len(body))
                if len(body) > cap:
                    raise HubUnavailable(f"answer from {self.host} on {request.url.path} is larger than "
                                         f"{cap // 2**20} MB (decompressed); not read further")
        except zlib.error:
            raise HubUnavailable(f"{self.host} sent a body that does not decompress ({encoding})") from None
        finally:
            response.close()
        headers = [(k, v) for k, v in response.headers.raw if k.lower() not in _BODY_HEADERS]
        return httpx2.Response(response.status_code, headers=headers, content=bytes(body),
                               request=request, extensions=response.extensions)

    # -- a host that does not answer --------------------------------------------------------------

    def _stalled(self, why: str) -> None:
        with self._lock:
            self._stalls += 1
            self._last_stall = why

    def _check_host(self) -> None:
        with self._lock:
            stalls, why, gone = self._stalls, self._last_stall, self._budget_gone
        if stalls >= self.settings.max_stalls:
            raise HubUnavailable(f"{self._reach(why)}; gave up on it after {stalls} failures in a row")
        if gone:
            raise HubUnavailable(gone)

    def _reach(self, why: str) -> str:
        return f"cannot reach {self.host} ({why})"

    # -- the rate budget --------------------------------------------------------------------------

    def _note_rate_budget(self, response: httpx2.Response) -> None:
        """Pause every thread when the Hub's RateLimit says the window is nearly spent."""
        from huggingface_hub.utils import parse_ratelimit_headers

        info = parse_ratelimit_headers(response.headers)
        if info is None or info.remaining > self.settings.rate_reserve or response.status_code == 429:
            return
        wait = float(info.reset_in_seconds)
        if wait > self.settings.max_server_wait:
            with self._lock:
                self._budget_gone = (f"{self.host}'s rate budget is spent ({info.remaining} requests left, "
                                     f"resets in {wait:.0f} s); try again later")
            return
        self._pause_all(wait)

    def _pause_all(self, seconds: float) -> None:
        with self._lock:
            self._resume_at = max(self._resume_at, time.monotonic() + seconds)

    def _wait_for_pause(self) -> None:
        with self._lock:
            left = self._resume_at - time.monotonic()
        if left > 0:
            self.sleep(left)

    def _backoff(self, attempt: int) -> float:
        s = self.settings
        base = min(s.backoff_max, s.backoff_base * 2 ** (attempt - 1))
        return base * (0.5 + random.random() / 2)  # jitter: threads that failed together spread out


def _reason(status: int) -> str:
    try:
        return httpx2.codes.get_reason_phrase(status) or "error"
    except Exception:  # noqa: BLE001 - a phrase is decoration only
        return "error"


def _describe_exc(exc: BaseException, deadline: float) -> str:
    if isinstance(exc, _TooSlow):
        return f"answer still arriving after {deadline:.0f} s"
    if isinstance(exc, httpx2.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, httpx2.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx2.ConnectError):
        return "connection refused" if "refused" in str(exc).lower() else "cannot connect"
    return "connection dropped"
