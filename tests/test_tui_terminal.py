"""The explorer at the edge of the terminal (issue 11 §4): real process, real pty, real sockets.

Quitting while a refresh waits on a Hub that never answers; no terminal at all; TERM=dumb; and
a suspend (SIGTSTP, as ctrl+z sends) followed by `fg` (SIGCONT).
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from test_wire_pty import SHIPPED, PtyApp

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")


def app_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("COLORTERM", "NO_COLOR", "TEXTUAL", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    env.update(TERM="xterm", PYTHONPATH=os.pathsep.join(sys.path))
    env.update(extra)
    return env


class SilentHub:
    """Accepts every connection on 127.0.0.1 and never sends a byte back."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.accepted:
            conn.close()


def wait_exit(proc: subprocess.Popen, limit: float) -> float:
    start = time.monotonic()
    while proc.poll() is None and time.monotonic() - start < limit:
        time.sleep(0.02)
    return time.monotonic() - start


@pytest.mark.slow
def test_q_quits_within_2_s_while_a_refresh_waits_on_a_silent_hub(isolated_dirs) -> None:
    hub = SilentHub()
    app = PtyApp(SHIPPED, app_env(HF_ENDPOINT=hub.url))
    try:
        app.settle()
        app.send(b"r")
        deadline = time.monotonic() + 10
        while not hub.accepted and time.monotonic() < deadline:
            time.sleep(0.05)
        assert hub.accepted, "the refresh reached the Hub"
        time.sleep(0.5)
        os.write(app.master, b"q")
        took = wait_exit(app.proc, 10)
        assert app.proc.poll() is not None and took < 2.0, f"still running {took:.1f} s after q"
    finally:
        app.close()
        hub.close()
    # Nothing half-written: no snapshot came out of the abandoned refresh.
    db = isolated_dirs["cache"] / "qwen-tui.sqlite3"
    if db.exists():
        with sqlite3.connect(db) as con:
            assert con.execute("select count(*) from snapshot").fetchone()[0] == 0


def test_without_a_terminal_one_line_and_exit_2(tmp_path: Path) -> None:
    out, err = tmp_path / "out", tmp_path / "err"
    with open(out, "wb") as o, open(err, "wb") as e:
        proc = subprocess.run([sys.executable, "-c", SHIPPED], stdin=subprocess.DEVNULL, stdout=o,
                              stderr=e, env=app_env(HF_HUB_OFFLINE="1"), timeout=30)
    assert proc.returncode == 2
    assert out.read_bytes() == b""
    lines = err.read_text().splitlines()
    assert len(lines) == 1 and "terminal" in lines[0] and "qwen-tui list" in lines[0], lines


@pytest.mark.slow
def test_term_dumb_is_refused_in_one_line(isolated_dirs) -> None:
    app = PtyApp(SHIPPED, app_env(TERM="dumb", HF_HUB_OFFLINE="1"))
    try:
        took = wait_exit(app.proc, 10)
        assert app.proc.poll() == 2, f"still running after {took:.1f} s"
        app.settle(0.2, 2)
        text = bytes(app.out).decode("utf-8", "replace")
        assert "\x1b" not in text
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) == 1 and "TERM=dumb" in lines[0], lines
    finally:
        app.close()


@pytest.mark.slow
@pytest.mark.parametrize("how", ["ctrl+z", "SIGTSTP"])
def test_after_a_suspend_and_fg_the_screen_is_drawn_again(isolated_dirs, how) -> None:
    app = PtyApp(SHIPPED, app_env(HF_HUB_OFFLINE="1"))
    try:
        app.settle()
        app.send(b"\t")  # away from the first screen, so nothing stale can pass for it
        app.settle()
        before = app.screen_now()
        assert "shown" in before.text()
        if how == "ctrl+z":
            os.write(app.master, b"\x1a")
        else:
            os.kill(app.proc.pid, signal.SIGTSTP)
        time.sleep(0.5)
        assert os.waitpid(app.proc.pid, os.WUNTRACED | os.WNOHANG)[0] == app.proc.pid, "stopped"
        os.kill(app.proc.pid, signal.SIGCONT)
        app.settle()
        after = app.screen_now()
        assert after == before, f"after fg:\n{after.text()}\n--- before ---\n{before.text()}"
    finally:
        app.close()
