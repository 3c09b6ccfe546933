"""API of change requests: a cluster manager's own system proposes profile changes,
the reviewers decide (docs/api.md, "Authentication and change requests").

Every operation here needs a personal API token (`Authorization: Bearer <token>`,
accounts/auth.py); the permissions are the role rules of accounts/rules.py. The
proposal is a PATCH on the address of the public record, so it is registered on
the registry's router (the dependency points from changes to registry); the
public GET at that address is untouched until a reviewer approves.

Bodies are read here, not by django-ninja's schemas, so that every mistake in a
body is a 400 naming the field in the API's one error shape, with the messages
of the one validation that the portal's form uses too (changes/forms.py).
Messages are English, like every developer message of the API.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from ninja import Router, Schema, Status

from clusterportal.accounts.auth import BearerToken
from clusterportal.changes import members, profile_fields
from clusterportal.changes.forms import (
    LONG_TEXT,
    LONG_TEXTS,
    MAX_PARTNERSHIPS,
    InvalidChanges,
    PartnershipForm,
    ProfileForm,
    validate,
)
from clusterportal.changes.models import (
    ChangeRequest,
    Conflict,
    Event,
    NotAllowed,
    NothingChanged,
    edit_token,
)
from clusterportal.lib.api import (
    SLUG_PATTERN,
    ApiError,
    Error,
    NoParameters,
    PageInfo,
    checked_form,
    checked_query,
    page_info,
    page_out_of_range,
    query_parameters,
)
from clusterportal.lib.pagination import PageOutOfRange, paginate
from clusterportal.registry.api import InitiativeRef
from clusterportal.registry.api import router as registry_router
from clusterportal.registry.filters import MAX_PAGE, MAX_PAGE_SIZE
from clusterportal.registry.models import ClusterInitiative, Membership, Organisation

router = Router(tags=["change requests"], auth=BearerToken())

TEXT_LIMIT = ChangeRequest._meta.get_field("reason").max_length  # reason, message: 2000
# The errors every operation here can answer besides its own.
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error}
# More keys than any body takes (the editable fields) is a mistake, answered without naming each.
MAX_KEYS = 50
# The code of a 400 for a body that is no JSON object, and for named fields.
INVALID_BODY = "invalid_body"
INVALID_FIELDS = "invalid_fields"


# --- reading a body -------------------------------------------------------------


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for key, _value in pairs:
        if key in seen:
            raise ValueError(f"the key {key!r} appears more than once")
        seen.add(key)
    return dict(pairs)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def json_object(
    request: HttpRequest,
    *,
    required: bool = True,
    example: str = 'a JSON object of profile fields, e.g. {"city": "Reutlingen"}',
) -> dict[str, Any]:
    """The body as a JSON object (an empty body is `{}` where none is required)."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApiError(413, "The body is too large.", code="body_too_large", fields={}) from None
    if not raw.strip():
        if required:
            raise ApiError(400, f"The body is empty; send {example}.", code=INVALID_BODY)
        return {}
    try:
        data = json.loads(raw, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise ApiError(400, f"The body is not valid JSON ({error}).", code=INVALID_BODY) from None
    if not isinstance(data, dict):
        kind = type(data).__name__.replace("NoneType", "null").replace("dict", "object")
        raise ApiError(400, f"The body must be a JSON object, not {kind}.", code=INVALID_BODY)
    if len(data) > MAX_KEYS:  # each would be named in the answer
        raise ApiError(
            400,
            f"The body has {len(data)} keys; no endpoint takes more than {MAX_KEYS}.",
            code=INVALID_BODY,
        )
    return data


def _fields_error(fields: dict[str, list[str]]) -> ApiError:
    return ApiError(
        400, f"Invalid fields: {', '.join(sorted(fields))}.", code=INVALID_FIELDS, fields=fields
    )


def message_body(request: HttpRequest, name: str, *, required: bool) -> str:
    """The one text field (`reason`, `message`) of a decision's body."""
    data = json_object(request, required=False)
    errors = {
        key: [f"Unknown field; this endpoint takes `{name}` only."] for key in data if key != name
    }
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = ["Expected a string."]
    elif required and not value.strip():
        errors[name] = ["Required: say why, for the author of the request."]
    elif len(value) > TEXT_LIMIT:
        errors[name] = [f"At most {TEXT_LIMIT} characters (it has {len(value)})."]
    elif "\x00" in value:
        errors[name] = ["Contains a NUL character."]
    if errors:
        raise _fields_error(errors)
    return value.strip()


# --- the editable fields as JSON ---------------------------------------------------
# JSON types per kind of form field. HTML forms send text only, so the portal's form
# cannot check them; the API does, before the form would turn [1] into the text "[1]".


def _kind(field: forms.Field) -> str:
    if isinstance(field, forms.ModelMultipleChoiceField):
        return "slugs"
    if isinstance(field, forms.ModelChoiceField):
        return "slug"
    if isinstance(field, forms.BooleanField):
        return "boolean"
    if isinstance(field, forms.DecimalField):  # a subclass of IntegerField
        return "decimal"
    if isinstance(field, forms.IntegerField):
        return "integer"
    return "text"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_partnership_list(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(row, dict) and all(isinstance(v, str) for v in row.values()) for row in value
    )


def _is_member_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(row, dict) for row in value)


