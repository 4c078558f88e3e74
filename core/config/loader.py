"""Load config.yaml: parse, refuse secrets in clear, validate, and explain every error.

An error message names the file, the line, the key path, what was expected and what was found:
``config.yaml:14: brands[0].alias: unknown key (expected one of: aliases, competitors, ...)``.
Hostile files are bounded: a key given twice in one mapping is refused (YAML would silently keep
the last), and a document whose aliases expand past ``MAX_NODES`` nodes (a "billion laughs"
alias bomb) is refused before anything walks it. Names a rule refers to (brands, sources) are
checked here too, at the line of the rule.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from core.config.common import SECRET_KEYS
from core.config.schema import Config
from core.errors import ConfigError

MAX_NODES = 100_000  # a real config has a few hundred; aliases may not multiply that past this
MAX_BYTES = 2_000_000
DEFAULT_CONFIG_NAME = "config.yaml"
ENV_CONFIG = "VEILLE_CONFIG"


@dataclass(frozen=True)
class LoadedConfig:
    """The validated config plus where it came from (relative paths resolve against ``base_dir``)."""

    config: Config
    path: Path

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    @property
    def data_dir(self) -> Path:
        data = Path(os.environ.get("VEILLE_DATA_DIR", self.config.data_dir)).expanduser()
        return data if data.is_absolute() else (self.base_dir / data).resolve()

    @property
    def spool_path(self) -> Path:
        """The durable queue between collection and processing."""
        return self.data_dir / "spool.sqlite"

    @property
    def state_dir(self) -> Path:
        """Per-feature local state (feed ETags, seen ids, story signatures, job store)."""
        return self.data_dir / "state"

    @property
    def outbox_dir(self) -> Path:
        outbox = Path(self.config.notifications.email.outbox_dir).expanduser()
        return outbox if outbox.is_absolute() else self.data_dir / outbox


def default_config_path() -> Path:
    """``$VEILLE_CONFIG``, else ./config.yaml, else the copy shipped with the package."""
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG])
    local = Path.cwd() / DEFAULT_CONFIG_NAME
    if local.exists():
        return local
    return Path(__file__).resolve().parents[2] / DEFAULT_CONFIG_NAME


def load_config(path: str | os.PathLike[str] | None = None) -> LoadedConfig:
    """Read and validate ``path``; raise ``ConfigError`` with every problem found."""
    file = Path(path) if path is not None else default_config_path()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{file}: config file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot read config file: {exc}") from exc
    return LoadedConfig(config=parse_config(text, source=str(file)), path=file.resolve())


def parse_config(text: str, *, source: str = "<config>") -> Config:
    if len(text) > MAX_BYTES:
        raise ConfigError(f"{source}: {len(text)} characters; a config file is at most {MAX_BYTES}")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        _check_structure(node, source)
        raw = yaml.SafeLoader(text).get_single_data() if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        raise ConfigError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    except RecursionError as exc:
        raise ConfigError(f"{source}: nested too deeply to be a configuration") from exc
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: expected a mapping of sections at the top, found {type(raw).__name__}")
    lines = _line_index(node)
    secret_errors = list(_secrets_in_clear(raw, ()))
    if secret_errors:
        raise ConfigError("\n".join(f"{_where(source, lines, loc)}: {msg}" for loc, msg in secret_errors))
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        messages = [_describe(source, lines, error) for error in exc.errors()]
        header = f"{source}: {len(messages)} problem(s) in the configuration:"
        raise ConfigError("\n".join([header, *(f"  {m}" for m in messages)])) from exc
    messages = [f"{_where(source, lines, loc)}: {msg}" for loc, msg in _unknown_references(config)]
    if messages:
        header = f"{source}: {len(messages)} problem(s) in the configuration:"
        raise ConfigError("\n".join([header, *(f"  {m}" for m in messages)]))
    return config


def _check_structure(root: yaml.Node | None, source: str) -> None:
    """Refuse duplicate keys and alias bombs, on the composed tree (aliases are shared nodes there,
    so this walk is linear in the file, whatever the aliases expand to)."""
    expanded: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        if id(node) in expanded:
            return expanded[id(node)]
        if depth > 200:
            raise ConfigError(f"{source}:{node.start_mark.line + 1}: nested too deeply to be a configuration")
        total = 1
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                    if key.value in seen:
                        raise ConfigError(
                            f"{source}:{key.start_mark.line + 1}: key {key.value!r} given twice in one "
                            f"mapping (first at line {seen[key.value]}); YAML would keep only the last"
                        )
                    seen[key.value] = key.start_mark.line + 1
                total += size(key, depth + 1) + size(value, depth + 1)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item, depth + 1) for item in node.value)
        expanded[id(node)] = min(total, MAX_NODES + 1)
        if total > MAX_NODES:
            raise ConfigError(
                f"{source}:{node.start_mark.line + 1}: the aliases here expand to more than {MAX_NODES} "
                "values; not a configuration (a YAML alias bomb?)"
            )
        return expanded[id(node)]

    if root is not None:
        size(root, 0)


def _unknown_references(config: Config) -> Any:
    """(key path, message) for each brand or source a rule names that the config does not define."""
    brands = [brand.name for brand in config.brands]
    s = config.sources
    sources = sorted(src.name for group in (s.feeds, s.forums, s.blogs, s.reviews) for src in group)
    for index, rule in enumerate(config.alerts.rules):
        unknown = [b for b in rule.brands if b not in brands]
        if unknown:
            yield (
                ("alerts", "rules", index, "brands"),
                f"rule {rule.name!r} names unknown brand(s) {unknown}; known: {brands}",
            )
        unknown = sorted(set(getattr(rule, "sources", [])) - set(sources))
        if unknown:
            yield (
                ("alerts", "rules", index, "sources"),
                f"unknown source(s) {unknown}; known: {sources}",
            )


def _secrets_in_clear(value: Any, loc: tuple[Any, ...]) -> Any:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key.lower() in SECRET_KEYS and item not in (None, ""):
                hint = f"{key}_env"
                yield (
                    (*loc, key),
                    f"secrets are not read from the config file; put it in an environment "
                    f"variable and name that variable with '{hint}: MY_{key.upper()}_VARIABLE'",
                )
            else:
                yield from _secrets_in_clear(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _secrets_in_clear(item, (*loc, index))


def _line_index(node: yaml.Node | None) -> dict[tuple[Any, ...], int]:
    """Map each key path to its 1-based line, so errors can point into the file."""
    index: dict[tuple[Any, ...], int] = {}

    def walk(current: yaml.Node, loc: tuple[Any, ...]) -> None:
        index[loc] = current.start_mark.line + 1
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                key_loc = (*loc, key_node.value)
                index[key_loc] = key_node.start_mark.line + 1
                walk(value_node, key_loc)
                index[key_loc] = key_node.start_mark.line + 1
        elif isinstance(current, yaml.SequenceNode):
            for position, item in enumerate(current.value):
                walk(item, (*loc, position))

    if node is not None:
        walk(node, ())
    return index


def _format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _where(source: str, lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> str:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return f"{source}:{lines[loc[:end]]}: {_format_loc(loc)}"
    return f"{source}: {_format_loc(loc)}"


def _rule_types() -> dict[str, type[BaseModel]]:
    from core.config import alerts

    types: dict[str, type[BaseModel]] = {}
    for model in get_args(get_args(alerts.Rule)[0]):
        types[get_args(model.model_fields["type"].annotation)[0]] = model
    return types


def _strip_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    # In a discriminated union pydantic puts the tag ('negative_spike') after the list index;
    # it is not a key of the file.
    tags = _rule_types()
    return tuple(
        part
        for i, part in enumerate(loc)
        if not (i > 0 and isinstance(loc[i - 1], int) and isinstance(part, str) and part in tags)
    )


def _describe(source: str, lines: dict[tuple[Any, ...], int], error: ErrorDetails) -> str:
    loc = _strip_tags(tuple(error["loc"]))
    if error["type"] == "extra_forbidden":
        expected = _allowed_keys(loc[:-1])
        hint = f" (expected one of: {', '.join(expected)})" if expected else ""
        return f"{_where(source, lines, loc)}: unknown key{hint}"
    if error["type"] == "missing":
        return f"{_where(source, lines, loc)}: required key is missing"
    message = error["msg"].removeprefix("Value error, ")
    return f"{_where(source, lines, loc)}: {message} ({_found(loc, error.get('input'))})"


def _found(loc: tuple[Any, ...], value: Any) -> str:
    """What was found, unless it may be a secret: a value where a variable name belongs
    (``password_env: Hunter2!``) or a URL carrying credentials."""
    key = str(loc[-1]) if loc else ""
    if key.endswith("_env"):
        return "value not shown: it may be a secret"
    if isinstance(value, str) and "@" in value and "://" in value:
        return "value not shown: it may hold credentials"
    return f"found: {_short(value)}"


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """Keys accepted at ``loc`` (for 'unknown key' hints); [] when it cannot tell."""
    model: Any = Config
    raw_index = 0
    for part in loc:
        raw_index += 1
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = model.model_fields.get(part)
        if field is None:
            return []
        model = _model_of(field.annotation)
    if model == "rule":
        return []
    if isinstance(model, type) and issubclass(model, BaseModel):
        return sorted(f.alias or name for name, f in model.model_fields.items())
    return []


def _model_of(annotation: Any) -> Any:
    while get_origin(annotation) in (list, tuple):
        annotation = get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    members = [a for a in get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
    return members[0] if len(members) == 1 else ("rule" if members or get_args(annotation) else None)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
