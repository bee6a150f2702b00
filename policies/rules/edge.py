"""CloudFront in front of the SPA bucket and the API: WAF, TLS-only viewers, OAC, CSP.

AWS WAF cannot be attached to an HTTP API, so the distribution's web ACL is the only
WAF in the platform; it must exist in the stack (scope CLOUDFRONT, us-east-1). The app
it serves holds the user's tokens: its default behaviour answers with the stack's own
response headers policy, whose Content-Security-Policy forbids inline and foreign
scripts and framing (a managed policy knows nothing of the app's origins).
"""

from __future__ import annotations

from collections.abc import Sequence

from .base import (
    Config,
    Props,
    ResourceRule,
    StackResource,
    StackRule,
    StackViolation,
    as_list,
    get_path,
    is_set,
    known,
    mappings,
    refers_to,
)
from .resource_types import DISTRIBUTION, HEADERS_POLICY, ORIGIN_ACCESS_CONTROL, WEB_ACL

HTTPS_POLICIES = frozenset({"redirect-to-https", "https-only"})
CSP_PATH = "securityHeadersConfig.contentSecurityPolicy.contentSecurityPolicy"
# Script sources that let injected or foreign code run.
UNSAFE_SCRIPT_SOURCES = frozenset({"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:"})


def check_waf(resource_type: str, props: Props, config: Config) -> list[str]:
    if is_set(props, "webAclId"):
        return []
    return [
        "webAclId is not set: attach the stack's WAFv2 web ACL (scope CLOUDFRONT, created "
        "in us-east-1); the HTTP API cannot carry a WAF itself"
    ]


def check_viewer_https(resource_type: str, props: Props, config: Config) -> list[str]:
    behaviors = [("defaultCacheBehavior", props.get("defaultCacheBehavior") or {})]
    behaviors += [
        (f"orderedCacheBehaviors[{item.get('pathPattern')}]", item)
        for item in mappings(props.get("orderedCacheBehaviors"))
    ]
    return [
        f"{where}.viewerProtocolPolicy is {behavior.get('viewerProtocolPolicy')!r}: set it to "
        "'redirect-to-https' or 'https-only' so viewers never use plain HTTP"
        for where, behavior in behaviors
        if behavior.get("viewerProtocolPolicy") not in HTTPS_POLICIES
    ]


def check_viewer_tls(resource_type: str, props: Props, config: Config) -> list[str]:
    certificate = props.get("viewerCertificate") or {}
    problems: list[str] = []
    if (
        get_path(certificate, "cloudfrontDefaultCertificate") is True
        and not config["allowDefaultCertificate"]
    ):
        problems.append(
            "viewerCertificate.cloudfrontDefaultCertificate is true, which pins viewers to "
            "TLSv1: attach an ACM certificate (us-east-1) with sslSupportMethod 'sni-only' and "
            "a modern minimumProtocolVersion"
        )
    allowed = [str(version) for version in as_list(config["allowedMinimumProtocolVersions"])]
    version = get_path(certificate, "minimumProtocolVersion")
    if version not in allowed:
        problems.append(
            f"viewerCertificate.minimumProtocolVersion is {version!r}: set one of {allowed} "
            "(TLS 1.2 or newer)"
        )
    return problems


def check_origin_access_control(resource_type: str, props: Props, config: Config) -> list[str]:
    if resource_type == ORIGIN_ACCESS_CONTROL:
        expected = {
            "originAccessControlOriginType": "s3",
            "signingBehavior": "always",
            "signingProtocol": "sigv4",
        }
        return [
            f"{prop} is {props.get(prop)!r}: set it to {value!r} so CloudFront signs every "
            "request to the private bucket"
            for prop, value in expected.items()
            if props.get(prop) != value
        ]
    problems: list[str] = []
    for origin in mappings(props.get("origins")):
        where = f"origins[{origin.get('originId')}]"
        if get_path(origin, "s3OriginConfig.originAccessIdentity"):
            problems.append(
                f"{where}.s3OriginConfig.originAccessIdentity uses a legacy origin access "
                "identity: use an OriginAccessControl (originAccessControlId) instead"
            )
        domain = str(origin.get("domainName") or "")
        if ".s3." in domain and not origin.get("originAccessControlId"):
            problems.append(
                f"{where}.originAccessControlId is not set for the S3 origin {domain!r}: "
                "attach the stack's OriginAccessControl so the bucket can stay private"
            )
    return problems


