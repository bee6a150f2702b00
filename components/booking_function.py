"""One Lambda of the booking package, built from its ``FunctionSpec`` in ``booking.contract``.

arm64 on Python 3.12, X-Ray active, its own log group (created first, with retention),
environment validated through the function's settings model (a renamed or missing
variable fails the program, not the cold start), and a role with only the actions its
adapters use on the stack's real ARNs. Asynchronous functions also get a DLQ, an
asynchronous invoke config and, when given a stream, a DynamoDB stream mapping.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws
from booking.contract import Access, FunctionSpec
from pydantic import ValidationError

from packager.lambda_platform import ARCHITECTURE, RUNTIME

# X-Ray's write actions have no resource-level permissions; AWS's managed policy is the
# narrowest grant there is. The only "*" this component writes is for a spec's
# ``Access.ACCOUNT`` actions, which have no resource type either (the policy rule
# ``iam-no-wildcards`` lists the ones allowed).
XRAY_WRITE_POLICY_ARN = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"
# Narrower still than the resource: the scheduler role may be passed to Scheduler only.
CONDITIONS: dict[Access, dict[str, Any]] = {
    Access.SCHEDULER_ROLE: {"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}},
}
# A trigger of the user pool is named by the pool (its ``lambda_config``), so it cannot
# wait for the pool: its permissions on the pool are a policy of their own, which the
# function does not depend on (the pool invokes it only once both exist).
NAMED_BY_THE_POOL = frozenset({Access.USER_POOL})


def _late_accesses(spec: FunctionSpec) -> frozenset[Access]:
    return NAMED_BY_THE_POOL if spec.user_pool_triggers else frozenset()


def _filter_criteria(patterns: Sequence[str]) -> aws.lambda_.EventSourceMappingFilterCriteriaArgs | None:
    if not patterns:
        return None
    return aws.lambda_.EventSourceMappingFilterCriteriaArgs(
        filters=[
            aws.lambda_.EventSourceMappingFilterCriteriaFilterArgs(pattern=pattern) for pattern in patterns
        ]
    )


def environment_from_settings(spec: FunctionSpec, values: Mapping[str, Any]) -> dict[str, str]:
    """``environment.variables`` for ``spec``: ``values`` (snake_case fields) validated by its model.

    Values for fields the model does not declare are ignored (the stack offers the same
    pool to every function); a field the model requires and the stack does not provide
    fails here, naming the function.
    """
    fields = spec.settings.model_fields
    chosen = {name: value for name, value in values.items() if name in fields}
    try:
        # Only these values: the model never reads the deploying shell's environment.
        settings = spec.settings(**chosen)
    except ValidationError as error:
        raise ValueError(f"environment of function {spec.name!r}: {error}") from error
    return settings.to_environment()


@dataclass(frozen=True)
class BookingFunctionArgs:
    spec: FunctionSpec
    function_name: str
    code: pulumi.Archive
    code_hash: str
    layer_arn: pulumi.Input[str]
    # Snake_case settings fields -> values (Outputs allowed); see environment_from_settings.
    settings: Mapping[str, pulumi.Input[Any]]
    # Each kind of resource the spec's permissions name -> the ARNs it stands for.
    resource_arns: Mapping[Access, Sequence[pulumi.Input[str]]]
    log_retention_days: int
    reserved_concurrency: int | None = None
    stream_arn: pulumi.Input[str] | None = None
    tags: Mapping[str, str] = field(default_factory=dict)


class BookingFunction(pulumi.ComponentResource):
    function_name: pulumi.Output[str]
    arn: pulumi.Output[str]
    invoke_arn: pulumi.Output[str]
    log_group_name: pulumi.Output[str]
    dead_letter_queue_arn: pulumi.Output[str] | None
    dead_letter_queue_name: pulumi.Output[str] | None

    def __init__(
        self, name: str, args: BookingFunctionArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("booking:compute:BookingFunction", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        spec = args.spec
        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            name=f"/aws/lambda/{args.function_name}",
            retention_in_days=args.log_retention_days,
            opts=child,
        )
        self.dead_letter_queue: aws.sqs.Queue | None = None
        if spec.asynchronous:
            self.dead_letter_queue = aws.sqs.Queue(
                f"{name}-dlq",
                name=f"{args.function_name}-dlq",
                message_retention_seconds=14 * 24 * 3600,
                sqs_managed_sse_enabled=True,
                opts=child,
            )
        self.role = aws.iam.Role(
            f"{name}-role",
            name=f"{args.function_name}-role",
            description=f"Execution role of {args.function_name}",
            assume_role_policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
            opts=child,
        )
        late = _late_accesses(spec)
        self.policy = aws.iam.RolePolicy(
            f"{name}-policy",
            role=self.role.id,
            policy=self._policy_document(args, exclude=late),
            opts=child,
        )
        self.pool_policy: aws.iam.RolePolicy | None = None
        if late:
            self.pool_policy = aws.iam.RolePolicy(
                f"{name}-pool-policy",
                role=self.role.id,
                policy=_document(_permission_statements(args, only=late)),
                opts=child,
            )
        self.xray = aws.iam.RolePolicyAttachment(
            f"{name}-xray", role=self.role.name, policy_arn=XRAY_WRITE_POLICY_ARN, opts=child
        )
        settings = dict(args.settings)
        if self.dead_letter_queue is not None:
            # A model that asks for it (the notifications function) dead-letters the
            # deliveries refused for good itself; the others ignore it.
            settings["dead_letter_queue_url"] = self.dead_letter_queue.url
        # Only the values the model reads are awaited: a trigger of the user pool must not
        # wait for the pool's id, which the other functions' settings carry.
        wanted = {key: value for key, value in settings.items() if key in spec.settings.model_fields}
        environment = pulumi.Output.all(**wanted).apply(
            lambda values: environment_from_settings(spec, values)
        )
        self.function = aws.lambda_.Function(
            f"{name}-function",
            name=args.function_name,
            description=spec.description,
            runtime=RUNTIME,
            architectures=[ARCHITECTURE],
            handler=spec.handler,
            code=args.code,
            source_code_hash=args.code_hash,
            layers=[args.layer_arn],
            role=self.role.arn,
            memory_size=spec.memory_mb,
            timeout=spec.timeout_seconds,
            reserved_concurrent_executions=args.reserved_concurrency,
            environment=aws.lambda_.FunctionEnvironmentArgs(variables=environment),
            tracing_config=aws.lambda_.FunctionTracingConfigArgs(mode="Active"),
            logging_config=aws.lambda_.FunctionLoggingConfigArgs(
                log_format="JSON", log_group=self.log_group.name
            ),
            # The log group must exist first, or Lambda creates one without retention.
            opts=child.merge(pulumi.ResourceOptions(depends_on=[self.log_group, self.policy, self.xray])),
        )
        self.function_name = self.function.name
        self.arn = self.function.arn
        self.invoke_arn = self.function.invoke_arn
        self.log_group_name = self.log_group.name
        self.dead_letter_queue_arn = self.dead_letter_queue.arn if self.dead_letter_queue else None
        self.dead_letter_queue_name = self.dead_letter_queue.name if self.dead_letter_queue else None
        if self.dead_letter_queue is not None:
            self.invoke_config = aws.lambda_.FunctionEventInvokeConfig(
                f"{name}-async",
                function_name=self.function.name,
                maximum_retry_attempts=2,
                maximum_event_age_in_seconds=6 * 3600,
                destination_config=aws.lambda_.FunctionEventInvokeConfigDestinationConfigArgs(
                    on_failure=aws.lambda_.FunctionEventInvokeConfigDestinationConfigOnFailureArgs(
                        destination=self.dead_letter_queue.arn
                    )
                ),
                opts=child,
            )
            if args.stream_arn is not None:
                self.stream_mapping = aws.lambda_.EventSourceMapping(
                    f"{name}-stream",
                    event_source_arn=args.stream_arn,
                    function_name=self.function.arn,
                    starting_position="LATEST",
                    batch_size=25,
                    maximum_batching_window_in_seconds=1,
                    # The handler reports the records it could not process; only those retry.
                    function_response_types=["ReportBatchItemFailures"],
                    bisect_batch_on_function_error=True,
                    maximum_retry_attempts=5,
                    maximum_record_age_in_seconds=6 * 3600,
                    # Only the records the function declares it wants (settings.py).
                    filter_criteria=_filter_criteria(spec.stream_filter_patterns),
                    destination_config=aws.lambda_.EventSourceMappingDestinationConfigArgs(
                        on_failure=aws.lambda_.EventSourceMappingDestinationConfigOnFailureArgs(
                            destination_arn=self.dead_letter_queue.arn
                        )
                    ),
                    opts=child.merge(pulumi.ResourceOptions(depends_on=[self.policy])),
                )
        self.register_outputs(
            {
                "functionName": self.function_name,
                "arn": self.arn,
                "logGroupName": self.log_group_name,
            }
        )

    def _policy_document(self, args: BookingFunctionArgs, exclude: frozenset[Access]) -> pulumi.Output[str]:
        """Statements from the spec's permissions (but ``exclude``'s), logs and DLQ."""
        accesses = frozenset(permission.access for permission in args.spec.permissions) - exclude
        statements = _permission_statements(args, only=accesses)
        statements.append(
            _statement(
                ("logs:CreateLogStream", "logs:PutLogEvents"),
                [self.log_group.arn.apply(lambda arn: f"{arn}:*")],
            )
        )
        if self.dead_letter_queue is not None:
            statements.append(_statement(("sqs:SendMessage",), [self.dead_letter_queue.arn]))
        return _document(statements)


def _permission_statements(
    args: BookingFunctionArgs, only: frozenset[Access]
) -> list[pulumi.Output[dict[str, Any]]]:
    """The spec's permissions on ``only`` these kinds, each on the ARNs its kind maps to."""
    statements: list[pulumi.Output[dict[str, Any]]] = []
    for permission in args.spec.permissions:
        if permission.access not in only:
            continue
        arns = args.resource_arns.get(permission.access)
        if not arns:
            raise ValueError(
                f"function {args.spec.name!r} needs {permission.access.value} ARNs for {permission.actions}"
            )
        statements.append(_statement(permission.actions, arns, CONDITIONS.get(permission.access)))
    return statements


