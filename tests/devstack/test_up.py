"""``local up`` in this process: the real program deployed onto the emulator and served.

These runs take seconds (the program itself, then one container per function), so the
module starts one devstack for its tests and one more for the component-change proof.
"""

from __future__ import annotations

import dataclasses
import email
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import booking.routes
import booking.settings
import pytest
import requests
from booking.adapters.dynamodb_bookings import DynamoBookingRepository
from booking.adapters.dynamodb_table import DynamoTable
from booking.domain.cells import cells_for
from booking.domain.models import Booking
from booking.domain.ports import IdempotencyRecord

from bookingctl.local import tick
from devstack import deploying
from devstack.access import sign_in
from devstack.outputs import read_outputs
from devstack.pumps import due_time
from devstack.state import StateDir
from devstack.up import UpOptions, start_devstack
from engine.inventory import Inventory

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def devstack(tmp_path_factory):
    state_dir = tmp_path_factory.mktemp("up") / ".devstack"
    printed: list[str] = []
    running = start_devstack(UpOptions(stack="dev", port=0, state_dir=state_dir), printer=printed.append)
    try:
        yield running, state_dir, "\n".join(printed)
    finally:
        running.stop()


def test_outputs_json_tells_where_everything_is_and_who_can_sign_in(devstack):
    running, state_dir, _ = devstack
    outputs = read_outputs(StateDir(state_dir))

    assert outputs == running.outputs
    assert outputs.api_url == running.gateway.url
    assert outputs.aws_endpoint_url == running.emulator.endpoint_url
    assert outputs.region == "us-east-1"
    table = outputs.client("dynamodb").describe_table(TableName=outputs.table_name)["Table"]
    assert table["StreamSpecification"]["StreamEnabled"] is True
    assert sorted(user.role for user in outputs.demo_users) == sorted(
        ["Owner", "Admin", "Dentist", "Reception", "Patient"]
    )
    patient = outputs.demo_user_with_role("Patient")
    assert sign_in(outputs, patient.email).id_token
    assert patient.tenant_id == "demo-clinic"


def test_every_value_the_program_wired_is_the_emulators(devstack):
    running, state_dir, _ = devstack
    outputs = running.outputs
    inventory = Inventory.load(state_dir / "inventory.json")
    lambda_client = outputs.client("lambda")

    for record in inventory.of_type("aws:lambda/function:Function"):
        config = lambda_client.get_function_configuration(FunctionName=record.id)
        variables = config["Environment"]["Variables"]
        assert variables["TABLE_NAME"] == outputs.table_name
        assert lambda_client.meta.region_name in config["FunctionArn"]
    users = lambda_client.get_function_configuration(FunctionName="booking-dev-users")
    assert users["Environment"]["Variables"]["USER_POOL_ID"] == outputs.user_pool_id
    notifications = lambda_client.get_function_configuration(FunctionName="booking-dev-notifications")
    role_arn = notifications["Environment"]["Variables"]["SCHEDULER_ROLE_ARN"]
    outputs.client("iam").get_role(RoleName=role_arn.rsplit("/", 1)[1])  # a real role in the emulator
    assert outputs.stack_outputs["apiUrl"] == outputs.api_url
    (acl,) = inventory.of_type("aws:wafv2/webAcl:WebAcl")  # created, as the distribution names it
    stored = outputs.client("wafv2").get_web_acl(Name=acl.outputs["name"], Id=acl.id, Scope="CLOUDFRONT")
    (distribution,) = inventory.of_type("aws:cloudfront/distribution:Distribution")
    assert distribution.inputs["webAclId"] == stored["WebACL"]["ARN"]


def test_the_banner_shows_how_to_start_and_lists_what_is_recorded_not_emulated(devstack):
    running, _, printed = devstack
    assert running.outputs.api_url in printed
    assert "bookingctl local token --email patient@demo-clinic.test" in printed
    assert printed.count("curl ") == 2
    assert "Recorded, not emulated:" in printed
    for item in running.outputs.not_emulated:
        assert item.type in printed
    assert {item.type for item in running.outputs.not_emulated} >= {"aws:wafv2/webAcl:WebAcl"}


def test_the_gateway_serves_the_deployed_api(devstack):
    running, _, _ = devstack
    unknown = requests.get(f"{running.outputs.api_url}/no-such-route", timeout=10)
    unauthenticated = requests.get(f"{running.outputs.api_url}/professionals", timeout=10)
    assert unknown.status_code == 404
    assert unauthenticated.status_code == 401


def _book_for_the_demo_patient(outputs, days_ahead=3):
    """A booking written as the API writes it (repository transaction: booking, lock
    cells, idempotency record), so its stream record is the real one."""
    patient = outputs.demo_user_with_role("Patient")
    zone = ZoneInfo("America/Guayaquil")
    day = (datetime.now(zone) + timedelta(days=days_ahead)).date()
    start = datetime(day.year, day.month, day.day, 9, 0, tzinfo=zone)
    now = datetime.now(UTC)
    booking = Booking(
        id="bk-devstack-1",
        tenant_id="demo-clinic",
        professional_id="dr-ana-torres",
        treatment_id="cleaning",
        patient_id=patient.user_id,
        start=start,
        end=start + timedelta(minutes=45),
        blocked_start=start - timedelta(minutes=5),
        blocked_end=start + timedelta(minutes=55),
        created_by=patient.user_id,
        created_at=now,
        updated_at=now,
    )
    repository = DynamoBookingRepository(DynamoTable(outputs.table_name, client=outputs.client("dynamodb")))
    repository.create(
        booking,
        cells_for("demo-clinic", "dr-ana-torres", booking.blocked_start, booking.blocked_end),
        IdempotencyRecord(
            "demo-clinic", "key-1", patient.user_id, "hash", booking.id, now + timedelta(hours=1)
        ),
    )
    return booking, patient


