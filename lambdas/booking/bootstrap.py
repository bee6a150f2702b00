"""The composition root: every function's services, built from that function's settings.

A Lambda container runs one function. Its settings are read from the environment and
validated once, on the first request (``settings``); its adapters are built once, each
on first use, from those settings (``Adapters``), imported there and creating their
boto3 clients on their first call: importing a handler stays cheap, and a test can
start moto after importing it. The services hold no state of their own, so one is
built per request over the container's adapters. Tests and tools replace ports with
``overridden(...)``; ``reset()`` forgets the settings and adapters built so far (a test
that changes the environment or starts a new AWS mock).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from booking.settings import (
    FUNCTIONS,
    ApiFunctionSettings,
    BookingsSettings,
    CatalogsSettings,
    FunctionSettings,
    NotificationsSettings,
    UsersSettings,
)

if TYPE_CHECKING:
    from booking.adapters.dynamodb_table import DynamoTable
    from booking.domain.admission import Gate
    from booking.domain.availability import AvailabilityService
    from booking.domain.bookings import BookingService
    from booking.domain.catalogs import CatalogService
    from booking.domain.closures import ClosureService
    from booking.domain.mail_guard import MailEventService
    from booking.domain.notification_outcomes import OutcomeListener
    from booking.domain.notification_service import NotificationService
    from booking.domain.ports import (
        BookingRepository,
        CatalogRepository,
        Clock,
        ContextReader,
        DeadLetters,
        DeliveryLedger,
        EmailRenderer,
        IdentityMessageRenderer,
        IdGenerator,
        Mailer,
        OriginSecrets,
        PatientEnrolment,
        ReminderScheduler,
        SendingAccount,
        UserDirectory,
        UserRepository,
    )
    from booking.domain.users import UserService

SettingsT = TypeVar("SettingsT", bound=FunctionSettings)


@functools.cache
def settings(function: str) -> FunctionSettings:
    """The function's environment, validated once (at cold start, on first use)."""
    return FUNCTIONS[function].settings.from_environment()


def app_version() -> str:
    """The release ``GET /health`` answers: the catalogs function's ``APP_VERSION``."""
    return _expect(settings("catalogs"), CatalogsSettings).app_version


def _expect(config: FunctionSettings, kind: type[SettingsT]) -> SettingsT:
    """``config`` as the model ``FUNCTIONS`` declares for the function that needs it."""
    if not isinstance(config, kind):
        raise TypeError(f"expected the settings {kind.__name__}, not {type(config).__name__}")
    return config


class _Invocation:
    """The current invocation's ARN, the reminders' target (a variable would be a cycle)."""

    function_arn: str = ""

    @classmethod
    def target_arn(cls) -> str:
        if not cls.function_arn:
            raise RuntimeError("the function ARN is known only inside an invocation")
        return cls.function_arn


def invoked_as(function_arn: str) -> None:
    """Record the ARN of the current invocation (``context.invoked_function_arn``)."""
    _Invocation.function_arn = function_arn


class Adapters:
    """One function's ports, each built on first use from the function's settings. A
    port a test supplies (``given``) is stored as built: ``cached_property`` reads the
    instance's dict first, so the real adapter is never made (nor imported)."""

    def __init__(self, config: FunctionSettings, given: Mapping[str, object]) -> None:
        self.settings = config
        self.__dict__.update(given)

    @cached_property
    def table(self) -> DynamoTable:
        from booking.adapters.dynamodb_table import DynamoTable

        return DynamoTable(self.settings.table_name)

    @cached_property
    def clock(self) -> Clock:
        from booking.adapters.system import SystemClock

        return SystemClock()

    @cached_property
    def ids(self) -> IdGenerator:
        from booking.adapters.system import RandomIds

        return RandomIds()

    @cached_property
    def catalog(self) -> CatalogRepository:
        from booking.adapters.dynamodb_catalog import DynamoCatalogRepository

        return DynamoCatalogRepository(self.table)

    @cached_property
    def context(self) -> ContextReader:
        from booking.adapters.dynamodb_context import DynamoContextReader

        return DynamoContextReader(self.table)

    @cached_property
    def bookings(self) -> BookingRepository:
        from booking.adapters.dynamodb_bookings import DynamoBookingRepository

        if isinstance(self.settings, BookingsSettings):  # the one function that writes cells
            retention = timedelta(days=self.settings.lock_retention_days)
            return DynamoBookingRepository(self.table, now=self.clock.now, lock_retention=retention)
        return DynamoBookingRepository(self.table, now=self.clock.now)

    @cached_property
    def users(self) -> UserRepository:
        from booking.adapters.dynamodb_users import DynamoUserRepository

        return DynamoUserRepository(self.table)

    @cached_property
    def directory(self) -> UserDirectory:
        from booking.adapters.cognito import CognitoUserDirectory

        return CognitoUserDirectory(_expect(self.settings, UsersSettings).user_pool_id)

    @cached_property
    def enrolment(self) -> PatientEnrolment:
        from booking.adapters.cognito import CognitoPatientEnrolment

        return CognitoPatientEnrolment()

    @cached_property
    def identity_renderer(self) -> IdentityMessageRenderer:
        from booking.adapters.jinja_identity_emails import JinjaIdentityMessageRenderer

        return JinjaIdentityMessageRenderer()

    @cached_property
    def mailer(self) -> Mailer:
        from booking.adapters.ses import SesMailer

        config = _expect(self.settings, NotificationsSettings)
        return SesMailer(config.sender_email, config.ses_configuration_set, config.email_allowlist)

    @cached_property
    def ledger(self) -> DeliveryLedger:
        from booking.adapters.dynamodb_deliveries import DynamoDeliveryLedger

        return DynamoDeliveryLedger(self.table)

    @cached_property
    def dead_letters(self) -> DeadLetters:
        from booking.adapters.sqs_dead_letters import SqsDeadLetters

        return SqsDeadLetters(_expect(self.settings, NotificationsSettings).dead_letter_queue_url)

    @cached_property
    def sending_account(self) -> SendingAccount:
        from booking.adapters.ses import SesSendingAccount

        return SesSendingAccount()

    @cached_property
    def reminders(self) -> ReminderScheduler:
        from booking.adapters.scheduler import EventBridgeReminderScheduler

        config = _expect(self.settings, NotificationsSettings)
        return EventBridgeReminderScheduler(
            group_name=config.schedule_group_name,
            role_arn=config.scheduler_role_arn,
            target_arn=_Invocation.target_arn,
        )

    @cached_property
    def renderer(self) -> EmailRenderer:
        from booking.adapters.ics_calendar import IcsCalendarWriter
        from booking.adapters.jinja_emails import JinjaEmailRenderer

        config = _expect(self.settings, NotificationsSettings)
        return JinjaEmailRenderer(config.sender_email, IcsCalendarWriter(), web_url=config.web_url)

    @cached_property
    def origin_secrets(self) -> OriginSecrets | None:
        """The secret only the distribution sends; ``None``: direct calls are answered too."""
        config = _expect(self.settings, ApiFunctionSettings)
        if not config.origin_secret_arn:
            return None
        from booking.adapters.origin_secrets import SecretsManagerOriginSecrets

        return SecretsManagerOriginSecrets(config.origin_secret_arn)