def check_web_acl_exists(resources: Sequence[StackResource], config: Config) -> list[StackViolation]:
    acls = [resource for resource in resources if resource.type == WEB_ACL]
    violations: list[StackViolation] = []
    for distribution in resources:
        if distribution.type != DISTRIBUTION or not is_set(distribution.props, "webAclId"):
            continue  # a missing webAclId is distribution-waf's finding
        matches = [acl for acl in acls if refers_to(distribution, "webAclId", acl, "arn")]
        if not matches:
            violations.append(
                StackViolation(
                    f"{DISTRIBUTION} '{distribution.name}': webAclId does not name a "
                    f"{WEB_ACL} of this stack: attach the stack's own web ACL (its arn)",
                    distribution.urn,
                )
            )
        for acl in matches:
            if get_path(acl.props, "scope") != "CLOUDFRONT":
                violations.append(
                    StackViolation(
                        f"{WEB_ACL} '{acl.name}': scope is {get_path(acl.props, 'scope')!r} but it "
                        "protects a distribution: create it with scope CLOUDFRONT in us-east-1",
                        acl.urn,
                    )
                )
    return violations


def _default_headers_policies(
    distribution: StackResource, policies: Sequence[StackResource]
) -> list[StackResource] | None:
    """The stack's policies the default behaviour names (None: it names none at all)."""
    if not is_set(distribution.props, "defaultCacheBehavior.responseHeadersPolicyId"):
        return None
    # A policy created in the same update has no id yet: follow the dependency.
    dependencies = distribution.property_dependencies.get("defaultCacheBehavior", ())
    by_dependency = [policy for policy in policies if policy.urn in dependencies]
    if by_dependency:
        return by_dependency
    value = known(distribution.props, "defaultCacheBehavior.responseHeadersPolicyId")
    return [policy for policy in policies if value in {policy.id, get_path(policy.props, "id")}]


def _csp_problems(csp: str) -> list[str]:
    directives = {
        parts[0].lower(): parts[1:] for parts in (directive.split() for directive in csp.split(";")) if parts
    }
    problems = []
    scripts = directives.get("script-src", directives.get("default-src"))
    if scripts is None:
        problems.append("sets neither script-src nor default-src")
    elif unsafe := sorted(UNSAFE_SCRIPT_SOURCES.intersection(scripts)):
        problems.append(f"lets scripts run from {', '.join(unsafe)} (allow inline scripts by hash)")
    if "frame-ancestors" not in directives:
        problems.append("sets no frame-ancestors (the app must not be framed)")
    return problems


def check_default_behavior_csp(resources: Sequence[StackResource], config: Config) -> list[StackViolation]:
    policies = [resource for resource in resources if resource.type == HEADERS_POLICY]
    violations: list[StackViolation] = []
    for distribution in (resource for resource in resources if resource.type == DISTRIBUTION):
        where = f"{DISTRIBUTION} '{distribution.name}': defaultCacheBehavior.responseHeadersPolicyId"
        matches = _default_headers_policies(distribution, policies)
        if matches is None:
            message = "is not set: attach the stack's response headers policy with the app's CSP"
            violations.append(StackViolation(f"{where} {message}", distribution.urn))
            continue
        if not matches:
            message = (
                f"names no {HEADERS_POLICY} of this stack (a managed policy carries no CSP for this "
                "app): create one with a Content-Security-Policy"
            )
            violations.append(StackViolation(f"{where} {message}", distribution.urn))
        for policy in matches:
            if not is_set(policy.props, CSP_PATH):
                problems = ["sets no Content-Security-Policy"]
            else:
                csp = known(policy.props, CSP_PATH)
                problems = _csp_problems(csp) if isinstance(csp, str) else []  # unknown: not yet
            violations += [
                StackViolation(f"{HEADERS_POLICY} '{policy.name}': its CSP {problem}", policy.urn)
                for problem in problems
            ]
    return violations


