"""The app's hosting, read from the inputs the mock engine received: its objects, the
viewer-request functions, the response headers, config.json and the client's URLs."""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path

import pytest

from components import site_content, viewer_requests
from components.cdn import Cdn, CdnArgs
from components.public_urls import origin_of
from engine.inventory import Inventory, ResourceRecord
from engine.run import run_program
from packager.web_app import WebBuild, ensure_web_build
from stacks.config import StackConfigError, Web
from tests.infra.conftest import only

pytestmark = pytest.mark.xdist_group("infra-program")

OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
HEADERS_POLICY = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"
FUNCTION = "aws:cloudfront/function:Function"
CONFIG_KEYS = {
    "apiUrl",
    "region",
    "userPoolId",
    "userPoolClientId",
    "authority",
    "signInDomain",
    "redirectUris",
    "logoutUris",
    "defaultLanguage",
}


def _objects(inventory: Inventory) -> dict[str, ResourceRecord]:
    return {record.inputs["key"]: record for record in inventory.of_type(OBJECT)}


def _config(inventory: Inventory) -> dict[str, object]:
    config: dict[str, object] = json.loads(_objects(inventory)["config.json"].inputs["content"])
    return config


def test_every_file_of_the_build_is_one_object_with_its_type_and_cache_rule(inventory):
    app = ensure_web_build()
    objects = _objects(inventory)
    assert set(objects) == {*app.object_keys(), "config.json"}
    for key in app.object_keys():
        inputs = objects[key].inputs
        assert inputs["source"] == {"asset": "file", "path": str(app.root / key)}
        assert inputs["contentType"] == site_content.content_type_for(key)
    assert objects["index.html"].inputs["cacheControl"] == "no-cache"
    assert objects["index.html"].inputs["contentType"] == "text/html; charset=utf-8"
    assert objects["_app/version.json"].inputs["cacheControl"] == "no-cache"
    assert objects["config.json"].inputs["cacheControl"] == "no-cache"
    immutable = [key for key in app.object_keys() if key.startswith("_app/immutable/")]
    assert immutable
    assert {objects[key].inputs["cacheControl"] for key in immutable} == {
        "public, max-age=31536000, immutable"
    }


def test_the_edge_keeps_nothing_longer_than_its_cache_control_says(inventory):
    policy = only(inventory, "aws:cloudfront/cachePolicy:CachePolicy").inputs
    assert policy["minTtl"] == 0
    distribution = only(inventory, DISTRIBUTION).inputs
    assert (
        distribution["defaultCacheBehavior"]["cachePolicyId"]
        == only(inventory, "aws:cloudfront/cachePolicy:CachePolicy").id
    )


def test_app_routes_get_the_app_and_api_calls_lose_their_prefix_through_the_declared_rules(inventory):
    functions = {record.outputs["arn"]: record.inputs for record in inventory.of_type(FUNCTION)}
    distribution = only(inventory, DISTRIBUTION).inputs
    (default_association,) = distribution["defaultCacheBehavior"]["functionAssociations"]
    (api_behaviour,) = distribution["orderedCacheBehaviors"]
    (api_association,) = api_behaviour["functionAssociations"]
    assert default_association["eventType"] == api_association["eventType"] == "viewer-request"
    assert functions[default_association["functionArn"]]["code"] == viewer_requests.SPA_FALLBACK.javascript()
    assert functions[api_association["functionArn"]]["code"] == viewer_requests.STRIP_API_PREFIX.javascript()
    assert "customErrorResponses" not in distribution  # they would rewrite the API's errors too