JSON_TYPES = {
    "text": (lambda v: v is None or isinstance(v, str), "Expected a string (or null to empty it)."),
    "integer": (lambda v: v is None or _is_int(v), "Expected a whole number (or null)."),
    "decimal": (
        lambda v: v is None or _is_int(v) or isinstance(v, float | str),
        "Expected a number, or a decimal as a string (or null).",
    ),
    "boolean": (lambda v: isinstance(v, bool), "Expected true or false."),
    "slug": (lambda v: v is None or isinstance(v, str), "Expected a slug (or null)."),
    "slugs": (_is_text_list, "Expected a list of slugs."),
    "partnerships": (
        _is_partnership_list,
        "Expected a list of objects with the strings country, partner_region and note.",
    ),
    "members": (
        _is_member_list,
        "Expected a list of member objects (organisation or name, role, since, until).",
    ),
}


# Every editable field (test_api.py checks that none is missing).
FIELD_KINDS = {name: _kind(field) for name, field in ProfileForm.base_fields.items()}
FIELD_KINDS["partnerships"] = "partnerships"
FIELD_KINDS["members"] = "members"


def proposed_values(initiative: ClusterInitiative, data: dict[str, Any]) -> dict[str, object]:
    """The body of a PATCH, checked, as the values of a change request (or a 400 that
    names every bad field: unknown ones, wrong JSON types, and values the form refuses)."""
    if not data:
        raise ApiError(400, "The body names no field to change.", code=INVALID_BODY)
    editable = ", ".join(profile_fields.EDITABLE)
    errors: dict[str, list[str]] = {}
    typed: dict[str, Any] = {}
    for name, value in data.items():
        if name not in FIELD_KINDS:
            errors[name] = [f"Not an editable field; the editable fields are: {editable}."]
            continue
        accepts, message = JSON_TYPES[FIELD_KINDS[name]]
        if accepts(value):
            typed[name] = value
        else:
            errors[name] = [message]
    values: dict[str, object] = {}
    with translation.override("en"):
        try:
            values = validate(initiative, typed) if typed else {}
        except InvalidChanges as invalid:
            errors.update(
                {name: [str(m) for m in reasons] for name, reasons in invalid.errors.items()}
            )
    if errors:
        raise _fields_error(errors)
    return values


