"""The names a catalog release and a models.dev entry are known by, in one spelling each.

Pure string work for merge.py. Two spellings of a name are one when, lower-cased, with spaces,
underscores and hyphens as one separator, they hold the same words, in any order: "Qwen3.6 Plus"
is "Qwen3.6-Plus", and "Claude Sonnet 3.7" is "Claude 3.7 Sonnet" (Anthropic moved the version
behind the tier in 2025; models.dev writes every Claude that way). A word more or less is another
model: "GPT-5 Pro" is not "GPT-5", "Gemini 2.5 Flash-Lite" is not "Gemini 2.5 Flash".
"""

from __future__ import annotations

import re
from functools import lru_cache

from qwen_tui.model import Release

_SEP = re.compile(r"[\s_\-]+")
_PAREN = re.compile(r"\s*\(([^()]*)\)\s*")
_QUALIFIER_PAREN = re.compile(r"\s*\((?:latest|preview|\d{4}-\d{2}-\d{2}|thinking|instruct)\)\s*$", re.I)
_VARIANT_WORD = re.compile(r"(?:-(?:instruct|it|chat|base|preview|latest|exp))+$")
_SIZE_TAIL = re.compile(r"(?:-(?:e?\d+(?:\.\d+)?[bmt](?:-a\d+(?:\.\d+)?[bm])?))+$")
_SIZE_WORDS = re.compile(r"(?:-(?:models?|family|series|small|medium|large))+$")
# A Hub repo name's version written with "_" for "." ("Llama-3_3-...-49B-v1_5"), and the words a
# repo name adds for its weights' format: neither is part of the model's name.
_DIGIT_UNDERSCORE = re.compile(r"(?<=\d)_(?=\d)")
_REPO_FORMAT_WORD = re.compile(
    r"(?:-(?:bf16|fp16|fp8|fp4|nvfp4|mxfp4|int4|int8|awq|gptq|gguf|mlx|onnx|hf|base|instruct|it|chat))+$")


def normalise(name: str) -> str:
    """One spelling per name: "Qwen3.6 Plus" and "Qwen3.6-Plus" both give "qwen3.6-plus"."""
    return _SEP.sub("-", name.strip().lower()).strip("-")


def words(key: str) -> str:
    """A normalised name with its words in one order: the key names are compared by."""
    return "-".join(sorted(key.split("-")))


def release_names(rel: Release) -> set[str]:
    """Every normalised name a catalog release is known by (merge.py rule 3, name)."""
    names = {normalise(rel.name)}
    stem = _PAREN.sub(" ", rel.name).strip()
    names.add(normalise(stem))
    for part in re.split(r"\s+/\s+|\s+and\s+", stem):
        names.add(normalise(part))
    for inner in _PAREN.findall(rel.name):
        for item in re.split(r",|/|\band\b", inner):
            if item.strip():
                names.add(normalise(f"{stem} {item}"))
    names.discard("")
    return {n for n in names if not _generic(n)}


def release_size_names(rel: Release) -> set[str]:
    """"<generation or stem>-<size>" for each size a release groups (merge.py rule 4, size)."""
    if not rel.params:
        return set()
    stems = {normalise(rel.generation)} if rel.generation else set()
    stems.add(_SIZE_WORDS.sub("", normalise(_PAREN.sub(" ", rel.name))))
    return {f"{s}-{normalise(p)}" for s in stems if s for p in rel.params}


def repo_model_name(repo_id: str) -> str:
    """The model a Hub repo holds, as a normalised name: "nvidia/NVIDIA-Nemotron-Nano-12B-v2-VL-BF16"
    gives "nemotron-nano-12b-v2-vl" (no org prefix, no format words, "3_3" read as "3.3")."""
    org, _, name = repo_id.lower().partition("/")
    key = normalise(_DIGIT_UNDERSCORE.sub(".", name))
    if key.startswith(org + "-"):
        key = key[len(org) + 1:]
    return _REPO_FORMAT_WORD.sub("", key) or key


@lru_cache(maxsize=16384)
def entry_names(name: str) -> tuple[str, str, str]:
    """An entry's name as written, without qualifiers, and without its trailing size too."""
    full = normalise(name)
    plain = normalise(_QUALIFIER_PAREN.sub("", name))
    plain = _VARIANT_WORD.sub("", normalise(_PAREN.sub(" ", plain))) or plain
    sizeless = _SIZE_TAIL.sub("", plain)
    return full, plain, sizeless


def _generic(key: str) -> bool:
    # A parenthesised "(Instruct / Thinking)" must not make every "instruct" name match.
    return key in {"instruct", "thinking", "chat", "base", "api", "preview", "new", "latest"} \
        or bool(re.fullmatch(r"e?\d+(\.\d+)?[bmt](-a\d+(\.\d+)?[bm])?|\d{4}(-\d{2}){0,2}", key))
