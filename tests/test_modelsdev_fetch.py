"""models.dev fetch: real httpx against a loopback server this test starts and stops."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from qwen_tui.modelsdev.fetch import (
    URL_ENV,
    Failed,
    Fetched,
    FetchSettings,
    NotModified,
    fetch_models_json,
    summary,
)
from qwen_tui.modelsdev.parse import parse_models_json
from tests.modelsdev_server import ModelsDevServer, gzip_bomb

FIXTURE = Path(__file__).parent / "data" / "modelsdev" / "models.json"
FAST = FetchSettings(connect_timeout=2, read_timeout=2, backoff_base=0.01, backoff_max=0.05)


@pytest.fixture
def server():
    with ModelsDevServer(FIXTURE.read_bytes(), etag='"fixture-1"') as srv:
        yield srv


def test_fetch_returns_the_body_and_etag(server: ModelsDevServer) -> None:
    result = fetch_models_json(url=server.url, settings=FAST)
    assert isinstance(result, Fetched)
    assert result.body == FIXTURE.read_bytes()
    assert result.etag == '"fixture-1"'
    assert result.fetched_at.endswith("Z")
    assert len(parse_models_json(result.body).entries) == 42


def test_etag_round_trip_second_fetch_is_304(server: ModelsDevServer) -> None:
    first = fetch_models_json(url=server.url, settings=FAST)
    assert isinstance(first, Fetched)
    second = fetch_models_json(url=server.url, etag=first.etag, settings=FAST)
    assert isinstance(second, NotModified)
    assert second.etag == '"fixture-1"'
    assert server.requests[1]["if-none-match"] == '"fixture-1"'
    assert "if-none-match" not in server.requests[0]
    # A changed file is fetched again, with its new ETag.
    server.body, server.etag = b'{"openai/gpt-5": {"name": "GPT-5"}}', '"fixture-2"'
    third = fetch_models_json(url=server.url, etag=first.etag, settings=FAST)
    assert isinstance(third, Fetched) and third.etag == '"fixture-2"'
    assert [e.key for e in parse_models_json(third.body).entries] == ["openai/gpt-5"]


def test_url_comes_from_the_environment(server: ModelsDevServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(URL_ENV, server.url)
    assert isinstance(fetch_models_json(settings=FAST), Fetched)
    assert len(server.requests) == 1


def test_gzip_body_is_decoded(server: ModelsDevServer) -> None:
    server.gzip = True
    result = fetch_models_json(url=server.url, settings=FAST)
    assert isinstance(result, Fetched) and result.body == FIXTURE.read_bytes()


def test_offline_never_opens_a_socket(server: ModelsDevServer, monkeypatch: pytest.MonkeyPatch) -> None:
    connects: list[object] = []
    real_connect = socket.socket.connect

    def spy(self: socket.socket, address: object) -> None:
        connects.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = fetch_models_json(url=server.url, settings=FAST)
    assert isinstance(result, Failed) and result.reason.startswith("offline")
    assert connects == [] and server.requests == []
    # The spy does see a connection once offline is lifted: it is watching the right call.
    monkeypatch.delenv("HF_HUB_OFFLINE")
    assert isinstance(fetch_models_json(url=server.url, settings=FAST), Fetched)
    assert connects


def test_50mb_body_without_content_length_is_cut_off_at_the_cap(server: ModelsDevServer) -> None:
    server.body = b"[" + b"0," * 25_000_000 + b"0]"  # 50 MB, streamed, ends at connection close
    server.content_length = -1
    result = fetch_models_json(url=server.url, settings=FAST)  # the default 16 MB cap
    assert isinstance(result, Failed)
    assert "over 16,777,216 bytes" in result.reason and "\n" not in result.reason


def test_declared_50mb_body_fails_before_reading(server: ModelsDevServer) -> None:
    server.body = b"{}" * 1000
    server.content_length = 50 * 1024 * 1024  # what it claims; the default cap is 16 MB
    result = fetch_models_json(url=server.url, settings=FAST)
    assert isinstance(result, Failed) and "over 16,777,216 bytes" in result.reason


def test_gzip_bomb_is_cut_off_at_the_decoded_cap(server: ModelsDevServer) -> None:
    server.gzip_stream = gzip_bomb(256 * 1024 * 1024)  # ~250 KB on the wire, 256 MB inflated
    started = time.monotonic()
    result = fetch_models_json(url=server.url, settings=FetchSettings(max_bytes=2 << 20))
    assert isinstance(result, Failed) and "over 2,097,152 bytes" in result.reason
    assert time.monotonic() - started < 10


def test_bad_compression_fails_with_one_line(server: ModelsDevServer) -> None:
    server.gzip_stream = iter([b"\x1f\x8b\x08\x00not gzip at all" * 10])
    result = fetch_models_json(url=server.url, settings=FAST)
    assert isinstance(result, Failed) and "bad compression" in result.reason


def test_retries_429_and_5xx_then_succeeds(server: ModelsDevServer) -> None:
    server.faults = [(503, ""), (429, "0"), (502, "")]
    waits: list[float] = []
    result = fetch_models_json(url=server.url, settings=FAST, sleep=waits.append)
    assert isinstance(result, Fetched)
    assert len(server.requests) == 4
    assert waits[1] == 0.0  # the server's Retry-After
    assert all(0 < w <= FAST.backoff_max for w in (waits[0], waits[2]))


def test_gives_up_after_max_retries(server: ModelsDevServer) -> None:
    server.faults = [(503, "")] * 10
    result = fetch_models_json(url=server.url, settings=FAST, sleep=lambda s: None)
    assert isinstance(result, Failed)
    assert result.reason == f"HTTP 503 from {server.url} (gave up after 4 tries)"
    assert len(server.requests) == 4


def test_long_retry_after_fails_instead_of_hanging(server: ModelsDevServer) -> None:
    server.faults = [(429, "3600")]
    result = fetch_models_json(url=server.url, settings=FAST, sleep=lambda s: pytest.fail("slept"))
    assert isinstance(result, Failed) and "asks to wait 3600s" in result.reason
    assert len(server.requests) == 1


def test_timeout_is_retried_then_reported(server: ModelsDevServer) -> None:
    server.delay = 1.0
    settings = FetchSettings(read_timeout=0.2, max_retries=1, backoff_base=0.01, backoff_max=0.01)
    result = fetch_models_json(url=server.url, settings=settings)
    assert isinstance(result, Failed)
    assert result.reason.startswith("timed out fetching") and "gave up after 2 tries" in result.reason


def test_404_is_not_retried(server: ModelsDevServer) -> None:
    result = fetch_models_json(url=server.url.replace("models.json", "nope.json"), settings=FAST)
    assert isinstance(result, Failed) and result.reason.startswith("HTTP 404")
    assert len(server.requests) == 1


def test_refused_connection_fails_with_one_line() -> None:
    with socket.socket() as s:  # a port nobody listens on: bound, never listening
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/models.json"
        result = fetch_models_json(url=url, settings=FetchSettings(max_retries=1, backoff_base=0.01))
    assert isinstance(result, Failed)
    assert "connection to" in result.reason and "\n" not in result.reason


def test_non_http_url_is_refused_without_a_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(URL_ENV, "file:///etc/passwd")
    result = fetch_models_json(settings=FAST)
    assert isinstance(result, Failed) and URL_ENV in result.reason


def test_summary_lines_per_outcome(server: ModelsDevServer) -> None:
    first = fetch_models_json(url=server.url, settings=FAST)
    assert summary(first, 42) == "models.dev: fetched: 42 entries"
    assert summary(first, 40, 2) == "models.dev: fetched: 40 entries, 2 invalid dropped"
    assert summary(fetch_models_json(url=server.url, etag='"fixture-1"', settings=FAST)) == "models.dev: not modified"
    server.faults = [(500, "")] * 9
    failed = fetch_models_json(url=server.url, settings=FetchSettings(max_retries=0))
    assert summary(failed) == f"models.dev: failed (HTTP 500 from {server.url} (gave up after 1 try))"


def test_hostile_body_over_the_wire_fails_alone_or_drops_entries(server: ModelsDevServer) -> None:
    from qwen_tui.modelsdev.parse import ModelsDevError

    server.body = b'{"openai/x": {"name": "ok"}, "openai/y": {"name": "\\u001b]52;c;cGF5bG9hZA==\\u0007"}}'
    parsed = parse_models_json(fetch_models_json(url=server.url, settings=FAST).body)
    assert [e.key for e in parsed.entries] == ["openai/x"] and parsed.dropped_total == 1
    server.body, server.etag = b"<html>Cloudflare error</html>", '"err"'
    result = fetch_models_json(url=server.url, settings=FAST)
    with pytest.raises(ModelsDevError, match="not valid JSON"):
        parse_models_json(result.body)
