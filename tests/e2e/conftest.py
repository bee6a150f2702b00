"""One devstack for the whole e2e session, reached only over HTTP.

``bookingctl local up`` runs in its own process (``devstack.process``), exactly as a
person starts it (``make local``), in a scratch directory so its ``.devstack/`` is the
test's own. Running it in a child also keeps its emulator and Pulumi's mock engine
apart from other tests of this worker (moto's backends and Pulumi's runtime are
process-global). Tokens come from the emulated Cognito (``devstack.access.sign_in``).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from devstack.access import sign_in
from devstack.outputs import DemoUser, DevstackOutputs
from devstack.process import DevstackFailed, DevstackProcess
from tests.forged_tokens import unverified_claims

ROOT = Path(__file__).resolve().parents[2]
# Path of the outputs.json of a devstack that is already running, to test it instead
# of starting one (e.g. DEVSTACK_OUTPUTS=.devstack/outputs.json).
RUNNING_DEVSTACK_VARIABLE = "DEVSTACK_OUTPUTS"
START_TIMEOUT_SECONDS = 240.0
# Generous: 50 racing bookings queue for the function's few containers on a small machine.
REQUEST_TIMEOUT_SECONDS = 120.0


class Api:
    """The devstack's HTTP API. Throttled answers (429) are retried with backoff, as
    any AWS client does, unless a test asks to see them."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def request(
        self,
        method: str,
        path: str,
        token: str | None = None,
        *,
        retry_throttled: bool = True,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        all_headers = dict(headers or {})
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        for attempt in range(40):
            response = self._session().request(
                method,
                f"{self.base_url}{path}",
                headers=all_headers,
                timeout=REQUEST_TIMEOUT_SECONDS,
                **kwargs,
            )
            if response.status_code != 429 or not retry_throttled:
                return response
            time.sleep(min(1.0, 0.05 * 2 ** min(attempt, 5)) * (0.5 + random.random()))
        return response

    def get(self, path: str, token: str | None = None, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, token, **kwargs)


@dataclass
class Devstack:
    outputs: DevstackOutputs
    api: Api
    _tokens: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def endpoint_url(self) -> str:
        return self.outputs.aws_endpoint_url

    def client(self, service: str) -> Any:
        return self.outputs.client(service)

    def users(self) -> list[DemoUser]:
        return list(self.outputs.demo_users)

    def user(self, role: str) -> DemoUser:
        return self.outputs.demo_user_with_role(role)

    def sign_in(self, email: str, password: str) -> str:
        """An ID token from the emulated Cognito (cached per user)."""
        with self._lock:
            if email not in self._tokens:
                self._tokens[email] = sign_in(self.outputs, email, password).id_token
            return self._tokens[email]

    def token(self, role: str) -> str:
        user = self.user(role)
        return self.sign_in(user.email, user.password)

    def user_id(self, role: str) -> str:
        return str(unverified_claims(self.token(role))["sub"])

    def add_user(self, email: str, tenant_id: str, group: str) -> str:
        """A user of another tenant, created straight in the emulated pool; its token."""
        cognito = self.client("cognito-idp")
        pool = self.outputs.user_pool_id
        password = f"E2e-{uuid.uuid4().hex[:12]}!"
        cognito.admin_create_user(
            UserPoolId=pool,
            Username=email,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "custom:tenant_id", "Value": tenant_id},
            ],
            MessageAction="SUPPRESS",
        )
        cognito.admin_set_user_password(UserPoolId=pool, Username=email, Password=password, Permanent=True)
        cognito.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName=group)
        return self.sign_in(email, password)


@pytest.fixture(scope="session")
def devstack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Devstack]:
    running = os.environ.get(RUNNING_DEVSTACK_VARIABLE)
    if running:
        # A devstack already serving (``make local`` in another terminal): use it as is.
        outputs = DevstackOutputs.load(Path(running))
        yield Devstack(outputs=outputs, api=Api(outputs.api_url))
        return
    with DevstackProcess(tmp_path_factory.mktemp("devstack"), stack="dev") as process:
        try:
            outputs = process.wait_until_serving(START_TIMEOUT_SECONDS)
        except DevstackFailed as failure:
            pytest.fail(str(failure))
        yield Devstack(outputs=outputs, api=Api(outputs.api_url))


@pytest.fixture(scope="session")
def api(devstack: Devstack) -> Api:
    return devstack.api


# --- the tenant's catalog, as the API answers it ------------------------------------


@dataclass(frozen=True)
class Bookable:
    """A professional, a treatment they perform and free start times."""

    professional_id: str
    treatment_id: str
    time_zone: str
    slots: list[dict[str, str]]

    def request(self, slot: int = 0, **extra: str) -> dict[str, str]:
        """The body of a booking request for ``slots[slot]``; ``extra``: more fields (``patientId``)."""
        return {
            "professionalId": self.professional_id,
            "treatmentId": self.treatment_id,
            "start": self.slots[slot]["start"],
            **extra,
        }


def availability_window(time_zone: str, first_day: int = 3, days: int = 7) -> dict[str, str]:
    """Tenant-local days well past the minimum notice and the change window."""
    today = dt.datetime.now(ZoneInfo(time_zone)).date()
    return {
        "from": (today + dt.timedelta(days=first_day)).isoformat(),
        "to": (today + dt.timedelta(days=first_day + days - 1)).isoformat(),
    }


def find_bookable(
    api: Api, token: str, professional_id: str | None = None, minimum_slots: int = 3
) -> Bookable:
    tenant = api.get("/tenant", token)
    assert tenant.status_code == 200, tenant.text
    time_zone = tenant.json()["timeZone"]
    professionals = api.get("/professionals", token)
    assert professionals.status_code == 200, professionals.text
    for professional in professionals.json()["items"]:
        if professional_id is not None and professional["id"] != professional_id:
            continue
        for treatment_id in professional["treatmentIds"]:
            params = {"professionalId": professional["id"], "treatmentId": treatment_id}
            answer = api.get("/availability", token, params=params | availability_window(time_zone))
            assert answer.status_code == 200, answer.text
            slots = answer.json()["slots"]
            if len(slots) >= minimum_slots:
                return Bookable(professional["id"], treatment_id, time_zone, slots)
    pytest.fail(f"the seeded tenant has no professional with {minimum_slots} free slots in the next days")


def same_instant(left: str, right: str) -> bool:
    return dt.datetime.fromisoformat(left) == dt.datetime.fromisoformat(right)


def idempotency_key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


def create_booking(api: Api, token: str, body: dict[str, str]) -> dict[str, Any]:
    """``POST /bookings`` once, with its own idempotency key: the booking it created."""
    created = api.request("POST", "/bookings", token, json=body, headers=idempotency_key())
    assert created.status_code == 201, created.text
    booking: dict[str, Any] = created.json()
    return booking
