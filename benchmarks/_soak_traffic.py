"""The clients of ``benchmarks.soak``: threads in a process of their own (spawned, so
they never share an interpreter lock with the emulator and the gateway), each looping
over a weighted mix of operations by every role of every tenant until the deadline.

Every request is timed and its status kept. Every booking a client created is followed
through the answers the API gave: the emails it must cause are one per version the
API confirmed (``confirmation`` for the first, ``reschedule`` for each move,
``cancellation`` at the end). A booking is claimed by one client while it is being
moved or cancelled, so the expectations never depend on a race between two clients.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import requests

BOOKING_ROLES = ("Patient", "Reception", "Admin", "Owner")  # access.BOOKING_ACTORS
CREATE = "POST /bookings"  # the create's operation name in the samples
# Operation -> weight. A create, a move and a cancel each read availability first.
MIX = {"availability": 30, "list": 20, "create": 25, "reschedule": 15, "cancel": 10}
REQUEST_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class Actor:
    role: str
    token: str


@dataclass(frozen=True)
class TenantPlan:
    tenant_id: str
    time_zone: str
    patient_id: str
    bookables: tuple[tuple[str, str], ...]  # (professional id, treatment id)
    actors: tuple[Actor, ...]  # one per role


@dataclass(frozen=True)
class Plan:
    base_url: str
    tenants: tuple[TenantPlan, ...]
    seconds: float
    clients: int
    seed: int


@dataclass(frozen=True)
class Sample:
    operation: str
    tenant_id: str
    role: str
    status: int  # 0: no answer (connection error or timeout)
    milliseconds: float

    @property
    def unanswered(self) -> bool:
        """5xx or no answer: whether the change happened is unknown."""
        return self.status >= 500 or self.status == 0


@dataclass
class TrackedBooking:
    id: str
    tenant: TenantPlan
    professional_id: str
    treatment_id: str
    start: str
    # (email kind, booking version) the API's answers call for, in order.
    expected_emails: list[tuple[str, int]] = field(default_factory=list)
    # A change got no answer (5xx, timeout): whether it happened is unknown, so are the
    # emails after it. The booking is left alone from then on.
    uncertain: bool = False


@dataclass(frozen=True)
class TrafficResult:
    samples: list[Sample]
    bookings: list[TrackedBooking]
    wall_seconds: float


class Traffic:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.samples: list[Sample] = []
        self.bookings: list[TrackedBooking] = []
        self._movable: list[TrackedBooking] = []  # live and not claimed by a client
        self._lock = threading.Lock()
        self._local = threading.local()

    def run(self) -> TrafficResult:
        started = time.monotonic()
        deadline = started + self.plan.seconds
        with ThreadPoolExecutor(max_workers=self.plan.clients, thread_name_prefix="soak") as pool:
            futures = [pool.submit(self._client, number, deadline) for number in range(self.plan.clients)]
            for future in futures:
                future.result()
        return TrafficResult(self.samples, self.bookings, time.monotonic() - started)

    def _client(self, number: int, deadline: float) -> None:
        rng = random.Random(self.plan.seed * 1000 + number)
        operations: dict[str, Callable[[random.Random], None]] = {
            "availability": self._availability,
            "list": self._list,
            "create": self._create,
            "reschedule": self._reschedule,
            "cancel": self._cancel,
        }
        while time.monotonic() < deadline:
            [name] = rng.choices(list(MIX), weights=list(MIX.values()))
            operations[name](rng)

    # --- HTTP ----------------------------------------------------------------------

    def _request(
        self, operation: str, tenant: TenantPlan, actor: Actor, method: str, path: str, **kwargs: Any
    ) -> requests.Response | None:
        session = getattr(self._local, "session", None) or requests.Session()
        self._local.session = session
        headers = {"Authorization": f"Bearer {actor.token}", **kwargs.pop("headers", {})}
        started = time.perf_counter()
        try:
            response: requests.Response | None = session.request(
                method,
                f"{self.plan.base_url}{path}",
                headers=headers,
                timeout=REQUEST_TIMEOUT_SECONDS,
                **kwargs,
            )
        except requests.RequestException:
            response = None
        elapsed = (time.perf_counter() - started) * 1000
        status = 0 if response is None else response.status_code
        with self._lock:
            self.samples.append(Sample(operation, tenant.tenant_id, actor.role, status, elapsed))
        return response

    def _free_starts(
        self, rng: random.Random, tenant: TenantPlan, actor: Actor, bookable: tuple[str, str]
    ) -> list[str]:
        """``GET /availability`` over a week somewhere in the booking horizon (from three
        days ahead: past the minimum notice and the change window)."""
        first = dt.datetime.now(ZoneInfo(tenant.time_zone)).date() + dt.timedelta(days=rng.randint(3, 50))
        params = {
            "professionalId": bookable[0],
            "treatmentId": bookable[1],
            "from": first.isoformat(),
            "to": (first + dt.timedelta(days=6)).isoformat(),
        }
        answer = self._request("GET /availability", tenant, actor, "GET", "/availability", params=params)
        if answer is None or answer.status_code != 200:
            return []
        return [slot["start"] for slot in answer.json()["slots"]]

    # --- operations ------------------------------------------------------------------

    def _availability(self, rng: random.Random) -> None:
        tenant = rng.choice(self.plan.tenants)
        self._free_starts(rng, tenant, rng.choice(tenant.actors), rng.choice(tenant.bookables))

    def _list(self, rng: random.Random) -> None:
        tenant = rng.choice(self.plan.tenants)
        self._request(
            "GET /bookings", tenant, rng.choice(tenant.actors), "GET", "/bookings", params={"limit": "20"}
        )

    def _booker(self, rng: random.Random, tenant: TenantPlan) -> Actor:
        return rng.choice([actor for actor in tenant.actors if actor.role in BOOKING_ROLES])

    def _create(self, rng: random.Random) -> None:
        tenant = rng.choice(self.plan.tenants)
        actor, bookable = self._booker(rng, tenant), rng.choice(tenant.bookables)
        starts = self._free_starts(rng, tenant, actor, bookable)
        if not starts:
            return
        body = {"professionalId": bookable[0], "treatmentId": bookable[1], "start": rng.choice(starts)}
        if actor.role != "Patient":
            body["patientId"] = tenant.patient_id
        headers = {"Idempotency-Key": uuid.uuid4().hex}
        answer = self._request(CREATE, tenant, actor, "POST", "/bookings", json=body, headers=headers)
        if answer is None or answer.status_code != 201:
            return
        created = answer.json()
        booking = TrackedBooking(created["id"], tenant, bookable[0], bookable[1], created["start"])
        booking.expected_emails.append(("confirmation", created["version"]))
        with self._lock:
            self.bookings.append(booking)
            self._movable.append(booking)

    def _claim(self, rng: random.Random) -> TrackedBooking | None:
        with self._lock:
            if not self._movable:
                return None
            return self._movable.pop(rng.randrange(len(self._movable)))

    def _release(self, booking: TrackedBooking) -> None:
        with self._lock:
            self._movable.append(booking)

    def _reschedule(self, rng: random.Random) -> None:
        booking = self._claim(rng)
        if booking is None:
            return
        try:
            actor = self._booker(rng, booking.tenant)
            bookable = (booking.professional_id, booking.treatment_id)
            starts = [
                start
                for start in self._free_starts(rng, booking.tenant, actor, bookable)
                if start != booking.start
            ]
            if not starts:
                return
            path = f"/bookings/{booking.id}"
            answer = self._request(
                "PUT /bookings/{id}", booking.tenant, actor, "PUT", path, json={"start": rng.choice(starts)}
            )
            if answer is not None and answer.status_code == 200:
                moved = answer.json()
                booking.start = moved["start"]
                booking.expected_emails.append(("reschedule", moved["version"]))
            booking.uncertain = answer is None or answer.status_code >= 500
        finally:
            if not booking.uncertain:
                self._release(booking)

    def _cancel(self, rng: random.Random) -> None:
        booking = self._claim(rng)
        if booking is None:
            return
        actor = self._booker(rng, booking.tenant)
        answer = self._request(
            "DELETE /bookings/{id}",
            booking.tenant,
            actor,
            "DELETE",
            f"/bookings/{booking.id}",
            json={"reason": "soak"},
        )
        if answer is not None and answer.status_code == 200:
            booking.expected_emails.append(("cancellation", answer.json()["version"]))
        elif answer is None or answer.status_code >= 500:
            booking.uncertain = True
        else:
            self._release(booking)  # refused: still live, another client may try


def _run(plan: Plan) -> TrafficResult:
    return Traffic(plan).run()


def run_traffic(plan: Plan) -> TrafficResult:
    """The clients in a spawned process of their own; their samples and bookings."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_run, (plan,))