def _document(statements: Sequence[pulumi.Output[dict[str, Any]]]) -> pulumi.Output[str]:
    return pulumi.Output.all(*statements).apply(
        lambda resolved: json.dumps({"Version": "2012-10-17", "Statement": _merged(resolved)})
    )


def _statement(
    actions: Sequence[str], arns: Sequence[pulumi.Input[str]], condition: Mapping[str, Any] | None = None
) -> pulumi.Output[dict[str, Any]]:
    def build(resolved: list[str]) -> dict[str, Any]:
        statement: dict[str, Any] = {
            "Effect": "Allow",
            "Action": sorted(actions),
            "Resource": sorted(set(resolved)),
        }
        if condition:
            statement["Condition"] = dict(condition)
        return statement

    return pulumi.Output.all(*arns).apply(build)


def _merged(statements: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Unconditional statements on the same resources become one (TABLE_READ and
    TABLE_WRITE, say); conditional ones stay as they are."""
    by_resources: dict[tuple[str, ...], set[str]] = {}
    conditional = []
    for statement in statements:
        if "Condition" in statement:
            conditional.append(statement)
        else:
            by_resources.setdefault(tuple(statement["Resource"]), set()).update(statement["Action"])
    merged = [
        {"Effect": "Allow", "Action": sorted(actions), "Resource": list(resources)}
        for resources, actions in by_resources.items()
    ]
    return merged + conditional
