"""A small fake of the Hugging Face Hub's model API, served on 127.0.0.1 for tests and benchmarks.

It answers what qwen-tui asks, the way the real Hub answers (shapes learned from the recordings in
../shared/hub-recordings beside the repo):

* `GET /api/models?author=ORG&expand=...[&cursor=N]` — the org's repos, `page_size` a page, with
  `Link: <absolute url>; rel="next"` while more remain. With `expand`, each item holds `_id`, `id`
  and only the expanded fields; an unknown expand value, or expand combined with full/cardData, is
  a 400 like the real one.
* `GET /api/models/ORG/NAME?expand=...` — one repo; a renamed repo answers 307 with a relative
  `Location: /api/models/NEW`; a missing one 404 with `X-Error-Code: RepoNotFound`.
* Faults per target (`list:ORG` or `model:ORG/NAME`): any status with headers (429 with
  `RateLimit`, 503, 401 GatedRepo, a `Link` or `Location` elsewhere, `Content-Encoding: gzip` ...),
  a delay, a malformed body, an answer dripped a byte at a time; for the first N requests or
  for ever.

Cheap per request so a benchmark measures the client: each org is indexed once and every page is
serialised once (per expand set) and then served from memory until the data changes.
It runs in a thread (tests: mutate it between refreshes) or in its own process (benchmarks: the
server's CPU does not compete with the client's for the GIL).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

PLACEHOLDER_CREATED_AT = "2022-03-02T23:29:04.000Z"

# What `expand` accepts on /api/models (list). baseModels, childrenModelCount and usedStorage are
# model_info-only, as on the real Hub.
LIST_EXPANDABLE = {
    "author", "cardData", "config", "createdAt", "disabled", "downloads", "downloadsAllTime",
    "gated", "gguf", "inference", "inferenceProviderMapping", "lastModified", "library_name",
    "likes", "mask_token", "model-index", "pipeline_tag", "private", "resourceGroup",
    "safetensors", "sha", "siblings", "spaces", "tags", "transformersInfo", "trendingScore",
    "widgetData", "evalResults",
}
INFO_EXPANDABLE = LIST_EXPANDABLE | {"baseModels", "childrenModelCount", "usedStorage"}
# The fields an item has when no expand is given (the Hub's short listing).
DEFAULT_LIST_FIELDS = ("id", "likes", "downloads", "tags", "pipeline_tag", "library_name",
                       "createdAt", "private", "modelId")


def make_model(repo_id: str, *, created_at: str = "2024-05-01T10:00:00.000Z",
               last_modified: str = "2024-06-01T10:00:00.000Z", downloads: int = 1000,
               downloads_all_time: int = 5000, likes: int = 10, gated: str | bool = False,
               license: str = "apache-2.0", license_name: str | None = None,
               params: int | None = 7_000_000_000, base_model: str | None = None,
               children: int = 0, pipeline_tag: str = "text-generation",
               library_name: str = "transformers", extra_tags: tuple[str, ...] = (),
               private: bool = False, disabled: bool = False) -> dict[str, Any]:
    """One repo as the Hub's JSON describes it (all fields; the server projects what is asked)."""
    org = repo_id.split("/", 1)[0]
    tags = [library_name, "safetensors", pipeline_tag, "conversational", "en", *extra_tags]
    card: dict[str, Any] = {"language": ["en"], "license": license, "pipeline_tag": pipeline_tag,
                            "tags": list(extra_tags)}
    if base_model:
        tags += [f"base_model:{base_model}", f"base_model:finetune:{base_model}"]
        card["base_model"] = base_model
    if license_name:
        card["license_name"] = license_name
    tags += [f"license:{license}", "autotrain_compatible", "endpoints_compatible", "region:us"]
    item: dict[str, Any] = {
        "_id": f"{abs(hash(repo_id)) % 16**24:024x}",
        "id": repo_id,
        "modelId": repo_id,
        "author": org,
        "sha": f"{abs(hash(repo_id + 'sha')) % 16**40:040x}",
        "createdAt": created_at,
        "lastModified": last_modified,
        "private": private,
        "disabled": disabled,
        "gated": gated,
        "downloads": downloads,
        "downloadsAllTime": downloads_all_time,
        "likes": likes,
        "tags": tags,
        "pipeline_tag": pipeline_tag,
        "library_name": library_name,
        "cardData": card,
        "childrenModelCount": children,
        "baseModels": ({"relation": "finetune", "models": [{"id": base_model}]} if base_model else None),
        "usedStorage": 15_000_000_000,
    }
    if params is not None:
        item["safetensors"] = {"parameters": {"BF16": params}, "total": params}
    return item


