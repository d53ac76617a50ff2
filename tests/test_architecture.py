"""The layering rule of the style guide, enforced: connectors, detectors and reports never import each
other (only through the pure-data modules listed here); only the pipeline and the CLI see everything."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ("scanner.models", "scanner.errors", "scanner.limits")
ALLOWED = {
    "connectors": SHARED + ("connectors",),
    "detectors": SHARED + ("detectors",),
    "reports": SHARED + ("reports", "scanner.policy.manifest", "detectors.taxonomy"),
}
OURS = ("scanner", "connectors", "detectors", "reports")


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return [n for n in names if n.split(".")[0] in OURS]


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_layer_imports_only_what_it_may(package: str) -> None:
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in imports_of(path):
            if not any(name == a or name.startswith(a + ".") for a in ALLOWED[package]):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert bad == []


def test_models_import_nothing_of_ours() -> None:
    assert imports_of(ROOT / "scanner" / "models.py") == []
