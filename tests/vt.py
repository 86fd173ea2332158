"""A tiny terminal emulator: just enough of VT100/xterm to replay what Textual writes.

It knows cursor positioning (CUP), SGR (kept per cell as the parameters since the last reset; a
reset inside one sequence, `ESC[0;1m`, counts as one),
LF, printable text with double-width cells, and the alternate screen (which starts blank). Every
other escape sequence (modes, queries, OSC, DCS) is parsed and skipped. Line wrap is off, as
Textual sets it. Tests compare two replays cell by cell; they never need a real terminal.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

_SEQ = re.compile(
    r"\x1b\[([0-9;?<=>$ ]*)([@-~])"        # CSI params final
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC ... BEL or ST
    r"|\x1bP.*?\x1b\\"                     # DCS ... ST
    r"|\x1b[^\[\]P]"                       # any other two-byte escape
    r"|[\x00-\x1f\x7f]",                   # a lone control character
    re.S,
)


class Screen:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.x = self.y = 0
        self.sgr: tuple[str, ...] = ()
        self.clear()

    def clear(self) -> None:
        self.cells = [[(" ", ())] * self.width for _ in range(self.height)]

    def feed(self, data: str) -> None:
        pos = 0
        for m in _SEQ.finditer(data):
            self._text(data[pos:m.start()])
            pos = m.end()
            self._control(m)
        self._text(data[pos:])

    def _control(self, m: re.Match) -> None:
        seq = m.group(0)
        if seq == "\n":
            self.y = min(self.y + 1, self.height - 1)
        elif seq == "\r":
            self.x = 0
        elif m.group(2) is None:
            return  # OSC, DCS or a two-byte escape: nothing on screen changes
        elif m.group(2) == "H":
            params = (m.group(1) or "1;1").split(";")
            row = int(params[0] or 1)
            col = int(params[1] or 1) if len(params) > 1 else 1
            self.y, self.x = min(row, self.height) - 1, min(col, self.width) - 1
        elif m.group(2) == "m":
            for param in m.group(1).split(";"):
                self.sgr = () if param in ("", "0") else (*self.sgr, param)
        elif m.group(2) in ("h", "l") and m.group(1) in ("?1049", "?47", "?1047"):
            self.clear()  # entering or leaving the alternate screen

    def _text(self, text: str) -> None:
        for ch in text:
            w = cell_len(ch)
            if w == 0:
                continue
            if self.x + w > self.width:  # wrap is off: the last column is overwritten
                self.x = self.width - w
            row = self.cells[self.y]
            row[self.x] = (ch, self.sgr)
            if w == 2:
                row[self.x + 1] = ("", self.sgr)
            self.x = min(self.x + w, self.width)

    def text(self) -> str:
        return "\n".join("".join(ch for ch, _ in row).rstrip() for row in self.cells)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Screen) and self.cells == other.cells
