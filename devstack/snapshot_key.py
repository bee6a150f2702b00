"""What decides a deployment onto the emulator, as one hash: the key of its snapshot.

Two runs with the same key deploy the same resources with the same ids, so the second
may restore the first's snapshot (``devstack.snapshot``) instead of running the
program. Everything the program, the devstack's adapters and the artifacts it uploads
depend on goes in:

- the sources the program and the devstack read (``KEYED_TREES``, ``KEYED_FILES``,
  ``Pulumi.<stack>.yaml``) and the web app's build inputs (``packager.web_app``);
  the code archive and the layer are built from ``lambdas/`` and ``layer-lock.txt``;
- the run's choices: seed (on/off, its file's content), config overrides;
- the addresses baked into resources: the API's, the web app's and the sign-in pages'
  URLs (endpoints, callback URLs, CORS origins) and the emulator's (queue URLs in the
  functions' environment);
- the versions of Python and of the libraries that shape the deployed state.

Imported by ``bookingctl local up`` before the program's process starts: stay light.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from packager.lambda_artifacts import PROJECT_ROOT
from packager.reproducible import files_under
from packager.web_app import input_hash as web_input_hash

# Bump when the snapshot's content or its restore changes meaning.
FORMAT_VERSION = "1"
KEYED_TREES = ("components", "stacks", "engine", "devstack", "packager", "lambdas")
KEYED_FILES = ("Pulumi.yaml", "layer-lock.txt", "pyproject.toml")
VERSIONED_DISTRIBUTIONS = ("moto", "pulumi", "pulumi_aws", "boto3", "botocore", "cryptography")


@dataclass(frozen=True)
class DeploymentInputs:
    """A run's own choices, beside the repository's files."""

    stack: str
    seed: bool
    seed_file: Path | None = None  # None: the demo seed, a file of devstack/ (keyed with it)
    config_overrides: dict[str, Any] = field(default_factory=dict)
    api_url: str = ""
    web_url: str = ""
    login_url: str = ""
    emulator_url: str = ""


def deployment_key(inputs: DeploymentInputs, project_root: Path = PROJECT_ROOT) -> str:
    hasher = hashlib.sha256(f"devstack-snapshot {FORMAT_VERSION}\0".encode())
    files = [path for tree in KEYED_TREES for path in files_under(project_root / tree)]
    files += [project_root / name for name in (*KEYED_FILES, f"Pulumi.{inputs.stack}.yaml")]
    for path in files:
        hasher.update(path.relative_to(project_root).as_posix().encode() + b"\0")
        hasher.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"absent")
    choices = {
        "stack": inputs.stack,
        "seed": _seed_hash(inputs) if inputs.seed else None,
        "config_overrides": inputs.config_overrides,
        "urls": [inputs.api_url, inputs.web_url, inputs.login_url, inputs.emulator_url],
        "web": web_input_hash(project_root),
        "python": sys.version,
        "versions": {name: metadata.version(name) for name in VERSIONED_DISTRIBUTIONS},
    }
    hasher.update(json.dumps(choices, sort_keys=True, default=str).encode())
    return hasher.hexdigest()[:16]


def _seed_hash(inputs: DeploymentInputs) -> str:
    if inputs.seed_file is None:
        return "demo"
    return hashlib.sha256(inputs.seed_file.read_bytes()).hexdigest()
