"""The composition root: each function's services from its own settings, read once per
container, with the ports a test supplies in place of the real adapters."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from booking import bootstrap
from booking.adapters.dynamodb_catalog import DynamoCatalogRepository
from booking.adapters.system import RandomIds, SystemClock
from booking.settings import FUNCTIONS, BookingsSettings, NotificationsSettings

from tests.factories import NOW
from tests.fakes import FakeCatalogRepository, FixedClock, SequentialIds

ROOT = Path(__file__).resolve().parents[2]
NOTIFICATIONS_ENVIRONMENT = {
    "SENDER_EMAIL": "citas@clinica.example",
    "SES_CONFIGURATION_SET": "booking-test-emails",
    "SCHEDULE_GROUP_NAME": "booking-test-reminders",
    "SCHEDULER_ROLE_ARN": "arn:aws:iam::123456789012:role/booking-test-scheduler",
    "WEB_URL": "https://app.clinica.example",
    "DEAD_LETTER_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/booking-test-notifications-dlq",
}


@pytest.fixture(autouse=True)
def fresh_container() -> Iterator[None]:
    bootstrap.reset()
    yield
    bootstrap.reset()


def test_a_function_reads_its_own_settings_model_once_per_container(monkeypatch):
    monkeypatch.setenv("IDEMPOTENCY_TTL_HOURS", "48")
    settings = bootstrap.settings("bookings")
    assert isinstance(settings, BookingsSettings)
    assert bootstrap.bookings().idempotency_ttl == timedelta(hours=48)
    monkeypatch.setenv("IDEMPOTENCY_TTL_HOURS", "12")
    assert bootstrap.settings("bookings") is settings  # validated once, at cold start
    bootstrap.reset()  # a new container
    assert bootstrap.bookings().idempotency_ttl == timedelta(hours=12)


def test_the_real_adapters_are_built_once_on_the_functions_table(monkeypatch):
    monkeypatch.setenv("TABLE_NAME", "booking-elsewhere")
    ports = bootstrap.adapters("catalogs")
    assert isinstance(ports.catalog, DynamoCatalogRepository)
    assert ports.table.name == "booking-elsewhere"
    assert bootstrap.adapters("catalogs") is ports
    assert bootstrap.catalogs().catalog is ports.catalog
    assert isinstance(ports.clock, SystemClock)
    assert isinstance(ports.ids, RandomIds)


def test_an_override_serves_every_function_until_its_block_ends():
    clock = FixedClock(NOW)
    with bootstrap.overridden(clock=clock):
        assert bootstrap.catalogs().clock is clock
        assert bootstrap.availability().clock is clock
        assert bootstrap.users().clock is clock
    assert isinstance(bootstrap.catalogs().clock, SystemClock)


def test_an_inner_override_changes_only_the_ports_it_names_and_none_means_the_real_one():
    catalog, clock, ids = FakeCatalogRepository(), FixedClock(NOW), SequentialIds()
    with bootstrap.overridden(catalog=catalog, clock=clock):
        with bootstrap.overridden(ids=ids, clock=None):
            service = bootstrap.catalogs()
            assert (service.catalog, service.ids) == (catalog, ids)
            assert isinstance(service.clock, SystemClock)
        assert bootstrap.catalogs().clock is clock
        assert isinstance(bootstrap.catalogs().ids, RandomIds)


def test_an_override_of_a_port_that_does_not_exist_is_refused():
    with pytest.raises(TypeError, match="catalogue"), bootstrap.overridden(catalogue=FakeCatalogRepository()):
        pass


def test_reminders_target_the_arn_of_the_current_invocation(monkeypatch):
    for name, value in NOTIFICATIONS_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    assert isinstance(bootstrap.settings("notifications"), NotificationsSettings)
    reminders = bootstrap.notifications(on_outcome=lambda _: None, remaining=timedelta(seconds=30)).reminders
    bootstrap.invoked_as("")
    with pytest.raises(RuntimeError, match="inside an invocation"):
        _ = reminders.target_arn
    arn = "arn:aws:lambda:us-east-1:123456789012:function:booking-test-notifications"
    bootstrap.invoked_as(arn)
    assert reminders.target_arn == arn


def _printed_by(code: str, *arguments: str, **environment: str) -> str:
    """What ``code`` prints in a fresh interpreter with the package on its path and no
    other variable than ``environment``."""
    return subprocess.run(
        [sys.executable, "-c", code, *arguments],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT}:{ROOT / 'lambdas'}", "PATH": "/usr/bin:/bin", **environment},
    ).stdout


def _loaded_by_importing(modules: list[str], watched: set[str]) -> list[str]:
    """Which of ``watched`` a fresh interpreter holds after importing ``modules`` in order."""
    found = f"sorted(set({sorted(watched)!r}) & set(sys.modules))"
    probe = f"import sys, {', '.join(modules)}; print(','.join({found}))"
    # As in Lambda, where tracing is on: the import must still not load X-Ray.
    loaded = _printed_by(probe, LAMBDA_TASK_ROOT=str(ROOT))
    return [name for name in loaded.strip().split(",") if name]


def test_importing_a_handler_loads_no_aws_sdk_no_xray_and_no_email_library():
    """boto3 (and botocore's clients), jinja2 and icalendar load with the adapters, and
    the X-Ray SDK with the first traced invocation: the import, the cold start's first
    step, stays cheap. (Powertools loads botocore's package itself, to register its user
    agent.) pydantic-settings is not used at all: a settings model reads its variables."""
    handlers = [f"booking.handlers.{name}" for name in ("catalogs", "availability", "bookings", "users")]
    unwanted = {"boto3", "botocore.client", "aws_xray_sdk", "jinja2", "icalendar", "pydantic_settings"}

    assert _loaded_by_importing([*handlers, "booking.handlers.notifications"], unwanted) == []


def test_a_stream_record_loads_neither_powertools_parser_models_nor_the_mail_guard():
    """What the notifications function's first stream record needs (its handler, the
    stream images, the mailer and the renderer) leaves out two costly imports: the SES
    event models of ``domain.mail_guard`` (bounces and the quota check only), and
    Powertools' parser models, some 30 ms of pydantic classes, which its batch utility
    loads when pydantic was imported before it (``batch/types.py``)."""
    first_record = [
        "booking.handlers.notifications",
        "booking.adapters.stream_images",
        "booking.adapters.ses",
        "booking.adapters.jinja_emails",
        "booking.adapters.ics_calendar",
    ]
    unwanted = {"aws_lambda_powertools.utilities.parser", "booking.domain.mail_guard"}

    assert _loaded_by_importing(first_record, unwanted) == []


# Imports a handler and invokes it once with an event it refuses (the finally path);
# prints whether the collector was paused after the import, whether it runs after the
# invocation, and how many objects were frozen.
_COLD_START_PROBE = """
import gc, importlib, sys
from tests.lambdas.events import LambdaContext
module_name, _, attribute = sys.argv[1].rpartition(".")
handler = getattr(importlib.import_module(module_name), attribute)
paused_after_import = not gc.isenabled()
try:
    handler({"triggerSource": "refused"}, LambdaContext())
