"""The explorer in a real pseudo-terminal: the wire cache writes less and shows the same.

The app runs with Textual's real Linux driver on a pty at 80x24, once as shipped and once with
the wire cache taken out (Textual's own `App._display`). The same keys go to both; what each
wrote is replayed into an emulated terminal (tests/vt.py). The screens must match cell for cell
at every checkpoint, and the shipped app must have written fewer bytes.
"""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
import time

import pytest
from vt import Screen

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

SHIPPED = "from qwen_tui.cli import main; raise SystemExit(main([]))"
WITHOUT_CACHE = ("import textual.app, qwen_tui.tui.app as a; a.QwenTuiApp._display = textual.app.App._display\n"
                 + SHIPPED)

# (keys, what a person would be looking at afterwards)
STEPS = [
    (b"", "start"),
    (b"\t", "timeline"),
    (b"jjj", "cursor moved"),
    (b"/", "filter open"),
    (b"qwen", "filtered"),
    (b"\r", "filter kept"),
    (b"3", "only cloud-only"),
    (b"G", "last row"),
    (b"\x0c", "ctrl+l redraw"),
    (b"?", "help"),
    (b"\x1b", "back from help"),
]


class PtyApp:
    def __init__(self, code: str, env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.proc = subprocess.Popen([sys.executable, "-c", code], stdin=slave, stdout=slave,
                                     stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        self.out = bytearray()
        self.last_output = time.monotonic()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self.out += data
            self.last_output = time.monotonic()

    def settle(self, quiet: float = 0.6, limit: float = 20) -> None:
        """Wait until the app has written nothing for `quiet` seconds (and has written something:
        on a loaded machine the start can take longer than `quiet`)."""
        start = time.monotonic()
        while not self.out and time.monotonic() - start < limit:
            time.sleep(0.05)
        time.sleep(quiet)
        while time.monotonic() - self.last_output < quiet and time.monotonic() - start < limit:
            time.sleep(0.05)

    def send(self, keys: bytes) -> None:
        for ch in keys:  # one at a time, as typed: an ESC must not merge with the next key
            os.write(self.master, bytes([ch]))
            time.sleep(0.05)

    def screen_now(self) -> Screen:
        screen = Screen(80, 24)
        screen.feed(bytes(self.out).decode("utf-8", "replace"))
        return screen

    def close(self) -> None:
        try:
            os.write(self.master, b"q")
            self.proc.wait(10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            os.close(self.master)


def run(code: str, env: dict[str, str]) -> tuple[list[Screen], int]:
    app = PtyApp(code, env)
    screens = []
    try:
        for keys, _ in STEPS:
            app.send(keys)
            app.settle()
            screens.append(app.screen_now())
        return screens, len(app.out)
    finally:
        app.close()


def shown(screen: Screen) -> int:
    """The timeline's "N shown" count."""
    import re

    match = re.search(r"([\d,]+) shown", screen.text())
    assert match, screen.text()
    return int(match.group(1).replace(",", ""))


@pytest.mark.slow
def test_same_screens_fewer_bytes_on_a_real_terminal(isolated_dirs) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("COLORTERM", "NO_COLOR", "TEXTUAL")}
    env.update(TERM="xterm", HF_HUB_OFFLINE="1", PYTHONPATH=os.pathsep.join(sys.path))
    shipped, shipped_bytes = run(SHIPPED, env)
    plain, plain_bytes = run(WITHOUT_CACHE, env)
    assert "Vendors" in shipped[0].text() and "shown" in shipped[0].text()
    # The filter really ran: a Qwen release is listed and fewer rows are shown than before it.
    # (Not just "qwen" on screen: the header always reads "qwen-tui".)
    assert "Qwen3.6-Plus" in shipped[4].text()
    assert shown(shipped[4]) < shown(shipped[1])
    for (_keys, label), ours, textuals in zip(STEPS, shipped, plain, strict=True):
        assert ours == textuals, f"after {label!r}:\n{ours.text()}\n--- Textual alone ---\n{textuals.text()}"
    assert shipped_bytes < 0.6 * plain_bytes, (shipped_bytes, plain_bytes)
