"""The program's shape per stack, read from the inputs the mock engine received."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from booking.contract import ROLE_PRECEDENCE, SEND_QUOTA_EVENT_KIND, SEND_QUOTA_METRIC, SEND_QUOTA_SCHEDULE
from booking.routes import ROUTES
from booking.settings import FUNCTIONS

from engine.inventory import Inventory, ResourceRecord
from policies.rules.iam import IAM_NO_WILDCARDS
from tests.infra.conftest import only, policy_statements, provider_of

pytestmark = pytest.mark.xdist_group("infra-program")

TABLE = "aws:dynamodb/table:Table"
FUNCTION = "aws:lambda/function:Function"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
STAGE = "aws:apigatewayv2/stage:Stage"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2"


def _functions_by_key(inventory: Inventory) -> dict[str, ResourceRecord]:
    return {record.inputs["name"].rsplit("-", 1)[-1]: record for record in inventory.of_type(FUNCTION)}


# ------------------------------------------------------------------ per-stack differences


def test_point_in_time_recovery_is_optional_in_dev_and_on_in_qas_and_prd(inventories):
    enabled = {
        stack: only(inv, TABLE).inputs["pointInTimeRecovery"]["enabled"] for stack, inv in inventories.items()
    }
    assert enabled == {"dev": False, "qas": True, "prd": True}


def test_only_prd_protects_the_table_and_the_user_pool_from_deletion(inventories):
    for stack, inventory in inventories.items():
        protected = stack == "prd"
        assert only(inventory, TABLE).inputs["deletionProtectionEnabled"] is protected
        pool = only(inventory, "aws:cognito/userPool:UserPool")
        assert pool.inputs["deletionProtection"] == ("ACTIVE" if protected else "INACTIVE")


def test_log_retention_is_short_in_dev_and_long_in_prd(inventories):
    expected = {"dev": 7, "qas": 30, "prd": 365}
    for stack, inventory in inventories.items():
        retentions = {record.inputs["retentionInDays"] for record in inventory.of_type(LOG_GROUP)}
        assert retentions == {expected[stack]}, stack


def test_stage_throttling_is_low_in_dev_and_highest_in_prd(inventories):
    limits = {
        stack: only(inv, STAGE).inputs["defaultRouteSettings"]["throttlingRateLimit"]
        for stack, inv in inventories.items()
    }
    assert limits["dev"] < limits["qas"] < limits["prd"]


def test_prd_has_the_strictest_waf_rate_rule(inventories):
    def rate(inventory: Inventory) -> int:
        acl = only(inventory, "aws:wafv2/webAcl:WebAcl")
        (rule,) = [r for r in acl.inputs["rules"] if "rateBasedStatement" in r["statement"]]
        return int(rule["statement"]["rateBasedStatement"]["limit"])

    assert rate(inventories["prd"]) < rate(inventories["qas"]) < rate(inventories["dev"])


def test_only_dev_allows_localhost_origins(inventories):
    for stack, inventory in inventories.items():
        origins = only(inventory, "aws:apigatewayv2/api:Api").inputs["corsConfiguration"]["allowOrigins"]
        local = [origin for origin in origins if origin.startswith("http://")]
        assert bool(local) is (stack == "dev"), stack
        assert "*" not in origins


def test_prd_mails_alarms_and_dev_does_not(inventories):
    def emails(inventory: Inventory) -> list[ResourceRecord]:
        return [
            r
            for r in inventory.of_type("aws:sns/topicSubscription:TopicSubscription")
            if r.inputs["protocol"] == "email"
        ]

    assert len(emails(inventories["prd"])) == 1
    assert emails(inventories["dev"]) == []


def test_reserved_concurrency_comes_from_the_stack_file(inventories):
    prd = _functions_by_key(inventories["prd"])
    assert prd["bookings"].inputs["reservedConcurrentExecutions"] == 100
    dev = _functions_by_key(inventories["dev"])
    assert all("reservedConcurrentExecutions" not in record.inputs for record in dev.values())


def test_only_dev_restricts_email_recipients(inventories):
    for stack, inventory in inventories.items():
        variables = _functions_by_key(inventory)["notifications"].inputs["environment"]["variables"]
        assert bool(variables["EMAIL_ALLOWLIST"]) is (stack == "dev")


# ------------------------------------------------------------------ API


def test_every_route_has_an_integration_and_every_private_route_the_jwt_authorizer(inventory):
    routes = {r.inputs["routeKey"]: r for r in inventory.of_type("aws:apigatewayv2/route:Route")}
    integrations = {r.id: r for r in inventory.of_type("aws:apigatewayv2/integration:Integration")}
    authorizer = only(inventory, "aws:apigatewayv2/authorizer:Authorizer")
    functions = {r.outputs["invokeArn"]: r for r in inventory.of_type(FUNCTION)}
    assert set(routes) == {route.route_key for route in ROUTES}
    for route in ROUTES:
        record = routes[route.route_key]
        integration = integrations[record.inputs["target"].removeprefix("integrations/")]
        assert integration.inputs["integrationType"] == "AWS_PROXY"
        assert integration.inputs["payloadFormatVersion"] == "2.0"
        target = functions[integration.inputs["integrationUri"]]
        assert target.inputs["name"].endswith(f"-{route.function}"), route.route_key
        if route.public:
            assert record.inputs["authorizationType"] == "NONE"
            assert "authorizerId" not in record.inputs
        else:
            assert record.inputs["authorizationType"] == "JWT"
            assert record.inputs["authorizerId"] == authorizer.id


def test_the_authorizer_trusts_the_stack_pool_and_its_spa_client(inventory):
    authorizer = only(inventory, "aws:apigatewayv2/authorizer:Authorizer")
    pool = only(inventory, "aws:cognito/userPool:UserPool")
    client = only(inventory, "aws:cognito/userPoolClient:UserPoolClient")
    region = inventory.stack_outputs["region"]
    jwt = authorizer.inputs["jwtConfiguration"]
    assert jwt["issuer"] == f"https://cognito-idp.{region}.amazonaws.com/{pool.id}"
    assert jwt["audiences"] == [client.id]


def test_the_stage_sets_both_limits_and_each_route_override_sets_both_too(inventory):
    stage = only(inventory, STAGE)
    defaults = stage.inputs["defaultRouteSettings"]
    assert defaults["throttlingBurstLimit"] > 0
    assert defaults["throttlingRateLimit"] > 0
    overrides = {s["routeKey"]: s for s in stage.inputs["routeSettings"]}
    assert set(overrides) == {route.route_key for route in ROUTES if route.throttle}
    for route in ROUTES:
        if route.throttle:
            assert overrides[route.route_key]["throttlingBurstLimit"] == route.throttle.burst_limit
            assert overrides[route.route_key]["throttlingRateLimit"] == route.throttle.rate_limit
    assert stage.inputs["name"] == "$default"
    assert stage.inputs["autoDeploy"] is True


def test_access_logs_go_to_a_log_group_with_retention(inventory):
    stage = only(inventory, STAGE)
    groups = {r.outputs["arn"]: r for r in inventory.of_type(LOG_GROUP)}
    destination = groups[stage.inputs["accessLogSettings"]["destinationArn"]]
    assert destination.inputs["retentionInDays"] > 0
    assert "$context.requestId" in stage.inputs["accessLogSettings"]["format"]


def test_api_gateway_may_invoke_each_api_function_only_from_this_api(inventory):
    api = only(inventory, "aws:apigatewayv2/api:Api")
    permissions = [
        permission
        for permission in inventory.of_type("aws:lambda/permission:Permission")
        # the mail events (below) and the pool's triggers (test_user_pool)
        if permission.inputs["principal"] not in {"sns.amazonaws.com", "cognito-idp.amazonaws.com"}
    ]
    invoked = {p.inputs["function"] for p in permissions}
    assert invoked == {f"booking-{inventory.stack}-{key}" for key in {route.function for route in ROUTES}}
    for permission in permissions:
        assert permission.inputs["principal"] == "apigateway.amazonaws.com"
        assert permission.inputs["sourceArn"] == f"{api.outputs['executionArn']}/*/*"


def test_ses_bounces_and_complaints_are_suppressed_and_reach_the_notifications_function(inventory):
    configuration_set = only(inventory, "aws:sesv2/configurationSet:ConfigurationSet")
    assert configuration_set.inputs["suppressionOptions"]["suppressedReasons"] == ["BOUNCE", "COMPLAINT"]
    [topic] = [
        record
        for record in inventory.of_type("aws:sns/topic:Topic")
        if record.inputs["name"] == f"booking-{inventory.stack}-mail-events"
    ]
    function = f"booking-{inventory.stack}-notifications"
    [subscription] = [
        record
        for record in inventory.of_type("aws:sns/topicSubscription:TopicSubscription")
        if record.inputs["protocol"] == "lambda"
    ]
    assert subscription.inputs["topic"] == topic.outputs["arn"]
    assert subscription.inputs["endpoint"].endswith(f":function:{function}")
    [permission] = [
        record
        for record in inventory.of_type("aws:lambda/permission:Permission")
        if record.inputs["principal"] == "sns.amazonaws.com"
    ]
    assert permission.inputs["function"] == function
    assert permission.inputs["sourceArn"] == topic.outputs["arn"]


def test_the_send_quota_is_read_hourly_and_alarmed_on_never_typed_into_config(inventory):
    schedule = only(inventory, "aws:scheduler/schedule:Schedule")
    assert schedule.inputs["scheduleExpression"] == SEND_QUOTA_SCHEDULE
    assert json.loads(schedule.inputs["target"]["input"]) == {"kind": SEND_QUOTA_EVENT_KIND}
    assert schedule.inputs["target"]["arn"].endswith(f":function:booking-{inventory.stack}-notifications")
    [alarm] = [
        record
        for record in inventory.of_type(ALARM)
        if record.inputs["name"] == f"booking-{inventory.stack}-ses-send-quota"
    ]
    assert alarm.inputs["metricName"] == SEND_QUOTA_METRIC
    assert alarm.inputs["dimensions"] == {"service": "notifications"}
    assert alarm.inputs["threshold"] == 80


# ------------------------------------------------------------------ functions


def test_every_function_is_arm64_python312_traced_with_its_own_log_group_and_error_alarm(inventory):
    groups = {r.inputs["name"]: r for r in inventory.of_type(LOG_GROUP)}
    alarms = {r.inputs["name"]: r for r in inventory.of_type(ALARM)}
    functions = _functions_by_key(inventory)
    assert set(functions) == set(FUNCTIONS)
    for key, record in functions.items():
        inputs = record.inputs
        assert inputs["architectures"] == ["arm64"]
        assert inputs["runtime"] == "python3.12"
        assert inputs["handler"] == FUNCTIONS[key].handler
        assert inputs["tracingConfig"] == {"mode": "Active"}
        group = groups[f"/aws/lambda/{inputs['name']}"]
        assert group.inputs["retentionInDays"] > 0
        assert inputs["loggingConfig"]["logGroup"] == group.inputs["name"]
        alarm = alarms[f"{inputs['name']}-error-rate"]
        metrics = [q["metric"] for q in alarm.inputs["metricQueries"] if "metric" in q]
        assert {m["metricName"] for m in metrics} == {"Errors", "Invocations"}
        assert all(m["dimensions"] == {"FunctionName": inputs["name"]} for m in metrics)


def test_each_function_environment_is_exactly_its_settings_model(inventory):
    table = only(inventory, TABLE)
    for key, record in _functions_by_key(inventory).items():
        settings_model = FUNCTIONS[key].settings
        variables = record.inputs["environment"]["variables"]
        assert set(variables) == settings_model.environment_names(), key
        settings = settings_model.model_validate({name.lower(): value for name, value in variables.items()})
        assert settings.table_name == table.id
        assert settings.stage == inventory.stack
        assert settings.powertools_service_name == key
        # pydantic's plugin scan is off in every function (settings.FunctionSettings).
        assert variables["PYDANTIC_DISABLE_PLUGINS"] == "__all__"


def test_the_catalogs_function_is_given_the_release_of_its_code_archive(inventory):
    """``GET /health`` answers pyproject's version, which the packager reads."""
    with open(Path(__file__).resolve().parents[2] / "pyproject.toml", "rb") as handle:
        declared = tomllib.load(handle)["project"]["version"]
    variables = _functions_by_key(inventory)["catalogs"].inputs["environment"]["variables"]
    assert variables["APP_VERSION"] == declared


