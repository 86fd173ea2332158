"""The two Hub calls a refresh makes: an org's full listing and model_info for one repo.

Both raise `FetchError` (one clean line, never the token) for anything that is not an answer.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

from huggingface_hub.errors import GatedRepoError, HfHubHTTPError, OfflineModeIsEnabled, RepositoryNotFoundError
from huggingface_hub.utils import paginate

from qwen_tui.evidence import HubRepo, RepoCheck
from qwen_tui.hub.client import HubSession
from qwen_tui.hub.convert import base_models_of, count, fast_clean, gated_mode, repo_from_item
from qwen_tui.hub.transport import HubUnavailable
from qwen_tui.text import clean

# Everything a HubRepo holds, asked for explicitly: with `expand` the Hub sends only these.
LIST_EXPAND = ["createdAt", "lastModified", "downloads", "downloadsAllTime", "likes", "gated",
               "tags", "cardData", "pipeline_tag", "library_name", "safetensors", "private", "disabled"]
# model_info-only facts (the listing rejects them), plus gated to see it on a renamed repo.
CHECK_EXPAND = ["gated", "childrenModelCount", "baseModels"]


class FetchError(Exception):
    """A Hub call that gave no usable answer. str() is one line for the user."""


class Cancelled(Exception):
    """The refresh was abandoned (Ctrl-C); workers stop between pages."""


def list_org(session: HubSession, org: str, vendor: str, fetched_at: str, *,
             on_progress: Callable[[int], None] | None = None,
             cancel: threading.Event | None = None) -> list[HubRepo]:
    """Every repo of `org`, all pages. `on_progress(n)` gets the count so far, about every page."""
    # huggingface_hub's `paginate` is what `HfApi.list_models` runs (same URL, params, Link
    # following, error mapping); we take its raw items instead of ModelInfo objects (see convert).
    repos: dict[str, HubRepo] = {}
    prefix = org.lower() + "/"
    try:
        items = paginate(f"{session.endpoint}/api/models",
                         params={"author": org, "expand": LIST_EXPAND}, headers=session.headers)
        for n, item in enumerate(items, 1):
            if not isinstance(item, dict):
                raise FetchError(f"listing {org}: malformed answer from the Hub (not a list of models)")
            repo = repo_from_item(item, org=org, vendor=vendor, fetched_at=fetched_at)
            # Keep only the org's own repos, once each (a page boundary may repeat one).
            if repo is not None and repo.repo_id.lower().startswith(prefix):
                repos.setdefault(repo.repo_id.lower(), repo)
            if n % 100 == 0:
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
                if on_progress is not None:
                    on_progress(n)
    except (FetchError, Cancelled):
        raise
    except Exception as exc:  # noqa: BLE001 - any failure is this org's, never the whole refresh's
        raise FetchError(f"listing {org}: {describe(exc)}") from None
    return list(repos.values())


def check_repo(session: HubSession, repo_id: str, fetched_at: str) -> RepoCheck:
    """model_info for one catalogued repo: found (children, gated), renamed (307) or missing."""
    try:
        info = session.api.model_info(repo_id, expand=CHECK_EXPAND)  # type: ignore[arg-type]
    except GatedRepoError:
        # Metadata of a gated repo is public on the Hub; an error here still proves it exists.
        return RepoCheck(repo_id, "found", fetched_at, gated="gated")
    except RepositoryNotFoundError:
        return RepoCheck(repo_id, "missing", fetched_at)
    except Exception as exc:  # noqa: BLE001
        raise FetchError(f"model_info {repo_id}: {describe(exc)}") from None
    answered = fast_clean(info.id, 200) if isinstance(info.id, str) else repo_id
    common = dict(children=count(info.children_model_count), gated=gated_mode(info.gated),
                  base_models=base_models_of(info.base_models))
    if answered.lower() != repo_id.lower():
        return RepoCheck(repo_id, "renamed", fetched_at, renamed_to=answered, **common)
    return RepoCheck(repo_id, "found", fetched_at, **common)


def describe(exc: BaseException) -> str:
    """One line saying what went wrong, without URLs' hosts, tracebacks or headers."""
    if isinstance(exc, HubUnavailable):
        return clean(str(exc), 200)
    if isinstance(exc, OfflineModeIsEnabled):
        return "offline mode is on"
    if isinstance(exc, HfHubHTTPError):
        resp = exc.response
        status = resp.status_code if resp is not None else None
        msg = (resp.headers.get("X-Error-Message") if resp is not None else None) or exc.server_message or ""
        text = f"HTTP {status}" if status else "HTTP error"
        if msg:
            text += f": {msg}"
        return clean(text, 200)
    if isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError)):
        return "malformed JSON from the Hub"
    if isinstance(exc, ValueError) and "JSON" in str(exc):
        return "malformed JSON from the Hub"
    return clean(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", 200)
