"""Membership never imports governance (governance reads membership: the statutes, the share
ledger, the roll), so the two areas cannot form an import loop, not even one hidden inside a
function. Consent goes through contacts' ledger; the college weights rule lives here."""

import ast
from pathlib import Path

import placette.membership

ROOT = Path(placette.membership.__file__).parent


def _names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        module = node.module or ""
        return [module] + [f"{module}.{alias.name}" for alias in node.names]
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        called = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if called in {"__import__", "import_module"}:
            return [str(node.args[0].value)]
    return []


def governance_imports(path: Path, root: Path = ROOT) -> list[str]:
    """Every import of placette.governance in the file, wherever it sits."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        f"{path.relative_to(root)}:{node.lineno} {name}"
        for node in ast.walk(tree)
        for name in _names(node)
        if name == "placette.governance" or name.startswith("placette.governance.")
    ]


def test_no_module_of_membership_imports_governance_not_even_inside_a_function():
    files = sorted(ROOT.rglob("*.py"))
    assert len(files) > 30  # the scan really reads the whole area, tests and migrations too
    assert [hit for path in files for hit in governance_imports(path)] == []


def test_the_scan_finds_an_import_hidden_inside_a_function_or_made_by_name(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import importlib\n"
        "def f():\n"
        "    from placette.governance.services import x\n"
        "    return importlib.import_module('placette.governance.tally')\n"
    )
    assert governance_imports(sample, tmp_path) == [
        "sample.py:3 placette.governance.services",
        "sample.py:3 placette.governance.services.x",
        "sample.py:4 placette.governance.tally",
    ]
