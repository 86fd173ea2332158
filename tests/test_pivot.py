"""Issue 15 (headless): trends add up to `list`, shifts come out of the rules, the commercial
filter never lets a restricted license through, and the CLI's shapes and exit codes."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from qwen_tui.catalog.flagships import load_flagships
from qwen_tui.catalog.loader import load_catalog
from qwen_tui.cli import main
from qwen_tui.errors import CatalogError
from qwen_tui.model import PartialDate
from qwen_tui.pivot.commercial import Commercial, classify_release, license_class
from qwen_tui.pivot.shifts import find_shifts
from qwen_tui.pivot.trends import period_of, trend_grid
from qwen_tui.query import Dataset

PIVOT = Path(__file__).parent / "data" / "pivot"
STATUS_KEYS = {"open-weight": "open_weight", "gated": "gated", "cloud-only": "cloud_only",
               "withdrawn": "withdrawn"}


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def list_counts(capsys: pytest.CaptureFixture[str], vendor: str, by: str, *extra: str) -> Counter:
    """(period, status key) -> rows of `list --vendor V --json`, bucketed by the row's date."""
    rows = cli_json(capsys, "list", "--vendor", vendor, "--json", *extra)
    return Counter((period_of(PartialDate.parse(r["date"]), by), STATUS_KEYS[r["status"]]) for r in rows)


def trend_counts(trends: list[dict], vendor: str) -> Counter:
    c: Counter = Counter()
    for t in trends:
        if t["vendor"] == vendor:
            for key in STATUS_KEYS.values():
                if t[key]:
                    c[(t["period"], key)] += t[key]
    return c


# -- trends ------------------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["year", "quarter"])
def test_trends_equal_list_for_every_bundled_vendor_and_period(capsys, by: str) -> None:
    trends = cli_json(capsys, "trends", "--by", by, "--json")
    vendors = sorted({t["vendor"] for t in trends})
    assert len(vendors) >= 18
    for v in vendors:
        assert trend_counts(trends, v) == list_counts(capsys, v, by), v
    assert all(set(t) == {"vendor", "period", "open_weight", "gated", "cloud_only", "withdrawn"}
               for t in trends)


def test_trends_follow_hub_evidence_like_list(capsys, monkeypatch, fixture_catalog_dir) -> None:
    """After a refresh from the fake Hub, effective statuses move; trends moves with list."""
    from fakehub import FakeHub

    cat = ["--catalog", str(fixture_catalog_dir)]
    before = cli_json(capsys, "trends", "--json", *cat)
    hub = FakeHub()
    hub.add("acme/Acme-1-7B", gated="manual")  # open-weight in the catalog, gated on the Hub
    hub.add("acme/Acme-1-7B-Chat")
    hub.add("acme/Acme-3-8B")                  # gated in the catalog, open on the Hub
    hub.add("globex/globex-small")             # withdrawn in the catalog, back on the Hub
    # acme-2's repos are absent: the Hub says withdrawn.
    with hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        assert main(["refresh", *cat]) == 0
        capsys.readouterr()
    after = cli_json(capsys, "trends", "--json", *cat)
    assert after != before  # the Hub evidence reached the counts
    for v in ("acme", "globex"):
        assert trend_counts(after, v) == list_counts(capsys, v, "year", *cat), v
    row = next(t for t in after if t["vendor"] == "acme" and t["period"] == "2024")
    assert row["withdrawn"] == 1  # acme-2


def test_trend_grid_is_contiguous_and_typed() -> None:
    cat = load_catalog([PIVOT], bundled=False)
    grid = trend_grid(Dataset(cat), by="quarter")
    assert grid.vendors == ("closer", "flipper", "opener")
    assert grid.periods[0] == "2023-Q1" and grid.periods[-1] == "2026-Q2"
    assert len(grid.periods) == len(set(grid.periods)) == 14  # empty quarters included
    assert grid.cell("closer", "2024-Q1").gated == 1  # c2, a month-precision date
    assert grid.cell("closer", "2026-Q2").total == 2
    assert sum(r.cell.total for r in grid.rows()) == len(cat.releases)
    with pytest.raises(ValueError):
        trend_grid(Dataset(cat), by="month")


# -- shifts ------------------------------------------------------------------------------------


def test_openai_opening_comes_out_of_the_sourced_flagships(capsys) -> None:
    shifts = cli_json(capsys, "shifts", "--json")
    assert all(set(s) == {"vendor", "date", "direction", "release", "previous", "evidence"} for s in shifts)
    openai = [s for s in shifts if s["vendor"] == "openai"]
    assert [(s["date"], s["direction"], s["release"], s["previous"]) for s in openai] == \
        [("2025-08-05", "opening", "gpt-oss", "o3")]
    cat = load_catalog()
    sources = {f.release: f.source for f in load_flagships(cat)}
    for ev in openai[0]["evidence"]:  # each step of the rule cites its vendor source
        assert ev["source"] == sources[ev["release"]]
    assert [ev["status"] for ev in openai[0]["evidence"]] == ["cloud-only", "cloud-only", "open-weight"]


