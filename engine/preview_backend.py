"""The default backend of the mock engine: plausible ids, ARNs and computed attributes.

``bookingctl preview`` and the infra tests use it; the devstack replaces it with one
that creates every resource in an emulator. Everything derives from the URN, so two
runs of the same program give the same inventory.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from engine.inventory import ResourceRecord

ACCOUNT_ID = "123456789012"
# What a backend returns for a resource: its id and outputs.
Created = tuple[str, dict[str, Any]]


# Type tokens, not secrets.
SECRET_VERSION_TYPE = "aws:secretsmanager/secretVersion:SecretVersion"  # noqa: S105
RANDOM_PASSWORD_INVOKE = "aws:secretsmanager/getRandomPassword:getRandomPassword"  # noqa: S105
SECRET_VERSION_INVOKE = "aws:secretsmanager/getSecretVersion:getSecretVersion"  # noqa: S105


def _short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


class PreviewBackend:
    """Plausible ids, ARNs and computed attributes, derived deterministically from the URN.

    Outputs are the inputs plus what AWS would compute and the program reads, so two
    previews of the same program give the same inventory.
    """

    def __init__(self, account_id: str = ACCOUNT_ID, default_region: str = "us-east-1") -> None:
        self.account_id = account_id
        self.default_region = default_region
        self._provider_regions: dict[str, str] = {}
        # Secrets Manager values the program stored, by secret id (``getSecretVersion``).
        self._secret_values: dict[str, str] = {}

    # The physical name AWS would show: the explicit name input, else Pulumi's auto-name.
    def _physical_name(self, record: ResourceRecord, *keys: str) -> str:
        for key in (*keys, "name"):
            value = record.inputs.get(key)
            if isinstance(value, str) and value:
                return value
        return f"{record.name}-{_short_hash(record.urn, 7)}"

    def _region(self, record: ResourceRecord) -> str:
        region = record.inputs.get("region")
        if isinstance(region, str) and region:
            return region
        if record.provider and record.provider in self._provider_regions:
            return self._provider_regions[record.provider]
        return self.default_region

    def create(self, record: ResourceRecord) -> Created:
        if record.type.startswith("pulumi:providers:"):
            provider_id = str(uuid.uuid5(uuid.NAMESPACE_URL, record.urn))
            region = record.inputs.get("region")
            self._provider_regions[f"{record.urn}::{provider_id}"] = (
                region if isinstance(region, str) else self.default_region
            )
            return provider_id, dict(record.inputs)
        region = self._region(record)
        if record.type == SECRET_VERSION_TYPE:
            self._secret_values[str(record.inputs.get("secretId"))] = str(record.inputs.get("secretString"))
        builder = _COMPUTED.get(record.type)
        resource_id, computed = (
            builder(self, record, region)
            if builder
            else (f"{record.name}-{_short_hash(record.urn)}", {"arn": self._arn(record, region)})
        )
        return resource_id, {**record.inputs, **computed, "id": resource_id}

    def _arn(self, record: ResourceRecord, region: str) -> str:
        service = record.type.split(":")[1].split("/")[0]
        return f"arn:aws:{service}:{region}:{self.account_id}:{record.name}-{_short_hash(record.urn)}"

    def call(self, token: str, args: dict[str, Any], provider: str | None) -> dict[str, Any]:
        region = self._provider_regions.get(provider or "", self.default_region)
        answers = {
            "aws:index/getCallerIdentity:getCallerIdentity": {
                "accountId": self.account_id,
                "arn": f"arn:aws:iam::{self.account_id}:user/preview",
                "userId": "AIDAPREVIEW",
                "id": self.account_id,
            },
            "aws:index/getRegion:getRegion": {
                "name": region,
                "region": region,
                "id": region,
                "endpoint": f"{region}.amazonaws.com",
            },
            "aws:index/getPartition:getPartition": {
                "partition": "aws",
                "dnsSuffix": "amazonaws.com",
                "id": "aws",
            },
        }
        if token == RANDOM_PASSWORD_INVOKE:
            # Same program, same inventory: derived from the arguments, not random.
            length = int(args.get("passwordLength") or 32)
            return {"randomPassword": _short_hash(repr(sorted(args.items())), 64)[:length], "id": "preview"}
        if token == SECRET_VERSION_INVOKE:
            secret_id = str(args.get("secretId"))
            return {
                "arn": secret_id,
                "secretId": secret_id,
                "secretString": self._secret_values.get(secret_id, ""),
                "versionId": _short_hash(secret_id, 32),
                "versionStages": [args.get("versionStage") or "AWSCURRENT"],
                "id": f"{secret_id}|{args.get('versionStage') or 'AWSCURRENT'}",
            }
        if token not in answers:
            raise NotImplementedError(f"the preview backend does not answer {token}")
        return answers[token]


def _plain_name(prefix: str) -> Callable[[PreviewBackend, ResourceRecord, str], Created]:
    """Resources whose id is their name and whose ARN is ``<prefix><name>``."""

    def build(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
        name = backend._physical_name(record)
        arn = prefix.format(region=region, account=backend.account_id) + name
        return name, {"name": name, "arn": arn}

    return build


def _table(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record)
    arn = f"arn:aws:dynamodb:{region}:{backend.account_id}:table/{name}"
    return name, {
        "name": name,
        "arn": arn,
        "streamArn": f"{arn}/stream/2026-01-01T00:00:00.000",
        "streamLabel": "2026-01-01T00:00:00.000",
    }


def _user_pool(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    pool_id = f"{region}_{_short_hash(record.urn, 9)}"
    return pool_id, {
        "arn": f"arn:aws:cognito-idp:{region}:{backend.account_id}:userpool/{pool_id}",
        "endpoint": f"cognito-idp.{region}.amazonaws.com/{pool_id}",
        "name": backend._physical_name(record),
    }


def _user_pool_client(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    return hashlib.sha256(record.urn.encode()).hexdigest()[:26], {}


def _email_identity(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    identity = str(record.inputs.get("emailIdentity", record.name))
    tokens = [_short_hash(f"{record.urn}#{index}", 32) for index in range(3)]
    return identity, {
        "arn": f"arn:aws:ses:{region}:{backend.account_id}:identity/{identity}",
        "identityType": "EMAIL_ADDRESS" if "@" in identity else "DOMAIN",
        "dkimSigningAttributes": {"tokens": tokens, "status": "PENDING"},
    }


def _configuration_set(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = str(record.inputs.get("configurationSetName", record.name))
    return name, {"arn": f"arn:aws:ses:{region}:{backend.account_id}:configuration-set/{name}"}


def _topic(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record)
    arn = f"arn:aws:sns:{region}:{backend.account_id}:{name}"
    return arn, {"name": name, "arn": arn}


def _queue(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record)
    url = f"https://sqs.{region}.amazonaws.com/{backend.account_id}/{name}"
    return url, {"name": name, "url": url, "arn": f"arn:aws:sqs:{region}:{backend.account_id}:{name}"}


def _role(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record)
    return name, {
        "name": name,
        "arn": f"arn:aws:iam::{backend.account_id}:role/{name}",
        "uniqueId": f"AROA{_short_hash(record.urn, 16).upper()}",
    }


def _function(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record)
    arn = f"arn:aws:lambda:{region}:{backend.account_id}:function:{name}"
    return name, {
        "name": name,
        "arn": arn,
        "qualifiedArn": f"{arn}:$LATEST",
        "version": "$LATEST",
        "invokeArn": f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations",
    }


def _layer(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = str(record.inputs.get("layerName", record.name))
    layer_arn = f"arn:aws:lambda:{region}:{backend.account_id}:layer:{name}"
    return f"{layer_arn}:1", {"layerArn": layer_arn, "arn": f"{layer_arn}:1", "version": "1"}


def _api(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    api_id = _short_hash(record.urn, 10)
    return api_id, {
        "apiEndpoint": f"https://{api_id}.execute-api.{region}.amazonaws.com",
        "executionArn": f"arn:aws:execute-api:{region}:{backend.account_id}:{api_id}",
        "arn": f"arn:aws:apigateway:{region}::/apis/{api_id}",
    }


def _stage(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    api_id = str(record.inputs.get("apiId", ""))
    name = str(record.inputs.get("name", "$default"))
    path = "" if name == "$default" else name
    return name, {
        "invokeUrl": f"https://{api_id}.execute-api.{region}.amazonaws.com/{path}",
        "executionArn": f"arn:aws:execute-api:{region}:{backend.account_id}:{api_id}/{name}",
        "arn": f"arn:aws:apigateway:{region}::/apis/{api_id}/stages/{name}",
    }


def _web_acl(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record)
    acl_id = str(uuid.uuid5(uuid.NAMESPACE_URL, record.urn))
    scope = "global" if record.inputs.get("scope") == "CLOUDFRONT" else "regional"
    return acl_id, {
        "name": name,
        "arn": f"arn:aws:wafv2:{region}:{backend.account_id}:{scope}/webacl/{name}/{acl_id}",
    }


def _bucket(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    prefix = record.inputs.get("bucketPrefix")
    if isinstance(prefix, str) and not record.inputs.get("bucket"):
        name = f"{prefix}{_short_hash(record.urn, 12)}"
    else:
        name = backend._physical_name(record, "bucket").lower()
    return name, {
        "bucket": name,
        "arn": f"arn:aws:s3:::{name}",
        "bucketDomainName": f"{name}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{name}.s3.{region}.amazonaws.com",
        "region": region,
    }


def _distribution(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    distribution_id = "E" + _short_hash(record.urn, 13).upper()
    return distribution_id, {
        "arn": f"arn:aws:cloudfront::{backend.account_id}:distribution/{distribution_id}",
        "domainName": f"d{_short_hash(record.urn, 13)}.cloudfront.net",
        "hostedZoneId": "Z2FDTNDATAQYW2",
        "status": "Deployed",
    }


def _log_group(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record)
    return name, {"name": name, "arn": f"arn:aws:logs:{region}:{backend.account_id}:log-group:{name}"}


def _dashboard(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = str(record.inputs.get("dashboardName", record.name))
    return name, {"dashboardArn": f"arn:aws:cloudwatch::{backend.account_id}:dashboard/{name}"}


def _alarm(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record)
    return name, {"arn": f"arn:aws:cloudwatch:{region}:{backend.account_id}:alarm:{name}"}


def _event_source_mapping(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    mapping_id = str(uuid.uuid5(uuid.NAMESPACE_URL, record.urn))
    return mapping_id, {
        "uuid": mapping_id,
        "arn": f"arn:aws:lambda:{region}:{backend.account_id}:event-source-mapping:{mapping_id}",
    }


def _secret(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    name = backend._physical_name(record)
    arn = f"arn:aws:secretsmanager:{region}:{backend.account_id}:secret:{name}-{_short_hash(record.urn, 6)}"
    return arn, {"name": name, "arn": arn}


def _secret_version(backend: PreviewBackend, record: ResourceRecord, region: str) -> Created:
    version_id = str(uuid.uuid5(uuid.NAMESPACE_URL, record.urn))
    secret_id = str(record.inputs.get("secretId"))
    outputs = {"arn": secret_id, "versionId": version_id, "versionStages": ["AWSCURRENT"]}
    return f"{secret_id}|{version_id}", outputs


_COMPUTED: dict[str, Callable[[PreviewBackend, ResourceRecord, str], Created]] = {
    "aws:dynamodb/table:Table": _table,
    "aws:cognito/userPool:UserPool": _user_pool,
    "aws:cognito/userPoolClient:UserPoolClient": _user_pool_client,
    "aws:sesv2/emailIdentity:EmailIdentity": _email_identity,
    "aws:sesv2/configurationSet:ConfigurationSet": _configuration_set,
    "aws:sns/topic:Topic": _topic,
    "aws:sqs/queue:Queue": _queue,
    "aws:iam/role:Role": _role,
    "aws:lambda/function:Function": _function,
    "aws:lambda/layerVersion:LayerVersion": _layer,
    "aws:apigatewayv2/api:Api": _api,
    "aws:apigatewayv2/stage:Stage": _stage,
    "aws:wafv2/webAcl:WebAcl": _web_acl,
    "aws:s3/bucket:Bucket": _bucket,
    "aws:cloudfront/distribution:Distribution": _distribution,
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
    "aws:cloudwatch/dashboard:Dashboard": _dashboard,
    "aws:cloudwatch/metricAlarm:MetricAlarm": _alarm,
    "aws:lambda/eventSourceMapping:EventSourceMapping": _event_source_mapping,
    "aws:secretsmanager/secret:Secret": _secret,
    SECRET_VERSION_TYPE: _secret_version,
    "aws:scheduler/scheduleGroup:ScheduleGroup": _plain_name(
        "arn:aws:scheduler:{region}:{account}:schedule-group/"
    ),
}
