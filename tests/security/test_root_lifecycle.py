"""Run as root, Veille must not be the Elasticsearch user's tool against root.

The node folder belongs to ``veille-es``, who can write the pid file and plant symbolic links
there. Both attacks are replayed: a pid file naming a root process, and links to a root-only
file where ``veille es start`` chowns and writes. Neither may reach the root process or file.
"""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
from pathlib import Path

import pytest

from core.config.elasticsearch import ElasticsearchConfig
from veille.services import es_files
from veille.services.es_java import find_jdk
from veille.services.es_node import ES_USER, LocalNode, default_cache_dir

VERSION = ElasticsearchConfig().local.version

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the attacks need root and the veille-es user")


@pytest.fixture
def node(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    node = LocalNode(VERSION, port=9299, cache_dir=cache, auth=False)  # no keystore tool under /tmp
    node.node_dir.mkdir()
    return node


@pytest.fixture
def root_process():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    yield process
    process.kill()
    process.wait()


def plant_as_es_user(path: Path, content: str) -> None:
    """What the ES user can do in its own folder (written here by root, then handed over)."""
    path.write_text(content)
    user = pwd.getpwnam(ES_USER)
    os.chown(path, user.pw_uid, user.pw_gid)


def test_stop_does_not_signal_a_root_process_named_by_the_pid_file(node, root_process):
    plant_as_es_user(node.pid_file, f"{root_process.pid}\n")
    assert node.stop() is False
    assert root_process.poll() is None, "veille es stop killed a root process"
    assert node.status().pid is None


def test_stop_does_not_signal_another_process_of_the_es_user(node):
    user = pwd.getpwnam(ES_USER)
    other = subprocess.Popen(["sleep", "300"], user=user.pw_uid, group=user.pw_gid)
    try:
        plant_as_es_user(node.pid_file, f"{other.pid}\n")
        assert node.stop() is False
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()


def test_stop_still_stops_the_real_node(es_url):
    # The shared node is never stopped here: its own pid passes the identity check.
    port = int(es_url.rsplit(":", 1)[1])
    real = LocalNode(VERSION, port=port)
    status = real.status()
    assert status.running and status.pid is not None
    assert real.is_node_process(status.pid)


@pytest.fixture
def victim(tmp_path):
    path = tmp_path / "root-only.secret"
    path.write_text("root's secret\n")
    path.chmod(0o600)
    return path


@pytest.fixture
def es_home():
    home = default_cache_dir() / f"elasticsearch-{VERSION}"
    assert (home / "config" / "jvm.options").exists(), f"no distribution unpacked at {home}"
    return home


def assert_untouched(victim: Path) -> None:
    info = victim.stat()
    assert (info.st_uid, info.st_mode & 0o777) == (0, 0o600), "the root-only file changed hands"
    assert victim.read_text() == "root's secret\n"


def test_start_does_not_chown_or_write_through_planted_links(node, victim, es_home):
    jdk = find_jdk(default_cache_dir())
    node._prepare_node_dir(es_home, jdk.home)  # a first start: the folder now belongs to veille-es
    config = node.node_dir / "config"
    (config / "elasticsearch.yml").unlink()
    (config / "elasticsearch.yml").symlink_to(victim)
    (node.node_dir / "data" / "steal").symlink_to(victim)
    (config / "jvm.options.d" / "veille-heap.options").unlink()
    os.link(victim, config / "jvm.options.d" / "veille-heap.options")  # a hard link, same idea

    node._prepare_node_dir(es_home, jdk.home)

    assert_untouched(victim)
    written = config / "elasticsearch.yml"
    assert not written.is_symlink()
    assert "cluster.name: veille-local-9299" in written.read_text()


def test_a_linked_folder_is_refused(node, victim, tmp_path, es_home):
    jdk = find_jdk(default_cache_dir())
    node._prepare_node_dir(es_home, jdk.home)
    elsewhere = tmp_path / "root-folder"
    elsewhere.mkdir(mode=0o700)
    config = node.node_dir / "config" / "jvm.options.d"
    for child in config.iterdir():
        child.unlink()
    config.rmdir()
    config.symlink_to(elsewhere)

    with pytest.raises(Exception, match="not a plain folder"):
        node._prepare_node_dir(es_home, jdk.home)

    assert list(elsewhere.iterdir()) == []
    assert elsewhere.stat().st_uid == 0


def test_startup_log_is_not_appended_through_a_link(node, victim):
    (node.node_dir / "logs").mkdir()
    (node.node_dir / "logs" / "startup.log").symlink_to(victim)
    fd = es_files.open_file(node.node_dir, "logs/startup.log", append=True)
    with os.fdopen(fd, "ab") as log:
        log.write(b"appended by root\n")
    assert_untouched(victim)
    assert (node.node_dir / "logs" / "startup.log").read_text() == "appended by root\n"