def _wait_for_mail(outbox: Path, count: int, timeout: float = 60.0, audience: str = "patient") -> list[Path]:
    """The emails written for ``audience`` (the staff get their own about each change)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = [
            path
            for path in sorted(outbox.glob("*.eml"))
            if email.message_from_bytes(path.read_bytes())["X-Booking-Audience"] == audience
        ]
        if len(files) >= count:
            return files
        time.sleep(0.25)
    raise AssertionError(f"expected {count} emails in {outbox}, found {sorted(outbox.glob('*.eml'))}")


def test_a_booking_reaches_the_outbox_through_stream_function_and_ses_and_tick_sends_its_reminder(
    devstack, capsys
):
    running, state_dir, _ = devstack
    outputs = running.outputs
    booking, patient = _book_for_the_demo_patient(outputs)

    [confirmation] = _wait_for_mail(outputs.outbox, 1)
    assert confirmation.name.endswith(f"-{patient.email}.eml")
    message = email.message_from_bytes(confirmation.read_bytes())
    assert message["X-Booking-Email-Kind"] == "confirmation"
    assert f"{outputs.web_url}/appointments/{booking.id}".encode() in confirmation.read_bytes()
    scheduler = outputs.client("scheduler")
    groups = [group["Name"] for group in scheduler.list_schedule_groups()["ScheduleGroups"]]
    [dentist_mail] = _wait_for_mail(outputs.outbox, 1, audience="professional")
    assert dentist_mail.name.endswith("-dentist@demo-clinic.test.eml")

    def reminders(group: str) -> list[dict[str, Any]]:
        # The group also holds the recurring send-quota read, which tick never fires.
        listed = scheduler.list_schedules(GroupName=group, NamePrefix="reminder.")["Schedules"]
        return [schedule for schedule in listed if schedule["Name"].startswith("reminder.")]

    [(group, reminder)] = [(group, schedule) for group in groups for schedule in reminders(group)]
    due = due_time(
        scheduler.get_schedule(GroupName=group, Name=reminder["Name"])["ScheduleExpression"],
        "America/Guayaquil",
    )
    assert due is not None
    assert due < booking.start

    code = tick.fire(due + timedelta(minutes=1), state_dir)

    assert code == 0
    assert f"{group}/{reminder['Name']}" in capsys.readouterr().out
    assert reminders(group) == []
    reminder_mail = _wait_for_mail(outputs.outbox, 2)[-1]
    assert email.message_from_bytes(reminder_mail.read_bytes())["X-Booking-Email-Kind"] == "reminder"


def test_changing_a_component_changes_what_the_devstack_deploys_and_serves(tmp_path, monkeypatch):
    """The proof that the devstack deploys the program, not a copy of it."""
    import stacks.areas.api

    health = booking.routes.find_route("GET", "/health")
    moved = tuple(
        dataclasses.replace(route, path="/healthz") if route is health else route
        for route in booking.routes.ROUTES
    )
    monkeypatch.setattr(booking.routes, "ROUTES", moved)
    monkeypatch.setattr(stacks.areas.api, "ROUTES", moved)

    # A snapshot of the unchanged program would hide the change: the options' defaults
    # must neither restore one nor save one.
    def no_snapshot(*_args: Any) -> Any:
        raise AssertionError("a devstack started with UpOptions' defaults used a deployment snapshot")

    monkeypatch.setattr(deploying, "restore_snapshot", no_snapshot)
    monkeypatch.setattr(deploying, "save_snapshot", no_snapshot)

    class CatalogsWithGreeting(booking.settings.CatalogsSettings):
        greeting_text: str = "hola"

    spec = booking.settings.FUNCTIONS["catalogs"]
    monkeypatch.setitem(
        booking.settings.FUNCTIONS, "catalogs", dataclasses.replace(spec, settings=CatalogsWithGreeting)
    )

    running = start_devstack(
        UpOptions(stack="dev", port=0, state_dir=tmp_path / ".devstack", seed=False), printer=lambda _t: None
    )
    try:
        outputs = running.outputs
        api_id = running.inventory.of_type("aws:apigatewayv2/api:Api")[0].id
        route_keys = {
            route["RouteKey"] for route in outputs.client("apigatewayv2").get_routes(ApiId=api_id)["Items"]
        }
        assert "GET /healthz" in route_keys
        assert "GET /health" not in route_keys
        catalogs = outputs.client("lambda").get_function_configuration(FunctionName="booking-dev-catalogs")
        assert catalogs["Environment"]["Variables"]["GREETING_TEXT"] == "hola"
        served = running.gateway.api
        assert any(route.route_key == "GET /healthz" for route in served.routes)
        # The gateway no longer knows /health; it passes /healthz to the catalogs
        # function (whose own router, in its own process, still has the old table).
        old = requests.get(f"{outputs.api_url}/health", timeout=10)
        assert (old.status_code, old.json()) == (404, {"message": "Not Found"})
        moved = requests.get(f"{outputs.api_url}/healthz", timeout=30)
        assert moved.json() != {"message": "Not Found"}
        assert moved.json()["error"]["code"] == "ROUTE_NOT_FOUND"
    finally:
        running.stop()
