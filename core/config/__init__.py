"""Configuration: the schema of config.yaml, its strict loader, and secrets from the environment."""

from core.config.loader import LoadedConfig, default_config_path, load_config, parse_config
from core.config.schema import Config
from core.config.secrets import read_secret

__all__ = ["Config", "LoadedConfig", "default_config_path", "load_config", "parse_config", "read_secret"]