def _changes_schema() -> dict[str, Any]:
    """The JSON schema of a PATCH body, from the form that validates it."""
    types = {
        "text": {"type": ["string", "null"]},
        "integer": {"type": ["integer", "null"]},
        "decimal": {"type": ["number", "string", "null"]},
        "boolean": {"type": "boolean"},
        "slug": {"type": ["string", "null"], "pattern": SLUG_PATTERN},
        "slugs": {"type": "array", "items": {"type": "string", "pattern": SLUG_PATTERN}},
    }
    properties: dict[str, Any] = {}
    with translation.override("en"):
        for name, field in ProfileForm.base_fields.items():
            schema = {**types[FIELD_KINDS[name]], "description": str(field.label)}
            max_length = LONG_TEXT if name in LONG_TEXTS else getattr(field, "max_length", None)
            if max_length:
                schema["maxLength"] = max_length
            if getattr(field, "min_value", None) is not None:
                schema["minimum"] = field.min_value  # type: ignore[attr-defined]
            if isinstance(field, forms.EmailField):
                schema["format"] = "email"
            elif isinstance(field, forms.URLField):
                schema["format"] = "uri"
                schema["description"] += " (a web address; javascript: and data: are refused)"
            properties[name] = schema
        row = {
            name: {"type": "string", "maxLength": field.max_length, "description": str(field.label)}
            for name, field in PartnershipForm.base_fields.items()
        }
        properties["partnerships"] = {
            "type": "array",
            "maxItems": MAX_PARTNERSHIPS,
            "description": "International partnerships (the whole list)",
            "items": {
                "type": "object",
                "properties": row,
                "required": ["country"],
                "additionalProperties": False,
            },
        }
        member = {"type": "string", "description": "the registry's short name (slug)"}
        properties["members"] = {
            "type": "array",
            "maxItems": members.MAX_ROWS,
            "description": (
                "The whole member list (it replaces the current one on approval); each row "
                "names a known organisation by its short name, or a new one by name and kind"
            ),
            "items": {
                "type": "object",
                "properties": {
                    "organisation": member,
                    "name": {"type": "string"},
                    "kind": {"type": "string", "enum": list(Organisation.Kind.values)},
                    "website": {"type": "string", "format": "uri"},
                    "city": {"type": "string"},
                    "role": {"type": "string", "enum": list(Membership.Role.values)},
                    "since": {"type": ["integer", "null"]},
                    "until": {"type": ["integer", "null"]},
                },
                "additionalProperties": False,
            },
        }
    return {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": properties,
    }


def _body(schema: dict[str, Any], required: bool = True) -> dict[str, Any]:
    return {
        "requestBody": {"required": required, "content": {"application/json": {"schema": schema}}}
    }


def _text_body(name: str, description: str, required: bool) -> dict[str, Any]:
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            name: {"type": "string", "maxLength": TEXT_LIMIT, "description": description}
        },
    }
    if required:
        schema["required"] = [name]
    return _body(schema, required)


# --- schemas ---------------------------------------------------------------------


def _person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.email


class EventOut(Schema):
    action: str
    actor: str | None
    message: str
    at: datetime.datetime

    @staticmethod
    def resolve_actor(obj: Event) -> str | None:
        return _person(obj.actor)


class ChangeRequestOut(Schema):
    id: int
    url: str
    kind: str
    status: str
    initiative: InitiativeRef
    changes: dict[str, Any]
    base: dict[str, Any]
    revision: int
    note: str
    author: str | None
    reviewer: str | None
    reason: str
    decided_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_url(obj: ChangeRequest, context) -> str:
        return _request_url(context["request"], obj.pk)

    @staticmethod
    def resolve_author(obj: ChangeRequest) -> str | None:
        return _person(obj.author)

    @staticmethod
    def resolve_reviewer(obj: ChangeRequest) -> str | None:
        return _person(obj.reviewer)


class ChangeRequestDetail(ChangeRequestOut):
    edit_token: str
    events: list[EventOut]

    @staticmethod
    def resolve_edit_token(obj: ChangeRequest) -> str:
        return edit_token(obj.initiative)

    @staticmethod
    def resolve_events(obj: ChangeRequest) -> list[Event]:
        return list(obj.events.all())


class ChangeRequestList(PageInfo):
    results: list[ChangeRequestOut]


class EditTokenOut(Schema):
    initiative: InitiativeRef
    edit_token: str
    open_request: str | None


