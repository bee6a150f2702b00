"""CloudFront: WAF, HTTPS viewers, TLS minimum, origin access control."""

from __future__ import annotations

import pytest

from tests.policies import samples
from tests.policies.harness import (
    UNKNOWN,
    Resource,
    assert_reports,
    policies_by_name,
    resource_messages,
    validate_stack,
)
from tests.policies.samples import (
    DELETE,
    DISTRIBUTION,
    HEADERS_POLICY,
    OAC,
    WEB_ACL,
    WEB_ACL_ARN,
    distribution,
    origin_access_control,
    with_,
)

DEFAULT_CERT = {"cloudfrontDefaultCertificate": True, "minimumProtocolVersion": "TLSv1.2_2021"}


@pytest.mark.parametrize(
    ("policy", "props", "config", "expected"),
    [
        pytest.param("distribution-waf", distribution(), None, [], id="waf-attached"),
        pytest.param(
            "distribution-waf", with_(distribution(), webAclId=DELETE), None, ["webAclId is not set"]
        ),
        pytest.param("distribution-waf", with_(distribution(), webAclId=""), None, ["webAclId is not set"]),
        pytest.param("distribution-viewer-https", distribution(), None, [], id="https-everywhere"),
        pytest.param(
            "distribution-viewer-https",
            with_(distribution(), defaultCacheBehavior__viewerProtocolPolicy="allow-all"),
            None,
            ["defaultCacheBehavior.viewerProtocolPolicy is 'allow-all'"],
        ),
        pytest.param(
            "distribution-viewer-https",
            with_(distribution(), orderedCacheBehaviors__0__viewerProtocolPolicy="allow-all"),
            None,
            ["orderedCacheBehaviors[/api/*].viewerProtocolPolicy"],
        ),
        pytest.param("distribution-viewer-tls", distribution(), None, [], id="tls12-2021"),
        pytest.param(
            "distribution-viewer-tls",
            with_(distribution(), viewerCertificate__minimumProtocolVersion="TLSv1"),
            None,
            ["minimumProtocolVersion is 'TLSv1'"],
        ),
        pytest.param(
            "distribution-viewer-tls",
            with_(distribution(), viewerCertificate=DEFAULT_CERT),
            None,
            ["cloudfrontDefaultCertificate is true"],
        ),
        pytest.param(
            "distribution-viewer-tls",
            with_(distribution(), viewerCertificate=DEFAULT_CERT),
            {"allowDefaultCertificate": True},
            [],
            id="default-certificate-tolerated-by-config",
        ),
        pytest.param(
            "distribution-viewer-tls",
            with_(distribution(), viewerCertificate={**DEFAULT_CERT, "minimumProtocolVersion": "TLSv1"}),
            {"allowDefaultCertificate": True},
            ["minimumProtocolVersion is 'TLSv1'"],
            id="tolerated-default-certificate-still-declares-a-modern-minimum",
        ),
        pytest.param("s3-origin-access-control", distribution(), None, [], id="oac-origin"),
        pytest.param(
            "s3-origin-access-control",
            with_(distribution(), origins__0__originAccessControlId=DELETE),
            None,
            ["origins[spa].originAccessControlId is not set"],
        ),
        pytest.param(
            "s3-origin-access-control",
            with_(
                distribution(),
                origins__0__s3OriginConfig={"originAccessIdentity": "origin-access-identity/x"},
            ),
            None,
            ["legacy origin access identity"],
        ),
    ],
)
def test_distributions_are_protected_and_https_only(policy, props, config, expected):
    assert_reports(resource_messages(policy, DISTRIBUTION, props, config), expected)


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        pytest.param(origin_access_control(), [], id="signs-always"),
        pytest.param(with_(origin_access_control(), signingBehavior="never"), ["signingBehavior is 'never'"]),
    ],
)
def test_origin_access_control_signs_every_request(props, expected):
    assert_reports(resource_messages("s3-origin-access-control", OAC, props), expected)


def _acl(scope: str = "CLOUDFRONT") -> Resource:
    return Resource(WEB_ACL, "edge-acl", {"scope": scope, "arn": WEB_ACL_ARN})


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        pytest.param([_acl(), Resource(DISTRIBUTION, "cdn", distribution())], [], id="acl-by-arn"),
        pytest.param(
            [
                _acl(),
                Resource(
                    DISTRIBUTION,
                    "cdn",
                    with_(distribution(), webAclId="x"),
                    depends={"webAclId": ("edge-acl",)},
                ),
            ],
            [],
            id="acl-by-dependency",
        ),
        pytest.param(
            [Resource(DISTRIBUTION, "cdn", distribution())], ["does not name"], id="acl-not-in-stack"
        ),
        pytest.param(
            [_acl("REGIONAL"), Resource(DISTRIBUTION, "cdn", distribution())], ["scope is 'REGIONAL'"]
        ),
        pytest.param(
            [_acl(), Resource(DISTRIBUTION, "cdn", with_(distribution(), webAclId=DELETE))],
            [],
            id="left-to-waf",
        ),
    ],
)
def test_a_distributions_web_acl_exists_in_the_stack_with_cloudfront_scope(resources, expected):
    violations = validate_stack(policies_by_name()["distribution-web-acl-exists"], resources)
    assert_reports([v.message for v in violations], expected)


