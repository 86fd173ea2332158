"""Hub evidence: what a refresh saw on the Hugging Face Hub, as plain data.

Built by `qwen_tui.hub` from `huggingface_hub.ModelInfo` objects, stored by `qwen_tui.store`,
read by `qwen_tui.query`. Every string in here has been through `text.clean()` on the way in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The Hub's createdAt for repos made before it kept creation dates: not a real date.
HUB_PLACEHOLDER_CREATED_AT = "2022-03-02T23:29:04.000Z"


@dataclass(frozen=True)
class HubRepo:
    """One model repo as the Hub described it at `fetched_at` (ISO 8601 UTC)."""

    repo_id: str
    org: str
    vendor: str
    fetched_at: str
    created_at: str | None = None  # ISO 8601, None when unknown or the Hub's placeholder
    last_modified: str | None = None
    downloads: int | None = None  # last 30 days
    downloads_all_time: int | None = None
    likes: int | None = None
    gated: str | None = None  # "auto" | "manual" | None (not gated)
    license: str = ""  # the Hub's license tag ("apache-2.0", "other", ...)
    license_name: str = ""  # cardData.license_name, used with license "other"
    pipeline_tag: str = ""
    library_name: str = ""
    params: int | None = None  # total parameters from safetensors metadata
    tags: tuple[str, ...] = ()
    base_models: tuple[str, ...] = ()
    children: int | None = None  # derivative models (childrenModelCount)
    renamed_to: str = ""  # set when model_info answered for this id under another name (307)
    private: bool = False
    disabled: bool = False

    @property
    def is_gated(self) -> bool:
        return bool(self.gated)


@dataclass(frozen=True)
class RepoCheck:
    """model_info's answer for one catalogued repo, as fetched and as stored (repo_check rows).

    `state`: 'found' (answered under this id), 'renamed' (answered under `renamed_to`, a 307) or
    'missing' (404). A failed call is no answer: the previous snapshot's check is kept instead.
    `base_models` is None when not known (the store keeps it on the repo row, not here).
    `gated` is "auto" / "manual" as the Hub says, "gated" when model_info was refused as gated
    (gated, mode unknown), None when not gated or unknown.
    """

    repo_id: str
    state: str
    fetched_at: str
    renamed_to: str = ""
    children: int | None = None
    gated: str | None = None
    base_models: tuple[str, ...] | None = None


@dataclass(frozen=True)
class OrgResult:
    """How fetching one Hub org went in one refresh."""

    vendor: str
    org: str
    ok: bool
    repos: int = 0
    error: str = ""  # one line, clean, never contains the token
    fetched_at: str = ""


@dataclass(frozen=True)
class Snapshot:
    """One finished refresh. `orgs` says which orgs were fetched in it and which were carried over."""

    id: int
    started_at: str
    finished_at: str
    endpoint: str
    orgs: tuple[OrgResult, ...] = field(default=())

    @property
    def failed(self) -> tuple[OrgResult, ...]:
        return tuple(o for o in self.orgs if not o.ok)
