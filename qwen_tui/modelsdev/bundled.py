"""The dated copy of models.dev shipped in the package, for a first start with no network.

Built by scripts/build_modelsdev_bundle.py; `source` says which commit of anomalyco/models.dev
(MIT) it is. The first successful refresh of the models.dev source replaces it.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `list --json` with a memo never needs the parser
    from qwen_tui.modelsdev.parse import Parsed

BUNDLE_PATH = Path(__file__).parent / "data" / "models-dev.json"
# The fields of ModelMetadata the app maps; the bundle keeps these and the id.
KEPT_FIELDS = ("id", "name", "family", "release_date", "last_updated", "open_weights", "license",
               "links", "weights")


@dataclass(frozen=True)
class Bundle:
    parsed: Parsed
    commit: str
    date: str  # the snapshot's commit date, ISO 8601
    repository: str


def load_bundled(labs: Collection[str] | None = None, path: Path = BUNDLE_PATH) -> Bundle:
    """The bundled snapshot, validated like a fetched one (ModelsDevError if it is unusable)."""
    from qwen_tui.modelsdev.parse import parse_models

    raw = json.loads(path.read_text("utf-8"))
    src = raw.get("source", {}) if isinstance(raw, dict) else {}
    models = raw.get("models") if isinstance(raw, dict) else None
    return Bundle(parse_models(models, labs=labs), str(src.get("commit", "")),
                  str(src.get("date", "")), str(src.get("repository", "")))
