"""Imports go one way only: core <- crawlers, enrich, index <- alerts <- veille (see DESIGN.md)."""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = {"core", "crawlers", "enrich", "index", "alerts", "veille"}
# What shipped code must never import: the test suite and the benchmarks are not installed.
NOT_SHIPPED = {"tests", "bench"}
OURS = PACKAGES | NOT_SHIPPED
ALLOWED = {
    "core": set(),
    "crawlers": {"core"},
    "enrich": {"core"},
    "index": {"core"},
    "alerts": {"core", "index"},
    "veille": PACKAGES - {"veille"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & OURS


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_go_one_way(package):
    offenders = []
    for path in sorted((REPO / package).rglob("*.py")):
        wrong = imported_packages(path) - ALLOWED[package] - {package}
        if wrong:
            offenders.append(f"{path.relative_to(REPO)} imports {sorted(wrong)}")
    assert not offenders, "\n".join(offenders)


def test_the_check_sees_a_wrong_import(tmp_path):
    # The rule of each package is only worth its detector: show it a module that breaks each one.
    module = tmp_path / "m.py"
    module.write_text("import alerts.engine\nfrom veille.cli import main\nfrom tests import support\n")
    found = imported_packages(module)
    assert found == {"alerts", "veille", "tests"}
    for package, allowed in ALLOWED.items():
        assert found - allowed - {package}, package


def test_every_module_has_a_docstring():
    missing = []
    for package in sorted(PACKAGES):
        for path in sorted((REPO / package).rglob("*.py")):
            if path.stat().st_size and ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) is None:
                missing.append(str(path.relative_to(REPO)))
    assert not missing, f"modules without a docstring: {missing}"
