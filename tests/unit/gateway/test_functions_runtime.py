"""Each function runs in its own spawned worker processes, as Lambda's containers."""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import sys
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest

from devstack.access import credential_variables
from devstack.functions import EmulatorEnvironment, FunctionError, FunctionRuntime, functions_from_inventory
from devstack.functions.worker import use_task_root
from tests.unit.gateway.inventory_factory import FakeProgram, standard_program

EMULATOR = EmulatorEnvironment("http://127.0.0.1:5999", "us-east-1")


@pytest.fixture(scope="module")
def runtime() -> Iterator[FunctionRuntime]:
    os.environ["GATEWAY_TEST_HOST_ONLY"] = "host-secret"
    try:
        functions = functions_from_inventory(standard_program().inventory())
        with FunctionRuntime(functions, EMULATOR, max_workers_per_function=2) as runtime:
            yield runtime
    finally:
        del os.environ["GATEWAY_TEST_HOST_ONLY"]


def _echo(runtime: FunctionRuntime, name: str, event: dict[str, Any] | None = None) -> dict[str, Any]:
    result = runtime.invoke(name, event or {})
    body: dict[str, Any] = json.loads(result["body"])
    return body


def test_two_functions_never_see_each_others_settings(runtime):
    echo = _echo(runtime, "echo-fn")["environment"]
    other = _echo(runtime, "other-fn")["environment"]

    assert echo["ECHO_SETTING"] == "echo-value"
    assert echo["TABLE_NAME"] == "echo-table"
    assert "OTHER_SETTING" not in echo
    assert other["OTHER_SETTING"] == "other-value"
    assert other["TABLE_NAME"] == "other-table"
    assert "ECHO_SETTING" not in other


def test_a_function_does_not_inherit_the_hosts_environment(runtime):
    environment = _echo(runtime, "echo-fn")["environment"]

    assert "GATEWAY_TEST_HOST_ONLY" not in environment


def test_functions_call_the_emulator_with_dummy_credentials_and_tracing_off(runtime):
    environment = _echo(runtime, "echo-fn")["environment"]

    assert environment["AWS_ENDPOINT_URL"] == "http://127.0.0.1:5999"
    assert environment["AWS_REGION"] == environment["AWS_DEFAULT_REGION"] == "us-east-1"
    assert credential_variables().items() <= environment.items()
    assert environment["POWERTOOLS_TRACE_DISABLED"] == "true"
    assert environment["AWS_LAMBDA_FUNCTION_NAME"] == "echo-fn"
    assert environment["_HANDLER"] == "tests.unit.gateway.handlers.echo"


def test_module_state_belongs_to_one_function_and_survives_between_invocations(runtime):
    first = _echo(runtime, "echo-fn")
    second = _echo(runtime, "echo-fn")
    other = _echo(runtime, "other-fn")

    # The warm container is reused, so its module-level counter keeps counting…
    assert (second["pid"], second["invocations"]) == (first["pid"], first["invocations"] + 1)
    # …and another function's container is another process with its own counter.
    assert other["pid"] != first["pid"]


def test_the_handler_gets_a_lambda_like_context(runtime):
    context = _echo(runtime, "echo-fn")["context"]

    assert context["function_name"] == "echo-fn"
    assert context["invoked_function_arn"] == "arn:aws:lambda:us-east-1:123456789012:function:echo-fn"
    assert context["memory_limit_in_mb"] == 256
    assert context["aws_request_id"]
    assert 0 < context["remaining_ms"] <= 10_000


def test_a_function_can_be_invoked_by_its_arn(runtime):
    body = _echo(runtime, "arn:aws:lambda:us-east-1:123456789012:function:other-fn")

    assert body["context"]["function_name"] == "other-fn"


def test_an_unhandled_exception_is_a_function_error_with_its_type(runtime):
    with pytest.raises(FunctionError) as raised:
        runtime.invoke("fail-fn", {})

    assert raised.value.error_type == "ValueError"
    assert raised.value.message == "the handler failed"