@dataclass
class Fault:
    """How one target misbehaves. `times` None: for ever; else only the next `times` requests."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    delay: float = 0.0
    times: int | None = None
    drip: float = 0.0  # > 0: send the whole answer (status line included) one byte every `drip` s
    drip_body_only: bool = False  # with drip: the status line and headers at once, then the body


@dataclass
class Seen:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]  # names lower-cased

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class FakeHub:
    """The data and behaviour of the fake Hub. Mutate it freely; pages are re-serialised on change."""

    def __init__(self, *, page_size: int = 100, delay: float = 0.0) -> None:
        self.page_size = page_size
        self.delay = delay  # added to every response (network latency)
        self.models: dict[str, dict[str, Any]] = {}  # lower-cased id -> item
        self.renames: dict[str, str] = {}  # lower-cased old id -> new id
        self.faults: dict[str, Fault] = {}
        self.requests: list[Seen] = []
        self.record = True
        self._lock = threading.Lock()
        self._version = 0
        self._pages: dict[tuple, tuple[int, list[bytes]]] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._process: Any = None
        self.url = ""

    # -- data --------------------------------------------------------------------------------

    def add(self, repo_id: str, **kwargs: Any) -> dict[str, Any]:
        item = make_model(repo_id, **kwargs)
        self.put(item)
        return item

    def put(self, item: dict[str, Any]) -> None:
        with self._lock:
            self.models[item["id"].lower()] = item
            self._version += 1

    def update(self, repo_id: str, **fields: Any) -> None:
        """Change raw JSON fields of a repo (e.g. gated="manual", downloads=...)."""
        with self._lock:
            self.models[repo_id.lower()].update(fields)
            self._version += 1

    def set_license(self, repo_id: str, license: str, license_name: str | None = None) -> None:
        with self._lock:
            item = self.models[repo_id.lower()]
            item["tags"] = [t for t in item["tags"] if not t.startswith("license:")] + [f"license:{license}"]
            card = {k: v for k, v in item["cardData"].items() if k != "license_name"}
            card["license"] = license
            if license_name:
                card["license_name"] = license_name
            item["cardData"] = card
            self._version += 1

    def remove(self, repo_id: str) -> None:
        with self._lock:
            del self.models[repo_id.lower()]
            self._version += 1

    def rename(self, old_id: str, new_id: str) -> None:
        """Move a repo: the old id answers 307 to the new one, the listing shows the new id."""
        with self._lock:
            item = dict(self.models.pop(old_id.lower()))
            item["id"] = item["modelId"] = new_id
            self.models[new_id.lower()] = item
            self.renames[old_id.lower()] = new_id
            self._version += 1

    def fault(self, target: str, **kwargs: Any) -> Fault:
        """Make `list:ORG` or `model:ORG/NAME` misbehave (see Fault)."""
        f = Fault(**kwargs)
        with self._lock:
            self.faults[target.lower()] = f
        return f

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def seen(self, prefix: str = "") -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if r.path.startswith(prefix)]

    # -- serving -----------------------------------------------------------------------------

    def _take_fault(self, target: str) -> Fault | None:
        with self._lock:
            f = self.faults.get(target.lower())
            if f is None:
                return None
            if f.times is not None:
                if f.times <= 0:
                    return None
                f.times -= 1
            return f

    def _list_pages(self, author: str, expand: tuple[str, ...]) -> list[bytes]:
        key = (author.lower(), expand)
        with self._lock:
            cached = self._pages.get(key)
            if cached and cached[0] == self._version:
                return cached[1]
            version = self._version
            items = [m for k, m in self.models.items() if k.split("/", 1)[0] == author.lower()]
        items.sort(key=lambda m: m["id"].lower())
        fields = ("_id", "id", *expand) if expand else DEFAULT_LIST_FIELDS
        projected = [{k: m[k] for k in fields if k in m and m[k] is not None} for m in items]
        pages = [json.dumps(projected[i:i + self.page_size]).encode()
                 for i in range(0, len(projected), self.page_size)] or [b"[]"]
        with self._lock:
            self._pages[key] = (version, pages)
        return pages

    def start(self, *, process: bool = False) -> str:
        """Serve on 127.0.0.1 (a free port); returns the base URL. `process`: in a child process."""
        if process:
            import multiprocessing as mp

            ctx = mp.get_context("spawn")
            parent, child = ctx.Pipe()
            self._process = ctx.Process(target=_serve_child, args=(self._state(), child), daemon=True)
            self._process.start()
            port = parent.recv()
            self.url = f"http://127.0.0.1:{port}"
            return self.url
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.hub = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        kwargs={"poll_interval": 0.05})
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._process is not None:
            self._process.terminate()
            self._process.join(5)
            self._process = None

    def __enter__(self) -> FakeHub:
        if not self.url:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _state(self) -> dict[str, Any]:
        return {"page_size": self.page_size, "delay": self.delay, "models": self.models,
                "renames": self.renames, "faults": self.faults, "record": False}


def _serve_child(state: dict[str, Any], conn: Any) -> None:
    hub = FakeHub(page_size=state["page_size"], delay=state["delay"])
    hub.models, hub.renames, hub.faults, hub.record = (state["models"], state["renames"],
                                                       state["faults"], state["record"])
    server = _Server(("127.0.0.1", 0), _Handler)
    server.hub = hub  # type: ignore[attr-defined]
    conn.send(server.server_address[1])
    server.serve_forever()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # many clients connect at once; the default 5 would drop some

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        # A client that timed out and hung up is part of the tests, not an error worth a traceback.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real Hub

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        hub: FakeHub = self.server.hub  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        query = parse_qsl(parts.query, keep_blank_values=True)
        if hub.record:
            with hub._lock:
                hub.requests.append(Seen("GET", parts.path, query, {k.lower(): v for k, v in self.headers.items()}))
        if hub.delay:
            time.sleep(hub.delay)
        path = parts.path.rstrip("/")
        if path == "/api/models":
            self._list(hub, query)
        elif path.startswith("/api/models/"):
            self._info(hub, path[len("/api/models/"):], query)
        else:
            self._send(404, b'{"error":"Not Found"}', {"X-Error-Code": "EntryNotFound"})

    def _faulted(self, hub: FakeHub, target: str) -> bool:
        f = hub._take_fault(target)
        if f is None:
            return False
        if f.delay:
            time.sleep(f.delay)
        if f.status == 200 and f.body is None and not f.drip:
            return False  # only slow
        body = f.body if f.body is not None else json.dumps({"error": f"fault {f.status}"}).encode()
        if f.drip:
            self._drip(f.status, body, f.headers, f.drip, f.drip_body_only)
        else:
            self._send(f.status, body, f.headers)
        return True

    def _drip(self, status: int, body: bytes, headers: dict[str, str], every: float, body_only: bool) -> None:
        head = f"HTTP/1.1 {status} OK\r\nContent-Length: {len(body)}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        try:
            if body_only:
                self.wfile.write(head.encode())
                self.wfile.flush()
            for byte in (b"" if body_only else head.encode()) + body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(every)
        except OSError:
            pass  # the client gave up: that is the point
        self.close_connection = True

    def _list(self, hub: FakeHub, query: list[tuple[str, str]]) -> None:
        params = dict(query)
        expand = tuple(v for k, v in query if k in ("expand", "expand[]"))
        bad = [e for e in expand if e not in LIST_EXPANDABLE]
        if bad:
            return self._bad_request(f'"expand" must be one of the allowed values, got {bad[0]!r}')
        if expand and (params.get("full") or params.get("cardData")):
            return self._bad_request("expand cannot be combined with full or cardData")
        author = params.get("author", "")
        if self._faulted(hub, f"list:{author}"):
            return None
        pages = hub._list_pages(author, expand)
        try:
            n = int(params.get("cursor", "0"))
        except ValueError:
            return self._bad_request("bad cursor")
        if not 0 <= n < len(pages):
            return self._bad_request("bad cursor")
        headers = {}
        if n + 1 < len(pages):
            rest = [(k, v) for k, v in query if k != "cursor"] + [("cursor", str(n + 1))]
            host = self.headers.get("Host", "127.0.0.1")
            headers["Link"] = f'<http://{host}/api/models?{urlencode(rest)}>; rel="next"'
        self._send(200, pages[n], headers)
        return None

    def _info(self, hub: FakeHub, repo_id: str, query: list[tuple[str, str]]) -> None:
        expand = tuple(v for k, v in query if k in ("expand", "expand[]"))
        bad = [e for e in expand if e not in INFO_EXPANDABLE]
        if bad:
            return self._bad_request(f'"expand" must be one of the allowed values, got {bad[0]!r}')
        if self._faulted(hub, f"model:{repo_id}"):
            return None
        key = repo_id.lower()
        if key in hub.renames and key not in hub.models:
            new = hub.renames[key]
            body = f"Temporary Redirect. Redirecting to /api/models/{new}".encode()
            self._send(307, body, {"Location": f"/api/models/{new}", "Content-Type": "text/plain; charset=utf-8"})
            return None
        item = hub.models.get(key)
        if item is None:
            self._send(404, b'{"error":"Repository not found"}',
                       {"X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"})
            return None
        fields = ("_id", "id", *expand) if expand else tuple(k for k in item if k not in
                                                             ("baseModels", "childrenModelCount"))
        self._send(200, json.dumps({k: item[k] for k in fields if k in item}).encode(), {})
        return None

    def _bad_request(self, message: str) -> None:
        self._send(400, json.dumps({"error": message}).encode(), {"X-Error-Message": message})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        if not any(k.lower() == "content-type" for k in headers):
            self.send_header("Content-Type", "application/json; charset=utf-8")
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def bench_hub(orgs: int = 20, repos: int = 1000, *, page_size: int = 100, delay: float = 0.05) -> FakeHub:
    """The benchmark's data: `orgs` orgs of `repos` repos each (org0 .. org{orgs-1})."""
    hub = FakeHub(page_size=page_size, delay=delay)
    for o in range(orgs):
        for r in range(repos):
            hub.add(f"org{o}/Model-{r:04d}", downloads=r * 37 % 100_000, likes=r % 500,
                    gated="manual" if r % 10 == 0 else False, base_model=(f"org{o}/Model-0000" if r % 3 else None),
                    extra_tags=("moe",) if r % 7 == 0 else ())
    return hub