def test_every_response_carries_the_apps_csp_and_the_security_headers(inventory):
    policy = only(inventory, HEADERS_POLICY)
    distribution = only(inventory, DISTRIBUTION).inputs
    assert distribution["defaultCacheBehavior"]["responseHeadersPolicyId"] == policy.id
    assert distribution["orderedCacheBehaviors"][0]["responseHeadersPolicyId"] == policy.id
    headers = policy.inputs["securityHeadersConfig"]
    csp = headers["contentSecurityPolicy"]["contentSecurityPolicy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
    index = ensure_web_build().index_html.read_text(encoding="utf-8")
    assert directives["script-src"] == ["'self'", *site_content.inline_script_hashes(index)]
    # SvelteKit's route announcer is the build's one static style attribute.
    assert directives["style-src"][:2] == ["'self'", "'unsafe-hashes'"]
    assert len(directives["style-src"]) == 3
    config = _config(inventory)
    assert directives["connect-src"] == [
        "'self'",
        origin_of(str(config["authority"])),
        origin_of(str(config["signInDomain"])),
    ]
    assert directives["default-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp
    assert headers["strictTransportSecurity"]["accessControlMaxAgeSec"] >= 31_536_000
    assert headers["contentTypeOptions"]["override"] is True
    assert headers["frameOptions"]["frameOption"] == "DENY"
    assert headers["referrerPolicy"]["referrerPolicy"] == "strict-origin-when-cross-origin"


def test_config_json_names_the_stacks_api_pool_client_and_sign_in_endpoints(inventory):
    config = _config(inventory)
    assert set(config) == CONFIG_KEYS
    site = inventory.stack_outputs["siteUrl"]
    pool = only(inventory, "aws:cognito/userPool:UserPool")
    client = only(inventory, "aws:cognito/userPoolClient:UserPoolClient")
    prefix = only(inventory, "aws:cognito/userPoolDomain:UserPoolDomain").inputs["domain"]
    assert config["apiUrl"] == f"{site}/api"
    assert config["authority"] == f"https://cognito-idp.us-east-1.amazonaws.com/{pool.id}"
    assert config["signInDomain"] == f"https://{prefix}.auth.us-east-1.amazoncognito.com"
    assert config["userPoolClientId"] == client.id
    assert config["redirectUris"] == client.inputs["callbackUrls"]
    assert config["logoutUris"] == client.inputs["logoutUrls"]
    assert config["defaultLanguage"] == "es"
    assert inventory.stack_outputs["signInUrl"] == config["signInDomain"]


def test_the_client_accepts_the_configured_urls_and_the_sites_own(inventory):
    site = inventory.stack_outputs["siteUrl"]
    client = only(inventory, "aws:cognito/userPoolClient:UserPoolClient").inputs
    assert client["callbackUrls"][-1] == f"{site}/callback"
    assert client["logoutUrls"][-1] == f"{site}/"
    assert len(client["callbackUrls"]) == len(set(client["callbackUrls"]))


def test_emails_link_to_the_site_and_only_the_notifications_function_knows_it(inventory):
    environments = {
        record.inputs["name"].rsplit("-", 1)[-1]: record.inputs["environment"]["variables"]
        for record in inventory.of_type("aws:lambda/function:Function")
    }
    assert environments.pop("notifications")["WEB_URL"] == inventory.stack_outputs["siteUrl"]
    assert not [key for key, variables in environments.items() if "WEB_URL" in variables]


def test_a_custom_domain_is_the_sites_url_in_config_and_callbacks_without_duplicates():
    certificate = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    inventory = run_program(
        "prd",
        config_overrides={
            "booking-platform:cdn": {"aliases": ["app.booking.example.com"], "certificateArn": certificate},
            "booking-platform:web": {"defaultLanguage": "en"},
        },
    )
    config = _config(inventory)
    assert config["apiUrl"] == "https://app.booking.example.com/api"
    assert config["redirectUris"] == ["https://app.booking.example.com/callback"]
    assert config["defaultLanguage"] == "en"


def test_an_unknown_default_language_names_the_key():
    with pytest.raises(StackConfigError, match=r"booking-platform:web\.defaultLanguage"):
        run_program("dev", config_overrides={"booking-platform:web": {"defaultLanguage": "fr"}})


def test_the_default_language_setting_takes_exactly_the_apps_languages():
    source = (Path(__file__).resolve().parents[2] / "web" / "src" / "lib" / "config.ts").read_text()
    match = re.search(r"export const LANGUAGES = \[([^\]]*)\] as const;", source)
    assert match, "web/src/lib/config.ts no longer declares LANGUAGES"
    app_languages = [part.strip().strip("'\"") for part in match.group(1).split(",")]
    setting = Web.model_fields["default_language"].annotation
    assert list(typing.get_args(setting)) == app_languages


def _tiny_app(tmp_path: Path) -> WebBuild:
    root = tmp_path / "web-build"
    (root / "_app" / "immutable").mkdir(parents=True)
    (root / "index.html").write_text("<html><script>start()</script><script src='/x.js'></script></html>")
    (root / "_app" / "immutable" / "x.AbC.js").write_text("start = () => 1;")
    (root / "favicon.svg").write_text("<svg/>")
    return WebBuild(root, "test")


def test_the_component_alone_uploads_a_build_and_writes_its_config(tmp_path: Path):
    app = _tiny_app(tmp_path)

    def program() -> None:
        Cdn(
            "cdn",
            CdnArgs(
                name_prefix="t",
                api_endpoint="https://abc.execute-api.us-east-1.amazonaws.com",
                web_acl_arn="arn:aws:wafv2:us-east-1:123456789012:global/webacl/t/1",
                price_class="PriceClass_100",
                force_destroy_bucket=True,
                app=app,
                connect_origins=["https://login.example.com"],
                spa_config={"region": "us-east-1"},
            ),
        )

    inventory = run_program("dev", program=program)
    objects = _objects(inventory)
    assert {key: record.inputs["cacheControl"] for key, record in objects.items()} == {
        "index.html": "no-cache",
        "config.json": "no-cache",
        "favicon.svg": "public, max-age=3600",
        "_app/immutable/x.AbC.js": "public, max-age=31536000, immutable",
    }
    assert objects["favicon.svg"].inputs["contentType"] == "image/svg+xml"
    domain = only(inventory, DISTRIBUTION).outputs["domainName"]
    assert json.loads(objects["config.json"].inputs["content"]) == {
        "apiUrl": f"https://{domain}/api",
        "region": "us-east-1",
    }
    origins = {origin["originId"]: origin for origin in only(inventory, DISTRIBUTION).inputs["origins"]}
    assert origins["http-api"]["domainName"] == "abc.execute-api.us-east-1.amazonaws.com"
    csp = only(inventory, HEADERS_POLICY).inputs["securityHeadersConfig"]["contentSecurityPolicy"]
    assert site_content.inline_script_hashes("<script>start()</script>")[0] in csp["contentSecurityPolicy"]
    assert "connect-src 'self' https://login.example.com;" in csp["contentSecurityPolicy"]
