"""Edge: the CloudFront distribution (the app's bucket and ``/api/*`` to the HTTP API) and
its WAF web ACL, which must live in us-east-1 (CloudFront scope). The app's
``config.json`` names this stack's API (``<site>/api``), pool, client and sign-in
endpoints; the app may connect to nothing else (its CSP)."""

from __future__ import annotations

from components.api_gateway import ApiGateway
from components.cdn import Cdn, CdnArgs
from components.cognito import Cognito
from components.public_urls import origin_of
from components.waf import Waf, WafArgs
from packager.web_app import WebBuild
from stacks.areas.context import StackContext


def build_edge(context: StackContext, api: ApiGateway, identity: Cognito, app: WebBuild) -> Cdn:
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
