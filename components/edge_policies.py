"""The distribution's policies for the app: how long the edge keeps its files, and the
response headers: a Content-Security-Policy that lets the app load only from its own
origin and talk only to it (the API is ``<site>/api``) and to the sign-in endpoints,
plus HSTS, ``nosniff``, no framing and a referrer policy.

The app's one inline start-up script is allowed by its hash, read from the built
``index.html`` (:func:`components.site_content.inline_script_hashes`), never by
``'unsafe-inline'``; so are the build's static style attributes (SvelteKit's hidden
route announcer), with ``'unsafe-hashes'``, which lets only those exact attributes in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

HSTS_MAX_AGE_SECONDS = 63_072_000  # two years
REFERRER_POLICY = "strict-origin-when-cross-origin"
FRAME_OPTION = "DENY"
# Files without a Cache-Control of their own stay a day at the edge; none stays longer
# than its Cache-Control says (min 0: index.html and config.json are always revalidated).
DEFAULT_TTL_SECONDS = 86_400
MAX_TTL_SECONDS = 31_536_000


@dataclass(frozen=True)
class ContentSecurityPolicy:
    script_hashes: Sequence[str]  # 'sha256-…' of each inline script
    connect_origins: Sequence[str]  # besides the site itself: the sign-in endpoints
    style_attribute_hashes: Sequence[str] = ()  # 'sha256-…' of each static style attribute

    def render(self) -> str:
        scripts = " ".join(["'self'", *self.script_hashes])
        attributes = ["'unsafe-hashes'", *self.style_attribute_hashes] if self.style_attribute_hashes else []
        styles = " ".join(["'self'", *attributes])
        connect = " ".join(dict.fromkeys(["'self'", *self.connect_origins]))
        directives = [
            "default-src 'none'",
            f"script-src {scripts}",
            f"style-src {styles}",
            "img-src 'self'",
            "font-src 'self'",
            f"connect-src {connect}",
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
        return "; ".join(directives)


def response_headers_policy(
    name: str, policy_name: str, csp: pulumi.Input[str], opts: pulumi.ResourceOptions
) -> aws.cloudfront.ResponseHeadersPolicy:
    config = aws.cloudfront
    return aws.cloudfront.ResponseHeadersPolicy(
        name,
        name=policy_name,
        comment="The app's CSP, HSTS, nosniff, no framing, referrer policy",
        security_headers_config=config.ResponseHeadersPolicySecurityHeadersConfigArgs(
            content_security_policy=config.ResponseHeadersPolicySecurityHeadersConfigContentSecurityPolicyArgs(
                content_security_policy=csp, override=True
            ),
            strict_transport_security=config.ResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurityArgs(
                access_control_max_age_sec=HSTS_MAX_AGE_SECONDS, include_subdomains=True, override=True
            ),
            content_type_options=config.ResponseHeadersPolicySecurityHeadersConfigContentTypeOptionsArgs(
                override=True
            ),
            frame_options=config.ResponseHeadersPolicySecurityHeadersConfigFrameOptionsArgs(
                frame_option=FRAME_OPTION, override=True
            ),
            referrer_policy=config.ResponseHeadersPolicySecurityHeadersConfigReferrerPolicyArgs(
                referrer_policy=REFERRER_POLICY, override=True
            ),
        ),
        opts=opts,
    )


def app_cache_policy(name: str, policy_name: str, opts: pulumi.ResourceOptions) -> aws.cloudfront.CachePolicy:
    """Cache key: the path alone (plus the accepted compression); TTLs from Cache-Control."""
    key = aws.cloudfront
    return aws.cloudfront.CachePolicy(
        name,
        name=policy_name,
        comment="The app's files, as long as each file's Cache-Control allows",
        min_ttl=0,
        default_ttl=DEFAULT_TTL_SECONDS,
        max_ttl=MAX_TTL_SECONDS,
        parameters_in_cache_key_and_forwarded_to_origin=key.CachePolicyParametersInCacheKeyAndForwardedToOriginArgs(
            cookies_config=key.CachePolicyParametersInCacheKeyAndForwardedToOriginCookiesConfigArgs(
                cookie_behavior="none"
            ),
            headers_config=key.CachePolicyParametersInCacheKeyAndForwardedToOriginHeadersConfigArgs(
                header_behavior="none"
            ),
            query_strings_config=key.CachePolicyParametersInCacheKeyAndForwardedToOriginQueryStringsConfigArgs(
                query_string_behavior="none"
            ),
            enable_accept_encoding_brotli=True,
            enable_accept_encoding_gzip=True,
        ),
        opts=opts,
    )