PORTS = frozenset(name for name, member in vars(Adapters).items() if isinstance(member, cached_property))


@dataclass
class _Container:
    """The process's wiring: what tests supplied, and each function's adapters once built."""

    overrides: dict[str, object] = field(default_factory=dict)
    built: dict[str, Adapters] = field(default_factory=dict)


_container = _Container()


def adapters(function: str) -> Adapters:
    """The ports of ``function``, built (once) from its settings and the overrides."""
    built = _container.built.get(function)
    if built is None:
        built = _container.built.setdefault(function, Adapters(settings(function), _container.overrides))
    return built


@contextmanager
def overridden(**ports: object) -> Iterator[None]:
    """Within the block, every function uses these ports instead of building its own;
    ``None`` means the real adapter again. Nested blocks change only the ports they name."""
    unknown = set(ports) - PORTS
    if unknown:
        raise TypeError(f"no such ports: {sorted(unknown)}; the ports are {sorted(PORTS)}")
    previous = _container.overrides
    merged = {**previous, **ports}
    _container.overrides = {name: port for name, port in merged.items() if port is not None}
    _container.built.clear()
    try:
        yield
    finally:
        _container.overrides = previous
        _container.built.clear()


def reset() -> None:
    """Forget the settings and adapters built so far (not the overrides), as a new container."""
    settings.cache_clear()
    _container.built.clear()


# --- each function's services (each imports its own domain module, and only its own) ----


def gate(function: str) -> Gate:
    """The access gate of ``function``'s requests (``domain.admission``)."""
    from booking.domain.admission import Gate

    return Gate(adapters(function).context)


def catalogs() -> CatalogService:
    from booking.domain.catalogs import CatalogService

    ports = adapters("catalogs")
    return CatalogService(ports.catalog, ports.bookings, ports.clock, ports.ids)


def closures() -> ClosureService:
    from booking.domain.closures import ClosureService

    ports = adapters("catalogs")
    return ClosureService(ports.catalog, ports.bookings, ports.clock, ports.ids)


def availability() -> AvailabilityService:
    from booking.domain.availability import AvailabilityService

    ports = adapters("availability")
    return AvailabilityService(ports.context, ports.bookings, ports.clock)


def bookings() -> BookingService:
    from booking.domain.bookings import BookingService

    ports = adapters("bookings")
    config = _expect(ports.settings, BookingsSettings)
    return BookingService(
        ports.catalog,
        ports.bookings,
        ports.context,
        ports.clock,
        ports.ids,
        timedelta(hours=config.idempotency_ttl_hours),
    )


def users() -> UserService:
    from booking.domain.users import UserService

    ports = adapters("users")
    return UserService(ports.directory, ports.users, ports.context, ports.clock)


def notifications(on_outcome: OutcomeListener, remaining: timedelta) -> NotificationService:
    """The notifications service of an invocation with ``remaining`` time left (its
    context's); ``on_outcome`` counts what it did (the handler's metrics)."""
    from booking.domain.notification_service import NotificationService

    ports = adapters("notifications")
    config = _expect(ports.settings, NotificationsSettings)
    return NotificationService(
        catalogs=ports.catalog,
        users=ports.users,
        bookings=ports.bookings,
        mailer=ports.mailer,
        reminders=ports.reminders,
        renderer=ports.renderer,
        clock=ports.clock,
        reminder_lead=timedelta(hours=config.reminder_lead_hours),
        ledger=ports.ledger,
        dead_letters=ports.dead_letters,
        deadline=ports.clock.now() + remaining,
        on_outcome=on_outcome,
    )


def mail_events() -> MailEventService:
    """What SES's bounce and complaint events do to the users (notifications function)."""
    from booking.domain.mail_guard import MailEventService

    ports = adapters("notifications")
    return MailEventService(ports.users, ports.clock)
