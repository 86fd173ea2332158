"""Memoise the validated catalog: parsing ~250 releases of TOML costs more than the rest of
`qwen-tui list --json`, and the files rarely change.

The memo is JSON in the cache dir (never a pickle: anyone who can write the cache dir could then
run code as the user), keyed by the package version and the path, size and mtime of every catalog
file. It is decoded into the model's dataclasses by their own type hints, so it can only ever
produce the values the loader could; text carrying any character the loader refuses means the memo
was not written by us, and is parsed again. Any problem reading or writing it only means parsing
again. The parser (`loader`) is imported only on a miss.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qwen_tui import model
from qwen_tui.catalog import BUNDLED_DIR
from qwen_tui.model import Catalog
from qwen_tui.text import UNSAFE

MEMO_GLOB = "catalog-*.json"


def load_catalog_memoised(extra_dirs: list[Path] | tuple[Path, ...] = (), *,
                          memo_dir: Path) -> Catalog:
    return load_catalog_keyed(extra_dirs, memo_dir=memo_dir)[0]


def load_catalog_keyed(extra_dirs: list[Path] | tuple[Path, ...] = (), *,
                       memo_dir: Path) -> tuple[Catalog, str]:
    """The catalog and its memo key ("" when the files could not be stat'ed): memos of what is
    derived from the catalog (the releases merged with models.dev) are keyed by it too."""
    dirs = [BUNDLED_DIR] + [Path(d) for d in extra_dirs]
    memo = _memo_path(memo_dir, dirs)
    if memo is not None:
        cat = read_memo(memo, Catalog)
        if isinstance(cat, Catalog):
            return cat, memo.stem
    from qwen_tui.catalog.loader import load_catalog

    cat = load_catalog(extra_dirs)
    if memo is not None:
        write_memo(memo, cat, MEMO_GLOB, "catalog-*.pickle")  # the pickles of older versions go too
    return cat, memo.stem if memo is not None else ""


def catalog_key(extra_dirs: list[Path] | tuple[Path, ...] = (), *, memo_dir: Path) -> str:
    """The key `load_catalog_keyed` would return, without reading the catalog ("" when the files
    could not be stat'ed): a memo of something derived from the catalog can be found with it."""
    memo = _memo_path(memo_dir, [BUNDLED_DIR] + [Path(d) for d in extra_dirs])
    return memo.stem if memo is not None else ""


def read_memo(memo: Path, tp: object) -> Any:
    """A memo decoded as type `tp` (a value of that type), or None (missing, unreadable, or not
    written by us). Typed Any: `tp` is a runtime type expression, which mypy cannot follow."""
    try:
        text = memo.read_text("utf-8")
        # Our writer never escapes a character (the loader lets no control character in), and
        # writes none the loader refuses: either means someone else wrote this file.
        if "\\u" not in text and not UNSAFE.search(text):
            return _decoder(tp)(json.loads(text))
    except Exception:  # noqa: BLE001 - a bad memo is only a missed shortcut
        pass
    return None


def write_memo(memo: Path, value: object, *globs: str) -> None:
    """Write a memo atomically, first removing the older ones matching `globs`."""
    try:
        text = json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return
    write_memo_text(memo, text, *globs)


def write_memo_text(memo: Path, text: str, *globs: str) -> None:
    """Write a memo's JSON text atomically, first removing the older ones matching `globs`."""
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        for pattern in globs:
            for old in memo.parent.glob(pattern):
                old.unlink(missing_ok=True)
        tmp = memo.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(text, "utf-8")
        os.replace(tmp, memo)
    except (OSError, ValueError):
        pass  # a read-only or full cache dir only costs the shortcut


def _memo_path(memo_dir: Path, dirs: list[Path]) -> Path | None:
    from qwen_tui import __version__

    h = hashlib.sha256(f"{__version__}\n".encode())
    try:
        # The code that validates and the classes that are decoded are part of the key too.
        for code in [*sorted(Path(__file__).parent.glob("*.py")), Path(model.__file__)]:
            h.update(f"{code.stat().st_mtime_ns}\n".encode())
        for d in dirs:
            h.update(f"{d.resolve()}\n".encode())
            for path in sorted(d.rglob("*")):
                st = path.stat()
                h.update(f"{path.relative_to(d)} {st.st_size} {st.st_mtime_ns}\n".encode())
    except OSError:
        return None
    return Path(memo_dir) / f"catalog-{h.hexdigest()[:24]}.json"


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _encode(value: object) -> object:
    """Dataclasses as lists of their fields in order; tuples as lists; enums as their value."""
    cls = type(value)
    names = _FIELD_NAMES.get(cls)
    if names is None and dataclasses.is_dataclass(cls):
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    if names is not None:
        return [_encode(getattr(value, name)) for name in names]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot memoise a {type(value).__name__}")


_DECODERS: dict[object, Callable[[object], object]] = {}
_HINTS: dict[tuple[str, str], object] = {}


def _hint(annotation: object, owner: object) -> object:
    """A field's annotation as a type. typing.get_type_hints evaluates every string annotation
    with eval (a compile each: ~20 ms per start for the models decoded here), though the same few
    strings ("str", "tuple[str, ...]", "str | None") recur: each is evaluated once per module."""
    if not isinstance(annotation, str):
        return annotation
    import sys

    key = (owner.__module__, annotation)
    if key not in _HINTS:
        namespace = {**vars(model), **vars(sys.modules[owner.__module__])}
        try:
            _HINTS[key] = eval(annotation, namespace)
        except NameError:  # a Hub type its module imports for type checking only (reconcile.py)
            from qwen_tui import evidence

            _HINTS[key] = eval(annotation, {**vars(evidence), **namespace})
    return _HINTS[key]


def _decoder(tp: object) -> Callable[[object], object]:
    """A function turning the JSON form of type `tp` back into it, built once from the type hints.
    Anything of the wrong shape raises (TypeError / ValueError), which means "parse again"."""
    if tp in _DECODERS:
        return _DECODERS[tp]
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    fn: Callable[[object], object]
    if dataclasses.is_dataclass(tp):
        names = tuple(f.name for f in dataclasses.fields(tp))
        hints = {f.name: _hint(f.type, tp) for f in dataclasses.fields(tp)}
        # Plain str/int/bool fields are only type-checked; the others decoded. A frozen
        # dataclass's __init__ sets each field through object.__setattr__, which made decoding
        # 3,000 merged releases cost ~60 ms: when the class has no __post_init__ (nothing to
        # run), the checked values go straight into the instance's __dict__, as __init__ would.
        plain = tuple((i, hints[n]) for i, n in enumerate(names) if hints[n] in (str, int, bool))
        other = tuple((i, _decoder(hints[n])) for i, n in enumerate(names) if hints[n] not in (str, int, bool))
        direct = not hasattr(tp, "__post_init__") and not hasattr(tp, "__slots__")

        def fn(v: object, cls=tp, names=names, plain=plain, other=other, direct=direct) -> object:
            if type(v) is not list or len(v) != len(names):
                raise TypeError(cls)
            for i, want in plain:
                if type(v[i]) is not want:
                    raise TypeError(want)
            for i, dec in other:  # in place: the list is json.loads' own, used once
                v[i] = dec(v[i])
            if not direct:
                return cls(*v)
            obj = object.__new__(cls)
            obj.__dict__.update(zip(names, v, strict=False))  # (length checked above)
            return obj
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        members = {m.value: m for m in tp}  # a dict lookup, not EnumMeta.__call__ (~1 µs each)

        def fn(v: object, members=members) -> object:
            return members[v]  # KeyError: not one of ours
    elif origin is tuple and len(args) == 2 and args[1] is Ellipsis and args[0] in (str, int, bool):

        def fn(v: object, want=args[0]) -> object:  # (params, tags, repo ids: one check per item)
            if type(v) is not list or any(type(x) is not want for x in v):
                raise TypeError(tuple)
            return tuple(v)
    elif origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])

        def fn(v: object, item=item) -> object:
            if type(v) is not list:
                raise TypeError(tuple)
            return tuple(item(x) for x in v)
    elif origin is tuple:
        items = [_decoder(a) for a in args]

        def fn(v: object, items=items) -> object:
            if type(v) is not list or len(v) != len(items):
                raise TypeError(tuple)
            return tuple(p(x) for p, x in zip(items, v, strict=True))
    elif origin is dict:
        key, val = _decoder(args[0]), _decoder(args[1])

        def fn(v: object, key=key, val=val) -> object:
            if type(v) is not dict:
                raise TypeError(dict)
            return {key(k): val(x) for k, x in v.items()}
    elif origin in (typing.Union, types.UnionType):
        options = [_decoder(a) for a in args if a is not type(None)]
        if len(options) != 1:
            raise TypeError(tp)
        inner = options[0]

        def fn(v: object, inner=inner) -> object:
            return None if v is None else inner(v)
    elif tp in (str, int, bool, float):

        def fn(v: object, want=tp) -> object:
            if type(v) is not want:
                raise TypeError(want)
            return v
    else:
        raise TypeError(f"no memo decoder for {tp!r}")
    _DECODERS[tp] = fn
    return fn
