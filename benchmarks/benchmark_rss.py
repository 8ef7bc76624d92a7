"""Peak resident memory of this process, in MB, for the benchmarks."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_rss() -> float:
    """The process's own peak RSS: VmHWM where Linux has it. Not ``ru_maxrss``: Linux carries
    that over an exec from the process that started this one, so a child of a large benchmark
    process would report the benchmark's memory, not its own."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
