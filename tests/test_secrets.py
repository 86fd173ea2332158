"""HF_TOKEN is used and never written: not in the cache or config dirs, no export, no log, no output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fakehub import FakeHub

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "hf_SecretsSuiteToken_7c1a2b3d4e5f60718293a4b5c6d7e8f9"


@pytest.fixture
def hub():
    h = FakeHub(page_size=2)
    for name in ("Acme-1-7B", "Acme-1-7B-Chat", "Acme-2-1B", "Acme-2-70B", "Acme-3-8B"):
        h.add(f"acme/{name}")
    # A server that echoes the credential back in an error, as a careless proxy might (403: not
    # retried, so the test stays fast).
    h.fault("list:globex", status=403, body=f'{{"error": "bad auth Bearer {TOKEN}"}}'.encode(),
            headers={"X-Error-Message": f"token {TOKEN} rejected"})
    with h:
        yield h


def cli(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "qwen_tui", *argv], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


def test_token_appears_nowhere(hub: FakeHub, isolated_dirs: dict[str, Path], fixture_catalog_dir: Path,
                               tmp_path: Path) -> None:
    env = dict(os.environ, HF_TOKEN=TOKEN, HF_ENDPOINT=hub.url)
    cat = ["--catalog", str(fixture_catalog_dir)]
    outputs = []
    for argv in (["refresh", *cat], ["hub-change"], ["refresh", *cat], ["list", "--json", *cat],
                 ["list", "--csv", *cat], ["list", "--status", "discovered", "--json", *cat],
                 ["vendors", "--json", *cat], ["diff", "--json", *cat], ["diff", *cat], ["paths"]):
        if argv == ["hub-change"]:
            hub.update("acme/Acme-2-1B", gated="manual")
            continue
        proc = cli(env, *argv)
        assert proc.returncode in (0, 1), (argv, proc.stderr)
        outputs.append(proc.stdout + proc.stderr)
    # The token was really used: every request carried it.
    auth = {r.header("authorization") for r in hub.requests}
    assert auth == {f"Bearer {TOKEN}"}
    # globex failed with the echoed token in its error: the failure is reported, the token is not.
    assert any("globex" in o and "failed" in o for o in outputs)
    for text in outputs:
        assert TOKEN not in text
        assert TOKEN[3:20] not in text  # not even a fragment
    files = [p for d in isolated_dirs.values() if d.exists() for p in d.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sqlite3" for p in files) and any(p.name.endswith(".log") for p in files)
    for p in files:
        data = p.read_bytes()
        assert TOKEN.encode() not in data, p
        assert TOKEN[3:20].encode() not in data, p


# -- the token goes to the endpoint's exact origin only (issue 11 §3) ----------------------------

@pytest.fixture
def elsewhere():
    """A second loopback server on another port of the same host: it must receive no token."""
    other = FakeHub(page_size=100)
    other.add("acme/Elsewhere")
    with other:
        yield other


def _refresh(hub_url: str, fixture_catalog_dir: Path, token: str = TOKEN):
    from qwen_tui.catalog.loader import load_catalog
    from qwen_tui.hub.settings import SyncSettings
    from qwen_tui.paths import default_paths
    from qwen_tui.store import Store
    from qwen_tui.sync import refresh

    store = Store.open(default_paths().cache_db)
    try:
        return refresh(load_catalog([fixture_catalog_dir], bundled=False), store, endpoint=hub_url,
                       token=token, settings=SyncSettings(workers=4, max_retries=1, backoff_base=0.01,
                                                          read_timeout=2))
    finally:
        store.close()


def test_link_to_another_port_gets_no_token(hub: FakeHub, elsewhere: FakeHub, fixture_catalog_dir: Path) -> None:
    import json as _json

    page = _json.dumps([{"_id": "1", "id": "acme/Acme-1-7B"}]).encode()
    hub.fault("list:acme", body=page,
              headers={"Link": f'<{elsewhere.url}/api/models?author=acme&cursor=1>; rel="next"'})
    report = _refresh(hub.url, fixture_catalog_dir)
    assert [r.header("authorization") for r in elsewhere.requests] == []
    assert elsewhere.requests == []  # not followed at all: another origin
    assert "acme" in report.failed and elsewhere.url.split("//")[1] in report.failed["acme"]
    assert "not the endpoint's origin" in report.failed["acme"]


def test_redirect_to_another_port_gets_no_token(hub: FakeHub, elsewhere: FakeHub, fixture_catalog_dir: Path) -> None:
    hub.fault("model:acme/Acme-2-1B", status=307,
              headers={"Location": f"{elsewhere.url}/api/models/acme/Elsewhere"})
    report = _refresh(hub.url, fixture_catalog_dir)
    assert elsewhere.requests == []
    assert "acme" in report.failed and "not the endpoint's origin" in report.failed["acme"]


def test_token_echoed_after_filler_is_redacted_before_the_cut(hub: FakeHub, isolated_dirs: dict[str, Path],
                                                             fixture_catalog_dir: Path) -> None:
    hub.fault("list:globex", status=403, headers={"X-Error-Message": "x" * 170 + f" Bearer {TOKEN} rejected"})
    env = dict(os.environ, HF_TOKEN=TOKEN, HF_ENDPOINT=hub.url)
    proc = cli(env, "refresh", "--catalog", str(fixture_catalog_dir))
    assert proc.returncode == 1 and "failed: globex" in proc.stdout, proc.stdout + proc.stderr
    log = next(isolated_dirs["cache"].rglob("*.log")).read_text()
    for text in (proc.stdout + proc.stderr, log):
        assert "Bearer hf_" not in text and TOKEN[:12] not in text, text


def test_endpoint_credentials_are_kept_out_of_log_cache_and_diff(hub: FakeHub, isolated_dirs: dict[str, Path],
                                                                 fixture_catalog_dir: Path) -> None:
    url = hub.url.replace("http://", "http://someone:pa55w0rd-secret@")
    env = dict(os.environ, HF_ENDPOINT=url)
    outputs = []
    for argv in (["refresh"], ["refresh"], ["diff", "--json"], ["diff"]):
        proc = cli(env, *argv, "--catalog", str(fixture_catalog_dir))
        assert proc.returncode in (0, 1), proc.stderr
        outputs.append(proc.stdout + proc.stderr)
    assert '"endpoint": "' + hub.url + '"' in outputs[2]
    files = [p for d in isolated_dirs.values() if d.exists() for p in d.rglob("*") if p.is_file()]
    for blob in [o.encode() for o in outputs] + [p.read_bytes() for p in files]:
        assert b"pa55w0rd-secret" not in blob and b"someone:" not in blob


def test_bad_endpoint_url_is_one_line_exit_2(isolated_dirs: dict[str, Path], fixture_catalog_dir: Path) -> None:
    proc = cli(dict(os.environ), "refresh", "--endpoint", "http://[::1", "--catalog", str(fixture_catalog_dir))
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "--endpoint" in proc.stderr and "Traceback" not in proc.stderr
