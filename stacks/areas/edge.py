"""Edge: the CloudFront distribution (the SPA's bucket and ``/api/*`` to the HTTP API) and
its WAF web ACL, which must live in us-east-1 (CloudFront scope)."""

from __future__ import annotations

from components.api_gateway import ApiGateway
from components.cdn import Cdn, CdnArgs
from components.cognito import Cognito
from components.waf import Waf, WafArgs
from stacks.areas.context import StackContext


def build_edge(context: StackContext, api: ApiGateway, identity: Cognito) -> Cdn:
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
            spa_config={
                "region": config.region,
                "userPoolId": identity.user_pool_id,
                "userPoolClientId": identity.client_id,
                "cognitoDomain": identity.hosted_ui_domain,
                "redirectUris": list(config.auth.callback_urls),
                "logoutUris": list(config.auth.logout_urls),
            },
        ),
        context.in_main,
    )
