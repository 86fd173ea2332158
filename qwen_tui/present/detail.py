"""The detail of one entry and the side-by-side comparison, as Rich renderables (no Textual).

Everything from the catalog or the Hub goes in as `Text` (never markup) and through `clean()`, so
a repo id like "[bold]x" or one carrying an escape sequence is shown as inert characters. A URL is
shown as a linked label (links.py), never as a string a narrow pane would cut mid-word.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from qwen_tui.model import Catalog, License, Release, Status
from qwen_tui.present.links import linkify, url_label
from qwen_tui.present.status import full_count, status_text
from qwen_tui.present.wording import commercial_text
from qwen_tui.reconcile import Entry, RepoView
from qwen_tui.text import clean

LABEL = "bold"
DIM = "dim"


def _t(value: object, style: str = "") -> Text:
    return linkify(clean(value, 1000), style)


class _Line:
    """A label: value pair; consecutive ones are laid out as a grid so wrapped values stay indented."""

    def __init__(self, label: str, value: object, style: str = "") -> None:
        self.label, self.value = label, _t(value, style) if not isinstance(value, Text) else value


def _line(label: str, value: object, style: str = "") -> _Line:
    return _Line(label, value, style)


def _group(items: list) -> Group:
    """Render a list of Text / _Line items; runs of _Line become one two-column grid."""
    out: list = []
    run: list[_Line] = []

    def flush() -> None:
        if run and any(item.value.cell_len > 40 and len(item.label) > 2 for item in run):
            # Long values: the label on its own line, the value indented below it, so wrapped
            # text keeps its indent and uses the whole width of a narrow pane.
            for item in run:
                out.append(Text("  " + item.label, style=LABEL))
                out.append(Padding(item.value, (0, 0, 0, 4)))
            run.clear()
        elif run:
            grid = Table.grid(padding=(0, 1), pad_edge=False)
            grid.add_column(style=LABEL, no_wrap=True)
            grid.add_column(overflow="fold")
            for item in run:
                grid.add_row(Text("  " + item.label), item.value)
            out.append(grid)
            run.clear()

    for item in items:
        if isinstance(item, _Line):
            run.append(item)
        else:
            flush()
            out.append(item)
    flush()
    return Group(*out)


def license_lines(lic: License | None, license_id: str) -> list:
    if lic is None:
        return [_line("license", f"{license_id} (not in the catalog's license list)")]
    out: list = [Text.assemble(("  ", ""), _t(lic.name, "bold"), (f"  ({clean(lic.id)})", DIM))]
    out.append(_line("commercial use", commercial_text(lic)))
    if lic.mau_cap:
        out.append(_line("user cap", f"{lic.mau_cap:,} monthly active users"))
    for label, value in (("attribution", lic.attribution), ("naming", lic.naming),
                         ("use policy", lic.use_policy), ("use restrictions", lic.use_restrictions),
                         ("derivatives", lic.derivatives), ("outputs", lic.outputs),
                         ("governing law", lic.governing_law)):
        if value:
            out.append(_line(label, value))
    if lic.family:  # one version of a license that changed over time
        out.append(_line("version", f"{lic.family}, effective {lic.effective}" if lic.effective else lic.family))
    out.append(_line("OSI-approved", "yes" if lic.osi_approved else "no"))
    if lic.url:
        out.append(_line("text", url_label(clean(lic.url, 1000), "full text")))
    return out


def per_size_licenses(rel: Release) -> list:
    """'apache-2.0  Qwen2.5-0.5B, …' one line per license, the release's own first: shown at the
    top of the detail when the sizes of a release carry different licenses."""
    repos = list(dict.fromkeys([*rel.hf_repos, *(r for r, _ in rel.repo_licenses)]))
    out: list = []
    for lic_id in rel.license_ids:
        mine = [r.split("/", 1)[-1] for r in repos if rel.license_of(r) == lic_id]
        out.append(_line(lic_id, ", ".join(mine) if mine else "the release (no repo listed)"))
    return out


def repo_facts(view: RepoView) -> str:
    """'1,234 downloads · 56 likes · not gated · 12 derivatives' (or why nothing is known)."""
    hub = view.hub
    if view.state == "missing":
        return "not found on the Hub"
    if hub is None:
        if view.state == "unknown":
            return "no Hub data yet (press r to refresh)"
        return view.state
    parts = [f"{full_count(hub.downloads)} downloads (30 d)", f"{full_count(hub.likes)} likes",
             f"gated ({clean(hub.gated)})" if hub.gated else "not gated"]
    children = view.children if view.children is not None else hub.children
    if children is not None:
        parts.append(f"{children:,} derivatives")
    if view.state == "renamed":
        parts.append(f"now {clean(view.renamed_to)}")
    if hub.license:
        parts.append(f"Hub license tag {clean(hub.license_name or hub.license)}")
    return " · ".join(parts)


def detail(entry: Entry, catalog: Catalog, tracker: str = "") -> Group:
    """Everything about one release: status with evidence, license terms, repos, disagreements.
    `tracker` names the models.dev data in use (for the line saying where the facts come from)."""
    from qwen_tui.present.origin import provenance_line

    vendor = catalog.vendors.get(entry.vendor)
    out: list = [_t(entry.name, "bold underline")]
    meta = [vendor.name if vendor else entry.vendor]
    if entry.generation:
        meta.append(entry.generation)
    meta.append(str(entry.date) if entry.date else "undated")
    out.append(_t(" · ".join(meta), DIM))
    if said := provenance_line(entry, tracker):
        out.append(_t(said, DIM))
    st = status_text(entry.status)
    if entry.catalog_status and entry.catalog_status is not entry.status:
        st.append(f"  (catalog says {entry.catalog_status.value})", DIM)
    if entry.flagged:
        st.append("  ! sources disagree", "bold red")
    out.append(st)
    rel = entry.release
    if rel and len(rel.license_ids) > 1:
        out.append(Text(f"Licenses differ by size ({len(rel.license_ids)})", style=LABEL))
        out += per_size_licenses(rel)
    if rel and rel.summary:
        out.append(_t(rel.summary))
    if rel and (rel.params or rel.tags):
        out.append(_t(" · ".join(x for x in (", ".join(rel.params), ", ".join(rel.tags)) if x), DIM))
    if entry.status is Status.CLOUD_ONLY and vendor and vendor.cloud:
        where = _t(vendor.cloud)
        if vendor.cloud_url:
            where.append(" (")
            where.append_text(url_label(clean(vendor.cloud_url, 1000)))
            where.append(")")
        out.append(_line("available through", where))

    out += [Text(), Text("Why this status", style=LABEL)]
    titles = {s.url: s.title for s in rel.sources} if rel else {}
    for fact in entry.evidence:
        source = (url_label(clean(fact.source, 1000), clean(titles[fact.source]), DIM) if fact.source in titles
                  else _t(fact.source, DIM))
        out.append(_Line("•", _t(fact.text) + Text("\n") + source))

    if entry.flagged:
        out += [Text(), Text("Sources disagree", style="bold red")]
        for c in entry.conflicts:
            out.append(_Line("!", _t(c)))
        for d in (rel.disputes if rel else ()):
            out.append(_Line("!", _t(f"{d.field}: another source says {d.value} ({d.source})"
                                     + (f"; {d.note}" if d.note else ""))))

    out += [Text(), Text("License", style=LABEL)]
    if rel:
        for lic_id in rel.license_ids:
            out += license_lines(catalog.licenses.get(lic_id), lic_id)
            repos = [r for r, lid in rel.repo_licenses if lid == lic_id]
            if repos and lic_id != rel.license:
                out.append(_line("applies to", ", ".join(repos)))
    else:
        out.append(_line("Hub license tag", entry.license))

    out += [Text(), Text(f"Hub repos ({len(entry.repos)})", style=LABEL)]
    if not entry.repos:
        out.append(Text("  none: no weights published", style=DIM))
    for view in entry.repos:
        out.append(_Line("•", _t(view.repo_id, "bold") + Text("\n") + _t(repo_facts(view), DIM)))

    if rel and rel.sources:
        out += [Text(), Text("Sources", style=LABEL)]
        for s in rel.sources:
            out.append(_Line(s.kind, url_label(clean(s.url, 1000), clean(s.title))))
    return _group(out)


def compare_table(entries: list[Entry], catalog: Catalog) -> Table:
    """Up to four entries side by side: status, date, license terms, Hub stats, sources."""
    table = Table(show_lines=True, expand=True, header_style="bold", pad_edge=False)
    table.add_column("", style=LABEL, no_wrap=True, max_width=14)  # "commercial use"
    for e in entries:
        table.add_column(_t(e.name), overflow="fold", ratio=1)

    def lic(e: Entry) -> License | None:
        return catalog.licenses.get(e.release.license) if e.release else None

    def license_term(e: Entry, term: Callable[[License], str], missing: str) -> str:
        found = lic(e)
        return term(found) if found is not None else missing

    def hub_sum(e: Entry, attr: str) -> str:
        return full_count(getattr(e, attr))

    def gated(e: Entry) -> str:
        listed = [v for v in e.repos if v.hub]
        if not e.repos:
            return "no repos"
        if not listed:
            return "no Hub data"
        n = sum(1 for v in listed if v.hub is not None and v.hub.is_gated)
        return f"{n} of {len(listed)}"

    rows: list[tuple[str, list[Text]]] = [
        ("vendor", [_t(catalog.vendors[e.vendor].name if e.vendor in catalog.vendors else e.vendor) for e in entries]),
        ("status", [status_text(e.status) + (Text(" !", style="bold red") if e.flagged else Text()) for e in entries]),
        ("date", [_t(e.date or "undated") for e in entries]),
        ("license", [_t(license_term(e, lambda lc: lc.name, e.license)) for e in entries]),
        ("commercial use", [_t(license_term(e, commercial_text, "unknown")) for e in entries]),
        ("user cap", [_t(license_term(e, lambda lc: f"{lc.mau_cap:,} MAU" if lc.mau_cap else "none", "none"))
                      for e in entries]),
        ("naming", [_t(license_term(e, lambda lc: lc.naming or "none", "none")) for e in entries]),
        ("use policy", [_t(license_term(e, lambda lc: lc.use_policy or "none", "none")) for e in entries]),
        ("repos", [_t(len(e.repos)) for e in entries]),
        ("downloads", [_t(hub_sum(e, "downloads")) for e in entries]),
        ("likes", [_t(hub_sum(e, "likes")) for e in entries]),
        ("gated repos", [_t(gated(e)) for e in entries]),
        ("derivatives", [_t(hub_sum(e, "children")) for e in entries]),
        ("disagree", [_t("; ".join(e.conflicts) or ("catalog dispute" if e.disputed else "none")) for e in entries]),
        ("sources", [Text("\n").join(url_label(clean(s.url, 1000), clean(s.title)) for s in e.release.sources)
                     if e.release else _t("Hugging Face Hub") for e in entries]),
    ]
    for label, cells in rows:
        table.add_row(label, *cells)
    return table
