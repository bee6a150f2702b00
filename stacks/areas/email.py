"""E-mail: SES sending (identity, configuration set, bounce and complaint events) and the
EventBridge Scheduler group whose one-time schedules send the reminder e-mails.

The scheduler may invoke only the notifications function; that permission is granted
by :mod:`stacks.areas.functions`, once the function exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from components.email import Email, EmailArgs
from components.scheduler import Scheduler, SchedulerArgs
from stacks.areas.context import StackContext


@dataclass(frozen=True)
class EmailArea:
    email: Email
    scheduler: Scheduler


def build_email(context: StackContext) -> EmailArea:
    config, prefix = context.config, context.prefix
    email = Email(
        "email",
        EmailArgs(
            identity=config.email.identity,
            configuration_set_name=f"{prefix}-mail",
            events_topic_name=f"{prefix}-mail-events",
            sandbox_recipients=config.email.allowlist,
        ),
        context.in_main,
    )
    scheduler = Scheduler(
        "scheduler",
        SchedulerArgs(group_name=prefix, role_name=f"{prefix}-scheduler", account_id=context.account_id),
        context.in_main,
    )
    return EmailArea(email=email, scheduler=scheduler)
