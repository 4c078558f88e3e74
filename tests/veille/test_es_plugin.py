"""The analysis plugin's build: from the repository's Java source, cached by a hash of it."""

import json
import shutil
import zipfile

import pytest

from core.config.elasticsearch import ElasticsearchConfig
from veille.services import es_plugin
from veille.services.es_java import find_jdk
from veille.services.es_node import default_cache_dir

VERSION = ElasticsearchConfig().local.version


@pytest.fixture(scope="module")
def es_home(es_url):
    # The test node was started from the default cache (or VEILLE_CACHE_DIR): its ES_HOME is there.
    home = default_cache_dir() / f"elasticsearch-{VERSION}"
    assert (home / "lib").is_dir(), f"no unpacked distribution at {home}"
    return home


def test_hash_follows_the_java_source(tmp_path):
    copy = tmp_path / "es_analysis"
    shutil.copytree(es_plugin.source_dir(), copy)
    before = es_plugin.source_hash(VERSION, copy)
    assert before == es_plugin.source_hash(VERSION, es_plugin.source_dir())
    assert es_plugin.source_hash("8.19.20", copy) != before
    java = next((copy / "src").rglob("FrenchAnalyzerFactory.java"))
    java.write_text(java.read_text() + "\n// changed\n")
    assert es_plugin.source_hash(VERSION, copy) != before


def test_build_makes_a_stable_plugin_zip_once(es_home, tmp_path):
    jdk = find_jdk(default_cache_dir())
    built = es_plugin.build(es_home, VERSION, jdk.home, tmp_path)
    assert built.name == f"veille-analysis-{VERSION}-{es_plugin.source_hash(VERSION)}.zip"
    with zipfile.ZipFile(built) as plugin:
        assert set(plugin.namelist()) == {
            "veille-analysis.jar",
            "named_components.json",
            "stable-plugin-descriptor.properties",
        }
        components = json.loads(plugin.read("named_components.json"))
        descriptor = plugin.read("stable-plugin-descriptor.properties").decode()
    assert set(components["org.elasticsearch.plugin.analysis.AnalyzerFactory"]) == {"french", "english"}
    assert set(components["org.elasticsearch.plugin.analysis.TokenFilterFactory"]) == {
        "asciifolding",
        "pattern_capture",
        "unique",
    }
    assert set(components["org.elasticsearch.plugin.analysis.TokenizerFactory"]) == {"uax_url_email"}
    keys = {line.split("=", 1)[0] for line in descriptor.splitlines() if line}
    assert keys == {"description", "version", "name", "elasticsearch.version", "java.version"}
    stamp = built.stat().st_mtime_ns
    assert es_plugin.build(es_home, VERSION, jdk.home, tmp_path) == built
    assert built.stat().st_mtime_ns == stamp  # cached: not rebuilt


def test_install_replaces_only_a_different_build(es_home, tmp_path):
    fake_home = tmp_path / "home"
    (fake_home / "plugins").mkdir(parents=True)
    jdk = find_jdk(default_cache_dir())
    built = es_plugin.build(es_home, VERSION, jdk.home, tmp_path / "out")
    assert es_plugin.install(built, fake_home) is True
    assert es_plugin.installed_build(fake_home) == built.stem
    assert (fake_home / "plugins" / "veille-analysis" / "veille-analysis.jar").stat().st_mode & 0o777 == 0o644
    assert es_plugin.install(built, fake_home) is False
