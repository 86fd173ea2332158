"""Grouping discovered Hub repos into candidate releases, on real repo-id shapes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qwen_tui.evidence import HubRepo
from qwen_tui.grouping import HUB_DATE, group_release, group_repos, parse_name
from qwen_tui.model import PartialDate, Status


def repo(repo_id: str, created: str | None, license: str = "apache-2.0", license_name: str = "") -> HubRepo:
    org = repo_id.split("/", 1)[0]
    return HubRepo(repo_id=repo_id, org=org, vendor="v", fetched_at="2026-07-01T00:00:00Z",
                   created_at=f"{created}T10:00:00.000Z" if created else None,
                   license=license, license_name=license_name)


def by_name(groups):
    return {g.name: g for g in groups}


def test_variants_of_one_model_are_one_group() -> None:
    repos = [repo("Qwen/Qwen2.5-7B", "2024-09-16"), repo("Qwen/Qwen2.5-7B-Instruct", "2024-09-16"),
             repo("Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4", "2024-09-17"),
             repo("Qwen/Qwen2.5-7B-Instruct-GPTQ-Int8", "2024-09-17"),
             repo("Qwen/Qwen2.5-7B-Instruct-AWQ", "2024-09-17"),
             repo("Qwen/Qwen2.5-7B-Instruct-GGUF", "2024-09-18"),
             repo("Qwen/Qwen2.5-7B-Instruct-1M", "2025-01-26")]
    groups = group_repos(repos[:-1])
    assert len(groups) == 1
    (g,) = groups
    assert g.name == "Qwen2.5-7B" and g.repo_count == 6
    assert g.date == PartialDate(2024, 9, 16) and g.date_source == HUB_DATE
    assert g.hf_repos == tuple(sorted(r.repo_id for r in repos[:-1]))


def test_quantised_uploads_and_mlx_reuploads_follow_their_model() -> None:
    repos = [repo("Qwen/Qwen3-8B", "2025-04-28"), repo("Qwen/Qwen3-8B-FP8", "2025-04-28"),
             repo("Qwen/Qwen3-8B-MLX-4bit", "2025-06-10"), repo("Qwen/Qwen3-8B-AWQ", "2025-05-20"),
             repo("unsloth/Qwen3-8B-unsloth-bnb-4bit", "2025-04-29"),
             repo("bartowski/Qwen3-8B-Q4_K_M-GGUF", "2025-04-30")]
    (g,) = group_repos(repos)
    assert g.name == "Qwen3-8B" and g.repo_count == 6 and g.date == PartialDate(2025, 4, 28)


def test_sizes_released_together_are_one_group() -> None:
    sizes = ("0.5B", "1.5B", "3B", "7B", "14B", "32B", "72B")
    repos = [repo(f"Qwen/Qwen2.5-{s}-Instruct", "2024-09-16") for s in sizes]
    repos.append(repo("Qwen/Qwen2.5-72B-Instruct-AWQ", "2024-10-01"))
    (g,) = group_repos(repos)
    assert g.name == "Qwen2.5 (0.5B, 1.5B, 3B, 7B, 14B, 32B, 72B)"
    assert g.sizes == ("0.5B", "1.5B", "3B", "7B", "14B", "32B", "72B") and g.repo_count == 8


def test_a_family_name_reused_months_later_is_a_new_group() -> None:
    repos = [repo("mistralai/Mixtral-8x7B-v0.1", "2023-12-01"),
             repo("mistralai/Mixtral-8x7B-Instruct-v0.1", "2023-12-10"),
             repo("mistralai/Mixtral-8x22B-v0.1", "2024-04-10"),
             repo("mistralai/Mixtral-8x22B-Instruct-v0.1", "2024-04-17")]
    groups = group_repos(repos)
    assert [g.name for g in groups] == ["Mixtral-8x22B-v0.1", "Mixtral-8x7B-v0.1"]  # newest first
    assert groups[0].date == PartialDate(2024, 4, 10) and groups[0].repo_count == 2
    assert len({g.key for g in groups}) == 2


def test_different_versions_and_moe_sizes_stay_apart() -> None:
    repos = [repo("meta-llama/Llama-2-7b-chat-hf", "2023-07-13", "llama2"),
             repo("meta-llama/Llama-2-70b-hf", "2023-07-11", "llama2"),
             repo("meta-llama/Meta-Llama-3-8B-Instruct", "2024-04-17", "llama3"),
             repo("meta-llama/Llama-4-Scout-17B-16E-Instruct", "2025-04-02", "other", "llama4"),
             repo("meta-llama/Llama-4-Scout-17B-16E", "2025-04-02", "other", "llama4"),
             repo("Qwen/Qwen3-235B-A22B-Thinking-2507", "2025-07-25"),
             repo("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", "2025-07-21"),
             repo("Qwen/Qwen3-235B-A22B", "2025-04-28")]
    g = by_name(group_repos(repos))
    assert set(g) == {"Llama-2 (7b, 70b)", "Meta-Llama-3-8B", "Llama-4-Scout-17B-16E",
                      "Qwen3-235B-A22B-2507", "Qwen3-235B-A22B"}
    assert g["Llama-4-Scout-17B-16E"].licenses == ("llama4",)  # license_name behind "other"
    assert g["Qwen3-235B-A22B-2507"].repo_count == 2


def test_licenses_most_common_first() -> None:
    repos = [repo("Qwen/Qwen-1_8B", "2023-11-30", "other", "tongyi-qianwen-research"),
             repo("Qwen/Qwen-1_8B-Chat", "2023-11-30", "other", "tongyi-qianwen-research"),
             repo("Qwen/Qwen-72B", "2023-11-29", "other", "tongyi-qianwen"),
             repo("Qwen/Qwen-72B-Chat-Int4", "2023-12-01", "")]
    (g,) = group_repos(repos)
    assert g.name == "Qwen (1.8B, 72B)"
    assert g.licenses == ("tongyi-qianwen-research", "tongyi-qianwen")


def test_placeholder_dates_form_their_own_undated_group() -> None:
    repos = [repo("facebook/opt-125m", None, "other"), repo("facebook/opt-350m", None, "other"),
             repo("facebook/opt-iml-1.3b", "2022-12-20", "other")]
    groups = group_repos(repos)
    assert [(g.name, g.date) for g in groups] == [("opt-iml-1.3b", PartialDate(2022, 12, 20)),
                                                  ("opt (125m, 350m)", None)]
    assert group_release(groups[1], "meta") is None  # no date is invented


def test_group_as_release_marks_hub_provenance() -> None:
    (g,) = group_repos([repo("zai-org/GLM-4.5-Air", "2025-07-20", "mit"),
                        repo("zai-org/GLM-4.5-Air-FP8", "2025-07-20", "mit")])
    rel = group_release(g, "zhipu")
    assert rel is not None
    assert (rel.provenance, rel.status, rel.license, rel.vendor) == ("hub", Status.DISCOVERED, "mit", "zhipu")
    assert rel.hf_repos == ("zai-org/GLM-4.5-Air", "zai-org/GLM-4.5-Air-FP8")
    assert rel.id == "hub/zhipu/glm-4.5-air" and rel.sources[0].url == "https://huggingface.co/zai-org/GLM-4.5-Air"


def test_parse_name_shapes() -> None:
    assert parse_name("google/gemma-3n-E2B-it").family == "gemma-3n"
    assert parse_name("google/gemma-3n-E2B-it").size == "E2B"
    assert parse_name("microsoft/Phi-3-mini-4k-instruct").family == "phi-3-mini"
    assert parse_name("microsoft/Phi-3-mini-128k-instruct").family == "phi-3-mini"
    assert parse_name("deepseek-ai/DeepSeek-V3").family == "deepseek-v3"
    assert parse_name("Qwen/Qwen-1_8B-Chat").size == "1.8B"
    assert parse_name("org/7B").family == "7b"  # all-size names are kept whole, never empty


_token = st.sampled_from(["Qwen3", "Llama", "3.1", "7B", "70B", "8x7B", "A3B", "Instruct", "GGUF", "AWQ",
                          "Int4", "v0.1", "2507", "Coder", "it", "E2B", "Q4_K_M", "4bit"]) | st.text(
    alphabet="abcXYZ019._", min_size=1, max_size=6)
_repo_ids = st.lists(st.tuples(st.sampled_from(["Qwen", "unsloth", "meta-llama"]),
                               st.lists(_token, min_size=1, max_size=5)).map(lambda t: f"{t[0]}/{'-'.join(t[1])}"),
                     max_size=30, unique=True)


@settings(max_examples=200, deadline=None)
@given(_repo_ids, st.lists(st.sampled_from([None, "2024-01-05", "2024-01-20", "2024-06-01"]), min_size=30,
                           max_size=30))
def test_every_repo_lands_in_exactly_one_named_group(ids: list[str], days: list[str | None]) -> None:
    repos = [repo(i, d) for i, d in zip(ids, days, strict=False)]
    groups = group_repos(repos)
    placed = [r for g in groups for r in g.hf_repos]
    assert sorted(placed) == sorted(ids)
    assert all(g.name and g.repo_count for g in groups)
    assert len({g.key for g in groups}) == len(groups)
