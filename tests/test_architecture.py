"""The layering rule of the style guide, enforced with no exceptions: connectors, detectors and reports
never import one another; each may import only itself and the shared core (CORE, the one list of scanner
modules a layer may see); the core imports nothing outside itself. Only the pipeline and the CLI
(`scanner`) see everything."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# scanner.secrets: one rule for what is a credential and how it is hidden, applied alike by every layer
CORE = ("scanner.models", "scanner.errors", "scanner.limits", "scanner.categories", "scanner.manifest",
        "scanner.secrets")
LAYERS = ("connectors", "detectors", "reports")
OURS = ("scanner", "connectors", "detectors", "reports")


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            names.append("<relative import>")  # hides the layer it reaches: not allowed
    return [n for n in names if n.split(".")[0] in OURS + ("<relative import>",)]


def under(name: str, allowed: tuple[str, ...]) -> bool:
    return any(name == a or name.startswith(a + ".") for a in allowed)


def violations(paths: list[Path], allowed: tuple[str, ...], root: Path = ROOT) -> list[str]:
    return [f"{path.relative_to(root)} imports {name}"
            for path in paths for name in imports_of(path) if not under(name, allowed)]


@pytest.mark.parametrize("package", LAYERS)
def test_layer_imports_only_itself_and_the_core(package: str) -> None:
    assert violations(sorted((ROOT / package).rglob("*.py")), CORE + (package,)) == []


def test_core_imports_nothing_outside_itself() -> None:
    paths = [ROOT / (module.replace(".", "/") + ".py") for module in CORE]
    assert violations(paths, CORE) == []


def test_models_import_nothing_of_ours() -> None:
    assert imports_of(ROOT / "scanner" / "models.py") == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """The rule can fail: a report module importing a detector is caught."""
    bad = tmp_path / "reports" / "probe.py"
    bad.parent.mkdir()
    bad.write_text("from detectors.taxonomy import category_for\nfrom scanner.models import Finding\n")
    assert violations([bad], CORE + ("reports",), tmp_path) == ["reports/probe.py imports detectors.taxonomy"]
