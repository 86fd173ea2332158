"""THE offline rule, alone in a light module: the explorer asks it before its first frame."""

from __future__ import annotations

import os

# What a refresh says when offline mode stops it: the CLI, `sync.refresh` and the explorer say this.
OFFLINE_REFRESH_MESSAGE = ("cannot refresh in offline mode (--offline, HF_HUB_OFFLINE=1 or TRANSFORMERS_OFFLINE=1); "
                           "the cached data is shown as it is")


def offline_mode() -> bool:
    """THE offline rule: HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE as set now (huggingface_hub reads
    them once, at import, so a flag set later would be missed by the library's own check)."""
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        if os.environ.get(name, "").strip().upper() in ("1", "ON", "YES", "TRUE"):
            return True
    return False
