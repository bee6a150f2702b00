"""Edge: the CloudFront distribution (the app's bucket and ``/api/*`` to the HTTP API,
sending the origin secret) and its WAF web ACL, which must live in us-east-1 (CloudFront
scope). The origin secret is made first: the API's functions are given its ARN. The app's
``config.json`` names this stack's API (``<site>/api``), pool, client and sign-in
endpoints; the app may connect to nothing else (its CSP)."""

from __future__ import annotations

from booking.contract import ORIGIN_HEADER

from components.api_gateway import ApiGateway
from components.cdn import Cdn, CdnArgs
from components.cognito import Cognito
from components.origin_secret import OriginSecret, OriginSecretArgs
from components.public_urls import origin_of
from components.waf import Waf, WafArgs
from packager.web_app import WebBuild
from stacks.areas.context import StackContext


def build_origin_secret(context: StackContext) -> OriginSecret:
    """The secret the distribution sends to the API, made before the functions that check it."""
    return OriginSecret(
        "origin",
        OriginSecretArgs(
            secret_name=f"{context.prefix}/origin-verify",
            recovery_window_days=30 if context.config.deletion_protection else 0,
        ),
        context.in_main,
    )


def build_edge(
    context: StackContext, api: ApiGateway, identity: Cognito, app: WebBuild, origin: OriginSecret
) -> Cdn:
    config, prefix = context.config, context.prefix
    waf = Waf(
        "waf",
        WafArgs(
            acl_name=f"{prefix}-edge",
            rate_limit_per_ip=config.waf.rate_limit_per_ip,
            us_east_1=context.us_east_1,
        ),
    )
    return Cdn(
        "cdn",
        CdnArgs(
            name_prefix=prefix,
            api_endpoint=api.api_endpoint,
            web_acl_arn=waf.web_acl_arn,
            price_class=config.cdn.price_class,
            aliases=config.cdn.aliases,
            certificate_arn=config.cdn.certificate_arn,
            force_destroy_bucket=not config.deletion_protection,
            app=app,
            api_origin_headers={ORIGIN_HEADER: origin.header_value},
            connect_origins=[identity.authority.apply(origin_of), identity.sign_in_url.apply(origin_of)],
            spa_config={
                "region": config.region,
                "userPoolId": identity.user_pool_id,
                "userPoolClientId": identity.client_id,
                "authority": identity.authority,
                "signInDomain": identity.sign_in_url,
                "redirectUris": identity.callback_urls,
                "logoutUris": identity.logout_urls,
                "defaultLanguage": config.web.default_language,
            },
        ),
        context.in_main,
    )
