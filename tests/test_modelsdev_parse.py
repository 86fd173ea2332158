"""models.json validation: the real-shaped fixture parses whole; hostile input is dropped and
counted, or fails the whole source with one line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from qwen_tui.model import PartialDate
from qwen_tui.modelsdev.parse import (
    MAX_ENTRIES,
    ModelsDevError,
    hf_repo_of,
    parse_models,
    parse_models_json,
    safe_url,
)
from qwen_tui.text import clean

FIXTURE = Path(__file__).parent / "data" / "modelsdev" / "models.json"


def _good(name: str = "Model X", **extra: object) -> dict:
    return {"id": "x", "name": name, "release_date": "2026-01-02", "open_weights": False, **extra}


def test_fixture_parses_whole() -> None:
    parsed = parse_models_json(FIXTURE.read_bytes())
    assert len(parsed.entries) == 42
    assert parsed.dropped == {} and parsed.links_dropped == 0
    by_key = {e.key: e for e in parsed.entries}
    e = by_key["alibaba/qwen3.5-27b"]
    assert (e.name, e.family, e.lab) == ("Qwen3.5 27B", "qwen", "alibaba")
    assert e.release_date == PartialDate(2026, 2, 23) and e.open_weights is True
    assert e.hf_repos == ("Qwen/Qwen3.5-27B",)
    assert by_key["alibaba/qwen3-32b"].release_date == PartialDate(2025, 4)  # month precision kept
    ornith = by_key["deepreinforce/ornith-1.0-35b"]
    assert ornith.license == "MIT" and {ln.type for ln in ornith.links} == {"model_card", "announcement"}


def test_labs_filter_skips_other_labs() -> None:
    parsed = parse_models_json(FIXTURE.read_bytes(), labs={"zhipuai"})
    assert sorted(e.key for e in parsed.entries) == ["zhipuai/glm-5-turbo", "zhipuai/glm-5.2"]
    assert parsed.skipped_labs == 40 and parsed.dropped == {}


@pytest.mark.parametrize("body, words", [
    (b"{not json", "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not valid JSON"),
    (b"[1, 2]", "JSON list, not an object"),
    (b'"a string"', "JSON str"),
    (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    (b"", "not valid JSON"),
])
def test_unusable_body_fails_with_one_line(body: bytes, words: str) -> None:
    with pytest.raises(ModelsDevError) as exc:
        parse_models_json(body)
    assert words in str(exc.value) and "\n" not in str(exc.value)


def test_too_many_entries_fails_the_source() -> None:
    data = {f"lab/m{i}": _good(f"M{i}") for i in range(100_000)}
    with pytest.raises(ModelsDevError, match=f"100000 entries, more than {MAX_ENTRIES}"):
        parse_models_json(json.dumps(data))


def test_bad_entries_are_dropped_and_counted() -> None:
    data = {
        "openai/good": _good("Good"),
        "openai/esc": _good("Evil\x1b[31m red\x1b[0m"),
        "openai/osc": _good("Clip\x1b]52;c;ZXZpbA==\x07board"),
        "openai/bidi": _good("abc\u202edcb"),
        "openai/nl": _good("two\nlines"),
        "openai/noname": {"release_date": "2025-01-01"},
        "openai/emptyname": _good("   "),
        "openai/intname": _good(42),  # type: ignore[arg-type]
        "openai/baddate": _good(release_date="2025-13-40"),
        "openai/datetype": _good(release_date=20250101),
        "openai/ow": _good(open_weights="yes"),
        "openai/links": _good(links="https://example.com"),
        "openai/list": ["not", "an", "object"],
        "../../etc/passwd": _good("Traversal"),
        "openai/\x1bkey": _good("Key"),
        "nolab": _good("No lab"),
        "openai/long": _good("x" * 10_000),
    }
    parsed = parse_models(data)
    assert [e.key for e in parsed.entries] == ["openai/good"]
    assert parsed.dropped_total == len(data) - 1
    assert parsed.dropped["name has control characters"] == 4
    assert parsed.dropped["bad key"] == 3
    assert parsed.dropped["no name"] == 2
    assert parsed.dropped["release_date not a date"] == 1


def test_markup_in_names_stays_literal_text() -> None:
    name = "[bold red]Pwned[/bold red] [link=https://evil.example]x[/link]"
    parsed = parse_models({"openai/markup": _good(name)})
    assert parsed.entries[0].name == name
    out = io.StringIO()
    Console(file=out, force_terminal=True, color_system="truecolor", width=200).print(Text(name))
    assert name in out.getvalue() and "\x1b]8;" not in out.getvalue()


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<script>", "file:///etc/passwd",
    "https://example.com/\x1b[31m", "https://exa\u202emple.com/", "https://example.com/a b",
    "https://user:pw@example.com/", "//example.com/x", "https://", "ftp://example.com/x", 42, None,
    "https://[::1", "https://example.com/" + "a" * 3000,
])
def test_only_plain_http_urls_survive(url: object) -> None:
    assert safe_url(url) is None
    entry = _good("Linked", links=[{"url": url, "type": "docs"}, {"url": "https://ok.example/p", "type": "docs"}],
                  weights=[{"url": url, "label": "HF"}])
    parsed = parse_models({"openai/linked": entry})
    (e,) = parsed.entries
    assert [ln.url for ln in e.links] == ["https://ok.example/p"] and e.weights == ()
    assert parsed.links_dropped == 2


def test_hostile_link_labels_drop_the_link_only() -> None:
    entry = _good("L", links=[{"url": "https://ok.example/", "label": "\x1b[2Jwipe"},
                              {"url": "https://ok.example/2", "label": 7}, "not a dict"])
    parsed = parse_models({"openai/l": entry})
    assert parsed.entries[0].links == () and parsed.links_dropped == 3


def test_hf_repo_of_reads_model_pages_only() -> None:
    assert hf_repo_of("https://huggingface.co/Qwen/Qwen3.5-27B") == "Qwen/Qwen3.5-27B"
    assert hf_repo_of("https://huggingface.co/Qwen/Qwen3.5-27B/") == "Qwen/Qwen3.5-27B"
    assert hf_repo_of("https://huggingface.co/datasets/org/data") == ""
    assert hf_repo_of("https://huggingface.co/Qwen/Qwen3.5-27B/tree/main") == ""
    assert hf_repo_of("https://evil.example/Qwen/Qwen3.5-27B") == ""
    assert hf_repo_of("https://huggingface.co.evil.example/Qwen/X") == ""


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=30,
)
_entry_values = st.fixed_dictionaries({}, optional={
    "name": st.text(max_size=40) | _json, "family": st.text(max_size=10) | _json,
    "release_date": st.sampled_from(["2025-01-02", "2025-13", "x"]) | _json,
    "open_weights": _json, "license": st.text(max_size=20) | _json,
    "links": st.lists(st.fixed_dictionaries({"url": st.text(max_size=30) | _json}, optional={
        "type": _json, "label": st.text(max_size=20)}), max_size=3) | _json,
    "weights": st.lists(st.fixed_dictionaries({"url": st.sampled_from(
        ["https://huggingface.co/a/b", "javascript:x"]) | st.text(max_size=30)}), max_size=3) | _json,
})


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=30), _entry_values, max_size=8))
def test_anything_parses_to_clean_entries_or_counted_drops(data: dict) -> None:
    parsed = parse_models(data)
    assert len(parsed.entries) + parsed.dropped_total == len(data)
    for e in parsed.entries:
        for text in (e.key, e.name, e.family, e.license, *(ln.label for ln in e.links)):
            assert clean(text, 1000) == text
        assert all(safe_url(u) == u for u in [*(ln.url for ln in e.links), *(w.url for w in e.weights)])
