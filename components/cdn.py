"""CloudFront in front of everything: the app from a private S3 bucket (OAC), ``/api/*``
to the HTTP API (with the origin secret's header, so the API can tell the distribution's
requests from direct ones), HTTPS only, the WAF attached.

The bucket holds the built app, one object per file with its content type and cache
rule (:mod:`components.site_content`), and the per-stack ``config.json``. Hashed assets
outlive the deploy that replaces them (``retain_on_delete``): a page loaded before a
deploy can still fetch its chunks. The app's routes (deep links, ``/callback``) are
answered with ``index.html`` by a viewer-request function (:mod:`components.viewer_requests`),
not by custom error responses, which would rewrite the API's errors too. Every response
carries the security headers of :mod:`components.edge_policies`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from components import site_content, viewer_requests
from components.edge_policies import ContentSecurityPolicy, app_cache_policy, response_headers_policy
from components.public_urls import browser_url, host_of
from packager.web_app import WebBuild

# AWS managed CloudFront policies (stable, documented ids).
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
API_PATH_PATTERN = "/api/*"
MINIMUM_TLS = "TLSv1.2_2021"
SPA_ORIGIN = "spa-bucket"
API_ORIGIN = "http-api"


@dataclass(frozen=True)
class CdnArgs:
    name_prefix: str
    api_endpoint: pulumi.Input[str]  # https://<id>.execute-api.<region>.amazonaws.com
    web_acl_arn: pulumi.Input[str]
    price_class: str
    force_destroy_bucket: bool
    app: WebBuild  # the built app, uploaded file by file
    # Where the app may connect besides its own origin (the sign-in endpoints' origins).
    connect_origins: Sequence[pulumi.Input[str]] = ()
    # Keys and values of the SPA's config.json (Outputs allowed); apiUrl is added here.
    spa_config: Mapping[str, pulumi.Input[Any]] = field(default_factory=dict)
    aliases: Sequence[str] = ()
    certificate_arn: str | None = None  # ACM, us-east-1; required with aliases
    # Headers the distribution adds to every request it forwards to the API (the origin
    # secret, components/origin_secret.py); CloudFront refuses viewers' headers of these names.
    api_origin_headers: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)


class Cdn(pulumi.ComponentResource):
    distribution_domain: pulumi.Output[str]
    distribution_id: pulumi.Output[str]
    bucket_name: pulumi.Output[str]
    site_url: pulumi.Output[str]

    def __init__(self, name: str, args: CdnArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("booking:edge:Cdn", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        if args.aliases and not args.certificate_arn:
            raise ValueError("a CDN with aliases needs an ACM certificate in us-east-1")
        # Bucket names are global: AWS appends a unique suffix to the stack's prefix.
        self.bucket = aws.s3.Bucket(
            f"{name}-spa",
            bucket_prefix=f"{args.name_prefix}-spa-",
            force_destroy=args.force_destroy_bucket,
            opts=child,
        )
        self.public_access_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-spa-private",
            bucket=self.bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child,
        )
        self.ownership = aws.s3.BucketOwnershipControls(
            f"{name}-spa-ownership",
            bucket=self.bucket.id,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            opts=child,
        )
        self.encryption = aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-spa-encryption",
            bucket=self.bucket.id,
            rules=[
                aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                        sse_algorithm="AES256"
                    )
                )
            ],
            opts=child,
        )
        self.origin_access = aws.cloudfront.OriginAccessControl(
            f"{name}-oac",
            name=f"{args.name_prefix}-spa",
            description="CloudFront reads the SPA bucket with SigV4",
            origin_access_control_origin_type="s3",
            signing_behavior="always",
            signing_protocol="sigv4",
            opts=child,
        )
        self.functions = {
            rule.name: aws.cloudfront.Function(
                f"{name}-{rule.name}",
                name=f"{args.name_prefix}-{rule.name}",
                runtime=viewer_requests.RUNTIME,
                comment=rule.comment,
                code=rule.javascript(),
                publish=True,
                opts=child,
            )
            for rule in viewer_requests.RULES
        }
        self.app_cache_policy = app_cache_policy(f"{name}-app-cache", f"{args.name_prefix}-app", child)
        script_hashes = site_content.inline_script_hashes(args.app.index_html.read_text(encoding="utf-8"))
        style_hashes = site_content.style_attribute_hashes(
            (args.app.root / key).read_text(encoding="utf-8")
            for key in args.app.object_keys()
            if key.endswith((".html", ".js"))
        )
        self.headers_policy = response_headers_policy(
            f"{name}-headers",
            f"{args.name_prefix}-app-headers",
            pulumi.Output.all(*args.connect_origins).apply(
                lambda origins: ContentSecurityPolicy(script_hashes, origins, style_hashes).render()
            ),
            child,
        )
        api_domain = pulumi.Output.from_input(args.api_endpoint).apply(host_of)
        if args.certificate_arn:
            certificate = aws.cloudfront.DistributionViewerCertificateArgs(
                acm_certificate_arn=args.certificate_arn,
                ssl_support_method="sni-only",
                minimum_protocol_version=MINIMUM_TLS,
            )
        else:
            # Declared for reviewers and policies, but AWS applies TLSv1 to the default
            # *.cloudfront.net certificate whatever this says: enforcing TLS 1.2 for
            # viewers takes a custom domain (aliases + certificate_arn).
            certificate = aws.cloudfront.DistributionViewerCertificateArgs(
                cloudfront_default_certificate=True, minimum_protocol_version=MINIMUM_TLS
            )
        self.distribution = aws.cloudfront.Distribution(
            f"{name}-distribution",
            enabled=True,
            comment=f"{args.name_prefix}: SPA and /api",
            is_ipv6_enabled=True,
            http_version="http2and3",
            price_class=args.price_class,
            aliases=list(args.aliases) or None,
            default_root_object="index.html",
            web_acl_id=args.web_acl_arn,
            origins=[
                aws.cloudfront.DistributionOriginArgs(
                    origin_id=SPA_ORIGIN,
                    domain_name=self.bucket.bucket_regional_domain_name,
                    origin_access_control_id=self.origin_access.id,
                ),
                aws.cloudfront.DistributionOriginArgs(
                    origin_id=API_ORIGIN,
                    domain_name=api_domain,
                    custom_headers=[
                        aws.cloudfront.DistributionOriginCustomHeaderArgs(name=header, value=value)
                        for header, value in sorted(args.api_origin_headers.items())
                    ]
                    or None,
                    custom_origin_config=aws.cloudfront.DistributionOriginCustomOriginConfigArgs(
                        http_port=80,
                        https_port=443,
                        origin_protocol_policy="https-only",
                        origin_ssl_protocols=["TLSv1.2"],
                    ),
                ),
            ],
            default_cache_behavior=aws.cloudfront.DistributionDefaultCacheBehaviorArgs(
                target_origin_id=SPA_ORIGIN,
                viewer_protocol_policy="redirect-to-https",
                allowed_methods=["GET", "HEAD", "OPTIONS"],
                cached_methods=["GET", "HEAD"],
                cache_policy_id=self.app_cache_policy.id,
                response_headers_policy_id=self.headers_policy.id,
                compress=True,
                function_associations=[
                    aws.cloudfront.DistributionDefaultCacheBehaviorFunctionAssociationArgs(
                        event_type="viewer-request",
                        function_arn=self.functions[viewer_requests.SPA_FALLBACK.name].arn,
                    )
                ],
            ),
            ordered_cache_behaviors=[
                aws.cloudfront.DistributionOrderedCacheBehaviorArgs(
                    path_pattern=API_PATH_PATTERN,
                    target_origin_id=API_ORIGIN,
                    viewer_protocol_policy="https-only",
                    allowed_methods=["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
                    cached_methods=["GET", "HEAD"],
                    # With caching off, AllViewerExceptHostHeader forwards Authorization
                    # (the JWT) and keeps the Host API Gateway expects.
                    cache_policy_id=CACHING_DISABLED,
                    origin_request_policy_id=ALL_VIEWER_EXCEPT_HOST_HEADER,
                    response_headers_policy_id=self.headers_policy.id,
                    compress=True,
                    function_associations=[
                        aws.cloudfront.DistributionOrderedCacheBehaviorFunctionAssociationArgs(
                            event_type="viewer-request",
                            function_arn=self.functions[viewer_requests.STRIP_API_PREFIX.name].arn,
                        )
                    ],
                )
            ],
            restrictions=aws.cloudfront.DistributionRestrictionsArgs(
                geo_restriction=aws.cloudfront.DistributionRestrictionsGeoRestrictionArgs(
                    restriction_type="none"
                )
            ),
            viewer_certificate=certificate,
            opts=child,
        )
        # Only this distribution may read the bucket (OAC; the bucket stays private).
        self.bucket_policy = aws.s3.BucketPolicy(
            f"{name}-spa-policy",
            bucket=self.bucket.id,
            policy=pulumi.Output.all(self.bucket.arn, self.distribution.arn).apply(
                lambda values: json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Sid": "CloudFrontReadsTheSpa",
                                "Effect": "Allow",
                                "Principal": {"Service": "cloudfront.amazonaws.com"},
                                "Action": "s3:GetObject",
                                "Resource": f"{values[0]}/*",
                                "Condition": {"StringEquals": {"AWS:SourceArn": values[1]}},
                            }
                        ],
                    }
                )
            ),
            opts=child.merge(pulumi.ResourceOptions(depends_on=[self.public_access_block])),
        )
        self.site_url = (
            pulumi.Output.from_input(browser_url(args.aliases[0]))
            if args.aliases
            else self.distribution.domain_name.apply(browser_url)
        )
        writable = child.merge(pulumi.ResourceOptions(depends_on=[self.ownership, self.encryption]))
        self.app_objects = [
            aws.s3.BucketObjectv2(
                f"{name}-app/{file.key}",
                bucket=self.bucket.id,
                key=file.key,
                source=pulumi.FileAsset(str(file.path)),
                content_type=file.content_type,
                cache_control=file.cache_control,
                # An old page may still ask for the hashed files it names: keep them.
                opts=writable.merge(
                    pulumi.ResourceOptions(
                        retain_on_delete=file.cache_control == site_content.CACHE_IMMUTABLE
                    )
                ),
            )
            for file in site_content.site_files(args.app.root, args.app.object_keys())
        ]
        spa_config = {**args.spa_config, "apiUrl": self.site_url.apply(lambda url: f"{url}/api")}
        self.config_object = aws.s3.BucketObjectv2(
            f"{name}-spa-config",
            bucket=self.bucket.id,
            key=site_content.CONFIG_KEY,
            content=pulumi.Output.all(**spa_config).apply(lambda values: json.dumps(values, sort_keys=True)),
            content_type=site_content.content_type_for(site_content.CONFIG_KEY),
            cache_control=site_content.cache_control_for(site_content.CONFIG_KEY),
            opts=writable,
        )
        self.distribution_domain = self.distribution.domain_name
        self.distribution_id = self.distribution.id
        self.bucket_name = self.bucket.bucket
        self.register_outputs(
            {
                "distributionDomain": self.distribution_domain,
                "distributionId": self.distribution_id,
                "bucketName": self.bucket_name,
                "siteUrl": self.site_url,
            }
        )
