"""config.yaml: the shipped file loads; errors name the file, line, key path, expectation, value."""

from pathlib import Path

import pytest
import yaml

from core.config import load_config, parse_config
from core.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def shipped() -> dict:
    return yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))


def test_shipped_config_loads_with_defaults():
    loaded = load_config(REPO / "config.yaml")
    config = loaded.config
    assert config.timezone == "Europe/Paris"
    assert [b.name for b in config.brands][:1] == ["Velora"]
    assert loaded.data_dir == (REPO / "var").resolve()
    assert config.schedule.poll.total_seconds() == 300


def test_every_shipped_key_is_commented():
    # "Fully commented": each top-level section is introduced by a comment line.
    lines = (REPO / "config.yaml").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if line and not line.startswith((" ", "#", "-")):
            above = lines[max(0, number - 3) : number]
            assert any(prev.startswith("#") for prev in above), f"section {line!r} has no comment above it"


def test_misspelt_key_names_file_line_path_and_choices(tmp_path):
    text = (
        (REPO / "config.yaml")
        .read_text(encoding="utf-8")
        .replace("    aliases: [Lantier", "    alias: [Lantier")
    )
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "alias: [Lantier" in row)
    assert f"{path}:{line}: brands[1].alias: unknown key" in message
    assert "aliases" in message  # the expected keys are listed
    assert info.value.exit_code == 2


def test_wrong_type_says_what_was_found():
    raw = shipped()
    raw["crawl"]["retries"] = "many"
    with pytest.raises(ConfigError, match=r"crawl\.retries: .*integer.*\(found: 'many'\)"):
        parse_config(yaml.safe_dump(raw), source="x.yaml")


def test_unknown_keys_rejected_at_every_level():
    for path in (("nope",), ("elasticsearch", "local", "heapsize"), ("digest", "when")):
        raw = shipped()
        target = raw
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = 1
        with pytest.raises(ConfigError, match="unknown key"):
            parse_config(yaml.safe_dump(raw))


def test_password_in_clear_is_refused_with_a_pointer_to_the_environment():
    raw = shipped()
    raw["notifications"]["email"]["smtp"] = {"host": "smtp.example.org", "password": "hunter2"}
    with pytest.raises(ConfigError) as info:
        parse_config(yaml.safe_dump(raw), source="c.yaml")
    assert "notifications.email.smtp.password" in str(info.value)
    assert "password_env" in str(info.value)
    assert "hunter2" not in str(info.value)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda r: r.update(timezone="Europe/Pariss"), "unknown timezone"),
        (lambda r: r["schedule"].update(poll="soon"), "expected a duration"),
        (lambda r: r["digest"].update(time="25:00"), "HH:MM"),
        (lambda r: r.update(brands=[]), "brands"),
        (lambda r: r["brands"][0].update(languages=["de"]), "unsupported language"),
        (lambda r: r["elasticsearch"].update(api_key_env="not a name"), "environment variable"),
    ],
)
def test_invalid_values_are_explained(mutate, expected):
    raw = shipped()
    mutate(raw)
    with pytest.raises(ConfigError, match=expected):
        parse_config(yaml.safe_dump(raw, allow_unicode=True))


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("timezone: Europe/Paris\nbrands: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.yaml:\d+: not valid YAML"):
        load_config(path)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "absent.yaml")
