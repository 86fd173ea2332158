"""Read catalog folders (format: `FORMAT.md` beside this file) into one validated `Catalog`.

A user folder is read after the bundled one; an entry whose id it reuses replaces the bundled one.
Cross-references (license ids) are checked once everything is read.
"""

from __future__ import annotations

import re
from pathlib import Path

from qwen_tui.catalog import BUNDLED_DIR, shorten_path
from qwen_tui.catalog.entries import parse_license, parse_release, parse_vendor
from qwen_tui.catalog.toml_file import TomlFile
from qwen_tui.errors import CatalogError
from qwen_tui.model import Catalog, License, Release, Vendor


def _label(path: Path, root: Path, bundled: bool) -> str:
    rel = path.relative_to(root).as_posix()
    return f"<bundled>/{rel}" if bundled else str(path)


class _Builder:
    """Accumulates one or more catalog folders; a later folder's ids replace earlier ones."""

    def __init__(self) -> None:
        self.vendors: dict[str, Vendor] = {}
        self.releases: dict[str, Release] = {}
        self.licenses: dict[str, License] = {}

    def add_dir(self, root: Path, *, bundled: bool) -> None:
        # A folder that is too long a path, unreadable or a symlink loop is the user's to fix:
        # one line naming it, never a traceback.
        try:
            self._add_dir(root, bundled=bundled)
        except OSError as exc:
            where = exc.filename if isinstance(exc.filename, str) else str(root)
            raise CatalogError(shorten_path(where), f"cannot read: {exc.strerror or exc}") from None

    def _add_dir(self, root: Path, *, bundled: bool) -> None:
        if not root.is_dir():
            raise CatalogError(shorten_path(str(root)), "is not a directory")
        known = {"vendors", "licenses"}
        for child in sorted(root.iterdir()):
            if child.suffix == ".toml" and child.name != "flagships.toml":  # catalog/flagships.py reads it
                raise CatalogError(_label(child, root, bundled),
                                   "catalog files belong in vendors/ or licenses/")
            if child.is_dir() and child.name not in known and not child.name.startswith("."):
                raise CatalogError(_label(child, root, bundled),
                                   "unknown folder (a catalog has vendors/ and licenses/)")
        # Licenses first: vendor files refer to them. Ids must be unique within one folder;
        # a later folder (the user's) may replace an earlier one's entry by reusing its id.
        seen_licenses: dict[str, str] = {}
        for path in sorted((root / "licenses").glob("*.toml")):
            f = TomlFile(path, _label(path, root, bundled))
            _only_keys(f, {"license"})
            tables = f.data.get("license", [])
            if not isinstance(tables, list):
                raise f.error("must be an array of tables: [[license]]", table="license")
            for i, t in enumerate(tables):
                lic = parse_license(f, t, i)
                if lic.id in seen_licenses:
                    raise f.error(f"duplicate license id (also in {seen_licenses[lic.id]})",
                                  entry_id=lic.id, kind="license", field="id")
                seen_licenses[lic.id] = f.label
                self.licenses[lic.id] = lic
        seen_releases: dict[str, str] = {}
        for path in sorted((root / "vendors").glob("*.toml")):
            f = TomlFile(path, _label(path, root, bundled))
            _only_keys(f, {"vendor", "release"})
            if "vendor" in f.data:
                vendor = parse_vendor(f, f.data["vendor"])
                self.vendors[vendor.id] = vendor
            elif path.stem not in self.vendors:
                raise f.error(f"no [vendor] table and no known vendor {path.stem!r} to add to",
                              table="vendor", field="vendor")
            tables = f.data.get("release", [])
            if not isinstance(tables, list):
                raise f.error("must be an array of tables: [[release]]", table="release")
            for i, t in enumerate(tables):
                rel = parse_release(f, t, i, path.stem)
                if rel.id in seen_releases:
                    raise f.error(f"duplicate release id (also in {seen_releases[rel.id]})",
                                  entry_id=rel.id, kind="release", field="id")
                seen_releases[rel.id] = f.label
                self.releases[rel.id] = rel

    def build(self) -> Catalog:
        # Cross-references are checked once everything is read, so a user folder may supply a
        # license that its releases use.
        for rel in self.releases.values():
            for lic in rel.license_ids:
                if lic not in self.licenses:
                    raise CatalogError(rel.origin, f"unknown license id {lic!r}",
                                       entry=f"release '{rel.id}'",
                                       field="license" if lic == rel.license else "repo_licenses",
                                       line=_line_in(rel.origin, rel.id))
        self._check_models_dev()
        releases = sorted(self.releases.values(), key=lambda r: (r.date.sort_key, r.id), reverse=True)
        return Catalog(vendors=dict(self.vendors), releases=tuple(releases),
                       licenses=dict(self.licenses))


    def _check_models_dev(self) -> None:
        """A listed models.dev id is of one of the vendor's labs, and listed by one release:
        the merge trusts the list over every other rule (modelsdev/merge.py)."""
        listed_by: dict[str, str] = {}
        for rel in self.releases.values():
            labs = self.vendors[rel.vendor].models_dev_labs if rel.vendor in self.vendors else ()
            for key in rel.models_dev:
                lab = key.partition("/")[0]
                if lab not in labs:
                    problem = f"{key!r}: lab {lab!r} is not one of this vendor's models_dev_labs " \
                              f"({', '.join(labs) or 'none'})"
                elif key in listed_by:
                    problem = f"{key!r} is also listed by release {listed_by[key]!r}"
                else:
                    listed_by[key] = rel.id
                    continue
                raise CatalogError(rel.origin, problem, entry=f"release '{rel.id}'", field="models_dev",
                                   line=_line_in(rel.origin, rel.id))


def _line_in(label: str, entry_id: str) -> int | None:
    path = BUNDLED_DIR / label.removeprefix("<bundled>/") if label.startswith("<bundled>/") else Path(label)
    try:
        text = path.read_text("utf-8")
    except OSError:
        return None
    m = re.search(r'^\s*id\s*=\s*["\']' + re.escape(entry_id) + r'["\']', text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _only_keys(f: TomlFile, allowed: set[str]) -> None:
    for key in f.data:
        if key not in allowed:
            raise f.error(f"unknown top-level key {key!r} (allowed: {', '.join(sorted(allowed))})",
                          field=key)


def load_catalog(extra_dirs: list[Path] | tuple[Path, ...] = (), *, bundled: bool = True) -> Catalog:
    """Load the bundled catalog, then each extra folder over it (later ids replace earlier ones)."""
    b = _Builder()
    if bundled:
        b.add_dir(BUNDLED_DIR, bundled=True)
    for d in extra_dirs:
        b.add_dir(Path(d), bundled=False)
    return b.build()



