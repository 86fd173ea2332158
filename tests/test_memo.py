"""The catalog memo cannot run code or smuggle text past the loader's checks (issue 11 §2)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

from qwen_tui.catalog.loader import load_catalog
from qwen_tui.catalog.memo import load_catalog_memoised


class _RunsCode:
    """A pickle that, when loaded, creates a file: what an attacker with write access would plant."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _memo(memo_dir: Path) -> Path:
    (memo,) = [p for p in memo_dir.iterdir() if p.name.startswith("catalog-")]
    return memo


def test_a_planted_pickle_is_never_loaded(tmp_path: Path, fixture_catalog_dir: Path) -> None:
    memo_dir = tmp_path / "memo"
    first = load_catalog_memoised([fixture_catalog_dir], memo_dir=memo_dir)
    memo = _memo(memo_dir)
    marker = tmp_path / "pwned"
    memo.write_bytes(pickle.dumps(_RunsCode(marker)))
    again = load_catalog_memoised([fixture_catalog_dir], memo_dir=memo_dir)
    assert not marker.exists()
    assert again == first


def test_the_memo_is_plain_json_equal_to_a_fresh_parse(tmp_path: Path, fixture_catalog_dir: Path) -> None:
    memo_dir = tmp_path / "memo"
    load_catalog_memoised([fixture_catalog_dir], memo_dir=memo_dir)
    json.loads(_memo(memo_dir).read_text("utf-8"))
    # Read back from the memo, it is the same catalog as the loader's, bundled data included.
    assert load_catalog_memoised([fixture_catalog_dir], memo_dir=memo_dir) == load_catalog([fixture_catalog_dir])


def test_a_memo_with_control_characters_is_parsed_again(tmp_path: Path, fixture_catalog_dir: Path) -> None:
    memo_dir = tmp_path / "memo"
    first = load_catalog_memoised([fixture_catalog_dir], memo_dir=memo_dir)
    memo = _memo(memo_dir)
    name = first.releases[0].name
    for evil in ("\\u001b]52;c;ZXZpbA==\\u0007", "\u202e", "\u009b2J"):
        memo.write_text(memo.read_text("utf-8").replace(json.dumps(name)[1:-1], name + evil, 1), "utf-8")
        again = load_catalog_memoised([fixture_catalog_dir], memo_dir=memo_dir)
        assert again == first, evil
