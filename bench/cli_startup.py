"""CLI start-up: wall and CPU time of ``veille --help`` and ``veille check-config``, against plain click.

    PYTHONPATH=. .venv/bin/python bench/cli_startup.py [--runs 5]

Each command runs in a fresh interpreter; the best of ``--runs`` is printed (wall seconds, and
user+system CPU seconds, which a busy machine inflates less), with the load average beside it.
Target: under 1 s for both commands.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMMANDS = {
    "plain click": [sys.executable, "-c", "import click"],
    "veille --help": [sys.executable, "-m", "veille.cli", "--help"],
    "veille check-config": [sys.executable, "-m", "veille.cli", "check-config", str(REPO / "config.yaml")],
}


def measure(argv: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        argv, check=True, stdout=subprocess.DEVNULL, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU(s); best of {args.runs} runs")
    for name, argv in COMMANDS.items():
        runs = [measure(argv) for _ in range(args.runs)]
        wall = min(w for w, _ in runs)
        cpu = min(c for _, c in runs)
        print(f"{name:<22} wall {wall:5.2f} s   cpu {cpu:5.2f} s")


if __name__ == "__main__":
    main()
