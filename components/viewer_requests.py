"""The distribution's viewer-request rewrites, declared once.

Each rule is a regular expression and its replacement on the request's URI. The CDN
component publishes :meth:`UriRewrite.javascript` as a CloudFront function; the
devstack's distribution finds the rule whose code that function carries
(:func:`rule_for_code`) and applies :meth:`UriRewrite.apply`: the same declaration,
read by CloudFront and by the emulator. Patterns use only what Python's ``re`` and
JavaScript's ``RegExp`` read alike (anchors, classes, groups, lookahead); a test runs
the generated code in Node against the Python rule.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

RUNTIME = "cloudfront-js-2.0"


@dataclass(frozen=True)
class UriRewrite:
    name: str  # the CloudFront function's name, after the stack's prefix
    comment: str
    pattern: str  # matched against the URI (path only: CloudFront keeps the query apart)
    replacement: str  # literal text; an empty result becomes "/"

    def apply(self, uri: str) -> str:
        """The URI the origin sees."""
        return re.sub(self.pattern, lambda _match: self.replacement, uri, count=1) or "/"

    def javascript(self) -> str:
        """The CloudFront function's code (viewer-request event)."""
        return (
            f"// {self.comment}\n"
            "function handler(event) {\n"
            "  var request = event.request;\n"
            f"  request.uri = request.uri.replace(new RegExp({json.dumps(self.pattern)}), "
            f"function () {{ return {json.dumps(self.replacement)}; }}) || '/';\n"
            "  return request;\n"
            "}\n"
        )


# Deep links and the sign-in callback are the app's routes, not files: a path whose last
# segment has no extension is answered with the app. Files (/_app/…/x.js, /config.json)
# pass through, and a missing one stays S3's error: no custom error responses, which
# would rewrite the API's errors too.
SPA_FALLBACK = UriRewrite(
    name="spa-fallback",
    comment="Answers the app's routes (no file extension) with /index.html",
    pattern=r"^(?:.*/)?[^/.]*$",
    replacement="/index.html",
)

# The API's routes have no /api prefix: strip it before the request reaches the HTTP API.
STRIP_API_PREFIX = UriRewrite(
    name="strip-api-prefix",
    comment="Removes /api before requests reach the HTTP API",
    pattern=r"^/api(?=/|$)",
    replacement="",
)

RULES: tuple[UriRewrite, ...] = (SPA_FALLBACK, STRIP_API_PREFIX)


def rule_for_code(code: str) -> UriRewrite:
    """The declared rule whose generated code this is (a function's ``code`` input)."""
    for rule in RULES:
        if rule.javascript() == code:
            return rule
    raise LookupError("no rule of components.viewer_requests generates this CloudFront function")
