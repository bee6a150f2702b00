"""What ``benchmarks.cold_path`` starts its functions against: the scenarios (one first
request per function), moto's server holding the clinic, a UDP socket standing for the
X-Ray daemon, and each function's environment as Lambda gives it."""

from __future__ import annotations

import copy
import json
import os
import socket
import threading
import zipfile
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from booking.domain.models import Booking
from booking.domain.roles import Role
from booking.domain.sign_up import WEB_ADDRESS_METADATA
from booking.handlers.origin import ORIGIN_HEADER
from booking.routes import find_route
from booking.settings import FUNCTIONS
from moto.dynamodb.models import dynamodb_backends

from benchmarks._dynamodb_clinic import FIRST_DAY, PRO, SUBS, TENANT, TREATMENT, WEB_ADDRESS, ZONE, seed
from devstack.access import credential_variables, emulator_client
from packager.lambda_artifacts import build_code_archive
from tests.aws import REGION, create_table
from tests.lambdas.events import claims, http_event
from tests.lambdas.notifications.streams import booking_inserted

ROOT = Path(__file__).resolve().parents[1]
TABLE = "cold-path"
ACCOUNT = "123456789012"  # moto's default account
SENDER = "citas@clinica.example"
CONFIGURATION_SET = "cold-path-emails"
SCHEDULE_GROUP = "cold-path-reminders"
# What the stack gives every function (snake_case settings fields), as ``stacks`` does.
SETTINGS = {
    "stage": "bench",
    "app_version": "0.0.0-bench",
    "table_name": TABLE,
    "powertools_metrics_namespace": "Bench",
    "user_pool_id": "us-east-1_coldpath",
    "sender_email": SENDER,
    "ses_configuration_set": CONFIGURATION_SET,
    "schedule_group_name": SCHEDULE_GROUP,
    "scheduler_role_arn": f"arn:aws:iam::{ACCOUNT}:role/cold-path-scheduler",
    "web_url": "https://citas.clinica.example",
    # Only a delivery refused for good is handed to it; the scenario's email is accepted.
    "dead_letter_queue_url": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/cold-path-notifications-dlq",
}
# ``--origin-secret``: the API functions check the origin secret, as in qas and prd.
ORIGIN_SECRET_NAME = "cold-path/origin-verify"
ORIGIN_VALUE = "cold-path-origin-value"  # the emulator's, never a real one
TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


@dataclass(frozen=True)
class Scenario:
    function: str
    label: str
    event: dict[str, Any]
    status: int


def _http(method: str, path: str, role: Role, **parts: Any) -> dict[str, Any]:
    route = find_route(method, path)
    return http_event(route, token_claims=claims(role, TENANT, SUBS[role]), **parts)


def scenarios() -> list[Scenario]:
    day = FIRST_DAY.isoformat()
    week = (FIRST_DAY + timedelta(days=6)).isoformat()
    start = datetime.combine(FIRST_DAY, time(14), tzinfo=ZONE)
    window = {"professionalId": PRO, "treatmentId": TREATMENT, "from": day, "to": week}
    created = {"professionalId": PRO, "treatmentId": TREATMENT, "start": start.isoformat()}
    booking = Booking(
        id="cold-path-1",
        tenant_id=TENANT,
        professional_id=PRO,
        treatment_id=TREATMENT,
        patient_id=SUBS[Role.PATIENT],
        start=start,
        end=start + timedelta(minutes=30),
        blocked_start=start - timedelta(minutes=5),
        blocked_end=start + timedelta(minutes=40),
        created_by=SUBS[Role.PATIENT],
        created_at=datetime.now(ZONE),
        updated_at=datetime.now(ZONE),
    )
    return [
        Scenario("catalogs", "GET /professionals", _http("GET", "/professionals", Role.PATIENT), 200),
        Scenario(
            "availability",
            "GET /availability (7 days)",
            _http("GET", "/availability", Role.PATIENT, query=window),
            200,
        ),
        Scenario(
            "bookings",
            "POST /bookings",
            _http("POST", "/bookings", Role.PATIENT, body=created, headers={"idempotency-key": "cold"}),
            201,
        ),
        Scenario("users", "GET /users", _http("GET", "/users", Role.OWNER), 200),
        Scenario(
            "notifications", "stream: booking created", {"Records": [booking_inserted(1, booking)]}, 200
        ),
        Scenario("identity", "pre sign-up: a patient signs up", _sign_up(), 200),
    ]


def _sign_up() -> dict[str, Any]:
    """What the user pool hands its pre sign-up trigger when a patient signs up through
    the clinic's web address (``booking.handlers.identity_triggers``)."""
    email = "new.patient@example.com"
    metadata = {WEB_ADDRESS_METADATA: WEB_ADDRESS}
    return {
        "version": "1",
        "region": REGION,
        "userPoolId": SETTINGS["user_pool_id"],
        "userName": email,
        "callerContext": {"awsSdkVersion": "aws-sdk-js-3", "clientId": "cold-path-web"},
        "triggerSource": "PreSignUp_SignUp",
        "request": {
            "userAttributes": {"email": email},
            "clientMetadata": metadata,
        },
        "response": {},
    }