def test_a_web_acl_arn_still_unknown_in_a_preview_counts_as_attached():
    assert resource_messages("distribution-waf", DISTRIBUTION, with_(distribution(), webAclId=UNKNOWN)) == []
    resources = [
        _acl(),
        Resource(
            DISTRIBUTION, "cdn", with_(distribution(), webAclId=UNKNOWN), depends={"webAclId": ("edge-acl",)}
        ),
    ]
    assert validate_stack(policies_by_name()["distribution-web-acl-exists"], resources) == []


def test_an_unknown_web_acl_arn_computed_from_no_acl_of_the_stack_is_reported():
    resources = [_acl(), Resource(DISTRIBUTION, "cdn", with_(distribution(), webAclId=UNKNOWN))]
    violations = validate_stack(policies_by_name()["distribution-web-acl-exists"], resources)
    assert_reports([v.message for v in violations], ["does not name"])


def _headers(csp: object = samples.APP_CSP, name: str = "app-headers") -> Resource:
    props = with_(samples.headers_policy(), id=samples.HEADERS_POLICY_ID)
    if csp is not samples.APP_CSP:
        props = with_(props, securityHeadersConfig__contentSecurityPolicy__contentSecurityPolicy=csp)
    return Resource(HEADERS_POLICY, name, props)


def _csp_with(**directives: str) -> str:
    parts = dict(part.split(" ", 1) for part in samples.APP_CSP.split("; "))
    parts.update({name.replace("_", "-"): value for name, value in directives.items()})
    return "; ".join(f"{name} {value}" for name, value in parts.items() if value)


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        pytest.param([_headers(), Resource(DISTRIBUTION, "cdn", distribution())], [], id="csp-by-id"),
        pytest.param(
            [
                _headers(),
                Resource(
                    DISTRIBUTION,
                    "cdn",
                    with_(distribution(), defaultCacheBehavior__responseHeadersPolicyId=UNKNOWN),
                    depends={"defaultCacheBehavior": ("app-headers",)},
                ),
            ],
            [],
            id="csp-by-dependency-while-the-id-is-unknown",
        ),
        pytest.param(
            [
                _headers(),
                Resource(
                    DISTRIBUTION,
                    "cdn",
                    with_(distribution(), defaultCacheBehavior__responseHeadersPolicyId=DELETE),
                ),
            ],
            ["responseHeadersPolicyId is not set"],
            id="no-policy",
        ),
        pytest.param(
            [
                _headers(),
                Resource(
                    DISTRIBUTION,
                    "cdn",
                    with_(
                        distribution(),
                        defaultCacheBehavior__responseHeadersPolicyId="67f7725c-6f97-4210-82d7-5512b31e9d03",
                    ),
                ),
            ],
            ["names no aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy of this stack"],
            id="managed-security-headers-policy",
        ),
        pytest.param(
            [_headers(csp=DELETE), Resource(DISTRIBUTION, "cdn", distribution())],
            ["sets no Content-Security-Policy"],
            id="policy-without-csp",
        ),
        pytest.param(
            [
                _headers(_csp_with(script_src="'self' 'unsafe-inline'")),
                Resource(DISTRIBUTION, "cdn", distribution()),
            ],
            ["lets scripts run from 'unsafe-inline'"],
            id="inline-scripts",
        ),
        pytest.param(
            [_headers(_csp_with(script_src="'self' https:")), Resource(DISTRIBUTION, "cdn", distribution())],
            ["lets scripts run from https:"],
            id="any-https-script",
        ),
        pytest.param(
            [
                _headers(_csp_with(script_src="", default_src="")),
                Resource(DISTRIBUTION, "cdn", distribution()),
            ],
            ["sets neither script-src nor default-src"],
            id="no-script-sources",
        ),
        pytest.param(
            [_headers(_csp_with(frame_ancestors="")), Resource(DISTRIBUTION, "cdn", distribution())],
            ["sets no frame-ancestors"],
            id="frameable",
        ),
        pytest.param(
            [_headers(UNKNOWN), Resource(DISTRIBUTION, "cdn", distribution())],
            [],
            id="csp-still-unknown-in-a-preview",
        ),
    ],
)
def test_the_default_behaviour_answers_with_the_stacks_csp(resources, expected):
    violations = validate_stack(policies_by_name()["distribution-csp"], resources)
    assert_reports([v.message for v in violations], expected)