def test_the_notifications_function_reads_the_stream_reports_batch_failures_and_has_a_dlq(inventory):
    table = only(inventory, TABLE)
    mapping = only(inventory, "aws:lambda/eventSourceMapping:EventSourceMapping")
    queue = only(inventory, "aws:sqs/queue:Queue")
    invoke_config = only(inventory, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig")
    notifications = _functions_by_key(inventory)["notifications"]
    assert mapping.inputs["eventSourceArn"] == table.outputs["streamArn"]
    assert mapping.inputs["functionName"] == notifications.outputs["arn"]
    assert mapping.inputs["functionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping.inputs["destinationConfig"]["onFailure"]["destinationArn"] == queue.outputs["arn"]
    assert invoke_config.inputs["destinationConfig"]["onFailure"]["destination"] == queue.outputs["arn"]
    alarms = [
        a
        for a in inventory.of_type(ALARM)
        if a.inputs.get("dimensions") == {"QueueName": queue.outputs["name"]}
    ]
    assert [a.inputs["metricName"] for a in alarms] == ["ApproximateNumberOfMessagesVisible"]


def test_no_iam_statement_grants_a_wildcard_action_or_resource(inventory):
    documents = [r.inputs["policy"] for r in inventory.of_type("aws:iam/rolePolicy:RolePolicy")]
    documents += [r.inputs["assumeRolePolicy"] for r in inventory.of_type("aws:iam/role:Role")]
    assert len(documents) > 10
    # Actions with no resource type (the policy rule's list) can only name "*".
    no_resource_type = set(IAM_NO_WILDCARDS.config_schema["wildcardResourceActions"]["default"])
    for document in documents:
        for statement in policy_statements(document):
            actions = statement.get("Action", [])
            account_wide = set(actions if isinstance(actions, list) else [actions]) <= no_resource_type
            for field in ("Action",) if account_wide else ("Action", "Resource"):
                values = statement.get(field, [])
                values = values if isinstance(values, list) else [values]
                assert all(value != "*" and not value.endswith(":*:*") for value in values), statement
                assert all(not value.endswith(":*") or value.startswith("arn:aws:logs:") for value in values)


def test_function_policies_point_at_this_stacks_resources(inventory):
    table = only(inventory, TABLE)
    policies = {r.inputs["role"]: r for r in inventory.of_type("aws:iam/rolePolicy:RolePolicy")}
    bookings = policy_statements(policies[f"booking-{inventory.stack}-bookings-role"].inputs["policy"])
    table_statement = next(s for s in bookings if table.outputs["arn"] in s["Resource"])
    assert set(table_statement["Resource"]) == {table.outputs["arn"], f"{table.outputs['arn']}/index/*"}
    assert "dynamodb:PutItem" in table_statement["Action"]
    notifications = policy_statements(
        policies[f"booking-{inventory.stack}-notifications-role"].inputs["policy"]
    )
    resources = {resource for s in notifications for resource in s["Resource"]}
    assert table.outputs["streamArn"] in resources
    assert any(":schedule/booking-" in resource and resource.endswith("/*") for resource in resources)


# ------------------------------------------------------------------ edge and tags


def test_the_web_acl_is_created_through_the_us_east_1_provider_and_attached_to_the_distribution(inventory):
    acl = only(inventory, "aws:wafv2/webAcl:WebAcl")
    assert acl.inputs["scope"] == "CLOUDFRONT"
    assert provider_of(inventory, acl).inputs["region"] == "us-east-1"
    distribution = only(inventory, "aws:cloudfront/distribution:Distribution")
    assert distribution.inputs["webAclId"] == acl.outputs["arn"]


def test_the_spa_bucket_is_private_and_read_only_by_the_distribution(inventory):
    block = only(inventory, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    assert all(
        block.inputs[k]
        for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    )
    distribution = only(inventory, "aws:cloudfront/distribution:Distribution")
    oac = only(inventory, "aws:cloudfront/originAccessControl:OriginAccessControl")
    origins = {o["originId"]: o for o in distribution.inputs["origins"]}
    assert origins["spa-bucket"]["originAccessControlId"] == oac.id
    (statement,) = policy_statements(only(inventory, "aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])
    assert statement["Condition"]["StringEquals"]["AWS:SourceArn"] == distribution.outputs["arn"]


def test_viewers_use_tls_only_and_api_calls_go_to_the_http_api(inventory):
    distribution = only(inventory, "aws:cloudfront/distribution:Distribution").inputs
    api = only(inventory, "aws:apigatewayv2/api:Api")
    assert distribution["defaultCacheBehavior"]["viewerProtocolPolicy"] == "redirect-to-https"
    (api_behaviour,) = distribution["orderedCacheBehaviors"]
    assert api_behaviour["pathPattern"] == "/api/*"
    assert api_behaviour["viewerProtocolPolicy"] == "https-only"
    origins = {o["originId"]: o for o in distribution["origins"]}
    assert origins[api_behaviour["targetOriginId"]]["domainName"] == api.outputs["apiEndpoint"].removeprefix(
        "https://"
    )
    assert distribution["viewerCertificate"]["minimumProtocolVersion"] == "TLSv1.2_2021"


def test_the_spa_config_names_this_stacks_api_and_client(inventory):
    (config,) = [
        json.loads(r.inputs["content"]) for r in inventory.of_type(OBJECT) if r.inputs["key"] == "config.json"
    ]
    client = only(inventory, "aws:cognito/userPoolClient:UserPoolClient")
    domain = only(inventory, "aws:cloudfront/distribution:Distribution").outputs["domainName"]
    assert config["apiUrl"] == f"https://{domain}/api"
    assert config["userPoolClientId"] == client.id
    assert config["redirectUris"]


def test_every_resource_uses_an_explicit_provider_with_the_default_tags(inventory):
    custom = [r for r in inventory.resources if r.type.startswith("aws:")]
    for record in custom:
        provider = provider_of(inventory, record)
        tags = json.loads(provider.inputs["defaultTags"])["tags"]
        assert tags == {
            "project": "booking-platform",
            "environment": inventory.stack,
            "stack": inventory.stack,
            "managed-by": "pulumi",
        }
    assert not [r for r in inventory.of_type("pulumi:providers:aws") if r.name.startswith("default")]


def test_components_parent_their_resources(inventory):
    components = {r.urn for r in inventory.resources if r.type.startswith("booking:")}
    stack = only(inventory, "pulumi:pulumi:Stack")
    for record in inventory.resources:
        if record.type.startswith("aws:"):
            assert record.parent in components, record.name
        elif record.type.startswith("booking:"):
            assert record.parent == stack.urn


def test_the_stack_exports_what_a_user_needs(inventory):
    outputs = inventory.stack_outputs
    for key in (
        "apiUrl",
        "distributionDomain",
        "userPoolId",
        "userPoolClientId",
        "tableName",
        "dashboardUrl",
    ):
        assert outputs[key], key
    assert outputs["tableName"] == f"booking-{inventory.stack}-bookings"


def test_the_deploying_shells_environment_never_leaks_into_a_function(monkeypatch):
    from components.booking_function import environment_from_settings

    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "Leaked")
    monkeypatch.setenv("LOG_LEVEL", "ERROR")
    environment = environment_from_settings(
        FUNCTIONS["catalogs"],
        {
            "stage": "dev",
            "app_version": "1.0.0",
            "table_name": "booking-dev-bookings",
            "powertools_service_name": "x",
        },
    )
    assert environment["POWERTOOLS_METRICS_NAMESPACE"] == "BookingPlatform"
    assert environment["LOG_LEVEL"] == "INFO"


def test_a_settings_field_the_stack_does_not_provide_fails_naming_the_function():
    from components.booking_function import environment_from_settings

    with pytest.raises(
        ValueError, match=r"(?s)environment of function 'users'.*user_pool_id.*Field required"
    ):
        environment_from_settings(
            FUNCTIONS["users"],
            {"stage": "dev", "table_name": "booking-dev-bookings", "powertools_service_name": "x"},
        )


def test_the_spa_bucket_is_named_after_the_stack(inventory):
    (bucket,) = inventory.of_type("aws:s3/bucket:Bucket")
    assert bucket.inputs["bucketPrefix"] == f"booking-{inventory.stack}-spa-"
    assert bucket.id.startswith(f"booking-{inventory.stack}-spa-")
    assert bucket.inputs["forceDestroy"] is (inventory.stack != "prd")


# ------------------------------------------------------------------ identity, data, mail, schedules, alarms


def test_cognito_has_the_five_role_groups_and_a_constrained_tenant_attribute(inventory):
    groups = {r.inputs["name"] for r in inventory.of_type("aws:cognito/userGroup:UserGroup")}
    assert groups == {"Owner", "Admin", "Dentist", "Reception", "Patient"}
    (tenant,) = only(inventory, "aws:cognito/userPool:UserPool").inputs["schemas"]
    assert tenant["name"] == "tenant_id"
    assert tenant["attributeDataType"] == "String"
    assert tenant["stringAttributeConstraints"] == {"minLength": "1", "maxLength": "64"}


def test_cognito_ranks_a_users_groups_as_the_http_edge_picks_their_role(inventory):
    groups = inventory.of_type("aws:cognito/userGroup:UserGroup")
    ranked = [group.inputs["name"] for group in sorted(groups, key=lambda group: group.inputs["precedence"])]
    assert ranked == [role.value for role in ROLE_PRECEDENCE]


def test_the_spa_client_uses_code_flow_with_pkce_and_the_stacks_own_urls(inventories):
    for stack, inventory in inventories.items():
        client = only(inventory, "aws:cognito/userPoolClient:UserPoolClient").inputs
        assert client["allowedOauthFlows"] == ["code"]
        assert client["generateSecret"] is False
        assert client["allowedOauthFlowsUserPoolClient"] is True
        admin_flow = "ALLOW_ADMIN_USER_PASSWORD_AUTH" in client["explicitAuthFlows"]
        assert admin_flow is (stack == "dev")
        assert "ALLOW_USER_PASSWORD_AUTH" not in client["explicitAuthFlows"]
        local = [url for url in client["callbackUrls"] if url.startswith("http://localhost")]
        assert bool(local) is (stack == "dev")
        *configured, own = client["callbackUrls"]  # the configured ones name the stack
        assert own == f"{inventory.stack_outputs['siteUrl']}/callback"
        assert all(stack in url or url.startswith("http://") or stack == "prd" for url in configured)


def test_the_table_is_shaped_by_the_adapters_table_design(inventory):
    from booking.adapters import table_design

    table = only(inventory, TABLE).inputs
    assert (table["hashKey"], table["rangeKey"]) == (table_design.PARTITION_KEY, table_design.SORT_KEY)
    assert table["billingMode"] == "PAY_PER_REQUEST"
    assert table["streamEnabled"] is True
    assert table["streamViewType"] == "NEW_AND_OLD_IMAGES"
    assert table["ttl"] == {"attributeName": table_design.TTL_ATTRIBUTE, "enabled": True}
    assert table["serverSideEncryption"]["enabled"] is True
    indexes = {
        index["name"]: [(key["attributeName"], key["keyType"]) for key in index["keySchemas"]]
        for index in table["globalSecondaryIndexes"]
    }
    assert indexes == {
        index.name: [(index.partition_key, "HASH"), (index.sort_key, "RANGE")]
        for index in table_design.INDEXES
    }


def test_bounces_and_complaints_of_the_stacks_identity_reach_an_sns_topic(inventory):
    (identity,) = [
        r.inputs
        for r in inventory.of_type("aws:sesv2/emailIdentity:EmailIdentity")
        if "@" not in r.inputs["emailIdentity"]
    ]
    configuration_set = only(inventory, "aws:sesv2/configurationSet:ConfigurationSet")
    destination = only(
        inventory, "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination"
    ).inputs
    topics = {r.outputs["arn"] for r in inventory.of_type("aws:sns/topic:Topic")}
    assert identity["configurationSetName"] == configuration_set.id
    assert destination["configurationSetName"] == configuration_set.id
    assert {"BOUNCE", "COMPLAINT"} <= set(destination["eventDestination"]["matchingEventTypes"])
    assert destination["eventDestination"]["snsDestination"]["topicArn"] in topics


def test_scheduler_assumes_a_role_that_may_invoke_only_the_notifications_function(inventory):
    roles = {r.inputs["name"]: r for r in inventory.of_type("aws:iam/role:Role")}
    role = roles[f"booking-{inventory.stack}-scheduler"]
    (trust,) = policy_statements(role.inputs["assumeRolePolicy"])
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    notifications = _functions_by_key(inventory)["notifications"]
    policies = {r.inputs["role"]: r for r in inventory.of_type("aws:iam/rolePolicy:RolePolicy")}
    (statement,) = policy_statements(policies[role.id].inputs["policy"])
    assert statement == {
        "Effect": "Allow",
        "Action": "lambda:InvokeFunction",
        "Resource": notifications.outputs["arn"],
    }
    variables = notifications.inputs["environment"]["variables"]
    assert variables["SCHEDULER_ROLE_ARN"] == role.outputs["arn"]
    group = only(inventory, "aws:scheduler/scheduleGroup:ScheduleGroup")
    assert variables["SCHEDULE_GROUP_NAME"] == group.outputs["name"]


def test_every_alarm_notifies_the_alarm_topic_and_the_dashboard_covers_the_architecture(inventory):
    topic = next(t for t in inventory.of_type("aws:sns/topic:Topic") if t.inputs["name"].endswith("-alarms"))
    alarms = inventory.of_type(ALARM)
    assert alarms
    for alarm in alarms:
        assert alarm.inputs["alarmActions"] == [topic.outputs["arn"]]
    names = {alarm.inputs["name"].removeprefix(f"booking-{inventory.stack}-") for alarm in alarms}
    assert {"api-5xx-rate", "table-throttles", "ses-bounce-rate", "ses-complaint-rate"} <= names
    body = json.loads(only(inventory, "aws:cloudwatch/dashboard:Dashboard").inputs["dashboardBody"])
    titles = " ".join(widget["properties"]["title"] for widget in body["widgets"])
    for subject in (
        "latency",
        "4xx / 5xx",
        "Lambda errors",
        "DynamoDB throttles",
        "SES",
        "iterator age",
        "queue depth",
    ):
        assert subject in titles, subject


def test_a_sandboxed_dev_stack_may_send_to_its_verified_recipients(inventories):
    for stack, inventory in inventories.items():
        identities = {
            r.inputs["emailIdentity"]: r for r in inventory.of_type("aws:sesv2/emailIdentity:EmailIdentity")
        }
        policies = {r.inputs["role"]: r for r in inventory.of_type("aws:iam/rolePolicy:RolePolicy")}
        statements = policy_statements(policies[f"booking-{stack}-notifications-role"].inputs["policy"])
        (send,) = [s for s in statements if "ses:SendEmail" in s["Action"]]
        recipients = {r for r in send["Resource"] if r.endswith("@booking.example.com")}
        sandboxed = {address: r.outputs["arn"] for address, r in identities.items() if "@" in address}
        assert recipients == set(sandboxed.values())
        assert set(sandboxed) == ({"dev-team@booking.example.com"} if stack == "dev" else set())


def test_the_notifications_function_may_pass_the_scheduler_role_to_scheduler_only(inventory):
    roles = {r.inputs["name"]: r for r in inventory.of_type("aws:iam/role:Role")}
    policies = {r.inputs["role"]: r for r in inventory.of_type("aws:iam/rolePolicy:RolePolicy")}
    statements = policy_statements(policies[f"booking-{inventory.stack}-notifications-role"].inputs["policy"])
    (pass_role,) = [s for s in statements if "iam:PassRole" in s["Action"]]
    assert pass_role["Action"] == ["iam:PassRole"]
    assert pass_role["Resource"] == [roles[f"booking-{inventory.stack}-scheduler"].outputs["arn"]]
    assert pass_role["Condition"] == {"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}
