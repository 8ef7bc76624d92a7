"""The report: a self-contained index.html that renders offline in a real browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from framing.cli import app

runner = CliRunner()
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = runner.invoke(app, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_report_is_self_contained(demo_report: Path) -> None:
    page = (demo_report / "index.html").read_text(encoding="utf-8")
    # nothing is fetched: no src/href to another host, no scripts, no external style sheets
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "<script" not in page.lower() and "<link" not in page.lower()
    images = re.findall(r'<img [^>]*src="([^"]+)"', page)
    assert len(images) >= 8 and all(src.startswith("data:image/png;base64,") for src in images)
    for text in ("Eastern Dispatch", "Free Kyiv Herald", "Meridian Wire", "The Daily Clarion",
                 "Method", "russia-ukraine", "Benjamini", "Monroe"):  # fmt: skip
        assert text in page
    pngs = list((demo_report / "figures").glob("*.png"))
    assert len(pngs) == len(images)
    for name in ("comparison.csv", "log_odds.csv", "articles.csv", "outlet_profiles.csv"):
        assert (demo_report / name).is_file()


def test_report_renders_in_headless_chromium(demo_report: Path, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install chromium (see .ci/run)")
        pytest.skip("chromium is not installed")
    profile = tmp_path / "profile"
    url = (demo_report / "index.html").as_uri()
    shot = tmp_path / "report.png"
    common = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,4000"]
    subprocess.run(
        [*common, f"--screenshot={shot}", url], check=True, capture_output=True, timeout=120
    )
    assert shot.is_file() and shot.stat().st_size > 50_000  # a real page, not a blank one
    dom = subprocess.run([*common, "--dump-dom", url], check=True, capture_output=True, text=True,
                         timeout=120).stdout  # fmt: skip
    assert "Loaded language and framing by outlet" in dom
    assert dom.count("<img") == len(list((demo_report / "figures").glob("*.png")))


def test_highlight_page_renders_in_headless_chromium(tmp_path: Path) -> None:
    """A sample article's page: every hit marked in the rendered DOM, with its tooltip text."""
    from html import unescape

    from framing.corpus import read_corpus, sample_corpus_path
    from framing.highlight import highlight

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install chromium (see .ci/run)")
        pytest.skip("chromium is not installed")
    text = read_corpus(sample_corpus_path()).set_index("article_id").loc["ed-01", "text"]
    page = highlight(text)
    path = page.save(tmp_path / "page.html")
    common = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
              "--window-size=1000,2400"]  # fmt: skip
    shot = tmp_path / "page.png"
    subprocess.run([*common, f"--screenshot={shot}", path.as_uri()], check=True,
                   capture_output=True, timeout=120)  # fmt: skip
    assert shot.stat().st_size > 50_000
    dom = subprocess.run([*common, "--dump-dom", path.as_uri()], check=True, capture_output=True,
                         text=True, timeout=120).stdout  # fmt: skip
    marked = set(re.findall(r'<mark [^>]*data-hit="(\d+)"', dom))
    assert marked == {str(i + 1) for i in range(len(page.hits))}
    titles = unescape(" ".join(re.findall(r'title="([^"]*)"', dom)))
    for row in page.hits.itertuples():
        assert row.entry_id in titles
    assert "<script" not in dom
