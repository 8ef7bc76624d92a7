"""The package surface: exports, and bundled data found where an installed package looks."""

from __future__ import annotations

from pathlib import Path

import pytest

import framing
from framing.corpus import sample_corpus_path
from framing.lexicon import bundled_lexicon_dir, read_lexicons

CHECKOUT = Path(__file__).resolve().parent.parent


def test_package_all_is_sorted_and_importable() -> None:
    assert framing.__all__ == sorted(framing.__all__)
    for name in framing.__all__:
        assert hasattr(framing, name), name


def test_package_bundled_data_exists() -> None:
    assert sample_corpus_path().is_file()
    assert sorted(p.name for p in bundled_lexicon_dir().glob("*.yaml"))
    assert len(read_lexicons()) > 0


def test_package_data_ships_inside_installed_package() -> None:
    package_dir = Path(framing.__file__).resolve().parent
    if package_dir.parent == CHECKOUT:
        pytest.skip(
            "framing is imported from the checkout (editable install); `make test` installs it"
        )
    assert bundled_lexicon_dir() == package_dir / "lexicons"
    assert sample_corpus_path().is_relative_to(package_dir)
    shipped = {p.name for p in (package_dir / "lexicons").glob("*.yaml")}
    assert shipped == {p.name for p in (CHECKOUT / "lexicons").glob("*.yaml")}
