"""``bookingctl test-user create|remove --stack NAME [--devstack]``: a user for one test
run against a stack, and its removal. The options and the output only: the logic is
``bookingctl/test_users.py``.

``create`` prints the user as ``NAME=value`` lines on stdout (the variables the browser
suite reads), so a pipeline appends them to ``$GITHUB_ENV``; everything else goes to
stderr. Exit status 0 done, 1 refused by the platform, 2 a bad value or no stack.
"""

from __future__ import annotations

from typing import Annotated

import typer

from bookingctl import console
from bookingctl.commands.tenant import Devstack, Stack, StateDirOption, target_of

app = typer.Typer(
    name="test-user",
    help="Create and remove a user for one test run against a stack (the pipeline's browser suite).",
    no_args_is_help=True,
)


@app.command("create")
def create(
    stack: Stack,
    label: Annotated[
        str, typer.Option(help="names the run: the address is success+LABEL@simulator.amazonses.com")
    ],
    tenant: Annotated[str, typer.Option(help="the clinic the user belongs to")] = "demo-clinic",
    role: Annotated[str, typer.Option(help="Owner, Admin, Reception, Dentist or Patient")] = "Patient",
    devstack: Devstack = False,
    state_dir: StateDirOption = None,
) -> None:
    """Create a user of a clinic with a generated password; print it as NAME=value lines.

    The lines (BOOKING_TEST_USER_EMAIL, _PASSWORD, _ROLE, BOOKING_TEST_TENANT) are what the
    browser suite reads; remove the user after the run with `bookingctl test-user remove`.
    """
    from booking.domain.errors import DomainError
    from booking.domain.roles import Role

    from bookingctl import tenants, test_users

    roles = {member.value: member for member in Role}
    if role not in roles:
        console.fail(f"bookingctl test-user: invalid --role {role!r}: one of {', '.join(roles)}")
        raise typer.Exit(2)
    try:
        target = target_of(stack, devstack, state_dir)()
        user = test_users.create(target, tenant_id=tenant, role=roles[role], label=label)
    except (tenants.TargetError, test_users.TestUserError) as error:
        console.fail(f"bookingctl test-user: {error}")
        raise typer.Exit(2) from error
    except DomainError as error:
        console.fail(f"bookingctl test-user: refused: {error.message} ({error.code})")
        raise typer.Exit(1) from error
    console.stderr().print(
        f"created {user.email} ({user.role.value} of {user.tenant_id}) on {target.description}"
    )
    out = console.stdout()
    for name, value in user.environment().items():
        out.print(f"{name}={value}", soft_wrap=True, markup=False, highlight=False)


@app.command("remove")
def remove(
    stack: Stack,
    email: Annotated[str, typer.Option(help="the test user's address (…@simulator.amazonses.com)")],
    devstack: Devstack = False,
    state_dir: StateDirOption = None,
) -> None:
    """Delete a test user's sign-in identity and user record (only simulator addresses)."""
    from bookingctl import tenants, test_users

    try:
        target = target_of(stack, devstack, state_dir)()
        removed = test_users.remove(target, email)
    except (tenants.TargetError, test_users.TestUserError) as error:
        console.fail(f"bookingctl test-user: {error}")
        raise typer.Exit(2) from error
    said = f"removed {email} from {target.description}" if removed else f"nothing to change: no user {email}"
    console.stdout().print(said, soft_wrap=True)
