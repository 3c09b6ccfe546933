"""The call's procedure: the office's overview and its steps (assign jurors, ask the
applicants, prepare and send decisions), the ranking board and its export, the juror's
assignments and scoring page, and the public statistics (docs/calls.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clusterportal.accounts.models import Role
from clusterportal.calls import jury
from clusterportal.calls.application_forms import initial_answers
from clusterportal.calls.application_models import Application, JurorAssignment, Review
from clusterportal.calls.application_views import application_step
from clusterportal.calls.call_statistics import call_statistics
from clusterportal.calls.conflicts import assignment_conflicts, conflicts_by_pair
from clusterportal.calls.models import Call
from clusterportal.calls.ranking import SORTS, board, board_table, board_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _call_for_office(request, slug: str) -> Call:
    call = get_object_or_404(Call.objects.select_related("programme"), slug=slug)
    if not request.user.has_perm("calls.run_procedure", call):
        raise PermissionDenied(_("Das Verfahren eines Aufrufs führt die Geschäftsstelle."))
    return call


def _jurors():
    return (get_user_model().objects.filter(roles__kind=Role.Kind.JUROR, is_active=True)
            .order_by("email").distinct())  # fmt: skip


@login_required
@require_safe
def procedure(request, slug):
    call = _call_for_office(request, slug)
    applications = list(
        Application.objects.filter(call=call).exclude(status=Application.Status.DRAFT)
        .select_related("initiative__region")
        .prefetch_related(Prefetch("assignments", queryset=JurorAssignment.objects
                                   .select_related("juror", "review")))
        .order_by("initiative__name")
    )  # fmt: skip
    jurors = list(_jurors())
    conflicts = conflicts_by_pair([j.pk for j in jurors], [a.initiative for a in applications])
    counts = dict(Application.objects.filter(call=call).values_list("status")
                  .annotate(n=Count("pk")).values_list("status", "n"))  # fmt: skip
    return render(request, "calls/procedure.html", {
        "call": call, "applications": applications, "jurors": jurors,
        "conflicts": _conflict_list(conflicts, jurors, applications),
        "counts": [(label, counts.get(value, 0)) for value, label in Application.Status.choices],
        "prepared": sum(1 for a in applications if a.decision and not a.decision_sent_at),
    })  # fmt: skip


def _conflict_list(conflicts, jurors, applications) -> list[tuple[str, str, str]]:
    emails = {juror.pk: juror.email for juror in jurors}
    names = {a.initiative_id: a.initiative.name for a in applications}
    return sorted((emails[juror], names[initiative], "; ".join(reasons))
                  for (juror, initiative), reasons in conflicts.items())  # fmt: skip


@login_required
@require_POST
def assign_jurors(request, slug):
    call = _call_for_office(request, slug)
    chosen = request.POST.get("juror", "")
    juror = _jurors().filter(pk=int(chosen)).first() if chosen.isdigit() else None
    ids = [value for value in request.POST.getlist("application") if value.isdigit()]
    applications = list(Application.objects.filter(call=call, pk__in=ids)
                        .select_related("initiative"))  # fmt: skip
    if juror is None or not applications:
        messages.error(request, _("Bitte wählen Sie eine Jurorin oder einen Juror und "
                                  "mindestens einen Antrag."))  # fmt: skip
        return redirect("calls:procedure", call.slug)
    try:
        report = jury.assign(applications, juror, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("calls:procedure", call.slug)
    messages.success(request, _("%(email)s: %(n)s Anträge zugewiesen, %(already)s waren es "
                                "schon.") % {"email": juror.email, "n": len(report.assigned),
                                             "already": report.already})  # fmt: skip
    for application, reasons in report.conflicts:
        messages.warning(request, _("Nicht zugewiesen wegen Befangenheit: %(initiative)s "
                                    "(%(reasons)s).") % {"initiative": application.initiative.name,
                                                         "reasons": reasons})  # fmt: skip
    return redirect("calls:procedure", call.slug)


def _application_for_office(request, pk: int) -> Application:
    application = get_object_or_404(Application.objects.select_related("call", "initiative"),
                                    pk=pk)  # fmt: skip
    _call_for_office(request, application.call.slug)
    return application


@login_required
@require_POST
def ask_information(request, pk):
    application = _application_for_office(request, pk)
    message = request.POST.get("message", "")
    return application_step(
        request, application, lambda: application.ask_for_information(message, by=request.user),
        _("Die Rückfrage ist an die Antragstellenden verschickt."), mail="info_requested",
    )  # fmt: skip


@login_required
@require_POST
def prepare_decision(request, pk):
    application = _application_for_office(request, pk)
    decision, note = request.POST.get("decision", ""), request.POST.get("note", "")
    return application_step(
        request, application,
        lambda: application.prepare_decision(decision, note, by=request.user),
        _("Die Entscheidung ist vorgemerkt; sie geht mit dem Versand aller Entscheidungen "
          "hinaus."),
    )  # fmt: skip


@login_required
@require_POST
def send_decisions(request, slug):
    call = _call_for_office(request, slug)
    sent = jury.send_decisions(call, by=request.user)
    if sent:
        messages.success(request, _("%(n)s Entscheidungen sind versandt.") % {"n": len(sent)})
    else:
        messages.info(request, _("Es lag keine vorgemerkte Entscheidung vor."))
    return redirect("calls:procedure", call.slug)


def _board_of(request, slug: str) -> tuple[Call, str | None]:
    """The call (for its office only) and the board's order asked for; None if unknown."""
    call = _call_for_office(request, slug)
    sort = request.GET.get("sort", "mean")
    return call, sort if sort in SORTS else None


