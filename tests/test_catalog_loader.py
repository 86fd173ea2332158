"""Every kind of catalog error names the file, the entry and the field, and is its own test."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from qwen_tui.catalog.loader import load_catalog
from qwen_tui.errors import CatalogError
from qwen_tui.model import PartialDate, Status

GOOD_VENDOR = textwrap.dedent('''\
    [vendor]
    id = "zeta"
    name = "Zeta Labs"
    country = "DE"
    hub_orgs = ["zeta"]
    cloud = "Zeta Cloud"

    [[release]]
    id = "zeta-1"
    name = "Zeta-1"
    generation = "Zeta 1"
    date = "2024-03-05"
    status = "open-weight"
    license = "mit"
    hf_repos = ["zeta/Zeta-1"]
    sources = [{ url = "https://example.org/zeta-1", kind = "announcement" }]
''')


def make_catalog(tmp_path: Path, vendor_text: str = GOOD_VENDOR, *, name: str = "zeta.toml",
                 license_text: str | None = None) -> Path:
    root = tmp_path / "cat"
    (root / "vendors").mkdir(parents=True)
    (root / "licenses").mkdir()
    (root / "vendors" / name).write_text(vendor_text, "utf-8")
    if license_text is not None:
        (root / "licenses" / "extra.toml").write_text(license_text, "utf-8")
    return root


def load_error(root: Path) -> CatalogError:
    with pytest.raises(CatalogError) as info:
        load_catalog([root])
    return info.value


def test_good_user_catalog_adds_to_bundled(tmp_path: Path) -> None:
    cat = load_catalog([make_catalog(tmp_path)])
    rel = cat.release("zeta-1")
    assert rel is not None and rel.vendor == "zeta" and rel.status is Status.OPEN_WEIGHT
    assert rel.date == PartialDate(2024, 3, 5) and rel.date.precision == "day"
    assert "zeta" in cat.vendors and len(cat.vendors) > 1  # the bundled vendors are still there


def test_fixture_catalog_loads_alone(fixture_catalog_dir: Path) -> None:
    cat = load_catalog([fixture_catalog_dir], bundled=False)
    assert set(cat.vendors) == {"acme", "globex"}
    acme2 = cat.release("acme-2")
    assert acme2 is not None and acme2.date.precision == "month" and acme2.disputed
    assert acme2.license_of("acme/Acme-2-70B") == "acme-community"
    assert acme2.license_of("acme/Acme-2-1B") == "apache-2.0"


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    err = load_error(make_catalog(tmp_path, GOOD_VENDOR + "\nbroken = = 1\n"))
    assert "zeta.toml:18" in str(err) and "invalid TOML" in str(err)


def test_unknown_key(tmp_path: Path) -> None:
    err = load_error(make_catalog(tmp_path, GOOD_VENDOR.replace('name = "Zeta-1"', 'name = "Zeta-1"\nlicence = "mit"')))
    assert err.field == "licence" and "unknown key" in str(err)
    assert "release 'zeta-1'" in str(err) and "zeta.toml:" in str(err)


def test_unknown_top_level_key(tmp_path: Path) -> None:
    err = load_error(make_catalog(tmp_path, GOOD_VENDOR + '\n[[releases]]\nid = "x"\n'))
    assert "unknown top-level key 'releases'" in str(err)


def test_missing_field(tmp_path: Path) -> None:
    err = load_error(make_catalog(tmp_path, GOOD_VENDOR.replace('generation = "Zeta 1"\n', "")))
    assert err.field == "generation" and "missing required field" in str(err)
    assert "zeta.toml:9" in str(err)  # the line of the release's id


@pytest.mark.parametrize("bad", ["2024-13-01", "2024-02-30", "24-03", "March 2024", "2024"])
def test_bad_date(tmp_path: Path, bad: str) -> None:
    err = load_error(make_catalog(tmp_path, GOOD_VENDOR.replace('"2024-03-05"', f'"{bad}"')))
    assert err.field == "date" and "bad date" in str(err) and bad in str(err)


def test_wrong_type(tmp_path: Path) -> None:
    err = load_error(make_catalog(tmp_path, GOOD_VENDOR.replace('date = "2024-03-05"', "date = 2024-03-05")))
    assert err.field == "date" and "must be a string" in str(err)


def test_unknown_license_id(tmp_path: Path) -> None:
    err = load_error(make_catalog(tmp_path, GOOD_VENDOR.replace('license = "mit"', 'license = "mitt"')))
    assert err.field == "license" and "unknown license id 'mitt'" in str(err)
    assert "zeta.toml:9" in str(err)


def test_unknown_status(tmp_path: Path) -> None:
    err = load_error(make_catalog(tmp_path, GOOD_VENDOR.replace('"open-weight"', '"open"')))
    assert err.field == "status" and "open-weight" in str(err)  # names the valid choices


def test_release_without_source(tmp_path: Path) -> None:
    source = 'sources = [{ url = "https://example.org/zeta-1", kind = "announcement" }]'
    text = GOOD_VENDOR.replace(source, "sources = []")
    err = load_error(make_catalog(tmp_path, text))
    assert err.field == "sources" and "at least one source" in str(err)


def test_release_with_no_sources_key(tmp_path: Path) -> None:
    text = GOOD_VENDOR.replace('sources = [{ url = "https://example.org/zeta-1", kind = "announcement" }]\n', "")
    err = load_error(make_catalog(tmp_path, text))
    assert err.field == "sources" and "missing required field" in str(err)


def test_bad_source_url_and_kind(tmp_path: Path) -> None:
    err = load_error(make_catalog(tmp_path, GOOD_VENDOR.replace("https://example.org/zeta-1", "example.org")))
    assert err.field == "sources" and "not an http(s) URL" in str(err)
    err = load_error(make_catalog(tmp_path / "b", GOOD_VENDOR.replace('"announcement"', '"blog"')))
    assert err.field == "sources" and "announcement" in str(err)


def test_duplicate_release_id(tmp_path: Path) -> None:
    dup = GOOD_VENDOR + GOOD_VENDOR[GOOD_VENDOR.index("[[release]]"):]
    err = load_error(make_catalog(tmp_path, dup))
    assert err.field == "id" and "duplicate release id" in str(err)


def test_duplicate_license_id(tmp_path: Path) -> None:
    lic = textwrap.dedent('''\
        [[license]]
        id = "zeta-l"
        name = "Zeta License"
        url = "https://example.org/l"
        osi_approved = false
        commercial_use = "yes"
        sources = [{ url = "https://example.org/l", kind = "license" }]
    ''')
    err = load_error(make_catalog(tmp_path, license_text=lic + "\n" + lic))
    assert "duplicate license id" in str(err) and "license 'zeta-l'" in str(err)


def test_conditional_commercial_use_needs_condition(tmp_path: Path) -> None:
    lic = textwrap.dedent('''\
        [[license]]
        id = "zeta-l"
        name = "Zeta License"
        url = "https://example.org/l"
        osi_approved = false
        commercial_use = "conditional"
        sources = [{ url = "https://example.org/l", kind = "license" }]
    ''')
    err = load_error(make_catalog(tmp_path, license_text=lic))
    assert err.field == "commercial_condition"


def test_open_release_needs_repos_and_cloud_release_has_none(tmp_path: Path) -> None:
    err = load_error(make_catalog(tmp_path, GOOD_VENDOR.replace('hf_repos = ["zeta/Zeta-1"]', "hf_repos = []")))
    assert err.field == "hf_repos" and "at least one Hub repo" in str(err)
    cloud = GOOD_VENDOR.replace('"open-weight"', '"cloud-only"')
    err = load_error(make_catalog(tmp_path / "b", cloud))
    assert err.field == "hf_repos" and "cloud-only" in str(err)


def test_bad_repo_id(tmp_path: Path) -> None:
    err = load_error(make_catalog(tmp_path, GOOD_VENDOR.replace('"zeta/Zeta-1"', '"Zeta-1"')))
    assert err.field == "hf_repos" and "org/name" in str(err)


def test_repo_license_for_unlisted_repo(tmp_path: Path) -> None:
    text = GOOD_VENDOR.replace('hf_repos = ["zeta/Zeta-1"]',
                               'hf_repos = ["zeta/Zeta-1"]\nrepo_licenses = { "zeta/Other" = "mit" }')
    err = load_error(make_catalog(tmp_path, text))
    assert err.field == "repo_licenses" and "not in hf_repos" in str(err)


def test_vendor_id_must_match_file_name(tmp_path: Path) -> None:
    err = load_error(make_catalog(tmp_path, name="other.toml"))
    assert err.field == "id" and "file name" in str(err)


def test_file_without_vendor_table_for_unknown_vendor(tmp_path: Path) -> None:
    text = GOOD_VENDOR[GOOD_VENDOR.index("[[release]]"):]
    err = load_error(make_catalog(tmp_path, text, name="nobody.toml"))
    assert "no [vendor] table" in str(err)


def test_bad_dispute(tmp_path: Path) -> None:
    text = GOOD_VENDOR + 'disputes = [{ field = "date", value = "2024-3", source = "https://example.org/x" }]\n'
    err = load_error(make_catalog(tmp_path, text))
    assert err.field == "disputes" and "bad disputed date" in str(err)


def test_unreadable_and_non_utf8_file(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    (root / "vendors" / "zeta.toml").write_bytes(b'[vendor]\nname = "\xff\xfe"\n')
    err = load_error(root)
    assert "not UTF-8" in str(err) and "zeta.toml" in str(err)
    (root / "vendors" / "zeta.toml").unlink()
    (root / "vendors" / "zeta.toml").mkdir()  # a folder where a file should be: cannot be read
    err = load_error(root)
    assert "cannot read" in str(err)


def test_stray_file_and_folder(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    (root / "zeta.toml").write_text(GOOD_VENDOR, "utf-8")
    assert "belong in vendors/ or licenses/" in str(load_error(root))
    (root / "zeta.toml").unlink()
    (root / "vendor").mkdir()
    assert "unknown folder" in str(load_error(root))


def test_user_entry_replaces_bundled_one(tmp_path: Path, fixture_catalog_dir: Path) -> None:
    root = tmp_path / "over"
    shutil.copytree(fixture_catalog_dir, root)
    text = (root / "vendors" / "acme.toml").read_text("utf-8").replace('name = "Acme-1"', 'name = "Acme One"')
    (root / "vendors" / "acme.toml").write_text(text, "utf-8")
    cat = load_catalog([fixture_catalog_dir, root], bundled=False)
    assert cat.release("acme-1").name == "Acme One"
    assert len(cat.releases_of("acme")) == 5  # replaced, not duplicated


def test_user_file_adds_a_release_to_a_known_vendor(tmp_path: Path, fixture_catalog_dir: Path) -> None:
    root = tmp_path / "add"
    (root / "vendors").mkdir(parents=True)
    text = GOOD_VENDOR[GOOD_VENDOR.index("[[release]]"):].replace("zeta-1", "acme-9").replace("zeta/", "acme/")
    (root / "vendors" / "acme.toml").write_text(text, "utf-8")
    cat = load_catalog([fixture_catalog_dir, root], bundled=False)
    assert cat.release("acme-9") is not None and cat.release("acme-9").vendor == "acme"
    assert len(cat.releases_of("acme")) == 6


def test_partial_date_ordering() -> None:
    dates = [PartialDate.parse(s) for s in ["2024-09-19", "2024-09", "2023-12-01", "2024-10-01"]]
    assert [str(d) for d in sorted(dates)] == ["2023-12-01", "2024-09-19", "2024-09", "2024-10-01"]


@pytest.mark.parametrize("payload", ["\x1b[31mred", "osc\x1b]52;c;aGk=\x07", "bell\x07", "rtl\u202eevil", "c1\x9b2J"])
def test_control_characters_are_rejected(tmp_path: Path, payload: str) -> None:
    escaped = payload.encode("unicode_escape").decode().replace('\\x', '\\u00')
    text = GOOD_VENDOR.replace('name = "Zeta-1"', 'name = "Zeta-1 ' + escaped + '"')
    err = load_error(make_catalog(tmp_path, text))
    assert err.field == "name" and "control character" in str(err)
    assert "\x1b" not in str(err)


def test_memo_is_used_and_invalidated_by_edits(tmp_path: Path) -> None:
    from qwen_tui.catalog.memo import load_catalog_memoised

    root = make_catalog(tmp_path)
    memo_dir = tmp_path / "memo"
    first = load_catalog_memoised([root], memo_dir=memo_dir)
    memos = list(memo_dir.glob("catalog-*"))
    assert len(memos) == 1
    assert load_catalog_memoised([root], memo_dir=memo_dir) == first
    # An edit changes size/mtime: the memo no longer matches and the file is parsed (and checked) again.
    path = root / "vendors" / "zeta.toml"
    path.write_text(GOOD_VENDOR.replace('name = "Zeta-1"', 'name = "Zeta One"'), "utf-8")
    assert load_catalog_memoised([root], memo_dir=memo_dir).release("zeta-1").name == "Zeta One"
    path.write_text(GOOD_VENDOR.replace('"mit"', '"nope"'), "utf-8")
    with pytest.raises(CatalogError):
        load_catalog_memoised([root], memo_dir=memo_dir)
    # A corrupt memo is only a missed shortcut.
    path.write_text(GOOD_VENDOR, "utf-8")
    load_catalog_memoised([root], memo_dir=memo_dir)
    for memo in memo_dir.glob("catalog-*"):
        memo.write_bytes(b"\x80garbage")
    assert load_catalog_memoised([root], memo_dir=memo_dir).release("zeta-1").name == "Zeta-1"


def test_new_release_keys_confidence_note_retired(tmp_path: Path) -> None:
    extra = ('confidence = "secondary"\nnote = "No vendor post found; only a tracker lists it."\n'
             'retired = { date = "2025-06", source = "https://example.org/deprecations", note = "API shut down" }\n')
    text = GOOD_VENDOR.replace('sources = [{ url = "https://example.org/zeta-1"', extra + 'sources = [{ url = "https://example.org/zeta-1"')
    rel = load_catalog([make_catalog(tmp_path, text)]).release("zeta-1")
    assert rel is not None and rel.confidence == "secondary" and "tracker" in rel.note
    assert rel.retired is not None and str(rel.retired.date) == "2025-06"
    assert rel.retired.source == "https://example.org/deprecations"


def test_confidence_needs_a_note(tmp_path: Path) -> None:
    text = GOOD_VENDOR.replace('status = "open-weight"', 'status = "open-weight"\nconfidence = "secondary"')
    err = load_error(make_catalog(tmp_path / "a", text))
    assert err.field == "note" and "confidence" in str(err)
    bad = GOOD_VENDOR.replace('status = "open-weight"', 'status = "open-weight"\nconfidence = "high"\nnote = "x"')
    assert load_error(make_catalog(tmp_path / "b", bad)).field == "confidence"


def test_bad_retired_table(tmp_path: Path) -> None:
    text = GOOD_VENDOR.replace('status = "open-weight"', 'status = "open-weight"\n'
                               'retired = { date = "2025-13-01", source = "https://example.org/d" }')
    err = load_error(make_catalog(tmp_path, text))
    assert err.field == "retired" and "bad date" in str(err)


LICENSE_VERSION = textwrap.dedent('''\
    [[license]]
    id = "zeta-2025-10"
    name = "Zeta License (October 2025)"
    url = "https://example.org/zeta-license"
    osi_approved = false
    commercial_use = "yes"
    use_restrictions = "No military use."
    derivatives = "Distilled models are derivatives."
    outputs = "Outputs belong to the user."
    governing_law = "Laws of Germany."
    family = "zeta-license"
    effective = "2025-10-27"
    sources = [{ url = "https://example.org/zeta-license", kind = "license" }]
''')


def test_license_versions_and_term_fields(tmp_path: Path) -> None:
    text = GOOD_VENDOR.replace('license = "mit"', 'license = "zeta-2025-10"')
    cat = load_catalog([make_catalog(tmp_path, text, license_text=LICENSE_VERSION)])
    lic = cat.licenses["zeta-2025-10"]
    assert lic.family == "zeta-license" and str(lic.effective) == "2025-10-27"
    assert "military" in lic.use_restrictions and "Distilled" in lic.derivatives
    assert lic.outputs and lic.governing_law == "Laws of Germany."


def test_license_family_needs_effective_date(tmp_path: Path) -> None:
    text = LICENSE_VERSION.replace('effective = "2025-10-27"\n', "")
    err = load_error(make_catalog(tmp_path, license_text=text))
    assert err.field == "effective" and "family" in str(err)


def test_vendor_models_dev_labs(tmp_path: Path) -> None:
    text = GOOD_VENDOR.replace('cloud = "Zeta Cloud"', 'cloud = "Zeta Cloud"\nmodels_dev_labs = ["zeta", "zeta-ai"]')
    assert load_catalog([make_catalog(tmp_path / "a", text)]).vendors["zeta"].models_dev_labs == ("zeta", "zeta-ai")
    bad = GOOD_VENDOR.replace('cloud = "Zeta Cloud"', 'cloud = "Zeta Cloud"\nmodels_dev_labs = ["Zeta Labs"]')
    assert load_error(make_catalog(tmp_path / "b", bad)).field == "models_dev_labs"
