"""Issue 14, what a new user trips over: whole names at 120x40, whose release a row is, the active
filter, rows that stay put, years in the filter. Driven by the pilot, measured on what the
timeline renders (its lines as the terminal would show them).
"""

from __future__ import annotations

import io

import pytest

from qwen_tui.catalog.loader import load_catalog
from qwen_tui.evidence import HubRepo, OrgResult
from qwen_tui.paths import default_paths
from qwen_tui.query import Dataset
from qwen_tui.reconcile import Entry
from qwen_tui.store import Store
from qwen_tui.tui.app import QwenTuiApp
from qwen_tui.tui.screens.main import MainScreen
from tests.test_tui_app import until

pytestmark = pytest.mark.anyio
FETCHED = "2026-04-03T10:00:00Z"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def bundled_app() -> QwenTuiApp:
    paths = default_paths()
    return QwenTuiApp(Dataset.load(paths, use_cache=False), paths, reload=lambda: None)


def fixture_app(catalog_dir, repos: list[HubRepo] = ()) -> QwenTuiApp:
    paths = default_paths()
    store = None
    if repos:
        writer = Store.open(paths.cache_db)
        orgs = sorted({r.org for r in repos})
        writer.write_snapshot(started_at=FETCHED, endpoint="http://127.0.0.1:1",
                              results=[OrgResult(o, o, True, sum(r.org == o for r in repos), "", FETCHED)
                                       for o in orgs],
                              repos=list(repos), all_orgs=[("acme", "acme"), ("globex", "globex")])
        writer.close()
        store = Store.open_readonly(paths.cache_db)
    return QwenTuiApp(Dataset(load_catalog([catalog_dir], bundled=False), store), paths,
                      reload=lambda: None)


def hub_repo(repo_id: str, **kw) -> HubRepo:
    org = repo_id.split("/")[0]
    return HubRepo(repo_id=repo_id, org=org, vendor=org, fetched_at=FETCHED, **kw)