def _unknown_sort() -> HttpResponse:
    return HttpResponse(_("Unbekannte Sortierung."), status=400, content_type="text/plain")


@login_required
@require_safe
def ranking(request, slug):
    call, sort = _board_of(request, slug)
    if sort is None:
        return _unknown_sort()
    return render(request, "calls/ranking.html", {"call": call, **board_table(call, sort)})


@login_required
@require_safe
def ranking_xlsx(request, slug):
    call, sort = _board_of(request, slug)
    if sort is None:
        return _unknown_sort()
    criteria, rows = board(call, sort)
    response = HttpResponse(board_xlsx(call, criteria, rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="rangliste-{call.slug}.xlsx"'
    return response


@login_required
@require_safe
def my_assignments(request):
    if not request.user.has_perm("calls.see_assignments"):
        raise PermissionDenied(_("Diese Seite ist für Jurorinnen und Juroren."))
    assignments = (
        JurorAssignment.objects.filter(juror=request.user)
        .select_related("application__call", "application__initiative", "review")
        .order_by("-assigned_at")
    )  # fmt: skip
    return render(request, "calls/assignments.html", {"assignments": assignments})


def _assignment(request, pk: int) -> JurorAssignment:
    assignment = get_object_or_404(
        JurorAssignment.objects.select_related("application__call", "application__initiative",
                                               "juror"), pk=pk, juror=request.user.pk)  # fmt: skip
    return assignment


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_page(request, pk):
    assignment = _assignment(request, pk)
    application = assignment.application
    conflicts = assignment_conflicts(assignment)
    criteria = list(application.call.criteria.all())
    review = Review.objects.filter(assignment=assignment).first()
    errors: list[str] = []
    if request.method == "POST":
        if conflicts:
            raise PermissionDenied(_("Bei Befangenheit können Sie diesen Antrag nicht bewerten."))
        submit = request.POST.get("action") == "submit"
        try:
            review = jury.save_review(assignment, criteria, request.POST, submit)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Ihr Gutachten ist abgegeben.") if submit
                             else _("Ihr Entwurf ist gespeichert."))  # fmt: skip
            return redirect("calls:review", assignment.pk)
    context = {"assignment": assignment, "application": application, "conflicts": conflicts,
               "criteria": criteria, "review": review, "errors": errors,
               "recommendations": Review.Recommendation.choices,
               "posted": request.POST if errors else None}  # fmt: skip
    if not conflicts:
        context.update(_readable(application, criteria, review))
        if errors:  # the page keeps what the juror entered
            context.update(_posted(request.POST, criteria))
        else:
            context.update(recommendation=review.recommendation if review else "",
                           overall=review.comment if review else "")  # fmt: skip
    return render(request, "calls/review.html", context, status=422 if errors else 200)


def _readable(application: Application, criteria, review) -> dict:
    """The application for a juror without a conflict; the others' reviews only once their
    own is submitted."""
    fields = list(application.call.form_fields.all())
    scores = {s.criterion_id: s for s in review.scores.all()} if review else {}
    others = []
    if review and review.submitted_at:
        others = list(
            Review.objects.filter(assignment__application=application, submitted_at__isnull=False)
            .exclude(pk=review.pk).select_related("assignment__juror")
            .prefetch_related("scores__criterion")
        )  # fmt: skip
    return {
        "answers": [(f, application.answers.get(f.key)) for f in fields],
        "answer_values": initial_answers(application, fields),
        "files": list(application.files.all()),
        "scores": scores, "others": others,
        "rows": [(c, scores.get(c.pk)) for c in criteria],
    }  # fmt: skip


@dataclass
class _Entered:
    value: int | str | None
    comment: str


def _posted(data, criteria) -> dict:
    rows = []
    for criterion in criteria:
        raw = data.get(f"points-{criterion.pk}", "").strip()
        value = None if raw == "n/a" else raw
        entered = _Entered(value, data.get(f"comment-{criterion.pk}", ""))
        rows.append((criterion, entered if raw else _Entered("", entered.comment)))
    return {"rows": rows, "recommendation": data.get("recommendation", ""),
            "overall": data.get("comment", "")}  # fmt: skip


@login_required
@require_POST
def declare_conflict(request, pk):
    assignment = _assignment(request, pk)
    try:
        jury.declare_conflict(assignment, request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Ihre Befangenheit ist vermerkt; der Antrag ist für Sie "
                                    "gesperrt."))  # fmt: skip
    return redirect("calls:review", assignment.pk)


@require_safe
def statistics_page(request, slug):
    call = get_object_or_404(Call.objects.select_related("programme"), slug=slug)
    closed = call.status == Call.Status.CLOSED
    figures = call_statistics(call) if closed else None
    return render(request, "calls/statistics.html", {"call": call, "closed": closed,
                                                     "figures": figures})  # fmt: skip