def _request_url(request: HttpRequest, pk: int) -> str:
    return request.build_absolute_uri(reverse("api-v1:change_request_detail", kwargs={"id": pk}))


# --- finding and deciding -----------------------------------------------------------


def _published(slug: str) -> ClusterInitiative:
    """The published record at the address, as the public GET finds it (else a 404)."""
    initiative = (
        ClusterInitiative.objects.published()
        .select_related("management_organisation")
        .filter(slug=slug)
        .first()
    )
    if initiative is None:
        raise ApiError(404, f"There is no published initiative with the slug {slug!r}.")
    return initiative


def _may_propose(request: HttpRequest, initiative: ClusterInitiative) -> None:
    if not request.user.has_perm("registry.propose_change", initiative):
        raise ApiError(
            403,
            f"You may not propose changes to {initiative.slug!r}: only its cluster "
            "management and the curators may.",
        )


# What a change request shows and the role rules read, without the rest of the
# initiative's and the accounts' rows (the search columns of a profile are long).
SHOWN = [
    *(f.name for f in ChangeRequest._meta.concrete_fields),
    *(f"initiative__{name}" for name in ("slug", "name", "kind", "region")),
    *(
        f"{person}__{name}"
        for person in ("author", "reviewer")
        for name in ("first_name", "last_name", "email")
    ),
]


def with_shown(queryset: QuerySet[ChangeRequest]) -> QuerySet[ChangeRequest]:
    return queryset.select_related("initiative", "author", "reviewer").only(*SHOWN)


def _change_request(pk: int) -> ChangeRequest:
    change = with_shown(ChangeRequest.objects.filter(pk=pk)).first()
    if change is None:
        raise ApiError(404, f"There is no change request #{pk}.")
    return change


def _out_of_scope(change: ChangeRequest, doing: str, others: str = "") -> ApiError:
    """A 403 for a request out of the caller's scope (docs/api.md: 403, not 404, as the
    numbers of requests are no secret)."""
    return ApiError(
        403,
        f"You may not {doing} change request #{change.pk} (of {change.initiative.slug!r}): "
        f"that is for {others}the regional contact of its Region and the curators.",
    )


def _may_decide(request: HttpRequest, change: ChangeRequest) -> None:
    if not request.user.has_perm("registry.review_change", change):
        raise _out_of_scope(change, "decide")


def _decided(change: ChangeRequest, decide: Callable[[], None]) -> ChangeRequest:
    """The request after `decide` (approve, reject, ask), or the 404/409 why not."""
    try:
        decide()
    except NotAllowed:
        change.refresh_from_db(fields=["status"])
        if change.is_open:  # asked for more while it waits for the answer
            raise ApiError(
                409,
                f"Change request #{change.pk} already waits for an answer to a question "
                "(status needs_more).",
                code="already_asked",
            ) from None
        raise ApiError(
            409,
            f"Change request #{change.pk} is already decided (status {change.status}); "
            "nothing was changed.",
            code="already_decided",
        ) from None
    except Conflict as error:  # approval: the profile moved since the request was made
        names = ", ".join(error.fields)
        raise ApiError(
            409,
            f"The profile changed since this request was made ({names}); approving it would "
            "overwrite that unseen. Ask its author to send the changes again, or reject it.",
            code="edit_conflict",
            fields={
                name: ["Changed on the profile since the request was made."]
                for name in error.fields
            },
        ) from None
    except ObjectDoesNotExist:  # the initiative, and with it the request, was deleted
        raise ApiError(404, f"Change request #{change.pk} was deleted meanwhile.") from None
    # Read again with what the answer shows in one query (the model's refresh forgets it).
    return _change_request(change.pk)


# --- the proposal: PATCH on the registry's address -----------------------------------


