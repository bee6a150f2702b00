"""The infrastructure reads the Lambda package through ``booking.contract`` only."""

import ast
from pathlib import Path

import booking.contract as contract

ROOT = Path(__file__).resolve().parents[2]
INFRASTRUCTURE = ("components", "stacks")


def _booking_imports(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return {module for module in modules if module == "booking" or module.startswith("booking.")}


def test_components_and_stacks_import_nothing_of_the_package_but_its_contract():
    for folder in INFRASTRUCTURE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            assert _booking_imports(path) <= {"booking.contract"}, path.relative_to(ROOT)


def test_the_contract_declares_nothing_of_its_own():
    for name in contract.__all__:
        value = getattr(contract, name)
        assert getattr(value, "__module__", "elsewhere") != "booking.contract", name
