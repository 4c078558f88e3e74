"""CLI command modules. Each module defines ``register(cli: click.Group) -> None``.

Add a module name here to expose its commands; keep one module per feature area.
"""

COMMAND_MODULES = [
    "config",
    "collect",
    "es",
    "data",
    "alerts",
    "run",
    "demo",
    "spool",
    "enrich",
    "kibana",
    "trying",
    "privacy",
]
