"""Hub JSON -> HubRepo: the fast path, the cleaning path, and parity with huggingface_hub's ModelInfo."""

from __future__ import annotations

import pytest
from fakehub import FakeHub, make_model

from qwen_tui.evidence import HUB_PLACEHOLDER_CREATED_AT
from qwen_tui.hub.convert import base_models_of, repo_from_info, repo_from_item
from qwen_tui.hub.fetch import LIST_EXPAND


def conv(item):
    return repo_from_item(item, org="acme", vendor="acme", fetched_at="2026-01-01T00:00:00Z")


def test_plain_item_keeps_every_stored_field():
    item = make_model("acme/Acme-3-8B", gated="manual", license="other", license_name="acme-community",
                      params=8_030_261_248, base_model="acme/Acme-3-8B-Base", downloads=42,
                      downloads_all_time=4200, likes=7)
    r = conv(item)
    assert r.repo_id == "acme/Acme-3-8B"
    assert (r.gated, r.license, r.license_name) == ("manual", "other", "acme-community")
    assert (r.downloads, r.downloads_all_time, r.likes, r.params) == (42, 4200, 7, 8_030_261_248)
    assert r.created_at == "2024-05-01T10:00:00.000Z" and r.last_modified == "2024-06-01T10:00:00.000Z"
    assert r.base_models == ("acme/Acme-3-8B-Base",)
    assert "license:other" in r.tags and r.pipeline_tag == "text-generation"
    assert r.private is False and r.disabled is False


def test_placeholder_created_at_and_ungated_become_none():
    r = conv(make_model("acme/old", created_at=HUB_PLACEHOLDER_CREATED_AT, gated=False))
    assert r.created_at is None
    assert r.gated is None


def test_hostile_text_is_cleaned_everywhere():
    item = make_model("acme/x")
    item["id"] = "acme/x\x1b]52;c;ZXZpbA==\x07\u202e"
    item["tags"] = ["ok", "bad\x1b[31mred", 5, None]
    item["cardData"]["license_name"] = "lic\nname\x9b2J"
    item["pipeline_tag"] = ["not", "a", "string"]
    r = conv(item)
    assert r.repo_id == "acme/x"
    assert r.tags == ("ok", "badred")
    assert r.license_name == "lic name"
    assert r.pipeline_tag == "not"
    for text in (r.repo_id, r.license_name, *r.tags):
        assert "\x1b" not in text and "\u202e" not in text


@pytest.mark.parametrize("item", [{}, {"id": 5}, {"id": "no-slash"}, {"id": None}])
def test_items_without_a_usable_id_are_skipped(item):
    assert conv(item) is None


def test_wrong_types_do_not_crash():
    item = make_model("acme/y")
    item.update(downloads="12", likes=True, safetensors={"total": "x"}, cardData=["not", "a", "dict"],
                gated=True, createdAt=12345)
    r = conv(item)
    assert r.downloads is None and r.likes is None and r.params is None
    assert r.gated is None and r.created_at is None  # True is not one of the Hub's gated values
    assert r.license == "apache-2.0"  # from the license: tag


@pytest.mark.parametrize("value, expected", [
    (["a/b", "c/d"], ("a/b", "c/d")),
    ({"relation": "finetune", "models": [{"id": "a/b"}]}, ("a/b",)),
    (None, None),
    ("a/b", None),
])
def test_base_models_shapes(value, expected):
    assert base_models_of(value) == expected


def test_raw_items_and_list_models_give_the_same_repos():
    """Our JSON conversion equals converting huggingface_hub's own ModelInfo objects."""
    import httpx2
    from huggingface_hub import HfApi, set_client_factory

    hub = FakeHub(page_size=3)
    hub.add("acme/a", gated="manual", license="other", license_name="acme-community")
    hub.add("acme/b", created_at=HUB_PLACEHOLDER_CREATED_AT, base_model="acme/a", params=None)
    hub.add("acme/c", extra_tags=("moe", "vision"), downloads=0)
    hub.add("acme/d", library_name="gguf", pipeline_tag="image-text-to-text")
    # A plain client: a refresh run by an earlier test leaves its own factory installed, whose
    # transport only talks to that test's Hub (another port: another origin).
    set_client_factory(lambda: httpx2.Client(follow_redirects=True))
    with hub:
        api = HfApi(endpoint=hub.url, token=False)
        infos = list(api.list_models(author="acme", expand=LIST_EXPAND))
    assert len(infos) == 4
    items = {k: v for k, v in hub.models.items()}
    for info in infos:
        via_info = repo_from_info(info, org="acme", vendor="acme", fetched_at="t")
        via_item = repo_from_item(items[info.id.lower()], org="acme", vendor="acme", fetched_at="t")
        assert via_info == via_item, info.id
