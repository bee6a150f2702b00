"""Entry point of ``pulumi up`` (Pulumi.yaml: ``main: stacks/``). Wiring only."""

import sys
from pathlib import Path

# ``pulumi`` runs this file directly: make the repository and the Lambda package importable
# even when the project is not installed into the stack's virtualenv.
_ROOT = Path(__file__).resolve().parent.parent
for _path in (_ROOT / "lambdas", _ROOT):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from stacks.program import program  # noqa: E402 (after the path set-up above)

program()
