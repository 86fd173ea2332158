"""The httpx2.Client huggingface_hub uses during a refresh, and the HfApi bound to our endpoint.

huggingface_hub keeps one shared client built by a factory (`set_client_factory`). Ours follows
redirects (a renamed repo answers 307) and sends everything through `RetryTransport` (offline
refusal, one origin, timeouts, retries, size caps). Only huggingface_hub's public API is used.
HF_ENDPOINT and telemetry settings are read by the library once at import, so the endpoint is passed
to HfApi explicitly and telemetry is switched off here, at call time.
"""

from __future__ import annotations

import os
import threading
from urllib.parse import urlsplit

import httpx2
from huggingface_hub import HfApi, constants, set_client_factory
from huggingface_hub.utils import build_hf_headers, close_session

from qwen_tui import __version__
from qwen_tui.hub.redact import public_url, url_secrets
from qwen_tui.hub.settings import SyncSettings
from qwen_tui.hub.transport import RetryTransport
from qwen_tui.text import clean

DEFAULT_ENDPOINT = "https://huggingface.co"


def resolve_endpoint(endpoint: str | None) -> str:
    """The endpoint argument, else HF_ENDPOINT as set now, else the public Hub."""
    from qwen_tui.errors import UsageError

    url = (endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).strip().rstrip("/")
    source = "--endpoint" if endpoint else "HF_ENDPOINT"
    shown = clean(public_url(url), 200)  # never echo credentials from the URL
    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as exc:
        raise UsageError(f"{source}: {shown!r} is not a valid URL ({clean(str(exc), 80)})") from None
    if not ok:
        raise UsageError(f"{source}: {shown!r} is not an http(s):// URL")
    return url


class HubSession:
    """One refresh's view of the Hub: the API object, the listing headers, the shared client."""

    def __init__(self, endpoint: str, token: str | None, settings: SyncSettings,
                 cancel: threading.Event | None = None) -> None:
        self.endpoint = endpoint
        self.settings = settings
        # What must never appear in a message, log line or cache row.
        self.secrets: tuple[str, ...] = ((token,) if token else ()) + url_secrets(endpoint)
        # Without telemetry off, the library's first request fetches /api/agent-harnesses from
        # the public Hub to build a User-Agent; we never send telemetry.
        constants.HF_HUB_DISABLE_TELEMETRY = True
        pool = max(4, settings.workers + 4)

        self.transport: RetryTransport | None = None

        def factory() -> httpx2.Client:
            inner = httpx2.HTTPTransport(
                limits=httpx2.Limits(max_connections=pool, max_keepalive_connections=pool),
                proxy=_env_proxy(endpoint),
            )
            self.transport = RetryTransport(inner, settings, endpoint=endpoint, cancel=cancel)
            return httpx2.Client(
                transport=self.transport,
                follow_redirects=True,
                timeout=httpx2.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            )

        set_client_factory(factory)
        # token=False, not None, when there is none: the library would otherwise read a login
        # token from disk; qwen-tui uses HF_TOKEN only (see docs/sync.md).
        self.api = HfApi(endpoint=endpoint, token=token or False,
                         library_name="qwen-tui", library_version=__version__)
        self.headers = build_hf_headers(token=token or False, library_name="qwen-tui",
                                        library_version=__version__)

    @property
    def requests_made(self) -> int:
        return self.transport.requests if self.transport is not None else 0

    def abort(self) -> None:
        """Cut every connection at once (the refresh deadline passed); workers stop."""
        if self.transport is not None:
            self.transport.abort()
        close_session()

    def close(self) -> None:
        # Drop the pooled keep-alive connections; the factory stays and builds a new client if asked.
        # At the refresh deadline this also closes connections still in use, so a worker stuck on
        # a Hub that drips bytes gets an error on its next read instead of running on.
        close_session()


def _env_proxy(endpoint: str) -> str | None:
    """HTTPS_PROXY / HTTP_PROXY for the endpoint (a custom transport skips httpx's own env lookup)."""
    import urllib.request

    host = urlsplit(endpoint).hostname or ""
    if host and urllib.request.proxy_bypass(host):
        return None
    scheme = urlsplit(endpoint).scheme or "https"
    return urllib.request.getproxies().get(scheme)


def endpoint_host(endpoint: str | None = None) -> str:
    """The host (with its port, if any) a refresh talks to: the endpoint the Hub client resolves
    (--endpoint, else HF_ENDPOINT, else the public Hub). '' when it cannot be told."""
    from urllib.parse import urlsplit

    try:
        return urlsplit(resolve_endpoint(endpoint)).netloc.rpartition("@")[2]
    except Exception:  # noqa: BLE001 - a bad endpoint is reported by the refresh itself
        return ""