def if_match(request: HttpRequest) -> str | None:
    """The edit token the client started from (`If-Match: "<token>"`), if it sent one."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    value = header.strip()
    problem = None
    if value.startswith("W/"):
        problem = "A weak entity tag (W/...) is the ETag of the public GET, not an edit token."
    elif "," in value:
        problem = "Send one edit token."
    if problem:
        raise ApiError(
            400,
            f'Invalid If-Match header. {problem} Send If-Match: "<edit_token>" as given by '
            "X-Edit-Token or GET /api/v1/initiatives/{slug}/edit-token.",
            code="invalid_header",
            fields={"If-Match": [problem]},
        )
    return value.strip('"')


@registry_router.patch(
    "/initiatives/{slug:slug}",
    response={202: ChangeRequestOut, **ERRORS, 409: Error, 413: Error},
    auth=BearerToken(),
    url_name="initiative_change",
    summary="Propose changes to an initiative's profile",
    tags=["change requests"],
    openapi_extra={
        **_body(_changes_schema()),
        "parameters": [
            {
                "in": "header",
                "name": "If-Match",
                "required": False,
                "description": 'The edit token the changes start from, in quotes: `"<edit_token>"`. '
                "If the profile or its open change request changed since, the answer is 409 "
                "and nothing is stored.",
                "schema": {"type": "string"},
            }
        ],
    },
)
def initiative_change(request: HttpRequest, slug: str, response: HttpResponse):
    """Propose new values for any editable fields: the answer is the change request (202).

    The public profile stays as it is until a reviewer approves. An open request of
    the initiative is amended (a new `revision`). The answer's `X-Edit-Token` header
    is the edit token to send with the next PATCH.
    """
    checked_query(request, NoParameters)
    initiative = _published(slug)
    _may_propose(request, initiative)
    values = proposed_values(initiative, json_object(request))
    try:
        change = ChangeRequest.propose(
            initiative, request.user, values, edit_token=if_match(request)
        )
    except ObjectDoesNotExist:  # deleted since it was read above
        raise ApiError(404, f"The initiative {slug!r} was deleted meanwhile.") from None
    except Conflict:
        raise ApiError(
            409,
            "The profile or its open change request changed since your edit token was "
            "issued; nothing was stored. Read the current state and edit token (GET "
            f"/api/v1/initiatives/{slug}/edit-token), merge, and send again.",
            code="edit_conflict",
        ) from None
    except NothingChanged:
        raise ApiError(
            409,
            "Every value sent equals the published profile; there is nothing to propose "
            "and nothing was stored.",
            code="nothing_changed",
        ) from None
    # The record as the proposal found it under its lock (a fresh read when amending).
    response.headers["X-Edit-Token"] = edit_token(change.initiative)
    return Status(202, change)


# --- the change requests -------------------------------------------------------------


class ChangeRequestFilterForm(forms.Form):
    """Filters of the change request list."""

    status = forms.MultipleChoiceField(required=False, choices=ChangeRequest.Status.choices)
    initiative = forms.ModelChoiceField(
        required=False, queryset=ClusterInitiative.objects.all(), to_field_name="slug"
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)

    def queryset(self, user) -> QuerySet[ChangeRequest]:
        p = self.cleaned_data
        queryset = with_shown(ChangeRequest.objects.visible_to(user))
        if p["status"]:
            queryset = queryset.filter(status__in=p["status"])
        if p["initiative"]:
            queryset = queryset.filter(initiative=p["initiative"])
        return queryset.order_by("-updated_at", "-pk")


LIST_PARAMETERS = {
    "status": "Status of the request (`pending`, `needs_more`: open). Repeat for several.",
    "initiative": "Slug of an initiative.",
    "page": "Page number, from 1. A page after the last one is a 404.",
    "page_size": "Results per page (default 20).",
}


@router.get(
    "/change-requests",
    response={200: ChangeRequestList, 304: None, **ERRORS},
    url_name="change_request_list",
    summary="The change requests you may see",
    openapi_extra={"parameters": query_parameters(ChangeRequestFilterForm, LIST_PARAMETERS)},
)
def change_request_list(request: HttpRequest):
    """Curators see all, a regional contact those of the Region's initiatives, a cluster
    manager those of the own initiatives, everyone their own; newest change first."""
    form = checked_form(request, ChangeRequestFilterForm)
    try:
        page = paginate(
            form.queryset(request.user),
            form.cleaned_data["page"],
            form.cleaned_data["page_size"],
        )
    except PageOutOfRange as error:
        raise page_out_of_range(error) from error
    return {**page_info(request, page), "results": page.items}


@router.get(
    "/change-requests/{id}",
    response={200: ChangeRequestDetail, 304: None, **ERRORS},
    url_name="change_request_detail",
    summary="One change request",
)
def change_request_detail(request: HttpRequest, id: int):
    """A change request with its steps, and the initiative's current `edit_token`."""
    checked_query(request, NoParameters)
    change = _change_request(id)
    if not ChangeRequest.objects.visible_to(request.user).filter(pk=change.pk).exists():
        raise _out_of_scope(change, "see", "its cluster management, its author, ")
    prefetch_related_objects([change], Prefetch("events", Event.objects.select_related("actor")))
    # The edit token reads every editable field of the record: the whole row here.
    change.initiative = ClusterInitiative.objects.select_related("management_organisation").get(
        pk=change.initiative_id
    )
    return change