def test_alibaba_closing_and_reopening_come_out_of_the_sourced_tier_facts(capsys) -> None:
    """Alibaba's Model Studio heads its Max, Plus and Turbo tiers as 旗舰模型 (flagship models);
    Qwen's card names Qwen3.5-397B-A17B the open form of Qwen3.5-Plus and the Qwen3.8 README names
    Qwen3.8-2.4T-A95B a Max-class open release. From those facts alone the rule yields the
    2026-04-02 closing (Qwen3.6-Plus, no open flagship-tier model in Qwen3.6 or Qwen3.7) and the
    2026-08-12 reopening; nothing about either shift is typed in."""
    shifts = cli_json(capsys, "shifts", "--json")
    alibaba = [s for s in shifts if s["vendor"] == "alibaba"]
    assert [(s["date"], s["direction"], s["release"], s["previous"]) for s in alibaba] == [
        ("2026-04-02", "closing", "qwen3.6-plus", "qwen3.5"),
        ("2026-08-12", "opening", "qwen3.8-2.4t-a95b", "qwen3.7-plus"),
    ]
    closing = alibaba[0]
    cited = {ev["release"]: ev for ev in closing["evidence"]}
    assert {"qwen2.5", "qwen3", "qwen3.5", "qwen3.6-plus"} <= set(cited)
    assert cited["qwen3.6-plus"]["role"] == "flagship-tier"
    assert cited["qwen3.6-plus"]["source"].startswith("https://help.aliyun.com/")
    assert cited["qwen3.5"]["source"] == "https://huggingface.co/Qwen/Qwen3.5-397B-A17B"
    assert closing["evidence"][-1]["status"] == "cloud-only"
    assert all(ev["status"] != "cloud-only" for ev in closing["evidence"][:-1])


def test_without_the_tier_facts_alibaba_has_no_shift() -> None:
    """The same catalog with only the flagship-worded facts (Qwen2.5, Qwen3, Qwen3-Max...) gives no
    Alibaba shift: the closing rests on the tier facts, and dropping them drops it."""
    cat = load_catalog()
    worded = tuple(f for f in load_flagships(cat) if f.role != "flagship-tier")
    assert [s for s in find_shifts(cat, worded) if s.vendor == "alibaba"] == []


def test_synthetic_closing_opening_and_no_shift() -> None:
    cat = load_catalog([PIVOT], bundled=False)
    shifts = find_shifts(cat, load_flagships(cat, [PIVOT], bundled=False))
    got = [(s.vendor, s.date, s.direction, s.release, s.previous) for s in shifts]
    assert got == [("opener", "2025-08-05", "opening", "o-open", "o-5"),
                   ("closer", "2026-04-02", "closing", "c3-plus", "c2")]
    # c2-max (cloud-only, same generation as the open c2) is a tier, not a closing; o-6 after one
    # open generation is not a run; flipper alternates and never has a run of two.
    assert [e.release for e in shifts[1].evidence] == ["c1", "c2", "c3-plus"]


@pytest.mark.parametrize(("text", "needle"), [
    ('[[flagship]]\nrelease = "c1"\nsource = "https://e.org"\nfalgship = true\n', "field 'falgship': unknown key"),
    ('[[flagship]]\nrelease = "nope"\nsource = "https://e.org"\n',
     "flagship 'nope': field 'release': unknown release id"),
    ('[[flagship]]\nrelease = "c1"\n', "flagship 'c1': field 'source': missing required field"),
    ('[[flagship]]\nrelease = "c1"\nsource = "e.org"\n', "is not an http(s) URL"),
    ('[[flagship]]\nrelease = "c1"\nsource = "https://e.org"\nrole = "hero"\n', "field 'role'"),
    ('[[flagship]]\nrelease = "c1"\nsource = "https://e.org"\n' * 2, "listed twice"),
    ('flagship = 3\n', "array of tables"),
])
def test_flagship_file_is_validated_strictly(tmp_path, text: str, needle: str) -> None:
    (tmp_path / "flagships.toml").write_text(text)
    cat = load_catalog([PIVOT], bundled=False)
    with pytest.raises(CatalogError) as exc:
        load_flagships(cat, [tmp_path], bundled=False)
    assert str(tmp_path / "flagships.toml") in str(exc.value) and needle in str(exc.value)


