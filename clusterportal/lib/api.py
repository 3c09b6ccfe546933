"""Building blocks of the JSON API: the one error shape, query checks, caching, pages.

The API validates query parameters with the same Django forms as the HTML
pages. This module turns those forms into OpenAPI parameter objects (so the
docs cannot drift from the validation) and their errors into the error shape.
A list endpoint reads its parameters through the list's filter
(`checked_filter`, lib/filters.py) and answers `list_response`: count, page,
page_size, num_pages, next, previous and results.
Messages for developers are English (the usual convention of web APIs); data
(names, facet labels) follows the request's Accept-Language.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from ninja import Schema

from clusterportal.lib.filters import ListFilter
from clusterportal.lib.pagination import Page, PageOutOfRange

F = TypeVar("F", bound=ListFilter[Any])

CACHE_CONTROL = "public, max-age=60"
SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"
ERROR_CODES = {
    400: "invalid_parameters",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "body_too_large",
    422: "validation_failed",
    429: "rate_limited",
    500: "server_error",
}
try:
    # Part of every ETag, so a release that changes a representation changes its ETags.
    RELEASE = importlib.metadata.version("clusterportal")
except importlib.metadata.PackageNotFoundError:  # running from a checkout without install
    RELEASE = "dev"


class ErrorDetail(Schema):
    status: int
    code: str
    message: str
    fields: dict[str, list[str]]


class Error(Schema):
    """Every error of the API has this shape."""

    error: ErrorDetail


class ApiError(Exception):
    """An error answered in the error shape (see Error)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code or ERROR_CODES.get(status, "error")
        self.message = message
        self.fields = fields or {}
        self.headers = headers or {}

    def response(self) -> JsonResponse:
        response = error_response(self.status, self.message, code=self.code, fields=self.fields)
        for name, value in self.headers.items():
            response[name] = value
        return response


