"""The portal's pages of change requests: edit a profile, review, list, history.

Every view resolves the object, asks the rules (accounts/rules.py) with
`user.has_perm(name, obj)`, calls one model method and renders; anonymous
visitors are sent to the login page, people without the right get 403.
A step that does not fit the request's state (deciding twice, ...) is a 409
page that says why; nothing is changed then.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterportal.changes import checklist, history, members, review
from clusterportal.changes.filters import RequestFilter
from clusterportal.changes.forms import EditForm, starting_point
from clusterportal.changes.models import ChangeRequest, Conflict, NotAllowed, NothingChanged
from clusterportal.registry.models import ClusterInitiative

PAGE_SIZE = 50
MESSAGE_LIMIT = 2000


def _require(user, permission: str, obj) -> None:
    if not user.has_perm(permission, obj):
        raise PermissionDenied


def _change_request(pk: int) -> ChangeRequest:
    return get_object_or_404(
        ChangeRequest.objects.select_related("initiative__region", "author", "reviewer"), pk=pk
    )


# Editing ---------------------------------------------------------------------


@login_required
def edit(request, slug):
    initiative = get_object_or_404(ClusterInitiative, slug=slug)
    _require(request.user, "registry.propose_change", initiative)
    start, token, open_request = starting_point(initiative)
    if request.method != "POST":
        form = EditForm(initiative, start=start, token=token)
        return _edit_page(request, form, open_request)
    form = EditForm(initiative, request.POST, request.FILES)
    if not form.is_valid():
        return _edit_page(request, form, open_request, status=400)
    try:
        change = ChangeRequest.propose(
            initiative, request.user, form.values, edit_token=form.token, note=form.clean_note
        )
    except Conflict as conflict:
        # Keep the editor's input; say what moved; the next save starts from now.
        now, token, open_request = starting_point(initiative)
        moved = form.moved_fields(now)
        form.restart_from(token, now)
        context = {"conflict": conflict.message, "moved": moved}
        return _edit_page(request, form, open_request, status=409, **context)
    except NothingChanged as nothing:
        messages.info(request, str(nothing))
        return _edit_page(request, form, open_request)
    messages.success(request, _saved_message(change))
    return redirect(change)


def _saved_message(change: ChangeRequest) -> str:
    if change.revision > 1:
        saved = _("Ihr Änderungsantrag #%(number)s ist ergänzt (Fassung %(revision)s).")
    else:
        saved = _("Ihr Änderungsantrag #%(number)s ist gestellt.")
    values = {"number": change.pk, "revision": change.revision}
    later = _("Das öffentliche Profil ändert sich erst, wenn er angenommen ist.")
    return f"{saved % values} {later}"


def _edit_page(request, form, open_request, status=200, **extra):
    context = {
        "initiative": form.initiative,
        "form": form,
        "open_request": open_request,
        "errors": form.error_summary() if form.data is not None else [],
        **extra,
    }
    return render(request, "changes/edit.html", context, status=status)


@login_required
def member_file(request, slug):
    """The current member list in the upload's columns (a start for the next file)."""
    initiative = get_object_or_404(ClusterInitiative, slug=slug)
    _require(request.user, "registry.propose_change", initiative)
    response = HttpResponse(members.download(initiative), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mitglieder-{initiative.slug}.csv"'
    return response


# Reviewing -------------------------------------------------------------------


def _can_view(user, change: ChangeRequest) -> bool:
    return change.author_id == user.pk or user.has_perm("registry.view_changes", change)


def _can_withdraw(user, change: ChangeRequest) -> bool:
    return change.author_id == user.pk or user.has_perm("registry.propose_change", change)


@login_required
def detail(request, pk):
    change = _change_request(pk)
    if not _can_view(request.user, change):
        raise PermissionDenied
    return _detail_page(request, change)


def _detail_page(request, change: ChangeRequest, status=200, **extra):
    user = request.user
    context = {
        "change": change,
        "initiative": change.initiative,
        "rows": review.diff_rows(change),
        "events": change.events.select_related("actor"),
        "checklist": checklist.for_request(change) if change.is_open else None,
        "can_review": change.is_open and user.has_perm("registry.review_change", change),
        "can_withdraw": change.is_open and _can_withdraw(user, change),
        "can_edit": change.is_open and user.has_perm("registry.propose_change", change),
        "can_see_history": user.has_perm("registry.view_changes", change.initiative),
        **extra,
    }
    return render(request, "changes/detail.html", context, status=status)


DONE = {
    "approve": lambda: _("Der Antrag ist angenommen; das öffentliche Profil zeigt die Änderungen."),
    "ask": lambda: _("Die Rückfrage ist gestellt; die Antragstellenden werden benachrichtigt."),
    "reject": lambda: _("Der Antrag ist abgelehnt; die Antragstellenden werden benachrichtigt."),
}


@login_required
@require_POST
def decide(request, pk):
    """Approve, ask for more or reject: the reviewer's three actions, each with a message."""
    change = _change_request(pk)
    _require(request.user, "registry.review_change", change)
    action = request.POST.get("action", "")
    message = request.POST.get("message", "").strip()
    if action not in DONE:
        return _detail_page(request, change, 400, error=_("Unbekannte Aktion."))
    if len(message) > MESSAGE_LIMIT:
        error = _("Die Nachricht darf höchstens %(max)s Zeichen lang sein.") % {
            "max": MESSAGE_LIMIT
        }
        return _detail_page(request, change, 400, error=error, message=message)
    try:
        if action == "approve":
            change.approve(request.user, message)
        elif action == "ask":
            change.ask_for_more(request.user, message)
        else:
            change.reject(request.user, message)
    except NotAllowed as refused:
        return _detail_page(request, change, 409, error=str(refused))
    except Conflict as conflict:
        return _detail_page(request, change, 409, error=conflict.message, moved=conflict.fields)
    except (ValidationError, ObjectDoesNotExist) as invalid:
        reason = " ".join(getattr(invalid, "messages", [str(invalid)]))
        error = _("Der Antrag kann so nicht übernommen werden: %(reason)s") % {"reason": reason}
        return _detail_page(request, change, 409, error=error)
    except ValueError as missing:  # a question or a rejection without a message
        return _detail_page(request, change, 400, error=str(missing), message=message)
    messages.success(request, DONE[action]())
    return redirect(change)


@login_required
@require_POST
def withdraw(request, pk):
    change = _change_request(pk)
    if not _can_withdraw(request.user, change):
        raise PermissionDenied
    try:
        change.withdraw(request.user)
    except NotAllowed as refused:
        return _detail_page(request, change, 409, error=str(refused))
    messages.success(request, _("Der Antrag ist zurückgezogen."))
    return redirect(change)


# Lists -----------------------------------------------------------------------


@login_required
def request_list(request):
    filters = RequestFilter.from_params(request.GET)
    context = {"filters": filters, "statuses": RequestFilter.status_choices()}
    if not filters.is_valid():
        return render(
            request, "changes/list.html", {**context, "errors": filters.errors}, status=400
        )
    requests = filters.apply(
        ChangeRequest.objects.visible_to(request.user).select_related("initiative", "author")
    )
    context["page"] = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "changes/list.html", context)


@login_required
def initiative_history(request, slug):
    initiative = get_object_or_404(ClusterInitiative, slug=slug)
    _require(request.user, "registry.view_changes", initiative)
    entries, more = history.entries(initiative)
    context = {"initiative": initiative, "entries": entries, "more": more}
    return render(request, "changes/history.html", context)
