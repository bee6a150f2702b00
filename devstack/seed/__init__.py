"""The demo tenant's seed file: its schema, and reading it (``load_seed``).

The file is read and checked before ``local up`` starts anything, so this module stays
light (the booking domain's models and pydantic, no boto3): what writes a seed into a
stack is ``devstack.seed.apply``.
"""

from __future__ import annotations

from pathlib import Path

from booking.domain.commands import CreateProfessional, CreateTreatment
from booking.domain.models import DEFAULT_TIME_ZONE, Identifier, TenantPolicy, TimeZoneName, WebAddress
from booking.domain.roles import Role
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

DEMO_SEED = Path(__file__).with_name("demo.json")


class SeedFileInvalid(ValueError):
    """A seed file that cannot be read or is not a seed; the message names the file and
    the first problem, in one line."""


class _SeedModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)


class SeedTenant(_SeedModel):
    id: Identifier
    name: str
    time_zone: TimeZoneName = DEFAULT_TIME_ZONE
    locale: str = "es-EC"
    web_address: WebAddress | None = None
    policy: TenantPolicy = Field(default_factory=TenantPolicy)


class SeedTreatment(CreateTreatment):
    id: Identifier


class SeedProfessional(CreateProfessional):
    id: Identifier
    # The seed user who is this professional (their Cognito ``sub`` becomes ``userId``).
    user_email: str | None = None


class SeedUser(_SeedModel):
    email: str
    name: str | None = None
    role: Role
    password: str = Field(min_length=8)


class Seed(_SeedModel):
    tenant: SeedTenant
    treatments: list[SeedTreatment]
    users: list[SeedUser]
    professionals: list[SeedProfessional]

    def user_emails(self) -> list[str]:
        return [user.email for user in self.users]


def allowed_recipients(seed: Seed | None) -> list[str]:
    """The addresses a deployment's SES allow-list lets mail reach: the seed's users
    (none without a seed)."""
    return seed.user_emails() if seed else []


def load_seed(path: Path = DEMO_SEED) -> Seed:
    """The seed in ``path``; ``SeedFileInvalid`` if it cannot be read or is not a seed."""
    try:
        return Seed.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SeedFileInvalid(f"seed file {path}: cannot be read ({error.strerror or error})") from None
    except ValidationError as error:
        raise SeedFileInvalid(f"seed file {path}: {_first_problem(error)}") from None


def _first_problem(error: ValidationError) -> str:
    """Pydantic's report is a paragraph per problem: the first one, on one line."""
    problems = error.errors(include_url=False)
    first = problems[0]
    where = ".".join(str(part) for part in first["loc"])
    message = " ".join(str(first["msg"]).split())
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{where}: {message}{more}" if where else f"{message}{more}"