class XRayDaemon:
    """A UDP socket standing for the X-Ray daemon: collects the segment documents."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.documents: list[dict[str, Any]] = []
        threading.Thread(target=self._receive, daemon=True).start()

    @property
    def address(self) -> str:
        host, port = self.socket.getsockname()
        return f"{host}:{port}"

    def _receive(self) -> None:
        while True:
            header_and_body = self.socket.recv(65536).decode()
            self.documents.append(json.loads(header_and_body.split("\n", 1)[1]))

    def take(self) -> list[dict[str, Any]]:
        taken, self.documents = self.documents, []
        return taken


def dynamodb_subsegments(documents: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []

    def walk(document: dict[str, Any]) -> None:
        if document.get("namespace") == "aws" and document.get("name", "").lower() == "dynamodb":
            found.append(str(document.get("aws", {}).get("operation")))
        for child in document.get("subsegments", []):
            walk(child)

    for document in documents:
        walk(document)
    return found


class Emulator:
    """moto's server in this process, holding the clinic and the notifications' SES and
    Scheduler setup. Writing the clinic takes seconds, so it is written once and its
    table copied; ``restore`` puts the copy back (and drops the reminder schedules)
    before each cold start, so every start meets the same state."""

    def __init__(self, endpoint: str, origin_secret: bool = False) -> None:
        self.endpoint = endpoint
        self.origin_secret_arn = ""
        if origin_secret:
            secrets = emulator_client("secretsmanager", endpoint_url=endpoint, region=REGION)
            created = secrets.create_secret(Name=ORIGIN_SECRET_NAME, SecretString="before-the-rotation")
            # Rotated once, as a secret in service is: both stages exist and are read.
            secrets.put_secret_value(SecretId=created["ARN"], SecretString=ORIGIN_VALUE)
            self.origin_secret_arn = created["ARN"]
        dynamodb = emulator_client("dynamodb", endpoint_url=endpoint, region=REGION)
        create_table(dynamodb, TABLE)
        seed(dynamodb, TABLE)
        ses = emulator_client("sesv2", endpoint_url=endpoint, region=REGION)
        ses.create_email_identity(EmailIdentity=SENDER)
        ses.create_configuration_set(ConfigurationSetName=CONFIGURATION_SET)
        self.scheduler = emulator_client("scheduler", endpoint_url=endpoint, region=REGION)
        self.scheduler.create_schedule_group(Name=SCHEDULE_GROUP)
        self.tables = dynamodb_backends[ACCOUNT][REGION].tables
        self.snapshot = copy.deepcopy(self.tables[TABLE])

    def restore(self) -> None:
        self.tables[TABLE] = copy.deepcopy(self.snapshot)
        for schedule in self.scheduler.list_schedules(GroupName=SCHEDULE_GROUP)["Schedules"]:
            self.scheduler.delete_schedule(Name=schedule["Name"], GroupName=SCHEDULE_GROUP)


def through_the_distribution(scenario: Scenario) -> Scenario:
    """The scenario's request as the distribution forwards it: with the origin header."""
    if FUNCTIONS[scenario.function].asynchronous:
        return scenario
    event = {**scenario.event, "headers": {**scenario.event["headers"], ORIGIN_HEADER: ORIGIN_VALUE}}
    return Scenario(scenario.function, scenario.label, event, scenario.status)


def unpack_code_archive(into: Path) -> Path:
    """The code archive as ``bookingctl package`` builds it (email templates compiled;
    no bytecode: the probes' interpreter writes its own, see ``environment``), unpacked
    as Lambda unpacks it into ``/var/task``; the task root."""
    archive = build_code_archive(ROOT, python=None)
    with zipfile.ZipFile(archive.path) as code:
        code.extractall(into)
    return into


def environment(
    function: str,
    endpoint: str,
    daemon: XRayDaemon | None,
    task_root: Path,
    origin_secret_arn: str = "",
) -> dict[str, str]:
    """The host's basics, the function's variables as its settings model writes them
    (what the BookingFunction component deploys), what Lambda sets, and the emulator.
    The function's code is the unpacked archive at ``task_root``, first on the path as
    ``/var/task`` is; the project root only brings the probe itself."""
    spec = FUNCTIONS[function]
    values = {**SETTINGS, "powertools_service_name": function, "origin_secret_arn": origin_secret_arn}
    settings = spec.settings(
        **{name: value for name, value in values.items() if name in spec.settings.model_fields}
    )
    # Bytecode is written (the recording runs warm the caches): with the host's
    # PYTHONDONTWRITEBYTECODE every timed run of the real side compiled the booking
    # modules from source, while the bare side's boto3 came compiled from site-packages.
    host = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "POWERTOOLS_")) and name != "PYTHONDONTWRITEBYTECODE"
    }
    variables = {
        **host,
        **settings.to_environment(),
        **credential_variables(),
        "PYTHONPATH": os.pathsep.join([str(task_root), str(ROOT)]),
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_LAMBDA_FUNCTION_NAME": f"cold-path-{function}",
        "LAMBDA_TASK_ROOT": str(task_root),
    }
    if daemon is None:
        variables["POWERTOOLS_TRACE_DISABLED"] = "true"
    else:
        variables |= {"_X_AMZN_TRACE_ID": TRACE_HEADER, "AWS_XRAY_DAEMON_ADDRESS": daemon.address}
    return variables
