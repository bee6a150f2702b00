"""The pack directory stands on its own, as the Pulumi CLI runs it.

The CLI installs only ``policies/requirements.txt`` into the pack's environment, and
runs ``__main__.py`` with the pack directory (not the repository) on ``sys.path``, so
the rules may import the standard library, ``pulumi_policy`` and each other, nothing
else; ``__main__`` must do nothing but assemble the pack.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import yaml

PACK_DIR = Path(__file__).resolve().parents[2] / "policies"
ALLOWED_THIRD_PARTY = {"pulumi_policy"}


def _imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_rules_import_only_the_standard_library_and_the_policy_sdk():
    files = [*sorted((PACK_DIR / "rules").glob("*.py")), PACK_DIR / "__main__.py"]
    for path in files:
        foreign = _imported_top_levels(path) - set(sys.stdlib_module_names) - ALLOWED_THIRD_PARTY - {"rules"}
        assert not foreign, f"{path.name} imports {foreign}, which the pack's environment does not have"


def test_requirements_name_the_policy_sdk_and_the_manifest_the_python_runtime():
    requirements = (PACK_DIR / "requirements.txt").read_text().splitlines()
    assert any(line.startswith("pulumi-policy") for line in requirements)
    manifest = yaml.safe_load((PACK_DIR / "PulumiPolicy.yaml").read_text())
    assert manifest["runtime"]["name"] == "python"
    assert manifest["version"]


def test_main_only_assembles_the_pack():
    tree = ast.parse((PACK_DIR / "__main__.py").read_text())
    statements = [node for node in tree.body if not isinstance(node, ast.Import | ast.ImportFrom)]
    docstring, call = statements
    assert isinstance(docstring, ast.Expr)
    assert isinstance(docstring.value, ast.Constant)
    assert isinstance(call, ast.Expr)
    assert isinstance(call.value, ast.Call)
    assert isinstance(call.value.func, ast.Name)
    assert call.value.func.id == "PolicyPack"