def test_bad_flagship_file_is_one_line_exit_2(tmp_path, capsys) -> None:
    folder = tmp_path / "user-catalog"
    folder.mkdir()
    (folder / "flagships.toml").write_text('[[flagship]]\nrelease = "gpt-9"\nsource = "https://e.org"\n')
    assert main(["shifts", "--catalog", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown release id 'gpt-9'" in err and "Traceback" not in err


# -- commercial --------------------------------------------------------------------------------


def test_unrestricted_never_lets_a_restricted_license_through() -> None:
    """Over every bundled release: unrestricted means every size's license is commercial_use=yes
    with no cap, naming duty, use policy or condition; unverified terms are never unrestricted."""
    cat = load_catalog()
    seen = Counter()
    for rel in cat.releases:
        v = classify_release(rel, cat.licenses)
        seen[v.cls] += 1
        if v.cls is Commercial.UNRESTRICTED:
            for lic_id in rel.license_ids:
                lic = cat.licenses[lic_id]
                assert lic.commercial_use == "yes", rel.id
                assert not (lic.mau_cap or lic.naming or lic.use_policy or lic.commercial_condition), rel.id
        if any(cat.licenses[i].commercial_use == "unknown" for i in rel.license_ids if rel.hf_repos):
            assert v.cls is not Commercial.UNRESTRICTED, rel.id
    assert seen[Commercial.UNRESTRICTED] and seen[Commercial.CONDITIONAL] and seen[Commercial.NONE]
    for lic in cat.licenses.values():
        if lic.commercial_use != "yes":
            assert license_class(lic) is not Commercial.UNRESTRICTED, lic.id


def test_classes_and_per_size_verdicts_on_the_synthetic_catalog() -> None:
    cat = load_catalog([PIVOT], bundled=False)
    cls = {r.id: classify_release(r, cat.licenses) for r in cat.releases}
    assert cls["f1"].cls is Commercial.UNRESTRICTED
    assert cls["c2"].cls is Commercial.CONDITIONAL      # MAU cap
    assert cls["c3-mini"].cls is Commercial.CONDITIONAL  # use policy
    assert cls["o-open"].cls is Commercial.CONDITIONAL   # naming duty
    assert cls["c2-small"].cls is Commercial.UNKNOWN     # terms not verified
    assert cls["c3-plus"].cls is Commercial.NONE         # cloud-only
    c1 = cls["c1"]  # Apache 7B, research-only 70B: judged per size, strictest wins, and says so
    assert c1.cls is Commercial.NON_COMMERCIAL and c1.mixed
    assert c1.per_repo == (("closer/C1-7B", "apache-2.0", Commercial.UNRESTRICTED),
                           ("closer/C1-70B", "research-nc", Commercial.NON_COMMERCIAL))
    assert "judged per size" in c1.reason


def test_list_commercial_filter(capsys) -> None:
    cat = load_catalog()
    rows = cli_json(capsys, "list", "--commercial", "unrestricted", "--json")
    assert rows
    for r in rows:
        for lic_id in {r["license"], *r["repo_licenses"].values()}:
            lic = cat.licenses[lic_id]
            assert lic.commercial_use == "yes" and not (lic.mau_cap or lic.naming or lic.use_policy)
    none = cli_json(capsys, "list", "--commercial", "none", "--json")
    assert none and all(r["status"] == "cloud-only" for r in none)
    both = cli_json(capsys, "list", "--commercial", "unrestricted", "--commercial", "none", "--json")
    assert len(both) == len(rows) + len(none)


# -- CLI ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ["list", "--commercial", "free"],
    ["trends", "--vendor", "nosuchvendor"],
    ["trends", "--by", "month"],
    ["trends", "--json", "--csv"],
    ["shifts", "--bogus"],
])
def test_bad_values_are_one_line_exit_2(capsys, args: list[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("qwen-tui: error:") and "Traceback" not in err


def test_trends_csv_and_vendor_selection(capsys) -> None:
    assert main(["trends", "--vendor", "openai", "--vendor", "alibaba", "--by", "quarter", "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "vendor,period,open_weight,gated,cloud_only,withdrawn"
    assert {line.split(",")[0] for line in lines[1:]} == {"openai", "alibaba"}
    assert lines[1].startswith("openai,")  # the vendors in the order asked for
    # Trends count releases of every origin: the catalog's and those only models.dev lists.
    from qwen_tui.paths import default_paths
    from qwen_tui.query import Dataset

    releases = Dataset.load(default_paths()).catalog.releases_of("openai")
    q3 = [r for r in releases if period_of(r.date, "quarter") == "2025-Q3"]
    opened = sum(r.status.value == "open-weight" for r in q3)
    closed = sum(r.status.value == "cloud-only" for r in q3)
    assert opened and closed  # gpt-oss and GPT-5 in the same quarter
    assert f"openai,2025-Q3,{opened},0,{closed},0" in lines


def test_a_withdrawn_release_without_repos_is_judged_by_its_license_and_says_so() -> None:
    cat = load_catalog()
    withdrawn = [r for r in cat.releases if r.status.value == "withdrawn" and not r.hf_repos]
    assert withdrawn, "the bundled catalog has a withdrawn release without repos (WizardLM-2)"
    for rel in withdrawn:
        v = classify_release(rel, cat.licenses)
        assert v.cls is license_class(cat.licenses.get(rel.license))
        assert "weights withdrawn" in v.reason and "no Hub repo located" not in v.reason
