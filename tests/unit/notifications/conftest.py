"""The clinic most notification tests start from: its professional has an address."""

from __future__ import annotations

import pytest
from booking.domain.notification_service import NotificationService

from tests.fakes import FakeBookingRepository, FakeCatalogRepository, FakeUserRepository
from tests.notification_support import (
    DENTIST,
    FakeMailer,
    make_professional,
    notification_service,
    seeded_repositories,
)

Clinic = tuple[
    FakeCatalogRepository, FakeUserRepository, FakeBookingRepository, FakeMailer, NotificationService
]


@pytest.fixture
def clinic() -> Clinic:
    """The seeded repositories with the professional at ``DENTIST``, a recording mailer
    and the service over them."""
    catalogs, users, bookings = seeded_repositories()
    catalogs.put_professional(make_professional(email=DENTIST))
    mailer = FakeMailer()
    return catalogs, users, bookings, mailer, notification_service(catalogs, users, bookings, mailer)