DISTRIBUTION_WAF = ResourceRule(
    name="distribution-waf",
    description="Every CloudFront distribution has a WAF web ACL attached.",
    resource_types=frozenset({DISTRIBUTION}),
    check=check_waf,
    remediation="Set webAclId to the arn of the stack's CLOUDFRONT-scoped WAFv2 web ACL.",
)

DISTRIBUTION_VIEWER_HTTPS = ResourceRule(
    name="distribution-viewer-https",
    description="Every cache behavior redirects viewers to HTTPS or accepts HTTPS only.",
    resource_types=frozenset({DISTRIBUTION}),
    check=check_viewer_https,
    remediation="Set viewerProtocolPolicy = 'redirect-to-https' on every cache behavior.",
)

DISTRIBUTION_VIEWER_TLS = ResourceRule(
    name="distribution-viewer-tls",
    description="Viewers connect with TLS 1.2 or newer.",
    resource_types=frozenset({DISTRIBUTION}),
    check=check_viewer_tls,
    remediation="Use an ACM certificate with minimumProtocolVersion TLSv1.2_2021.",
    config_schema={
        "allowedMinimumProtocolVersions": {
            "type": "array",
            "items": {"type": "string"},
            "default": ["TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"],
        },
        "allowDefaultCertificate": {
            "type": "boolean",
            "default": False,
            "description": "Tolerate the *.cloudfront.net certificate (stacks without a custom domain).",
        },
    },
)

S3_ORIGIN_ACCESS_CONTROL = ResourceRule(
    name="s3-origin-access-control",
    description="S3 origins are reached through a signing origin access control, never an OAI.",
    resource_types=frozenset({DISTRIBUTION, ORIGIN_ACCESS_CONTROL}),
    check=check_origin_access_control,
    remediation="Create an OriginAccessControl (s3, always, sigv4) and set originAccessControlId.",
)

DISTRIBUTION_WEB_ACL_EXISTS = StackRule(
    name="distribution-web-acl-exists",
    description="Every distribution's web ACL is a CLOUDFRONT-scoped web ACL of the same stack.",
    resource_types=frozenset({DISTRIBUTION, WEB_ACL}),
    check=check_web_acl_exists,
    remediation="Point webAclId at the arn of the stack's wafv2.WebAcl (scope CLOUDFRONT).",
)

DISTRIBUTION_CSP = StackRule(
    name="distribution-csp",
    description=(
        "The default behaviour of every distribution answers with a response headers policy of "
        "the stack whose Content-Security-Policy allows no inline or foreign scripts and no framing."
    ),
    resource_types=frozenset({DISTRIBUTION, HEADERS_POLICY}),
    check=check_default_behavior_csp,
    remediation=(
        "Create an aws.cloudfront.ResponseHeadersPolicy with securityHeadersConfig."
        "contentSecurityPolicy (script-src by hash, frame-ancestors 'none') and set "
        "defaultCacheBehavior.responseHeadersPolicyId to its id."
    ),
)

RULES = (
    DISTRIBUTION_WAF,
    DISTRIBUTION_VIEWER_HTTPS,
    DISTRIBUTION_VIEWER_TLS,
    S3_ORIGIN_ACCESS_CONTROL,
    DISTRIBUTION_WEB_ACL_EXISTS,
    DISTRIBUTION_CSP,
)
