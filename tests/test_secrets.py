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