def screen(app: QwenTuiApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


def visible(app: QwenTuiApp) -> list[tuple[object, str]]:
    """(row, the text of its line) for every timeline row on screen."""
    tl = screen(app).query_one("#timeline")
    out = []
    for y in range(tl.HEADER_LINES, tl.size.height):
        i = tl.top + y - tl.HEADER_LINES
        if i < len(tl.rows):
            out.append((tl.rows[i], tl.render_line(y).text))
    return out


def whole(e: Entry, line: str) -> bool:
    """The whole name is on the line, and its `!` right after it when sources disagree."""
    return (e.name + " !" if e.flagged else e.name) in line




# -- 1. names whole at 120x40 ------------------------------------------------------------------------


async def test_at_120x40_nine_names_in_ten_are_whole_in_every_vendor_and_pane_focus():
    app = bundled_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = screen(app)
        vendors = main.query_one("#vendors")
        totals = {"vendors": [0, 0], "timeline": [0, 0]}
        for i, row in enumerate(vendors.rows):
            for focus in ("vendors", "timeline"):
                main.focus_pane("vendors")
                vendors.move_to(i)
                await pilot.pause()
                if focus == "timeline":
                    await pilot.press("tab")
                    await pilot.pause()
                rows = [(r, line) for r, line in visible(app) if isinstance(r, Entry)]
                ok = sum(whole(r, line) for r, line in rows)
                totals[focus][0] += ok
                totals[focus][1] += len(rows)
                if row.id in (None, "alibaba"):  # All vendors, and the vendor the app is named for
                    assert ok >= 0.9 * len(rows), (focus, row.name, ok, len(rows))
                # The `!` of a disagreement is never cut off, however long the name.
                assert all(line.count("!") for r, line in rows if r.flagged), (focus, row.name)
        for focus, (ok, n) in totals.items():
            assert n > 250 and ok >= 0.9 * n, (focus, ok, n)


# -- 2. whose release a row is ----------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_row_of_all_vendors_names_its_vendor(size):
    app = bundled_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        main = screen(app)
        assert main.vendor is None
        vendors = app.screen.dataset.catalog.vendors
        rows = [(r, line) for r, line in visible(app) if isinstance(r, Entry)]
        assert len(rows) > 10
        owners = {r.vendor for r, _ in rows}
        assert len(owners) > 3
        assert "vendor" in main.query_one("#timeline").render_line(0).text
        for r, line in rows:
            # The name people use: "Alibaba Cloud (Qwen)" -> "Alibaba".
            assert f" {vendors[r.vendor].name.split()[0]} " in line, line
        # A one-vendor list does not repeat it on every row.
        main.select_vendor("meta")
        await pilot.pause()
        assert "vendor" not in main.query_one("#timeline").render_line(0).text


async def test_a_discovered_row_shows_its_org(fixture_catalog_dir):
    app = fixture_app(fixture_catalog_dir, [hub_repo("acme/acme-embed-v1", created_at="2025-06-01T00:00:00Z")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "5")
        main = screen(app)
        await until(lambda: main.model(main.vendor).discovered_loaded)
        await pilot.pause()
        lines = [line for r, line in visible(app) if isinstance(r, Entry) and r.release is None]
        assert lines and "acme/acme-embed-v1" in lines[0]


# -- 7. the vendor pane's counts ---------------------------------------------------------------------


async def test_vendor_counts_include_withdrawn_add_up_to_the_releases_and_say_what_they_count(fixture_catalog_dir):
    app = fixture_app(fixture_catalog_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = screen(app)
        vendors = main.query_one("#vendors")
        header = vendors.render_line(0).text
        assert "×" in header  # the withdrawn column, beside ● ◐ ○
        for i, row in enumerate(vendors.rows):
            numbers = [int(n) for n in vendors.render_line(1 + i).text.split()[-5:-1]]
            total = len(main.dataset.catalog_entries(row.id))
            assert sum(numbers) == total, (row.name, numbers, total)
        globex = next(i for i, r in enumerate(vendors.rows) if r.id == "globex")
        assert vendors.render_line(1 + globex).text.split()[-2] == "1"  # its withdrawn release
        legend = str(vendors.border_subtitle) + str(vendors.border_title)
        for word in ("releases", "open", "gated", "cloud-only", "withdrawn"):
            assert word in legend


# -- 11. an active filter is impossible to miss --------------------------------------------------------


def bar_text(app: QwenTuiApp) -> str:
    return screen(app).query_one("#filterbar").render_line(0).text


def bar_is_highlighted(app: QwenTuiApp) -> bool:
    """Some of the bar is in reverse video: it stands out in colour and in monochrome alike."""
    return any(seg.style and seg.style.reverse for seg in screen(app).query_one("#filterbar").render_line(0))


async def test_a_filter_that_follows_you_to_another_vendor_says_so_and_esc_clears_it(fixture_catalog_dir):
    app = fixture_app(fixture_catalog_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = screen(app)
        assert not bar_is_highlighted(app)
        main.select_vendor("acme")
        await pilot.pause()
        for key in ["slash", *"acme-2", "enter"]:
            await pilot.press(key)
        await pilot.pause()
        assert "2 shown of 5" in bar_text(app) and "acme-2" in bar_text(app)
        assert bar_is_highlighted(app)
        # To Globex: the filter stays on (help says so), and the screen says why the list is empty.
        main.select_vendor("globex")
        await pilot.pause()
        assert main.query_text == "acme-2"
        bar = bar_text(app)
        assert "0 shown of 3" in bar and "filter acme-2" in bar and "esc clears" in bar
        assert bar_is_highlighted(app)
        lines = [line for _, line in visible(app)]
        assert "acme-2" in lines[0] and "esc clears" in lines[0]
        # One key clears it, from the vendor list as from the timeline.
        main.focus_pane("vendors")
        await pilot.press("escape")
        await pilot.pause()
        assert main.query_text == "" and "3 shown" in bar_text(app) and "esc clears" not in bar_text(app)
        assert not bar_is_highlighted(app)
        assert len([r for r, _ in visible(app) if isinstance(r, Entry)]) == 3


# -- 12. rows and counts change only when asked --------------------------------------------------------


async def test_discovered_repos_loading_in_the_background_change_no_count(fixture_catalog_dir):
    repos = [hub_repo(f"acme/acme-extra-{i}", created_at="2025-06-01T00:00:00Z") for i in range(30)]
    app = fixture_app(fixture_catalog_dir, repos)
    async with app.run_test(size=(80, 14)) as pilot:  # the discovered section is below the view
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        main = screen(app)
        assert not main.model(None).discovered_loaded
        before_bar, before_rows = bar_text(app), [line for _, line in visible(app)]
        assert "30 discovered" in before_bar
        for key in ["slash", *"acme"]:
            await pilot.press(key)
        await until(lambda: main.model(None).discovered_loaded)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert bar_text(app) == before_bar
        # The rows are the same (the one-column position beside them may shrink: the list is longer).
        assert [line[:-1] for _, line in visible(app)] == [line[:-1] for line in before_rows]


# -- 13. years -----------------------------------------------------------------------------------------


async def test_the_filter_matches_years_and_dates(fixture_catalog_dir):
    app = fixture_app(fixture_catalog_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = screen(app)
        everything = main.dataset.catalog_entries(None)
        for query in ("2026", "2024-06", "2024"):
            for key in ["slash", *query, "enter"]:
                await pilot.press(key)
            await pilot.pause()
            shown = {r.id for r, _ in visible(app) if isinstance(r, Entry)}
            assert shown == {e.id for e in everything if str(e.date).startswith(query)}, query
            assert shown
            await pilot.press("escape")
            await pilot.pause()


async def test_cloud_only_releases_of_the_newest_year_in_two_keys():
    app = bundled_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = screen(app)
        everything = main.dataset.catalog_entries(None)
        newest = max(e.date.year for e in everything if e.date)
        await pilot.press("p", "3", "tab")  # tab: the timeline, and the bar, take the width
        await pilot.pause()
        tl = main.query_one("#timeline")
        shown = [r.id for r in tl.rows if isinstance(r, Entry)]
        expected = [e.id for e in everything if e.date and e.date.year == newest and e.status.value == "cloud-only"]
        assert sorted(shown) == sorted(expected) and len(shown) > 10
        assert f"in {newest}" in bar_text(app)
        # p again: the year before; on past the oldest: every year.
        await pilot.press("p")
        await pilot.pause()
        assert main.period == str(newest - 1)


# -- 3. sources as labels, never a URL cut in two ----------------------------------------------------


def rendered(renderable, width: int) -> tuple[str, set[str]]:
    """The text a person reads at `width` columns, and every hyperlink target (OSC 8) in it."""
    from rich.console import Console

    console = Console(width=width, record=True, file=io.StringIO(), color_system="truecolor")
    links = {seg.style.link for seg in console.render(renderable) if seg.style and seg.style.link}
    console.print(renderable)
    return console.export_text(), links


@pytest.mark.parametrize("release_id", ["qwen3.6-plus", "gpt-6.1", "qwen2.5"])
def test_detail_and_compare_show_sources_as_linked_labels_never_a_split_url(release_id):
    import re

    from qwen_tui.present.detail import compare_table, detail

    ds = Dataset.load(default_paths(), use_cache=False)
    entries = {e.id: e for e in ds.catalog_entries(None)}
    entry = entries[release_id]
    urls = {s.url for s in entry.release.sources}
    assert any(len(u) > 60 for u in urls) or release_id == "qwen2.5"  # long ones, that used to wrap
    for renderable, width in ((detail(entry, ds.catalog), 80), (detail(entry, ds.catalog), 40),
                              (compare_table([entry, entries["qwen3.6-27b"]], ds.catalog), 80)):
        text, links = rendered(renderable, width)
        assert urls <= links  # each source is a hyperlink where the terminal supports OSC 8
        for line in text.splitlines():
            for url in re.findall(r"https?://\S+", line):
                assert url.rstrip(").,;") in links, line  # a whole URL, or none at all
        for s in entry.release.sources:  # the label: the site, and the title when there is one
            host = re.sub(r"^www\.", "", s.url.split("/")[2])
            assert host in text
    assert not re.search(r"https?://", rendered(detail(entry, ds.catalog), 80)[0])


async def test_y_still_copies_the_full_source_url():
    app = bundled_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = screen(app)
        main.select_vendor("alibaba")
        await pilot.pause()
        tl = main.query_one("#timeline")
        tl.move_to(next(i for i, r in enumerate(tl.rows) if isinstance(r, Entry) and r.id == "qwen3.6-plus"))
        await pilot.pause()
        urls = [s.url for s in tl.current.release.sources]
        assert [value for _, value in main.copy_choices()][-len(urls):] == urls


# -- 6. per-size licenses, and the license terms ----------------------------------------------------


async def test_a_row_whose_sizes_carry_other_licenses_says_how_many():
    app = bundled_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        main = screen(app)
        main.select_vendor("alibaba")
        await pilot.pause()
        tl = main.query_one("#timeline")
        rows = {r.id: r for r in tl.rows if isinstance(r, Entry)}
        line = tl.render_row(rows["qwen2.5"], 100, False).plain
        assert "apache-2.0 +2" in line
        assert "+" not in tl.render_row(rows["qwen3.6-27b"], 100, False).plain.split("open-weight")[1]


def test_the_detail_lists_per_size_licenses_first_and_the_license_terms():
    from qwen_tui.present.detail import detail

    ds = Dataset.load(default_paths(), use_cache=False)
    entry = next(e for e in ds.catalog_entries("alibaba") if e.id == "qwen2.5")
    text, _ = rendered(detail(entry, ds.catalog), 100)
    per_size = text.index("Qwen2.5-72B-Instruct")
    assert per_size < text.index("Why this status")
    head = text[:text.index("Why this status")]
    for lic in ("apache-2.0", "qwen-research", "qwen"):
        assert lic in head
    assert "Qwen2.5-3B" in head
    research = ds.catalog.licenses["qwen-research"]
    for label, value in (("use restrictions", research.use_restrictions), ("derivatives", research.derivatives),
                         ("outputs", research.outputs), ("governing law", research.governing_law)):
        assert value and label in text
        assert " ".join(value.split()[:4]) in " ".join(text.split())
    assert f"{research.family}, effective {research.effective}" in " ".join(text.split())


def test_a_hostile_url_stays_inert_in_its_label_and_link():
    from qwen_tui.present.links import linkify
    from qwen_tui.text import clean

    hostile = "see https://evil.example/\x1b]8;;https://x\x07[bold]x\x1b[2J and [red]y"
    t = linkify(clean(hostile))
    links = [span.style.link for span in t.spans if hasattr(span.style, "link") and span.style.link]
    assert links and all(not any(ord(c) < 32 or c == "\x7f" for c in link) for link in links)
    assert "[red]y" in t.plain and "evil.example" in t.plain  # brackets stay text, never markup
    assert "\x1b" not in t.plain
