"""The booking platform's Pulumi program: validate the stack config, build the
components, export what a user needs. Wiring only; the shape lives in ``components/``."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws
from booking.contract import FUNCTIONS, ROUTES, Access

from components.api_gateway import ApiGateway, ApiGatewayArgs, RouteTarget
from components.booking_function import ARCHITECTURE, RUNTIME, BookingFunction, BookingFunctionArgs
from components.cdn import Cdn, CdnArgs
from components.cognito import Cognito, CognitoArgs
from components.database import Database, DatabaseArgs
from components.email import Email, EmailArgs
from components.layer import DependencyLayer, DependencyLayerArgs
from components.observability import Observability, ObservabilityArgs
from components.scheduler import Scheduler, SchedulerArgs
from components.waf import Waf, WafArgs
from stacks.config import StackConfig, load_stack_config
from stacks.packaging import ensure_artifacts

PROJECT_TAG = "booking-platform"


def default_tags(config: StackConfig, stack: str) -> dict[str, str]:
    return {
        "project": PROJECT_TAG,
        "environment": config.environment,
        "stack": stack,
        "managed-by": "pulumi",
    }


def program() -> None:
    config = load_stack_config()
    stack = pulumi.get_stack()
    prefix = f"booking-{stack}"
    tags = aws.ProviderDefaultTagsArgs(tags=default_tags(config, stack))
    main = aws.Provider("aws-main", region=config.region, default_tags=tags)
    # CloudFront-scoped WAF (and ACM certificates for CloudFront) exist only in us-east-1.
    us_east_1 = aws.Provider("aws-us-east-1", region="us-east-1", default_tags=tags)
    in_main = pulumi.ResourceOptions(provider=main)
    account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(provider=main)).account_id

    artifacts = ensure_artifacts()
    database = Database(
        "database",
        DatabaseArgs(
            table_name=f"{prefix}-bookings",
            point_in_time_recovery=config.point_in_time_recovery,
            deletion_protection=config.deletion_protection,
        ),
        in_main,
    )
    cognito = Cognito(
        "identity",
        CognitoArgs(
            pool_name=f"{prefix}-users",
            domain_prefix=config.auth.domain_prefix,
            region=config.region,
            callback_urls=config.auth.callback_urls,
            logout_urls=config.auth.logout_urls,
            mfa=config.auth.mfa,
            deletion_protection=config.deletion_protection,
            admin_password_auth=config.auth.admin_password_auth,
        ),
        in_main,
    )
    email = Email(
        "email",
        EmailArgs(
            identity=config.email.identity,
            configuration_set_name=f"{prefix}-mail",
            events_topic_name=f"{prefix}-mail-events",
            sandbox_recipients=config.email.allowlist,
        ),
        in_main,
    )
    scheduler = Scheduler(
        "scheduler",
        SchedulerArgs(group_name=prefix, role_name=f"{prefix}-scheduler", account_id=account_id),
        in_main,
    )
    layer = DependencyLayer(
        "dependencies",
        DependencyLayerArgs(
            layer_name=f"{prefix}-dependencies",
            archive=pulumi.FileArchive(str(artifacts.layer.path)),
            archive_hash=artifacts.layer.base64_sha256,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
        ),
        in_main,
    )

    # Every value a function's settings model may ask for; each model takes its own fields.
    settings_pool: dict[str, Any] = {
        "stage": stack,
        "table_name": database.table_name,
        "log_level": config.log_level,
        "user_pool_id": cognito.user_pool_id,
        "sender_email": config.email.sender,
        "ses_configuration_set": email.configuration_set_name,
        "schedule_group_name": scheduler.group_name,
        "scheduler_role_arn": scheduler.role_arn,
        "email_allowlist": ",".join(config.email.allowlist),
    }
    resource_arns: dict[Access, list[Any]] = {
        Access.TABLE: [database.table_arn, database.table_arn.apply(lambda arn: f"{arn}/index/*")],
        Access.TABLE_STREAM: [database.stream_arn],
        Access.USER_POOL: [cognito.user_pool_arn],
        Access.EMAIL_IDENTITY: [
            email.identity_arn,
            email.configuration_set_arn,
            *email.recipient_identity_arns,
        ],
        Access.SCHEDULE_GROUP: [scheduler.schedules_arn],
        Access.SCHEDULER_ROLE: [scheduler.role_arn],
    }
    functions = {
        key: BookingFunction(
            f"fn-{key}",
            BookingFunctionArgs(
                spec=spec,
                function_name=f"{prefix}-{key}",
                code=pulumi.FileArchive(str(artifacts.code.path)),
                code_hash=artifacts.code.base64_sha256,
                layer_arn=layer.arn,
                settings={**settings_pool, "powertools_service_name": key},
                resource_arns=resource_arns,
                log_retention_days=config.log_retention_days,
                reserved_concurrency=config.reserved_concurrency.get(key),
                stream_arn=database.stream_arn if spec.asynchronous else None,
            ),
            in_main,
        )
        for key, spec in FUNCTIONS.items()
    }
    scheduler.allow_invoking(functions["notifications"].arn)

    api = ApiGateway(
        "api",
        ApiGatewayArgs(
            api_name=f"{prefix}-api",
            routes=ROUTES,
            targets={
                key: RouteTarget(function_name=function.function_name, invoke_arn=function.invoke_arn)
                for key, function in functions.items()
                if not FUNCTIONS[key].asynchronous
            },
            jwt_issuer=cognito.issuer,
            jwt_audience=cognito.client_id,
            cors_allow_origins=config.cors.allow_origins,
            cors_allow_methods=config.cors.allow_methods,
            cors_allow_headers=config.cors.allow_headers,
            cors_max_age_seconds=config.cors.max_age_seconds,
            throttling_burst_limit=config.throttle.burst_limit,
            throttling_rate_limit=config.throttle.rate_limit,
            log_retention_days=config.log_retention_days,
        ),
        in_main,
    )
    waf = Waf(
        "waf",
        WafArgs(
            acl_name=f"{prefix}-edge", rate_limit_per_ip=config.waf.rate_limit_per_ip, us_east_1=us_east_1
        ),
    )
    cdn = Cdn(
        "cdn",
        CdnArgs(
            name_prefix=prefix,
            api_endpoint=api.api_endpoint,
            web_acl_arn=waf.web_acl_arn,
            price_class=config.cdn.price_class,
            aliases=config.cdn.aliases,
            certificate_arn=config.cdn.certificate_arn,
            force_destroy_bucket=not config.deletion_protection,
            spa_config={
                "region": config.region,
                "userPoolId": cognito.user_pool_id,
                "userPoolClientId": cognito.client_id,
                "cognitoDomain": cognito.hosted_ui_domain,
                "redirectUris": list(config.auth.callback_urls),
                "logoutUris": list(config.auth.logout_urls),
            },
        ),
        in_main,
    )
    observability = Observability(
        "observability",
        ObservabilityArgs(
            name_prefix=prefix,
            region=config.region,
            api_id=api.api_id,
            stage_name=api.stage_name,
            table_name=database.table_name,
            function_names={key: function.function_name for key, function in functions.items()},
            dead_letter_queues={
                key: function.dead_letter_queue_name
                for key, function in functions.items()
                if function.dead_letter_queue_name is not None
            },
            stream_consumers={
                key: function.function_name
                for key, function in functions.items()
                if FUNCTIONS[key].asynchronous
            },
            lambda_error_rate_percent=config.alarms.lambda_error_rate_percent,
            api_5xx_rate_percent=config.alarms.api_5xx_rate_percent,
            alarm_email=(
                pulumi.Output.secret(config.alarms.email.get_secret_value()) if config.alarms.email else None
            ),
        ),
        in_main,
    )

    pulumi.export("apiUrl", api.api_endpoint)
    pulumi.export("siteUrl", cdn.site_url)
    pulumi.export("distributionDomain", cdn.distribution_domain)
    pulumi.export("userPoolId", cognito.user_pool_id)
    pulumi.export("userPoolClientId", cognito.client_id)
    pulumi.export("hostedUiDomain", cognito.hosted_ui_domain)
    pulumi.export("tableName", database.table_name)
    pulumi.export("dashboardUrl", observability.dashboard_url)
    pulumi.export("alarmTopicArn", observability.alarm_topic_arn)
    pulumi.export("region", config.region)
    # CNAME records that verify the SES domain identity (DKIM).
    pulumi.export("emailDkimTokens", email.dkim_tokens)