except Exception:
    pass
print(paused_after_import, gc.isenabled(), gc.get_freeze_count())
"""


def _cold_start(handler: str, **environment: str) -> tuple[str, str, int]:
    printed = _printed_by(_COLD_START_PROBE, handler, POWERTOOLS_TRACE_DISABLED="true", **environment)
    paused, enabled, frozen = printed.split()
    return paused, enabled, int(frozen)


@pytest.mark.parametrize("handler", sorted({spec.handler for spec in FUNCTIONS.values()}))
def test_in_lambda_the_collector_waits_for_the_first_invocation_to_end(handler):
    """In Lambda the collector is paused through the import and the first invocation
    (``booking.handlers.cold_start``); then what is alive is frozen and it runs again.
    Every function's handler: one that forgot to end the cold start would never collect."""
    paused, enabled, frozen = _cold_start(handler, LAMBDA_TASK_ROOT=str(ROOT / "lambdas"))

    assert (paused, enabled) == ("True", "True")
    assert frozen > 10_000  # the toolkit's objects, the handler's and the first request's


def test_outside_lambda_the_collector_is_left_alone():
    assert _cold_start(FUNCTIONS["notifications"].handler) == ("False", "True", 0)


def test_the_bookings_function_writes_cells_with_its_lock_retention(monkeypatch):
    from booking.adapters.dynamodb_bookings import DynamoBookingRepository

    monkeypatch.setenv("LOCK_RETENTION_DAYS", "2")
    repository = bootstrap.bookings().bookings

    assert isinstance(repository, DynamoBookingRepository)
    assert repository.lock_retention == timedelta(days=2)
