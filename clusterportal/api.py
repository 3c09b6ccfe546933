"""The JSON API under /api/v1/: one NinjaAPI with the routers of the apps.

Every answer of the API, also for unknown paths, wrong methods and crashes, is
JSON; every error has the shape of lib.api.Error. Every 200 carries an ETag and
Cache-Control; a matching If-None-Match gets a 304. See docs/api.md.
"""

from __future__ import annotations

import datetime
import functools
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, re_path, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers, set_response_etag
from django.utils.log import log_response
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_GET
from ninja import NinjaAPI, Schema, Swagger
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from clusterportal.atlas.api import router as atlas_router
from clusterportal.calls.api import router as calls_router

# Adds the PATCH of /initiatives/{slug} to the registry's router: import it before that
# router is mounted (the dependency points from changes to registry, not back).
from clusterportal.changes.api import router as changes_router
from clusterportal.content.api import router as content_router
from clusterportal.events.api import router as events_router
from clusterportal.international.api import router as international_router
from clusterportal.lib.api import ApiError, error_response, not_modified
from clusterportal.lib.busy import RETRY_AFTER, is_busy
from clusterportal.matching.api import router as matching_router
from clusterportal.matchmaking.api import router as matchmaking_router
from clusterportal.partnersearch.api import router as partnersearch_router
from clusterportal.regions.api import router as regions_router
from clusterportal.registry.api import router as registry_router
from clusterportal.sitesearch.api import router as sitesearch_router
from clusterportal.taxonomy.api import router as taxonomy_router

logger = logging.getLogger(__name__)

DESCRIPTION = """\
Public API of the Clusterportal: the Clusterdatenbank (cluster initiatives,
state-wide networks, state agencies), organisations, regions with their outlines,
technology fields, and the editions of the Regionaler Clusteratlas with their results.
Reading needs no key.

* **Change requests** (tag "change requests") need a personal API token,
  `Authorization: Bearer <token>` (made on the account page or by `clusterportal token
  create EMAIL`): a cluster management proposes changes to its profile
  (`PATCH /initiatives/{slug}`, answered 202), and reviewers approve or reject them.
  The public profile changes only on approval.

* **Errors** all have one shape: `{"error": {"status", "code", "message", "fields"}}`;
  `fields` names each bad query parameter with its reasons. Unknown parameters and a
  single-valued parameter given twice with different values are errors too.
* **Lists** are paginated (`page`, `page_size`, at most 100) in a stable order and say
  `count`, `num_pages`, `next` and `previous`.
* **Caching:** every 200 has an `ETag` (and `Last-Modified` where records carry a time)
  and `Cache-Control: public, max-age=60`; send `If-None-Match` to get a 304 without body.
* **Languages:** data labels follow `Accept-Language` (German by default, English);
  error messages are English.
"""


def _language(request: HttpRequest) -> str:
    """The language of the answer, from Accept-Language only.

    The API ignores the portal's language cookie: answers vary by this one
    header (Vary: Accept-Language), so shared caches keep them apart.
    """
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def _finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if response.status_code == 405 and response.get("Content-Type", "").startswith("text/"):
        allowed = ", ".join(sorted(response["Allow"].split(", ")))  # ninja gives a set
        response = error_response(
            405, f"The method {request.method} is not allowed here; use {allowed}."
        )
        response["Allow"] = allowed
    if response.status_code == 200 and not response.streaming and request.method == "GET":
        # Endpoints over records with timestamps set a cheap ETag before rendering;
        # the others (regions, fields, schema, docs) get a hash of the body.
        if not response.has_header("ETag"):
            set_response_etag(response)
            response = not_modified(request, response, response["ETag"]) or response
    patch_vary_headers(response, ["Accept-Language"])
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="Clusterportal API"'
    if getattr(request, "auth", None) is not None:
        # An answer for an authenticated caller is theirs alone: no shared cache keeps
        # it, and the caller's own cache asks again (ETag) before reusing it.
        response.headers["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Authorization"])
    # Data follows the request's language; error messages are English.
    language = translation.get_language() if response.status_code < 400 else "en"
    response.headers["Content-Language"] = language
    return response


