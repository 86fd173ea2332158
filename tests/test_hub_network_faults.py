"""A dead or hostile Hub ends a refresh in bounded time and memory (issue 11 §3).

Real parts: the CLI in a child process (so its peak memory and wall time are its own), the real
huggingface_hub client, and loopback servers started here: the fake Hub, a socket that accepts
connections and never answers, one that drips a byte a second, and a port nobody listens on.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pytest
from fakehub import FakeHub

from qwen_tui.catalog.loader import load_catalog
from qwen_tui.hub.settings import SyncSettings
from qwen_tui.paths import default_paths
from qwen_tui.store import Store
from qwen_tui.sync import refresh

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import resource, sys
from qwen_tui.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
print("MAXRSS-KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def cli(endpoint: str, *argv: str, timeout: float = 120) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """`qwen-tui refresh` in a child: (process, seconds it took, its peak resident memory in MB)."""
    env = dict(os.environ, HF_ENDPOINT=endpoint, PYTHONPATH=str(ROOT))
    t = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", PROBE, "refresh", *argv], env=env, capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT)
    elapsed = time.monotonic() - t
    rss = [int(line.split()[1]) // 1024 for line in proc.stderr.splitlines() if line.startswith("MAXRSS-KB")]
    return proc, elapsed, rss[0] if rss else -1


def failed_lines(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in proc.stdout.splitlines() if line.strip().startswith("failed:")]


def vendors_with_orgs() -> int:
    catalog = load_catalog([])
    return sum(1 for v in catalog.vendors.values() if v.hub_orgs)


def all_failed_alike(proc: subprocess.CompletedProcess[str], host: str, reason: str) -> None:
    """Every vendor failed the same way: the summary is one line naming host and reason, and the
    log keeps one failure per vendor, each naming the host."""
    from qwen_tui.paths import default_paths

    assert proc.stdout.splitlines()[0].startswith(f"cannot reach {host} ({reason})"), proc.stdout
    assert not failed_lines(proc), proc.stdout
    logged = default_paths().log_file.read_text("utf-8").splitlines()[-1]
    failed = logged.split(" failed=", 1)[1]
    vendors = [v.id for v in load_catalog([]).vendors.values() if v.hub_orgs]
    assert all(f"{v}: " in failed for v in vendors), logged
    assert failed.count(host) >= len(vendors), logged


# -- servers that misbehave ----------------------------------------------------------------------

class Silent:
    """Accepts TCP connections (the kernel's backlog completes the handshake) and never answers."""

    def __enter__(self) -> str:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(256)
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


class Dripper:
    """Answers every connection with an endless header, one byte a second."""

    def __enter__(self) -> str:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(256)
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        data = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100_000
        try:
            for i in range(len(data)):
                if self.stop.wait(1.0 if i > 20 else 0.0):
                    break
                conn.sendall(data[i:i + 1])
        except OSError:
            pass
        finally:
            conn.close()

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.sock.close()


def refused_url() -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nobody listens there now: connections are refused
    return f"http://127.0.0.1:{port}"


# -- a dead Hub ------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_hub_that_never_answers_ends_within_60_s_with_one_line_per_vendor() -> None:
    with Silent() as url:
        proc, elapsed, _ = cli(url)
    print(f"a Hub that never answers: refresh ended in {elapsed:.1f} s")
    host = url.split("//")[1]
    assert proc.returncode == 1, proc.stderr
    assert elapsed < 60, elapsed
    all_failed_alike(proc, host, "timed out")
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_a_hub_that_drips_a_byte_a_second_ends_within_60_s() -> None:
    with Dripper() as url:
        proc, elapsed, _ = cli(url)
    print(f"a Hub that drips a byte a second: refresh ended in {elapsed:.1f} s")
    host = url.split("//")[1]
    lines = failed_lines(proc)
    assert proc.returncode == 1, proc.stderr
    assert elapsed < 60, elapsed
    assert len(lines) == vendors_with_orgs() and all(host in line for line in lines), proc.stdout


def test_a_refused_connection_is_reported_within_10_s() -> None:
    url = refused_url()
    proc, elapsed, _ = cli(url)
    print(f"a refused connection: refresh ended in {elapsed:.1f} s")
    assert proc.returncode == 1 and elapsed < 10, (elapsed, proc.stdout, proc.stderr)
    all_failed_alike(proc, url.split("//")[1], "connection refused")


def test_timeout_flag_changes_the_budget() -> None:
    with Silent() as url:
        proc, elapsed, _ = cli(url, "--timeout", "4")
    assert proc.returncode == 1 and elapsed < 12, (elapsed, proc.stdout)
    assert all("4 s refresh deadline" in line or "timed out" in line for line in failed_lines(proc))
    proc, _, _ = cli(url, "--timeout", "nan")
    assert proc.returncode == 2 and proc.stderr.startswith("qwen-tui: error: --timeout: nan")


# -- a hostile Hub ---------------------------------------------------------------------------------

def gzip_bomb(size: int = 1_500_000_000) -> bytes:
    """A gzip body of ~1.5 MB that inflates to `size` bytes of JSON whitespace."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b" " * 2**20
    parts = [comp.compress(b"[")]
    parts += [comp.compress(block) for _ in range(size // len(block))]
    parts.append(comp.flush())
    return b"".join(parts)


@pytest.mark.slow
def test_gzip_bomb_is_capped_and_memory_stays_under_600_mb(fixture_catalog_dir: Path) -> None:
    bomb = gzip_bomb()
    assert len(bomb) < 2_000_000
    with FakeHub(page_size=100) as hub:
        hub.add("acme/Acme-1-7B")
        hub.add("globex/globex-small")
        hub.fault("list:acme", body=bomb, headers={"Content-Encoding": "gzip"})
        proc, _, rss = cli(hub.url, "--catalog", str(fixture_catalog_dir))
    print(f"gzip bomb ({len(bomb):,} bytes -> 1.5 GB): peak RSS {rss} MB")
    assert proc.returncode == 1, proc.stderr
    assert any("acme" in line and "larger than 64 MB" in line for line in failed_lines(proc)), proc.stdout
    ok = next(line for line in proc.stdout.splitlines() if line.startswith("  ok: "))
    assert "globex" in ok.split(": ", 1)[1].split(", ")
    assert 0 < rss < 600, rss


FAST = SyncSettings(workers=4, connect_timeout=2, read_timeout=2, max_retries=1, backoff_base=0.01,
                    backoff_max=0.02, max_server_wait=2)


def _refresh(hub: FakeHub, fixture_catalog_dir: Path, settings: SyncSettings = FAST):
    store = Store.open(default_paths().cache_db)
    try:
        return refresh(load_catalog([fixture_catalog_dir], bundled=False), store, endpoint=hub.url,
                       settings=settings)
    finally:
        store.close()


def test_a_link_loop_ends_that_org_with_a_reason(fixture_catalog_dir: Path) -> None:
    with FakeHub(page_size=100) as hub:
        hub.add("globex/globex-small")
        page = json.dumps([{"_id": "1", "id": "acme/Acme-1-7B"}]).encode()
        hub.fault("list:acme", body=page,
                  headers={"Link": f'<{hub.url}/api/models?author=acme&cursor=7>; rel="next"'})
        t = time.monotonic()
        report = _refresh(hub, fixture_catalog_dir)
        assert time.monotonic() - t < 10
        assert "Link loop" in report.failed["acme"] and "globex" in report.ok
        assert len(hub.seen("/api/models")) <= 4  # acme: the first page and the cursor once; globex


def test_pages_of_one_org_are_capped(fixture_catalog_dir: Path) -> None:
    with FakeHub(page_size=1) as hub:
        for i in range(6):
            hub.add(f"acme/m{i}")
        hub.add("globex/globex-small")
        report = _refresh(hub, fixture_catalog_dir, SyncSettings(**{**FAST.__dict__, "max_pages": 3}))
        assert report.failed["acme"] == "listing acme: more than 3 pages; stopped (a Link loop?)"
        assert len([r for r in hub.seen("/api/models") if dict(r.query).get("author") == "acme"]) == 3
