"""`framing analyze --resume`: a run killed mid-way continues to the same output as one never
interrupted, with no article lost or written twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from framing.analyze import OUTPUT_FILES, PARTIAL, analyze
from framing.corpus import read_corpus, sample_corpus_path
from framing.errors import FramingError

CHUNK = 30
BOOT = 200


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus 15 times over (new ids): 1,260 articles, 42 chunks of 30."""
    sample = read_corpus(sample_corpus_path())
    rows = []
    for copy in range(15):
        for row in sample.itertuples():
            rows.append({"id": f"{row.article_id}-{copy}", "outlet": row.outlet, "text": row.text})
    path = tmp_path_factory.mktemp("resume") / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _cli(*args: str) -> list[str]:
    code = "import sys; from framing.cli import app; sys.exit(app())"
    return [sys.executable, "-c", code, "analyze", *args]


def _finished(out: Path) -> int:
    return len(list((out / PARTIAL).glob("*.done")))


@pytest.mark.slow
def test_killed_run_resumes_to_identical_output(corpus: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    analyze([corpus], reference, chunk_size=CHUNK, n_boot=BOOT, progress=False)

    out = tmp_path / "interrupted"
    args = [str(corpus), "--out", str(out), "--chunk-size", str(CHUNK), "--bootstrap", str(BOOT)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen(_cli(*args), env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _finished(out) < 3 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    child.wait()
    done_at_kill = _finished(out)
    assert child.returncode == -signal.SIGKILL
    assert 3 <= done_at_kill < 42, "the kill must land mid-run for this test to mean anything"
    assert not (out / "run.json").exists()
    # The next chunk may have been half written when the kill came: it is redone, not trusted.
    (out / PARTIAL / f"{done_at_kill:07d}.matches.csv").write_text("half a line", encoding="utf-8")

    resumed = subprocess.run(_cli(*args, "--resume"), capture_output=True, text=True, check=False)
    assert resumed.returncode == 0, resumed.stderr
    for name in OUTPUT_FILES:
        assert (out / f"{name}.csv").read_bytes() == (reference / f"{name}.csv").read_bytes(), name
    articles = pd.read_csv(out / "articles.csv", keep_default_na=False)
    assert articles["article_id"].is_unique
    assert len(articles) == 84 * 15
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["resumed_after_chunks"] >= done_at_kill
    assert not (out / PARTIAL).exists()


def test_resume_with_other_settings_is_refused(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    partial = out / PARTIAL
    analyze([corpus], out, chunk_size=CHUNK, n_boot=10, progress=False)
    partial.mkdir()
    (partial / "job.json").write_text(json.dumps({"chunk_size": 99}), encoding="utf-8")
    with pytest.raises(FramingError, match=r"--resume: .* other .*chunk_size"):
        analyze([corpus], out, chunk_size=CHUNK, n_boot=10, progress=False, resume=True)
