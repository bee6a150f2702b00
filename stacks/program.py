"""The booking platform's Pulumi program: validate the stack config, build each area,
export what a user needs. Wiring only; the shape lives in ``components/``.

The program owns what spans the areas (the providers, the Lambda artifacts and the web
app's build, the exports) and calls one builder per area in dependency order
(``stacks/areas/``).
"""

from __future__ import annotations

from collections.abc import Callable

import pulumi
import pulumi_aws as aws

from packager.lambda_artifacts import ensure_artifacts
from packager.web_app import ensure_web_build
from stacks.areas.api import build_api
from stacks.areas.context import StackContext
from stacks.areas.data import build_data
from stacks.areas.edge import build_edge, build_origin_secret
from stacks.areas.email import build_email
from stacks.areas.functions import (
    PoolReference,
    build_api_functions,
    build_compute,
    build_event_functions,
    build_pool_triggers,
)
from stacks.areas.identity import build_identity
from stacks.areas.observability import build_observability
from stacks.config import StackConfig, load_stack_config

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
    tags = aws.ProviderDefaultTagsArgs(tags=default_tags(config, stack))
    main = aws.Provider("aws-main", region=config.region, default_tags=tags)
    # CloudFront-scoped WAF (and ACM certificates for CloudFront) exist only in us-east-1.
    us_east_1 = aws.Provider("aws-us-east-1", region="us-east-1", default_tags=tags)
    context = StackContext(
        config=config,
        stack=stack,
        prefix=f"booking-{stack}",
        in_main=pulumi.ResourceOptions(provider=main),
        us_east_1=us_east_1,
        account_id=aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(provider=main)).account_id,
    )

    artifacts = ensure_artifacts()
    app = ensure_web_build()
    database = build_data(context)
    # The app's client accepts the site's own callback URL, known once the CDN exists
    # (which fronts the API, whose authorizer trusts the client): resolved below.
    site_url: pulumi.Output[str]
    serve_app_at: Callable[[pulumi.Output[str]], None]
    site_url, serve_app_at = pulumi.deferred_output()
    mail = build_email(context)
    # The pool names its triggers, and the other functions name the pool: they get its
    # id and ARN once it exists.
    pool_id: pulumi.Output[str]
    pool_arn: pulumi.Output[str]
    resolve_pool_id: Callable[[pulumi.Output[str]], None]
    resolve_pool_arn: Callable[[pulumi.Output[str]], None]
    pool_id, resolve_pool_id = pulumi.deferred_output()
    pool_arn, resolve_pool_arn = pulumi.deferred_output()
    origin = build_origin_secret(context)
    compute = build_compute(context, artifacts, database, PoolReference(pool_id, pool_arn), mail, origin)
    identity = build_identity(context, site_url, build_pool_triggers(compute), mail)
    resolve_pool_id(identity.user_pool_id)
    resolve_pool_arn(identity.user_pool_arn)
    api = build_api(context, build_api_functions(compute), identity)
    cdn = build_edge(context, api, identity, app, origin)
    serve_app_at(cdn.site_url)
    build_event_functions(compute, mail, web_url=cdn.site_url)
    observability = build_observability(context, api, database, compute.functions)

    pulumi.export("apiUrl", api.api_endpoint)
    pulumi.export("siteUrl", cdn.site_url)
    pulumi.export("distributionDomain", cdn.distribution_domain)
    pulumi.export("userPoolId", identity.user_pool_id)
    pulumi.export("userPoolClientId", identity.client_id)
    pulumi.export("hostedUiDomain", identity.hosted_ui_domain)
    pulumi.export("signInUrl", identity.sign_in_url)
    pulumi.export("tableName", database.table_name)
    pulumi.export("dashboardUrl", observability.dashboard_url)
    pulumi.export("alarmTopicArn", observability.alarm_topic_arn)
    pulumi.export("region", config.region)
    # CNAME records that verify the SES domain identity (DKIM).
    pulumi.export("emailDkimTokens", mail.email.dkim_tokens)
