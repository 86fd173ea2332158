"""The explorer marks rows that do not come from the catalog, and the detail says where the facts
come from (pilot, real app, the full bundled catalog merged with the bundled models.dev copy)."""

from __future__ import annotations

import pytest
from test_tui_app import current, detail_text, header_text, main, press

from qwen_tui.paths import default_paths
from qwen_tui.query import Dataset
from qwen_tui.tui.app import QwenTuiApp

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_a_models_dev_row_is_marked_and_its_detail_names_the_source(monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")  # the mark is a glyph and words, not a colour
    paths = default_paths()
    app = QwenTuiApp(Dataset.load(paths), paths, reload=lambda: Dataset.load(paths), offline=True)
    async with app.run_test(size=(120, 40)) as pilot:
        assert "models.dev bundled copy of 2026-07-01" in header_text(app)
        await press(pilot, "slash", *"gpt-3.5-turbo", "enter")
        row = current(app)
        assert (row.id, row.release.provenance) == ("models.dev/openai/gpt-3.5-turbo", "models.dev")
        timeline = main(app).query_one("#timeline")
        shown = timeline.render_row(row, 100, False).plain
        assert "GPT-3.5-turbo" in shown and "◇ models.dev" in shown
        narrow = timeline.render_row(row, 44, False).plain
        assert "◇" in narrow and "models.dev" not in narrow  # the glyph stays when the words do not fit
        catalog_row = next(r for r in app.dataset.catalog_entries() if r.release.provenance == "catalog")
        assert not {"◇", "◆"} & set(timeline.render_row(catalog_row, 100, False).plain)
        await press(pilot, "enter")
        body = " ".join(detail_text(app).split())
        assert "from bundled models.dev (f3fc692, 2026-07-01), not in the catalog" in body
        # The status fact names models.dev and cites its entry (sources show their host and title).
        fact = "models.dev: cloud-only, proprietary (not in the catalog) github.com · models.dev: GPT-3.5-turbo"
        assert fact in body


async def test_r_fetches_models_dev_beside_the_hub_and_names_its_failure(fixture_catalog_dir, monkeypatch,
                                                                         models_dev_url) -> None:
    import fakehub
    from test_tui_app import Notes, make_app, until

    from qwen_tui.modelsdev import snapshot
    from qwen_tui.store import Store
    from tests.modelsdev_server import ModelsDevServer

    hub = fakehub.FakeHub()
    hub.add("acme/Acme-1-7B", downloads=4321)
    monkeypatch.setenv("HF_ENDPOINT", hub.start())
    try:
        notes = Notes()
        app = make_app(fixture_catalog_dir, with_cache=True)
        async with app.run_test(notifications=True, message_hook=notes) as pilot:
            await press(pilot, "r")
            await until(lambda: "Refreshed" in " ".join(notes.texts))
            assert "models.dev" not in notes.texts[-1]  # fetched: nothing to report
        with Store.open_readonly(default_paths().cache_db) as store:
            assert snapshot.latest(store.conn).url == models_dev_url
        with ModelsDevServer(b"{broken", etag='"x"') as bad:
            monkeypatch.setenv("QWEN_TUI_MODELS_DEV_URL", bad.url)
            notes = Notes()
            app = make_app(fixture_catalog_dir, with_cache=True)
            async with app.run_test(notifications=True, message_hook=notes) as pilot:
                await press(pilot, "r")
                await until(lambda: "Refreshed" in " ".join(notes.texts))
                assert any(t.startswith("models.dev: failed (models.json is not valid JSON") for t in notes.texts)
                assert not any("vendors failed" in t for t in notes.texts)  # models.dev is not a vendor
        with Store.open_readonly(default_paths().cache_db) as store:
            assert [s.id for s in snapshot.snapshots(store.conn)] == [1]  # the previous one kept
    finally:
        hub.stop()