def _decision(request: HttpRequest, id: int, field: str, *, required: bool):
    """The request a reviewer may decide, and the text of the body's `field`."""
    checked_query(request, NoParameters)
    change = _change_request(id)
    _may_decide(request, change)
    return change, message_body(request, field, required=required)


@router.post(
    "/change-requests/{id}/approve",
    response={200: ChangeRequestOut, **ERRORS, 409: Error, 413: Error},
    url_name="change_request_approve",
    summary="Approve a change request: the profile changes",
    openapi_extra=_text_body("message", "A note for the author (optional).", required=False),
)
def change_request_approve(request: HttpRequest, id: int):
    """Write the proposed values to the public profile. If the profile changed since the
    request was made, nothing is written (409, naming the fields)."""
    change, message = _decision(request, id, "message", required=False)
    return _decided(change, lambda: change.approve(request.user, message))


@router.post(
    "/change-requests/{id}/reject",
    response={200: ChangeRequestOut, **ERRORS, 409: Error, 413: Error},
    url_name="change_request_reject",
    summary="Reject a change request, with a reason",
    openapi_extra=_text_body("reason", "Why, for the author (required).", required=True),
)
def change_request_reject(request: HttpRequest, id: int):
    """Close the request without changing the profile; the author reads the reason."""
    change, reason = _decision(request, id, "reason", required=True)
    return _decided(change, lambda: change.reject(request.user, reason))


@router.post(
    "/change-requests/{id}/ask",
    response={200: ChangeRequestOut, **ERRORS, 409: Error, 413: Error},
    url_name="change_request_ask",
    summary="Ask the author for more",
    openapi_extra=_text_body("message", "The question (required).", required=True),
)
def change_request_ask(request: HttpRequest, id: int):
    """Set the request to `needs_more` with a question; the author's next PATCH answers it."""
    change, message = _decision(request, id, "message", required=True)
    return _decided(change, lambda: change.ask_for_more(request.user, message))


@router.get(
    "/initiatives/{slug:slug}/edit-token",
    response={200: EditTokenOut, 304: None, **ERRORS},
    url_name="initiative_edit_token",
    summary="The edit token of an initiative",
)
def initiative_edit_token(request: HttpRequest, slug: str, response: HttpResponse):
    """What a PATCH starts from: send it back as `If-Match: "<edit_token>"`. It changes
    when the profile or its open change request changes. For those who may propose changes."""
    checked_query(request, NoParameters)
    initiative = _published(slug)
    _may_propose(request, initiative)
    open_request = ChangeRequest.objects.open().filter(initiative=initiative).first()
    token = edit_token(initiative)
    response.headers["X-Edit-Token"] = token
    return {
        "initiative": initiative,
        "edit_token": token,
        "open_request": _request_url(request, open_request.pk) if open_request else None,
    }
