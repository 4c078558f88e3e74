"""The project's own local Elasticsearch node: idempotent start, status, clear failures."""

import socket
import stat
import subprocess
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from core.config.elasticsearch import ElasticsearchConfig
from core.errors import ESNodeError
from veille.cli import cli
from veille.services.es_node import LocalNode


def node_processes(port: int) -> list[str]:
    out = subprocess.run(
        ["ps", "-ww", "-eo", "pid,user,args"], capture_output=True, text=True, check=True
    ).stdout
    return [line for line in out.splitlines() if "bin/java" in line and f"/node-{port}/" in line]


def test_start_twice_leaves_one_node(es_url):
    port = urlsplit(es_url).port
    runner = CliRunner()
    first = runner.invoke(cli, ["es", "start", "--port", str(port)])
    second = runner.invoke(cli, ["es", "start", "--port", str(port)])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert f"http://127.0.0.1:{port}" in second.output
    processes = node_processes(port)
    assert len(processes) == 1, processes
    # Elasticsearch refuses root: the node runs as the dedicated user (or the invoking one).
    assert " root " not in processes[0]
    # Its folder (indices with people's posts and names) is private to that user.
    node_dir = LocalNode(ElasticsearchConfig().local.version, port=port).node_dir
    assert stat.S_IMODE(node_dir.stat().st_mode) == 0o700


def test_status_reports_version_and_health(es_url):
    port = urlsplit(es_url).port
    result = CliRunner().invoke(cli, ["es", "status", "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert "8.19" in result.output


def test_status_of_a_node_that_is_not_running_exits_1(tmp_path):
    result = CliRunner().invoke(
        cli, ["es", "status", "--port", "9299"], env={"VEILLE_CACHE_DIR": str(tmp_path)}
    )
    assert result.exit_code == 1
    assert "not running" in result.output


def test_port_taken_by_another_program_is_refused(tmp_path):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        node = LocalNode("8.19.21", port=port, cache_dir=tmp_path)
        with pytest.raises(ESNodeError, match=f"port {port} is in use by another program"):
            node.start()
