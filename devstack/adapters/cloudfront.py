"""CloudFront: the distribution, its viewer-request functions, cache and response headers
policies and the origin access control.

The devstack serves the distribution itself (``devstack.distribution``) from these
records, so nothing is created in moto: each adapter answers the ids and attributes
the program reads. The distribution's web ACL (its association) must be one the WAF
adapter created. The distribution's domain is where the devstack serves it (a
loopback ``host:port``), so the URLs the program builds from it (the site's URL in
``config.json``, the client's callback URLs, the emails' links) point at what serves
them.
"""

from __future__ import annotations

import hashlib
import uuid

from components.public_urls import host_of
from devstack.adapters.base import Adapter, Created, EmulatorContext, physical_name, state
from devstack.adapters.waf import InvalidWebAcl, web_acl_exists
from engine.inventory import ResourceRecord

CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2"  # CloudFront's fixed hosted zone


def _etag(record: ResourceRecord) -> str:
    return "E" + hashlib.sha256(f"etag:{record.urn}".encode()).hexdigest()[:13].upper()


def _distribution_id(record: ResourceRecord) -> str:
    return "E" + hashlib.sha256(record.urn.encode()).hexdigest()[:13].upper()


def create_distribution(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    web_acl = record.inputs.get("webAclId")
    if web_acl and not web_acl_exists(ctx, str(web_acl)):
        # What CloudFront answers for an ACL that is not a CLOUDFRONT one of this account.
        raise InvalidWebAcl(f"distribution {record.name}: webAclId {web_acl} is no CLOUDFRONT web ACL here")
    distribution_id = _distribution_id(record)
    return distribution_id, state(
        record,
        id=distribution_id,
        arn=f"arn:aws:cloudfront::{ctx.account_id}:distribution/{distribution_id}",
        domainName=host_of(ctx.web_url),
        hostedZoneId=CLOUDFRONT_ZONE,
        status="Deployed",
        etag=_etag(record),
        callerReference=record.urn,
        inProgressValidationBatches=0,
        lastModifiedTime="2026-01-01T00:00:00Z",
    )


def create_function(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    name = physical_name(record)
    return name, state(
        record,
        name=name,
        arn=f"arn:aws:cloudfront::{ctx.account_id}:function/{name}",
        etag=_etag(record),
        liveStageEtag=_etag(record),
        status="UNASSOCIATED",
    )


def _policy(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    policy_id = str(uuid.uuid5(uuid.NAMESPACE_URL, record.urn))
    return policy_id, state(record, id=policy_id, etag=_etag(record))


def create_origin_access_control(ctx: EmulatorContext, record: ResourceRecord) -> Created:
    control_id = _distribution_id(record)
    return control_id, state(record, id=control_id, etag=_etag(record), arn=None)


ADAPTERS: dict[str, Adapter] = {
    "aws:cloudfront/distribution:Distribution": create_distribution,
    "aws:cloudfront/function:Function": create_function,
    "aws:cloudfront/cachePolicy:CachePolicy": _policy,
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": _policy,
    "aws:cloudfront/originAccessControl:OriginAccessControl": create_origin_access_control,
}
