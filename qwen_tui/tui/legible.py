"""NO_COLOR that stays legible: the line filter the explorer uses instead of Textual's Monochrome.

Textual's Monochrome turns each colour into the grey of its luminance. A status colour then
becomes a grey close to the background (magenta on the dark theme: 59 on 18, 1.7:1), and the
focused cursor row light text on a light grey (1.6:1) — nearly invisible, on the one distinction
the app exists for. This filter:

- draws a status colour (present/status.py) as the theme's text colour with the status's weight,
  so statuses differ by glyph and weight, never by dimness;
- turns every other colour grey as Monochrome does;
- then moves any foreground that is below 4.5:1 (WCAG) on its background to the nearest grey
  that reaches it.
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter

from qwen_tui.present.status import MONO_STYLE, status_of_colour

MIN_CONTRAST = 4.5
NOT_DIM = Style(dim=False)


def luminance(grey: int) -> float:
    """WCAG relative luminance of a grey (0..255)."""
    v = grey / 255
    return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4


def contrast(a: int, b: int) -> float:
    """WCAG contrast ratio of two greys."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@lru_cache(4096)
def legible_grey(fg: int, bg: int) -> int:
    """`fg` if it reads on `bg`, else the nearest grey that does (towards white on a dark
    background, black on a light one)."""
    if contrast(fg, bg) >= MIN_CONTRAST:
        return fg
    step = 1 if contrast(255, bg) >= contrast(0, bg) else -1
    g = fg
    while 0 <= g + step <= 255 and contrast(g, bg) < MIN_CONTRAST:
        g += step
    return g


def _grey(color: RichColor) -> int:
    return Color.from_rich_color(color).monochrome.r


def _rich_grey(g: int) -> RichColor:
    return RichColor.from_rgb(g, g, g)


class LegibleMonochrome(LineFilter):
    def __init__(self, text: Color) -> None:
        super().__init__()
        self._text = text.monochrome.r  # the theme's foreground, as a grey

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        bg = background.monochrome.r
        style_of = self._style
        return [Segment(text, None if style is None else style_of(style, bg), None)
                for text, style, _ in segments]

    @lru_cache(4096)  # noqa: B019 - a handful of instances, each living as long as the app
    def _style(self, style: Style, default_bg: int) -> Style:
        status = status_of_colour(style)
        bg = default_bg if style.bgcolor is None else _grey(style.bgcolor)
        if status is not None:
            fg, style = self._text, style + MONO_STYLE[status]
        elif style.color is not None:
            fg = _grey(style.color)
        else:
            fg = None  # the terminal's own foreground: nothing to measure
        bg_color = None if style.bgcolor is None else _rich_grey(bg)
        if fg is None:
            return style + NOT_DIM + Style.from_color(None, bg_color)
        # reverse swaps them on the terminal: measure what it will show
        shown_fg, shown_bg = (bg, fg) if style.reverse else (fg, bg)
        fixed = legible_grey(shown_fg, shown_bg)
        if style.reverse:
            bg_color = _rich_grey(fixed)
            return style + NOT_DIM + Style.from_color(_rich_grey(fg), bg_color)
        return style + NOT_DIM + Style.from_color(_rich_grey(fixed), bg_color)