def error_response(
    status: int,
    message: str,
    *,
    code: str | None = None,
    fields: dict[str, list[str]] | None = None,
) -> JsonResponse:
    body = {
        "error": {
            "status": status,
            "code": code or ERROR_CODES.get(status, "error"),
            "message": message,
            "fields": fields or {},
        }
    }
    return JsonResponse(
        body,
        status=status,
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


# --- query parameters -------------------------------------------------------


class NoParameters(forms.Form):
    """The parameters of an endpoint that takes none."""


def _is_multiple(field: forms.Field) -> bool:
    return getattr(field.widget, "allow_multiple_selected", False)


def checked_query(request: HttpRequest, form_class: type[forms.Form]) -> QueryDict:
    """The query without empty values, after rejecting what the form cannot take.

    An empty value counts as not given (`?q=&page=` is `?`), as in HTML forms.
    A parameter the form does not know is an error, not ignored: a typo
    (`?feild=x`) would otherwise return every record. So is a single-valued
    parameter given twice with different values (`?page=1&page=2`).
    """
    fields = form_class.base_fields
    errors: dict[str, list[str]] = {}
    query = QueryDict(mutable=True)
    for name, given in request.GET.lists():
        values = [value for value in given if value != ""]
        if name not in fields:
            accepts = f"accepts: {', '.join(fields)}" if fields else "takes no parameters"
            errors[name] = [f"Unknown parameter; this endpoint {accepts}."]
        elif any("\x00" in value for value in values):
            # PostgreSQL cannot even compare such a text; no form field needs one.
            errors[name] = ["Contains a NUL character."]
        elif not _is_multiple(fields[name]) and len(set(values)) > 1:
            errors[name] = [
                f"Given {len(values)} times with different values; this parameter takes one value."
            ]
        elif values:
            query.setlist(name, values)
    if errors:
        raise invalid(errors)
    return query


def checked_form(request: HttpRequest, form_class: type[forms.Form]) -> forms.Form:
    """A filter form bound to the checked query and valid, or an ApiError."""
    form = form_class(checked_query(request, form_class))
    if not form.is_valid():
        raise invalid(form_errors(form))
    return form


def checked_filter(request: HttpRequest, filter_class: type[F], **context: Any) -> F:
    """The list filter of the checked query (`context`: what its form needs), valid,
    or an ApiError that names every bad parameter in English."""
    filters = filter_class(checked_query(request, filter_class.form_class), **context)
    if not filters.is_valid():
        with translation.override("en"):
            raise invalid(filters.errors)
    return filters


def form_errors(form: forms.Form) -> dict[str, list[str]]:
    """The form's errors as field -> messages, in English."""
    with translation.override("en"):
        return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def invalid(fields: dict[str, list[str]]) -> ApiError:
    names = ", ".join(sorted(fields))
    return ApiError(400, f"Invalid query parameters: {names}.", fields=fields)


def query_parameters(
    form_class: type[forms.Form], descriptions: dict[str, str]
) -> list[dict[str, Any]]:
    """OpenAPI parameter objects for the fields of a filter form.

    Choices set at run time (regions, fields) are documented by their
    description, fixed choices as an enum.
    """
    parameters = []
    for name, field in form_class.base_fields.items():
        schema = _field_schema(field)
        if _is_multiple(field):
            schema = {"type": "array", "items": schema}
        parameter = {
            "in": "query",
            "name": name,
            "required": False,
            "allowEmptyValue": True,  # an empty value counts as not given
            "description": descriptions[name],
            "schema": schema,
        }
        if _is_multiple(field):
            parameter.update(style="form", explode=True)
        parameters.append(parameter)
    return parameters


def _field_schema(field: forms.Field) -> dict[str, Any]:
    if isinstance(field, forms.IntegerField):
        schema: dict[str, Any] = {"type": "integer"}
        if field.min_value is not None:
            schema["minimum"] = field.min_value
        if field.max_value is not None:
            schema["maximum"] = field.max_value
        return schema
    schema = {"type": "string"}
    if isinstance(field, forms.CharField) and field.max_length:
        schema["maxLength"] = field.max_length
    if isinstance(field, forms.RegexField):
        # The form's own check, so clients (and schemathesis) know it: `^[a-z_-]+$`.
        schema["pattern"] = field.regex.pattern
    if isinstance(field, forms.ChoiceField):
        # Choices of model fields and those set per request are slugs from the database.
        static = not isinstance(field, forms.ModelChoiceField)
        choices = [value for value, _label in field.choices if value != ""] if static else []  # type: ignore[union-attr, misc]
        if choices:
            schema["enum"] = choices
        else:
            schema["pattern"] = SLUG_PATTERN
    return schema


# --- caching ----------------------------------------------------------------


def data_etag(request: HttpRequest, *parts: object) -> str:
    """A weak ETag from what the representation is made of, without rendering it.

    `parts` are the data versions (counts, newest updated_at); the path, the
    parameters (in any order), the language and the release are added here.
    """
    query = sorted((name, sorted(values)) for name, values in request.GET.lists())
    key = repr((RELEASE, request.path, query, translation.get_language(), parts))
    return f'W/"{hashlib.blake2b(key.encode(), digest_size=16).hexdigest()}"'


def not_modified(
    request: HttpRequest,
    response: HttpResponse,
    etag: str,
    last_modified: datetime.datetime | None = None,
) -> HttpResponse | None:
    """Set the cache headers on `response`; the 304 (or 412) to send instead, if any."""
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = CACHE_CONTROL
    timestamp = int(last_modified.timestamp()) if last_modified else None
    if timestamp is not None:
        response.headers["Last-Modified"] = http_date(timestamp)
    answer = get_conditional_response(
        request, etag=etag, last_modified=timestamp, response=response
    )
    if answer is response:
        return None
    if answer is not None and answer.status_code == 412:
        return error_response(412, "A precondition (If-Match, If-Unmodified-Since) failed.")
    return answer


def unchanged(
    request: HttpRequest, response: HttpResponse, records: QuerySet[Any]
) -> HttpResponse | None:
    """`not_modified` with the version of a table: its row count and newest `updated_at`.

    One aggregate query; a deleted row changes the count, a saved one the time.
    """
    version = records.aggregate(n=Count("pk"), latest=Max("updated_at"))
    etag = data_etag(request, version["n"], version["latest"])
    return not_modified(request, response, etag, version["latest"])


# --- pages ------------------------------------------------------------------


class PageInfo(Schema):
    count: int
    page: int
    page_size: int
    num_pages: int
    next: str | None
    previous: str | None


def page_info(request: HttpRequest, page: Page[Any]) -> dict[str, Any]:
    """count, page, page_size, num_pages and the absolute URLs of the neighbours."""

    def link(target: int) -> str | None:
        if not 1 <= target <= page.num_pages:
            return None
        query = request.GET.copy()
        query["page"] = str(target)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": page.total,
        "page": page.number,
        "page_size": page.page_size,
        "num_pages": page.num_pages,
        "next": link(page.number + 1),
        "previous": link(page.number - 1),
    }


def page_out_of_range(error: PageOutOfRange) -> ApiError:
    """A page after the last: a 404 that names the last page."""
    return ApiError(404, str(error), code="page_out_of_range", fields={"page": [str(error)]})


def list_response(
    request: HttpRequest,
    filters: ListFilter[Any],
    results: Callable[[list[Any]], list[Any]] | None = None,
) -> dict[str, Any]:
    """The API's answer with the page a filter asks for: `page_info` and `results`
    (the page's records, or `results(records)` where they are serialised apart).

    A page after the last is the 404 `page_out_of_range`.
    """
    try:
        page = filters.page()
    except PageOutOfRange as error:
        raise page_out_of_range(error) from error
    items = page.items if results is None else results(page.items)
    return {**page_info(request, page), "results": items}
