"""A loopback stand-in for https://models.dev/models.json, for tests and benchmarks.

Serves one body at `/models.json` with an ETag and answers `If-None-Match` with 304, as the real
site (a static asset behind a CDN) does. Knobs: gzip the body, leave out Content-Length (the body
then ends when the connection closes), declare a Content-Length of its own, answer the first
requests with given statuses (and a Retry-After), delay every answer. Every request's headers are
kept in `requests`.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ModelsDevServer:
    def __init__(self, body: bytes = b"{}", etag: str = '"v1"') -> None:
        self.body = body
        self.etag = etag
        self.gzip = False
        self.gzip_stream: Iterator[bytes] | None = None  # pre-compressed chunks (a gzip bomb)
        self.content_length: int | None = None  # None: the body's own; -1: send none
        self.faults: list[tuple[int, str]] = []  # (status, Retry-After or "") answered first
        self.delay = 0.0
        self.requests: list[dict[str, str]] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/models.json"

    def start(self) -> ModelsDevServer:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                outer.requests.append({k.lower(): v for k, v in self.headers.items()})
                if outer.delay:
                    time.sleep(outer.delay)
                if self.path.split("?", 1)[0] != "/models.json":
                    self._send(404, b"not found")
                    return
                if outer.faults:
                    status, retry_after = outer.faults.pop(0)
                    self._send(status, b"busy", {"Retry-After": retry_after} if retry_after else {})
                    return
                if outer.etag and self.headers.get("If-None-Match") == outer.etag:
                    self._send(304, b"", {"ETag": outer.etag})
                    return
                headers = {"Content-Type": "application/json"}
                if outer.etag:
                    headers["ETag"] = outer.etag
                if outer.gzip_stream is not None:
                    headers["Content-Encoding"] = "gzip"
                    self._send_stream(200, outer.gzip_stream, headers)
                    return
                body = outer.body
                if outer.gzip:
                    body = gzip.compress(body)
                    headers["Content-Encoding"] = "gzip"
                self._send(200, body, headers)

            def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                if outer.content_length != -1 or status != 200:
                    length = outer.content_length if (outer.content_length or 0) > 0 and status == 200 else len(body)
                    self.send_header("Content-Length", str(length))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if status != 304:
                    self._write(iter([body[i:i + 65536] for i in range(0, len(body), 65536)]))

            def _send_stream(self, status: int, chunks: Iterator[bytes], headers: dict[str, str]) -> None:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Connection", "close")
                self.close_connection = True
                self.end_headers()
                self._write(chunks)

            def _write(self, chunks: Iterator[bytes]) -> None:
                try:
                    for chunk in chunks:
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up: what a capped reader does

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        # A client that timed out and hung up is a case under test, not an error to print.
        self._httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> ModelsDevServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def gzip_bomb(decoded_bytes: int, chunk: int = 1 << 20) -> Iterator[bytes]:
    """A gzip stream that inflates to `decoded_bytes` of zeros, made chunk by chunk (~1000:1)."""
    import zlib

    comp = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip framing
    zeros = bytes(chunk)
    for _ in range(decoded_bytes // chunk):
        out = comp.compress(zeros)
        if out:
            yield out
    yield comp.flush()
