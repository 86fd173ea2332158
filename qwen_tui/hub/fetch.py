"""The two Hub calls a refresh makes: an org's full listing and model_info for one repo.

Both raise `FetchError` (one clean line, never the token) for anything that is not an answer.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from huggingface_hub.errors import (
    GatedRepoError,
    HfHubHTTPError,
    HFValidationError,
    OfflineModeIsEnabled,
    RepositoryNotFoundError,
)
from huggingface_hub.utils import get_session, hf_raise_for_status, validate_repo_id

from qwen_tui.evidence import HubRepo, RepoCheck
from qwen_tui.hub.client import HubSession
from qwen_tui.hub.convert import base_models_of, count, gated_mode, repo_from_item
from qwen_tui.hub.redact import redact
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


@dataclass(frozen=True)
class OrgListing:
    """One org's full listing: its repos, and how many items had an id the Hub could not have."""

    repos: list[HubRepo]
    invalid_ids: int = 0


def list_org(session: HubSession, org: str, vendor: str, fetched_at: str, *,
             on_progress: Callable[[int], None] | None = None,
             cancel: threading.Event | None = None) -> OrgListing:
    """Every repo of `org`, all pages. `on_progress(n)` gets the count so far, about every page."""
    # The request and Link following of huggingface_hub's `paginate` (what `HfApi.list_models`
    # runs), written out so that a chain of pages is bounded and a loop noticed; we take the raw
    # items instead of ModelInfo objects (see convert).
    repos: dict[str, HubRepo] = {}
    invalid = 0
    prefix = org.lower() + "/"
    n = 0
    try:
        for page in _pages(session, org, cancel):
            if not isinstance(page, list):
                raise FetchError(f"listing {org}: malformed answer from the Hub (not a list of models)")
            for item in page:
                n += 1
                if not isinstance(item, dict):
                    raise FetchError(f"listing {org}: malformed answer from the Hub (not a list of models)")
                if not valid_repo_id(item.get("id")):
                    invalid += 1  # e.g. '01-ai/=HYPERLINK(...)' or an id with a zero-width space
                    continue
                repo = repo_from_item(item, org=org, vendor=vendor, fetched_at=fetched_at)
                # Keep only the org's own repos, once each (a page boundary may repeat one).
                if repo is not None and repo.repo_id.lower().startswith(prefix):
                    repos.setdefault(repo.repo_id.lower(), repo)
            if on_progress is not None:
                on_progress(n)
    except (FetchError, Cancelled):
        raise
    except Exception as exc:  # noqa: BLE001 - any failure is this org's, never the whole refresh's
        raise FetchError(f"listing {org}: {describe(exc, session.secrets)}") from None
    return OrgListing(list(repos.values()), invalid)


def _pages(session: HubSession, org: str, cancel: threading.Event | None) -> Iterator[Any]:
    """The JSON of each listing page, following `Link: rel="next"`, at most `max_pages` of them."""
    url = f"{session.endpoint}/api/models"
    params: dict[str, Any] | None = {"author": org, "expand": LIST_EXPAND}
    seen = {""}  # cursors of the pages asked for; the first page has none
    http = get_session()
    limit = session.settings.max_pages
    for number in range(1, limit + 1):
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        r = http.get(url, params=params, headers=session.headers)
        hf_raise_for_status(r)
        yield r.json()
        link = r.links.get("next", {}).get("url")
        if not link:
            return
        cursor = dict(parse_qsl(urlsplit(link).query)).get("cursor", "")
        if cursor in seen:
            raise FetchError(f"listing {org}: the Hub's next-page link repeats a page already read "
                             f"(a Link loop); stopped after {number} pages")
        seen.add(cursor)
        url, params = link, None
    raise FetchError(f"listing {org}: more than {limit} pages; stopped (a Link loop?)")


def valid_repo_id(value: Any) -> bool:
    """huggingface_hub's own repo-id rule, plus the namespace every listed repo has."""
    if not isinstance(value, str) or "/" not in value:
        return False
    try:
        validate_repo_id(value)
    except HFValidationError:
        return False
    return True


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
        raise FetchError(f"model_info {repo_id}: {describe(exc, session.secrets)}") from None
    # The id the Hub answered under (a rename); one it could not have is not believed.
    answered = info.id if valid_repo_id(info.id) else repo_id
    renamed = answered.lower() != repo_id.lower()
    return RepoCheck(repo_id, "renamed" if renamed else "found", fetched_at,
                     renamed_to=answered if renamed else "", children=count(info.children_model_count),
                     gated=gated_mode(info.gated), base_models=base_models_of(info.base_models))


def describe(exc: BaseException, secrets: tuple[str, ...] = ()) -> str:
    """One line saying what went wrong, without secrets, tracebacks or headers.

    Secrets are redacted from the whole text before it is cut to length (a cut token could not be
    found afterwards)."""
    return clean(redact(_what(exc), secrets), 200)


def _what(exc: BaseException) -> str:
    if isinstance(exc, HubUnavailable):
        return str(exc)
    if isinstance(exc, OfflineModeIsEnabled):
        return "offline mode is on"
    if isinstance(exc, HfHubHTTPError):
        resp = exc.response
        status = resp.status_code if resp is not None else None
        msg = (resp.headers.get("X-Error-Message") if resp is not None else None) or exc.server_message or ""
        text = f"HTTP {status}" if status else "HTTP error"
        if msg:
            text += f": {msg}"
        return text
    if isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError)):
        return "malformed JSON from the Hub"
    if isinstance(exc, ValueError) and "JSON" in str(exc):
        return "malformed JSON from the Hub"
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
