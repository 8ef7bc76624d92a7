"""Shared fixtures: a blank pipeline, lexicons written from Python dicts, the ../shared data."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"

# Lexicon reads are cached (framing.lexicon._cache_file): tests start with an empty cache of
# their own, so they exercise both the first read and the cached one, and leave ~/.cache alone.
os.environ["FRAMING_CACHE_DIR"] = tempfile.mkdtemp(prefix="framing-test-cache-")


def base_lexicon(**overrides: Any) -> dict[str, Any]:
    """A small valid lexicon as a dict; tests change one thing and check what validation says."""
    lexicon: dict[str, Any] = {
        "lexicon": "toy",
        "version": "1.0.0",
        "language": "en",
        "description": "A toy lexicon for tests.",
        "categories": {
            "legitimacy": "Labels granting or denying legitimacy.",
            "legitimacy.regime": "Calling a government a regime.",
            "naming": "Names that take sides.",
            "euphemism": "Softened words.",
        },
        "stances": {"ru-state": "Russian state usage.", "ua": "Ukrainian usage."},
        "concepts": {
            "capital": {"description": "Ukraine's capital.", "variants": ["kiev", "kyiv"]}
        },
        "entries": [
            entry(
                "kiev-regime",
                patterns=["Kiev regime"],
                category="legitimacy.regime",
                weight=3,
                stance=["ru-state"],
                match="lemma",
            ),
            entry(
                "regime",
                patterns=["regime"],
                category="legitimacy.regime",
                match="lemma",
                exclude=["sanctions regime"],
            ),
            entry("liberate", patterns=["liberate"], category="euphemism", match="lemma"),
            entry("kiev", patterns=["Kiev"], category="naming", match="exact", stance=["ru-state"]),
            entry("kyiv", patterns=["Kyiv"], category="naming", match="exact", weight=0),
        ],
    }
    lexicon.update(overrides)
    return lexicon


def entry(entry_id: str, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": entry_id,
        "category": "legitimacy",
        "patterns": [entry_id],
        "explain": f"Why '{entry_id}' is loaded.",
        "sources": ["A style guide"],
        "examples": {"hit": [f"We saw {entry_id} here."], "miss": ["Nothing to see."]},
    }
    out.update(fields)
    if "examples" not in fields and isinstance(out["patterns"][0], str):
        out["examples"] = {
            "hit": [f"We saw {out['patterns'][0]} here."],
            "miss": ["Nothing to see."],
        }
    return out


@pytest.fixture
def write_lexicon(tmp_path: Path) -> Callable[..., Path]:
    """Write a lexicon dict (default: the toy lexicon) to a YAML file and return its path."""
    counter = iter(range(1000))

    def write(
        data: dict[str, Any] | None = None, *, text: str | None = None, name: str | None = None
    ) -> Path:
        path = tmp_path / (name or f"lexicon{next(counter)}.yaml")
        path.write_text(
            text if text is not None else yaml.safe_dump(data or base_lexicon(), sort_keys=False),
            encoding="utf-8",
        )
        return path

    return write


@pytest.fixture(scope="session")
def nlp() -> Any:
    from framing.nlp import make_nlp

    return make_nlp()


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared beside the checkout: skipped where absent, never in CI (FRAMING_REQUIRE_SHARED)."""
    if not SHARED.is_dir():
        if os.environ.get("FRAMING_REQUIRE_SHARED"):
            pytest.fail(f"FRAMING_REQUIRE_SHARED is set but {SHARED} does not exist")
        pytest.skip(f"{SHARED} not present (real-news tests run where it is)")
    return SHARED
