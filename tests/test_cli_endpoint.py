"""`--endpoint URL` is a global option (issue 14, item 16): before or after the subcommand, like
--offline; `refresh --endpoint` keeps working. Real CLI, real refresh against the fake Hub."""

from __future__ import annotations

import os

import pytest
from fakehub import FakeHub

from qwen_tui.cli import main


@pytest.fixture(autouse=True)
def restored_endpoint(monkeypatch):
    """main() sets HF_ENDPOINT for the process: put it back after each test."""
    monkeypatch.delenv("HF_ENDPOINT", raising=False)


@pytest.fixture
def hub(monkeypatch):
    h = FakeHub()
    h.add("acme/Acme-1-7B")
    with h:
        monkeypatch.delenv("HF_ENDPOINT", raising=False)
        yield h


def run(capsys, *argv, catalog):
    code = main([*argv, "--catalog", str(catalog)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("where", ["before", "after", "refresh's own"])
def test_endpoint_before_or_after_the_command_reaches_the_refresh(hub, capsys, fixture_catalog_dir,
                                                                   monkeypatch, where):
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # the flag must win over it
    argv = {"before": ["--endpoint", hub.url, "refresh", "--vendor", "acme"],
            "after": ["refresh", "--vendor", "acme", "--endpoint", hub.url],
            "refresh's own": ["refresh", "--endpoint", hub.url, "--vendor", "acme"]}[where]
    code, out, err = run(capsys, *argv, catalog=fixture_catalog_dir)
    assert code == 0, err
    assert out.startswith("refreshed 1 of 1 vendors")
    assert hub.seen("/api/models"), "the fake Hub was asked"


def test_endpoint_with_offline_opens_nothing_and_says_so(hub, capsys, fixture_catalog_dir):
    code, out, err = run(capsys, "--endpoint", "http://127.0.0.1:9", "--offline", "refresh",
                         catalog=fixture_catalog_dir)
    assert code == 1 and out == ""
    from qwen_tui.hub.settings import OFFLINE_REFRESH_MESSAGE

    assert err == f"qwen-tui: error: {OFFLINE_REFRESH_MESSAGE}\n"
    assert not hub.seen()


@pytest.mark.parametrize("argv", [["--endpoint", "http://127.0.0.1:9", "vendors"],
                                  ["vendors", "--endpoint", "http://127.0.0.1:9"],
                                  ["list", "--endpoint", "http://127.0.0.1:9", "--json"]])
def test_every_command_accepts_endpoint(capsys, fixture_catalog_dir, argv):
    code, out, err = run(capsys, *argv, catalog=fixture_catalog_dir)
    assert code == 0 and err == "" and out


@pytest.mark.parametrize("argv", [["--endpoint", "ftp://x", "vendors"], ["vendors", "--endpoint", "nope"]])
def test_a_bad_endpoint_is_a_usage_error_naming_the_flag(capsys, fixture_catalog_dir, argv):
    code, out, err = run(capsys, *argv, catalog=fixture_catalog_dir)
    assert code == 2 and out == ""
    assert err.startswith("qwen-tui: error: --endpoint: ") and "http(s)://" in err
    assert err.count("\n") == 1


def test_endpoint_reaches_the_explorers_refresh(monkeypatch):
    # The explorer's `r` names and uses the host the Hub client resolves: HF_ENDPOINT as set by
    # the global flag.
    from qwen_tui.cli import _use_endpoint
    from qwen_tui.hub.client import endpoint_host as hub_host

    monkeypatch.setenv("HF_ENDPOINT", "https://huggingface.co")
    _use_endpoint("http://127.0.0.1:8123/")
    assert os.environ["HF_ENDPOINT"] == "http://127.0.0.1:8123"
    assert hub_host() == "127.0.0.1:8123"