def test_a_crashed_worker_is_a_function_error_and_the_next_invocation_gets_a_new_one(runtime):
    with pytest.raises(FunctionError) as raised:
        runtime.invoke("crash-fn", {})

    assert raised.value.error_type == "Runtime.ExitError"
    with pytest.raises(FunctionError):
        runtime.invoke("crash-fn", {})


def test_the_functions_timeout_stops_the_invocation_and_the_function_recovers(runtime):
    with pytest.raises(FunctionError) as raised:
        runtime.invoke("slow-fn", {"seconds": 30})

    assert raised.value.error_type == "Sandbox.Timedout"
    assert runtime.invoke("slow-fn", {"seconds": 0}) == {"statusCode": 200, "body": "late"}


def test_warming_starts_containers_up_to_the_pool_size_ahead_of_requests():
    functions = functions_from_inventory(standard_program().inventory())
    with FunctionRuntime(functions, EMULATOR, max_workers_per_function=2) as runtime:
        runtime.warm(["echo-fn"], containers=3)

        assert runtime.containers("echo-fn") == 2
        assert runtime.containers("other-fn") == 0
        assert _echo(runtime, "echo-fn")["invocations"] == 1


def test_an_unknown_function_is_not_found(runtime):
    with pytest.raises(FunctionError) as raised:
        runtime.invoke("nope", {})

    assert raised.value.error_type == "ResourceNotFoundException"


def test_a_function_runs_the_code_of_its_archive_first(tmp_path):
    (tmp_path / "archived_handler.py").write_text(
        "import os\n\ndef handler(event, context):\n    return {'root': os.environ['LAMBDA_TASK_ROOT']}\n"
    )
    program = FakeProgram()
    program.function("archived-fn", "unused")
    record = dataclasses.replace(
        program.records[0],
        inputs={
            **program.records[0].inputs,
            "handler": "archived_handler.handler",
            "code": {"archive": "file", "path": str(tmp_path)},
        },
    )
    functions = functions_from_inventory(dataclasses.replace(program.inventory(), resources=[record]))

    with FunctionRuntime(functions, EMULATOR) as runtime:
        assert runtime.invoke("archived-fn", {}) == {"root": str(tmp_path.resolve())}


def test_a_zipped_code_archive_is_unpacked_as_lambda_does_before_its_handler_runs(tmp_path):
    archive = tmp_path / "code.zip"
    with zipfile.ZipFile(archive, "w") as code:
        code.writestr(
            "zipped_handler.py",
            "from pathlib import Path\n\n"
            "def handler(event, context):\n"
            "    return {'data': (Path(__file__).parent / 'data.txt').read_text()}\n",
        )
        code.writestr("data.txt", "next to the module")
    program = FakeProgram()
    program.function("zipped-fn", "unused")
    record = dataclasses.replace(
        program.records[0],
        inputs={
            **program.records[0].inputs,
            "handler": "zipped_handler.handler",
            "code": {"archive": "file", "path": str(archive)},
        },
    )
    functions = functions_from_inventory(dataclasses.replace(program.inventory(), resources=[record]))

    with FunctionRuntime(functions, EMULATOR) as runtime:
        assert runtime.invoke("zipped-fn", {}) == {"data": "next to the module"}


def test_the_archives_code_replaces_a_same_named_module_already_imported_from_elsewhere(
    tmp_path, monkeypatch
):
    elsewhere, task_root = tmp_path / "elsewhere", tmp_path / "task"
    for folder, version in ((elsewhere, "working tree"), (task_root, "archive")):
        folder.mkdir()
        (folder / "shadowed_module_for_test.py").write_text(f"VERSION = {version!r}\n")
    monkeypatch.setattr(sys, "path", [str(elsewhere), *sys.path])
    monkeypatch.setitem(
        sys.modules, "shadowed_module_for_test", importlib.import_module("shadowed_module_for_test")
    )
    assert sys.modules["shadowed_module_for_test"].VERSION == "working tree"

    use_task_root(str(task_root))

    assert importlib.import_module("shadowed_module_for_test").VERSION == "archive"
