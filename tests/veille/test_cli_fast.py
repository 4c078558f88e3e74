"""A fast command line: ``--help`` and ``check-config`` load none of the heavy libraries.

Checked on the modules a fresh interpreter has loaded (not on a timing: the figure is in
bench/cli_startup.py). The heavy ones are imported by the commands that need them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.support import REPO

HEAVY = ("spacy", "elasticsearch", "sqlalchemy", "apscheduler", "scrapy", "trafilatura", "numpy", "rich")

PROBE = f"""
import json, sys
from click.testing import CliRunner
from veille.cli import cli
result = CliRunner().invoke(cli, sys.argv[1:])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r})
print(json.dumps({{"code": result.exit_code, "output": result.output, "loaded": loaded}}))
"""


def probe(*args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, cwd=REPO, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_help_loads_no_heavy_library():
    result = probe("--help")
    assert result["code"] == 0
    assert "check-config" in result["output"] and "enrich" in result["output"]
    assert result["loaded"] == []


def test_check_config_loads_no_heavy_library():
    result = probe("check-config", str(REPO / "config.yaml"))
    assert result["code"] == 0, result["output"]
    assert "OK" in result["output"]
    assert result["loaded"] == []


def test_every_command_help_is_light():
    listing = probe("--help")["output"]
    commands = [line.split()[0] for line in listing.split("Commands:")[1].splitlines() if line.strip()]
    assert len(commands) >= 10
    for name in commands:
        result = probe(name, "--help")
        assert result["code"] == 0, (name, result["output"])
        assert result["loaded"] == [], name
