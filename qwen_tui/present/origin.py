"""Which source asserts a row, as the explorer marks it: nothing for the catalog, a glyph (and, when
there is room, the source's name) for the others. Glyph and words, not colour alone, so it reads
the same under NO_COLOR."""

from __future__ import annotations

from rich.text import Text

from qwen_tui.reconcile import Entry
from qwen_tui.serialize import origin as origin_of

GLYPH = {"models.dev": "◇", "hub": "◆"}
DIM = "dim"


def row_name(e: Entry) -> str:
    """The name a row shows. A discovered group says whose it is by its org, as a repo id does:
    one repo is its id ("Qwen/Qwen3-8B"); a group of one org "<org>/<group name>"."""
    if e.release is not None or not e.repos:
        return e.name if e.release is not None else e.id
    if len(e.repos) == 1:
        return e.repos[0].repo_id
    orgs = {v.repo_id.split("/", 1)[0] for v in e.repos}
    return f"{orgs.pop()}/{e.name}" if len(orgs) == 1 else e.name


def origin_tag(e: Entry, *, room: int) -> Text | None:
    """'◇ models.dev' / '◆ 4 repos' when `room` cells allow, else the glyph alone; None for
    catalog rows."""
    made_by = origin_of(e)
    if made_by == "catalog":
        return None
    glyph = GLYPH.get(made_by, "◇")
    words = made_by if made_by != "hub" else f"{len(e.repos)} repo{'s' if len(e.repos) != 1 else ''}"
    return Text(f"{glyph} {words}" if len(words) + 2 <= room else glyph, style=DIM)


def provenance_line(e: Entry, tracker: str = "") -> str:
    """Where this row's facts come from, for the detail ("" for a release the catalog alone has).
    `tracker`: which models.dev data is in use ("models.dev snapshot of 2026-12-01T10:00:00Z",
    "bundled models.dev (f3fc692, 2026-07-01)")."""
    made_by = origin_of(e)
    md = tracker or "models.dev"
    if made_by == "hub":
        n = len(e.repos)
        return (f"from the Hub: {n} repo{'s' if n != 1 else ''} no release claims, grouped by name; "
                "the date is the earliest createdAt (a Hub date)")
    if made_by == "models.dev":
        return (f"from {md}, not in the catalog: name, date and license as models.dev lists them; "
                "the status is checked against the Hub when its weights are in a vendor org")
    rel = e.release
    if rel is not None and any(s.kind == "tracker" and s.title.startswith("models.dev") for s in rel.sources):
        return f"from the catalog (its primary sources); also listed by {md}"
    return ""  # the catalog alone: the default, and its fact says "catalog: ..." already