def api_view(view):
    """Wrap every view of the API: language, HEAD, JSON 405, default cache headers."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        with translation.override(_language(request)):
            try:
                response = view(request, *args, **kwargs)
            except Exception as exc:  # the process boundary of the API: logged, answered JSON
                response = _server_error(request, exc)
            response = _finish(request, response)
        if head:
            request.method = "HEAD"
            if not response.streaming:
                response.headers["Content-Length"] = str(len(response.content))
                response.content = b""
        return response

    # No CSRF check: the writes of the API authenticate by token (Authorization header),
    # never by the session cookie; and a POST elsewhere must get the JSON 405, not the CSRF page.
    wrapper.csrf_exempt = True
    return wrapper


def unknown_path(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    message = f"There is no API endpoint at {request.path}."
    if request.path.endswith("/") and request.path != "/api/v1/":
        try:
            resolve(request.path.rstrip("/"))
            message += f" Did you mean {request.path.rstrip('/')} (without the final slash)?"
        except Resolver404:
            pass
    return error_response(404, message + " The endpoints are listed at /api/v1/.")


def utc_time(moment: datetime.datetime) -> str:
    """A time in the one format of the API: UTC, always with milliseconds
    ("2026-12-06T22:27:05.000Z")."""
    utc = moment.astimezone(datetime.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


class ApiJSONEncoder(NinjaJSONEncoder):
    """Django's encoder leaves the fraction of a second out when it is zero, so one time
    could be written "…05.000Z" and, after a restore that kept only milliseconds, "…05Z":
    clients that compare or parse strictly saw a change. One format always."""

    def default(self, o):
        if isinstance(o, datetime.datetime) and o.tzinfo is not None:
            return utc_time(o)
        return super().default(o)


class Utf8JSONRenderer(JSONRenderer):
    """German text as UTF-8 ("Württemberg"), not as \\u escapes; times in one format."""

    encoder_class = ApiJSONEncoder
    json_dumps_params = {"ensure_ascii": False}


class ClusterportalAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__

    def _get_urls(self):
        urls = [*super()._get_urls(), re_path(r"", unknown_path, name="unknown")]
        for pattern in urls:
            if pattern.name in ("openapi-json", "openapi-view"):
                # ninja's schema and docs views answer any method; they are read-only.
                pattern.callback = require_GET(pattern.callback)
            pattern.callback = api_view(pattern.callback)
        return urls


api = ClusterportalAPI(
    title="Clusterportal API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    renderer=Utf8JSONRenderer(),
    # No deep links: Swagger UI puts them as links inside the operation's button, which a
    # keyboard or screen reader cannot reach (axe: nested-interactive). Its page and colours:
    # templates/ninja/swagger.html.
    docs=Swagger(
        settings={"validatorUrl": None, "defaultModelsExpandDepth": 0, "deepLinking": False}
    ),
)
api.add_router("", registry_router)
api.add_router("", regions_router)
api.add_router("", taxonomy_router)
api.add_router("", atlas_router)
api.add_router("", changes_router)
api.add_router("", events_router)
api.add_router("", content_router)
api.add_router("", sitesearch_router)
api.add_router("", calls_router)
api.add_router("", international_router)
api.add_router("", matching_router)
api.add_router("", partnersearch_router)
api.add_router("", matchmaking_router)


class Index(Schema):
    name: str
    version: str
    docs: str
    openapi: str
    endpoints: dict[str, str]


@api.get("/", response=Index, url_name="index", summary="What this API offers", tags=["index"])
def index(request: HttpRequest):
    """The addresses of the documentation, the schema and every list."""

    def absolute(name: str) -> str:
        return request.build_absolute_uri(reverse(f"{api.urls_namespace}:{name}"))

    lists = {
        "initiatives": "initiative_list",
        "organisations": "organisation_list",
        "regions": "region_list",
        "technology-fields": "technology_field_tree",
        "atlas-editions": "atlas_edition_list",
        "programmes": "programme_list",
        "calls": "call_list",
    }
    return {
        "name": api.title,
        "version": api.version,
        "docs": absolute("openapi-view"),
        "openapi": absolute("openapi-json"),
        "endpoints": {key: absolute(name) for key, name in lists.items()},
    }


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return exc.response()


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        name = ".".join(location[1:]) or ".".join(location) or "request"
        fields.setdefault(name, []).append(error.get("msg", "invalid"))
    return error_response(422, "The request does not validate.", fields=fields)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(exc.status_code, str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404, "Not found.")


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # Raised below the views too: allauth's rate limit refuses a request without a client
    # address (REMOTE_ADDR empty, as on a Unix socket without a trusted proxy header).
    return error_response(403, str(exc) or "Permission denied.")


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Log as Django does (django.request, so error reports still go out) and answer JSON.
    A write that waited too long for the database's lock is no crash: 503, try again."""
    if is_busy(exc):
        response = error_response(503, "The database is busy with another write; try again.")
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response
    got_request_exception.send(sender=None, request=request)
    response = error_response(500, "Internal server error. It has been logged.")
    log_response(
        "Internal Server Error: %s", request.path, response=response, request=request, exception=exc
    )
    return response
