"""The devstack's CloudFront: the WSGI application that serves a :class:`ServedDistribution`.

Per request, as CloudFront does: pick the cache behaviour by path pattern (ordered
ones first, then the default), refuse a method it does not allow, apply the default
root object and the behaviour's viewer-request rewrite, fetch from the origin, add
the response headers policy's headers. An S3 origin is read from the emulator's S3
(the objects the program uploaded, with their content type, cache control and ETag);
a missing key is S3's 403, as a bucket without ``s3:ListBucket`` for CloudFront
answers. A custom origin is a WSGI application in this process (the gateway), called
with the rewritten path, every viewer header and the origin's custom headers (as
CloudFront, they replace a viewer's header of the same name). No caching, compression or WAF.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import quote

from botocore.exceptions import ClientError
from werkzeug.http import http_date
from werkzeug.test import run_wsgi_app
from werkzeug.wrappers import Request, Response

from devstack.background_server import WsgiApp
from devstack.distribution.model import Behaviour, BucketOrigin, CustomOrigin, ServedDistribution

logger = logging.getLogger("devstack.distribution")

S3_ACCESS_DENIED = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
)
PATH_SAFE = "/:@!$&'()*+,;=-._~"
OBJECT_HEADERS = (("ContentType", "Content-Type"), ("CacheControl", "Cache-Control"), ("ETag", "ETag"))


def _cloudfront_error(status: int, message: str) -> Response:
    return Response(
        f"{status} ERROR\n{message}\n(devstack CloudFront)\n", status=status, mimetype="text/plain"
    )


class Distribution:
    """``s3``: a boto3 S3 client of the emulator; ``origins``: custom origins by domain."""

    def __init__(self, served: ServedDistribution, s3: Any, origins: Mapping[str, WsgiApp]) -> None:
        self.served = served
        self._s3 = s3
        self._origins = dict(origins)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        started = time.perf_counter()
        behaviour = self.served.behaviour_for(request.path)
        response, uri = self._respond(request, behaviour, environ)
        for header in behaviour.response_headers:
            if header.override or header.name not in response.headers:
                response.headers[header.name] = header.value
        response.headers["Via"] = "1.1 devstack (CloudFront)"
        logger.info(
            '"%s %s" -> %s %s %.1fms',
            request.method,
            request.full_path.rstrip("?"),
            uri,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response(environ, start_response)

    def _respond(
        self, request: Request, behaviour: Behaviour, environ: dict[str, Any]
    ) -> tuple[Response, str]:
        if request.method not in behaviour.allowed_methods:
            return _cloudfront_error(
                403, "This distribution is not configured to allow this HTTP method."
            ), "-"
        uri = request.path
        if uri == "/" and self.served.default_root_object:
            uri = f"/{self.served.default_root_object}"
        if behaviour.viewer_request is not None:
            uri = behaviour.viewer_request.apply(uri)
        origin = behaviour.origin
        if isinstance(origin, BucketOrigin):
            return self._from_bucket(origin, uri, request), uri
        return self._from_custom(origin, uri, environ), uri

    def _from_bucket(self, origin: BucketOrigin, uri: str, request: Request) -> Response:
        arguments = {"Bucket": origin.bucket, "Key": uri.lstrip("/")}
        if request.headers.get("If-None-Match"):
            arguments["IfNoneMatch"] = request.headers["If-None-Match"]
        try:
            found = self._s3.get_object(**arguments)
        except ClientError as error:
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status == 304:
                return Response(status=304, headers={"ETag": request.headers["If-None-Match"]})
            return Response(S3_ACCESS_DENIED, status=403, mimetype="application/xml")
        body = found["Body"].read()
        response = Response(b"" if request.method == "HEAD" else body, status=200)
        response.headers.remove("Content-Type")
        for field, header in OBJECT_HEADERS:
            if found.get(field):
                response.headers[header] = found[field]
        response.headers["Last-Modified"] = http_date(found["LastModified"])
        response.headers["Content-Length"] = str(len(body))
        return response

    def _from_custom(self, origin: CustomOrigin, uri: str, environ: dict[str, Any]) -> Response:
        app = self._origins.get(origin.domain)
        if app is None:
            return _cloudfront_error(502, f"the devstack serves no origin {origin.domain}")
        path = f"{origin.path}{uri}"
        query = environ.get("QUERY_STRING", "")
        forwarded = dict(environ)
        # WSGI paths are latin-1 strings of the URL's bytes; the raw target is percent-encoded.
        forwarded["PATH_INFO"] = path.encode().decode("latin-1")
        forwarded["RAW_URI"] = forwarded["REQUEST_URI"] = quote(path, safe=PATH_SAFE) + (
            f"?{query}" if query else ""
        )
        forwarded["SCRIPT_NAME"] = ""
        forwarded["HTTP_HOST"] = origin.domain
        # The origin's custom headers (the origin secret), replacing a viewer's of that name.
        for name, value in origin.headers:
            forwarded[f"HTTP_{name.upper().replace('-', '_')}"] = value
        app_iter, status, headers = run_wsgi_app(app, forwarded, buffered=True)
        return Response(app_iter, status=status, headers=headers)
