"""The pages of the partner search (docs/partnersearch.md): the list, a posting, writing and
editing one, following, interest, the owner's page, the staff's check and the outcomes.

Views are thin: resolve the posting and the permission (partnersearch/rules.py), validate
the form, call one function of editing.py, render. A refused step keeps what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterportal.lib import throttle
from clusterportal.lib.filters import render_filtered
from clusterportal.matching.engine import page_url
from clusterportal.partnersearch import editing, suggestions
from clusterportal.partnersearch.filters import PostingFilter
from clusterportal.partnersearch.forms import (
    InterestForm,
    OutcomeForm,
    PostingForm,
    RenewForm,
    ReviewForm,
)
from clusterportal.partnersearch.models import (
    Follow,
    Interest,
    Outcome,
    Posting,
    StaleVersion,
    WrongState,
)
from clusterportal.partnersearch.outcomes import due_questions, outcome_table
from clusterportal.partnersearch.review import review_queue

LIST = "partnersearch/list.html"
FORM = "partnersearch/form.html"


def posting_list(request):
    return render_filtered(request, LIST, PostingFilter(request.GET))


class Ended(Exception):
    """A posting that was public and is not any more (closed or expired)."""

    def __init__(self, posting: Posting) -> None:
        super().__init__("ended")
        self.posting = posting


def _visible(request, pk: int) -> Posting:
    posting = get_object_or_404(Posting.objects.for_list(), pk=pk)
    if not request.user.has_perm("partnersearch.view_posting", posting):
        if posting.published_at is not None and posting.status != Posting.Status.PENDING:
            raise Ended(posting)
        # Never public (pending, rejected) and not the person's own: as if it did not exist.
        raise Http404
    return posting


def _ended(request, posting: Posting, status: int):
    """The page of a search that has ended: its title and that it ended, nothing more."""
    return render(request, "partnersearch/ended.html", {"posting": posting}, status=status)


def posting_detail(request, pk: int):
    try:
        posting = _visible(request, pk)
    except Ended as ended:
        return _ended(request, ended.posting, 410)
    user = request.user
    context = {
        "posting": posting,
        "following": user.is_authenticated and posting.follows.filter(user=user).exists(),
        "can_respond": user.has_perm("partnersearch.respond", posting),
        "can_edit": user.has_perm("partnersearch.edit_posting", posting),
        "can_review": user.has_perm("partnersearch.review_posting", posting)
        and posting.status == Posting.Status.PENDING,
        # Each with its page in the request's language (the index keeps German paths).
        "suggested": [(s, page_url(s.profile)) for s in suggestions.for_posting(posting)]
        if posting.is_public()
        else [],
        "review_form": ReviewForm(),
        "renew_form": RenewForm(
            initial={"expires_on": posting.expires_on, "version": posting.version}
        ),  # fmt: skip
    }
    if context["can_edit"]:
        context["interests"] = list(posting.interests.all())
    return render(request, "partnersearch/detail.html", context)


def _throttled(request, action: str, template: str, context: dict):
    """A 429 page when the account has used up its rate for `action` (spam-like bursts)."""
    if throttle.allowed(request, action):
        return None
    response = render(request, template, {**context, "throttled": True}, status=429)
    response["Retry-After"] = str(throttle.retry_after(action))
    return response


@login_required
def posting_new(request):
    if not request.user.has_perm("partnersearch.post"):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = PostingForm(data, user=request.user)
    context = {"form": form, "posting": None}
    if data is None:
        return render(request, FORM, context)
    if not form.is_valid():
        return render(request, FORM, context, status=400)
    if refused := _throttled(request, "partnersearch_post", FORM, context):
        return refused
    posting = editing.create(form, request.user)
    messages.success(
        request, _("Ihre Partnersuche ist eingegangen. Sie wird geprüft und dann veröffentlicht.")
    )
    return redirect(posting)


@login_required
def posting_edit(request, pk: int):
    posting = get_object_or_404(Posting, pk=pk)
    if not request.user.has_perm("partnersearch.edit_posting", posting):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = PostingForm(data, instance=posting, user=request.user)
    context = {"form": form, "posting": posting}
    if data is None:
        if posting.status == Posting.Status.CLOSED:
            messages.info(request, _("Eine geschlossene Partnersuche kann nicht geändert werden."))
            return redirect(posting)
        return render(request, FORM, context)
    if not form.is_valid():
        return render(request, FORM, context, status=400)
    try:
        editing.update(posting, form, request.user)
    except StaleVersion as stale:
        form.add_error(None, _stale_message(stale.current))
        return render(request, FORM, context, status=409)
    except WrongState:
        form.add_error(None, _("Eine geschlossene Partnersuche kann nicht geändert werden."))
        return render(request, FORM, context, status=409)
    messages.success(request, _("Gespeichert. Die geänderte Partnersuche wird vor der "
                                "Veröffentlichung erneut geprüft."))  # fmt: skip
    return redirect(posting)


def _stale_message(current: Posting) -> str:
    who = current.history.first()
    name = getattr(getattr(who, "history_user", None), "email", "") if who else ""
    return _(
        "Jemand (%(who)s) hat diese Partnersuche inzwischen gespeichert. Ihre Eingaben stehen "
        "noch im Formular; bitte laden Sie die Seite neu, vergleichen Sie und speichern Sie dann."
    ) % {"who": name or _("unbekannt")}


@require_POST
@login_required
def posting_renew(request, pk: int):
    posting = get_object_or_404(Posting, pk=pk)
    if not request.user.has_perm("partnersearch.edit_posting", posting):
        raise PermissionDenied
    form = RenewForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("expires_on", []) or [_("Bitte ein gültiges Datum angeben.")]:
            messages.error(request, error)
        return redirect(posting)
    try:
        editing.renew(posting, request.user, form.cleaned_data["expires_on"],
                      form.cleaned_data["version"])  # fmt: skip
    except StaleVersion as stale:
        messages.error(request, _stale_message(stale.current))
    except WrongState:
        messages.error(request, _("Diese Partnersuche ist geschlossen oder abgelehnt."))
    else:
        messages.success(request, _("Die Partnersuche läuft jetzt bis %(date)s.") % {
            "date": posting.expires_on.strftime("%d.%m.%Y")})  # fmt: skip
    return redirect(posting)


@require_POST
@login_required
def posting_close(request, pk: int):
    posting = get_object_or_404(Posting, pk=pk)
    if not request.user.has_perm("partnersearch.edit_posting", posting):
        raise PermissionDenied
    try:
        editing.close(posting, request.user)
    except WrongState:
        messages.info(request, _("Diese Partnersuche war schon geschlossen."))
    else:
        messages.success(request, _("Die Partnersuche ist geschlossen."))
    return redirect(posting)


@require_POST
@login_required
def posting_follow(request, pk: int):
    try:
        posting = _visible(request, pk)
    except Ended as ended:
        if request.POST.get("stop"):
            Follow.objects.filter(posting=ended.posting, user=request.user).delete()
        return _ended(request, ended.posting, 409)
    if request.POST.get("stop"):
        Follow.objects.filter(posting=posting, user=request.user).delete()
        messages.success(request, _("Sie folgen dieser Partnersuche nicht mehr."))
        return redirect(posting)
    if not request.user.has_perm("partnersearch.respond", posting):
        raise PermissionDenied
    try:
        with transaction.atomic():
            Follow.objects.create(posting=posting, user=request.user)
    except IntegrityError:
        pass  # followed already (a second click, or two tabs): once is enough
    messages.success(
        request, _("Sie folgen dieser Partnersuche und erhalten eine E-Mail bei Änderungen.")
    )
    return redirect(posting)


@login_required
def posting_interest(request, pk: int):
    try:
        posting = _visible(request, pk)
    except Ended as ended:
        return _ended(request, ended.posting, 409)
    template = "partnersearch/interest.html"
    if not request.user.has_perm("partnersearch.respond", posting):
        if posting.author_id == request.user.pk:
            raise PermissionDenied
        return render(request, template, {"posting": posting, "closed": True}, status=409)
    data = request.POST if request.method == "POST" else None
    initial = {"sender_name": request.user.get_full_name()}
    form = InterestForm(data, initial=initial)
    context = {"posting": posting, "form": form}
    if data is None:
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    if refused := _throttled(request, "partnersearch_interest", template, context):
        return refused
    try:
        editing.express_interest(posting, form, request.user)
    except WrongState:
        return render(request, template, {**context, "closed": True}, status=409)
    messages.success(request, _("Ihre Nachricht ist an die Person gegangen, die die Suche "
                                "eingestellt hat. Sie entscheidet, ob sie antwortet."))  # fmt: skip
    return redirect(posting)


@login_required
def my_postings(request):
    postings = list(
        Posting.objects.of_author(request.user)
        .select_related("initiative")
        .prefetch_related(
            Prefetch("interests", queryset=Interest.objects.order_by("-created_at")),
            "outcomes",
        )
        .annotate(follower_count=Count("follows", distinct=True))
        .order_by("-created_at", "-pk")
    )
    context = {"postings": postings, "questions": due_questions(postings)}
    return render(request, "partnersearch/mine.html", context)


@require_POST
@login_required
def posting_outcome(request, pk: int, months: int):
    posting = get_object_or_404(Posting, pk=pk)
    if not request.user.has_perm("partnersearch.report_outcome", posting):
        raise PermissionDenied
    if months not in Outcome.Asked.values:
        raise Http404
    form = OutcomeForm(request.POST, prefix=f"o{posting.pk}-{months}")
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie, was aus der Suche geworden ist."))
        return redirect("partnersearch:mine")
    try:
        with transaction.atomic():
            Outcome.objects.create(posting=posting, months_after=months, **form.cleaned_data)
    except IntegrityError:
        messages.info(request, _("Diese Frage haben Sie schon beantwortet."))
    else:
        messages.success(request, _("Danke für Ihre Rückmeldung."))
    return redirect("partnersearch:mine")


@login_required
def review_list(request):
    if not request.user.has_perm("partnersearch.review_queue"):
        raise PermissionDenied
    return render(request, "partnersearch/review.html", {"postings": review_queue(request.user)})


@require_POST
@login_required
def posting_review(request, pk: int):
    posting = get_object_or_404(Posting.objects.select_related("initiative"), pk=pk)
    if not request.user.has_perm("partnersearch.review_posting", posting):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(posting)
    try:
        if form.cleaned_data["decision"] == "publish":
            editing.publish(posting, request.user)
            messages.success(request, _("Die Partnersuche ist veröffentlicht."))
        else:
            editing.reject(posting, request.user, form.cleaned_data["note"])
            messages.success(
                request, _("Die Partnersuche ist abgelehnt; die Person erfährt den Grund.")
            )
    except WrongState:
        messages.info(request, _("Diese Partnersuche ist schon geprüft (von jemand anderem)."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("partnersearch:review")


@login_required
def outcome_list(request):
    if not request.user.has_perm("partnersearch.see_outcomes"):
        raise PermissionDenied
    return render(request, "partnersearch/outcomes.html", outcome_table())
