"""What Lambda runs the functions on: one home for the runtime and the architecture.

The functions (``components.booking_function``) are declared with these; the layer is
locked (:mod:`packager.layer_lock`) and installed (:mod:`packager.lambda_artifacts`)
for the same platform, so compiled wheels such as ``pydantic_core`` are the builds
Lambda can load (pydantic/pydantic#6557).
"""

from __future__ import annotations

RUNTIME = "python3.12"
ARCHITECTURE = "arm64"
PIP_PYTHON_VERSION = RUNTIME.removeprefix("python")
PIP_IMPLEMENTATION = "cp"
# Lambda's arm64 is aarch64 Linux, glibc 2.26 or newer: manylinux2014 wheels load there.
_MACHINE = {"arm64": "aarch64", "x86_64": "x86_64"}[ARCHITECTURE]
PIP_PLATFORM = f"manylinux2014_{_MACHINE}"  # pip install --platform
UV_PYTHON_PLATFORM = f"{_MACHINE}-manylinux2014"  # uv pip compile --python-platform
# Where Lambda unpacks the function's code and its layers: the paths the artifacts'
# compiled bytecode names as its source files (tracebacks show them).
CODE_ROOT = "/var/task"
LAYERS_ROOT = "/opt"
