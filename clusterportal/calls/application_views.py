"""The applicants' pages: start an application, keep the draft (also saved as one types),
upload files, submit, withdraw, and the list of one's applications (docs/calls.md).

Each view resolves the application and asks `calls.apply` or `calls.view_application`
(calls/rules.py); every refusal says why and keeps what the person typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clusterportal.accounts.models import Role
from clusterportal.calls import eligibility
from clusterportal.calls.application_forms import (
    ApplicationForm,
    initial_answers,
    missing_answers,
)
from clusterportal.calls.application_mail import mail_applicants
from clusterportal.calls.application_models import (
    Application,
    ApplicationFile,
    FormField,
    StaleVersion,
)
from clusterportal.calls.files import CONTENT_TYPES, check_upload
from clusterportal.calls.models import Call
from clusterportal.registry.models import ClusterInitiative

PAGE = "calls/application.html"
MAX_FILES_PER_QUESTION = 10


def _application(request, pk: int, permission: str) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("call__programme", "initiative"), pk=pk
    )
    if not request.user.has_perm(permission, application):
        raise PermissionDenied(_("Sie gehören nicht zu den Antragstellenden dieses Antrags."))
    return application


@login_required
@require_POST
def start_application(request, slug):
    """Begin (or reopen) the application of one of the person's initiatives."""
    call = get_object_or_404(Call.objects.select_related("programme"), slug=slug)
    rules = call.parsed_rules()
    initiative = eligibility.initiatives_for_check(rules).filter(
        slug=request.POST.get("initiative", "")).first()  # fmt: skip
    if initiative is None or not request.user.has_perm("calls.apply", initiative):
        raise PermissionDenied(_("Sie können nur für eine Initiative beantragen, deren "
                                 "Clustermanagement Sie sind."))  # fmt: skip
    running = Application.objects.filter(call=call, initiative=initiative).exclude(
        status=Application.Status.WITHDRAWN).first()  # fmt: skip
    if running is not None:
        return redirect(running)
    check = eligibility.check(rules, initiative)
    refusal = _start_refusal(call, initiative, check)
    if refusal:
        messages.error(request, refusal)
        return redirect(call)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                call=call, initiative=initiative, created_by=request.user,
                eligibility_at_start=check.as_data(),
            )  # fmt: skip
    except IntegrityError:  # a colleague began it in the same moment
        application = Application.objects.get(call=call, initiative=initiative,
                                               status=Application.Status.DRAFT)  # fmt: skip
    return redirect(application)


def _start_refusal(call: Call, initiative: ClusterInitiative, check: eligibility.Check) -> str:
    if not call.form_fields.exists():
        return _(
            "Für diesen Aufruf wird nicht über das Portal beantragt; die Quelle nennt den Weg."
        )
    if call.status != Call.Status.OPEN:
        return _("Der Aufruf ist %(status)s; ein Antrag kann nur beginnen, solange er offen "
                 "ist.") % {"status": call.get_status_display()}  # fmt: skip
    if check.result == eligibility.Result.NOT_MET:
        return _("„%(initiative)s“ erfüllt nach den Daten der Clusterdatenbank nicht alle "
                 "Teilnahmevoraussetzungen (siehe Prüfung unten). Sind die Daten veraltet, "
                 "ändern Sie zuerst das Profil.") % {"initiative": initiative.name}  # fmt: skip
    return ""


def _fields(call: Call) -> list[FormField]:
    return list(call.form_fields.all())


def _context(request, application: Application, form: ApplicationForm, **extra) -> dict:
    fields = form.form_fields
    may_edit = request.user.has_perm("calls.apply", application) and application.is_editable
    files = list(application.files.all())
    return {
        "application": application, "call": application.call, "form": form,
        "questions": [
            {"field": field, "bound": form[field.key] if field.key in form.fields else None,
             "files": [f for f in files if f.field_key == field.key],
             "budget_rows": form.budget_rows(field, application.answers)
             if field.kind == FormField.Kind.BUDGET else [],
             "budget_total": (application.answers.get(field.key) or {}).get("total")
             if field.kind == FormField.Kind.BUDGET else None}
            for field in fields
        ],
        "may_edit": may_edit,
        "may_withdraw": request.user.has_perm("calls.apply", application)
        and application.status in {Application.Status.DRAFT, *Application.UNDECIDED},
        "missing": missing_answers(application, fields, files) if may_edit else [],
        "decisions": Application.Decision.choices,
        "history": application.history.select_related("history_user").order_by("history_date"),
        **extra,
    }  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_page(request, pk):
    application = _application(request, pk, "calls.view_application")
    fields = _fields(application.call)
    if request.method != "POST":
        form = ApplicationForm(fields, initial=initial_answers(application, fields))
        return render(request, PAGE, _context(request, application, form))
    if not request.user.has_perm("calls.apply", application):
        raise PermissionDenied(_("Nur die Antragstellenden ändern einen Antrag."))
    autosave = request.POST.get("autosave") == "1"
    form = ApplicationForm(fields, request.POST)
    if not form.is_valid():
        return _refused(request, application, form, autosave, status=422)
    try:
        version = int(request.POST.get("version", ""))
        application.save_answers(form.answers(), version, by=request.user)
    except ValueError:
        form.add_error(None, _("Das Formular ist unvollständig übertragen; bitte erneut senden."))
        return _refused(request, application, form, autosave, status=400)
    except StaleVersion as stale:
        form.add_error(None, _(
            "Inzwischen hat jemand anderes den Antrag gespeichert (%(who)s). Ihre Eingaben "
            "stehen unten noch im Formular; prüfen Sie sie gegen die neue Fassung und "
            "speichern Sie erneut.") % {"who": _last_editor(stale.current)})  # fmt: skip
        application.refresh_from_db()
        return _refused(request, application, form, autosave, status=409)
    except ValidationError as error:
        form.add_error(None, error)
        return _refused(request, application, form, autosave, status=409)
    if autosave:
        return JsonResponse({"saved": True, "version": application.version})
    if request.POST.get("action") == "submit":
        return _submit(request, application, fields, form)
    messages.success(request, _("Der Entwurf ist gespeichert."))
    return redirect(application)


def _last_editor(application: Application) -> str:
    last = application.history.select_related("history_user").first()
    user = last.history_user if last else None
    return user.email if user else _("unbekannt")


def _refused(request, application, form, autosave: bool, status: int):
    if autosave:
        errors = [str(e) for e in form.non_field_errors()] + [
            f"{form.fields[key].label}: {' '.join(map(str, errs))}"
            for key, errs in form.errors.items() if key != "__all__"
        ]  # fmt: skip
        return JsonResponse({"saved": False, "errors": errors,
                             "version": application.version}, status=status)  # fmt: skip
    return render(request, PAGE, _context(request, application, form), status=status)


def _submit(request, application: Application, fields, form):
    if late := application.late_refusal():
        form.add_error(None, late)
        return render(request, PAGE, _context(request, application, form), status=409)
    missing = missing_answers(application, fields)
    if missing:
        form.add_error(None, _("Zum Einreichen fehlen noch: %(fields)s. Der Entwurf ist "
                               "gespeichert.") % {"fields": "; ".join(missing)})  # fmt: skip
        return render(request, PAGE, _context(request, application, form), status=422)
    was = application.status
    try:
        application.submit(by=request.user)
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, PAGE, _context(request, application, form), status=409)
    mail_applicants(application, "submitted")
    if was == Application.Status.INFO_REQUESTED:
        messages.success(request, _("Der ergänzte Antrag ist eingereicht."))
    else:
        messages.success(request, _("Der Antrag ist eingereicht."))
    return redirect(application)


@login_required
@require_POST
def upload_file(request, pk):
    application = _application(request, pk, "calls.apply")
    field = application.call.form_fields.filter(
        key=request.POST.get("field", ""), kind=FormField.Kind.FILE).first()  # fmt: skip
    upload = request.FILES.get("file")
    problem = _upload_problem(application, field, upload)
    if problem:
        messages.error(request, problem)
        return redirect(application)
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(application)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not locked.is_editable:
            messages.error(
                request, _("Der Antrag ist eingereicht; Dateien ändern sich nicht mehr.")
            )
            return redirect(application)
        stored = ApplicationFile(
            application=locked, field_key=field.key, name=checked.name, kind=checked.kind,
            size=checked.size, sha256=checked.sha256, uploaded_by=request.user,
        )  # fmt: skip
        stored.stored.save(f"{checked.sha256[:16]}.{checked.kind}", upload, save=False)
        try:
            stored.save()
        except Exception:
            stored.stored.delete(save=False)  # no file without its row
            raise
    messages.success(request, _("„%(name)s“ ist hochgeladen.") % {"name": checked.name})
    return redirect(application)


def _upload_problem(application: Application, field, upload) -> str:
    if not application.is_editable:
        return _("Der Antrag ist eingereicht; Dateien ändern sich nicht mehr.")
    if field is None:
        return _("Zu dieser Frage gehören keine Dateien.")
    if upload is None:
        return _("Bitte wählen Sie eine Datei.")
    if application.files.filter(field_key=field.key).count() >= MAX_FILES_PER_QUESTION:
        return _("Zu einer Frage gehören höchstens %(max)s Dateien.") % {
            "max": MAX_FILES_PER_QUESTION}  # fmt: skip
    return ""


@login_required
@require_POST
def delete_file(request, pk, file_pk):
    application = _application(request, pk, "calls.apply")
    document = get_object_or_404(ApplicationFile, pk=file_pk, application=application)
    if not application.is_editable:
        messages.error(request, _("Der Antrag ist eingereicht; Dateien ändern sich nicht mehr."))
        return redirect(application)
    name = document.name
    document.stored.delete(save=False)
    document.delete()
    messages.success(request, _("„%(name)s“ ist entfernt.") % {"name": name})
    return redirect(application)


@login_required
@require_safe
def application_file(request, pk, file_pk):
    """A file, to those who may read the application; always as a download, never rendered
    in the portal's origin."""
    application = _application(request, pk, "calls.view_application")
    document = get_object_or_404(ApplicationFile, pk=file_pk, application=application)
    response = FileResponse(
        document.stored.open("rb"),
        as_attachment=True,
        filename=document.name,
        content_type=CONTENT_TYPES[document.kind],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def withdraw_application(request, pk):
    application = _application(request, pk, "calls.apply")
    return application_step(
        request, application, lambda: application.withdraw(by=request.user),
        _("Der Förderantrag ist zurückgezogen."), mail="withdrawn",
    )  # fmt: skip


def application_step(request, application: Application, step, done: str, mail: str = ""):
    """Run one state change of an application; its refusal or `done` as the page's message,
    and the applicants' letter about `mail` once it succeeded."""
    try:
        step()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(application)
    if mail:
        mail_applicants(application, mail)
    messages.success(request, done)
    return redirect(application)


@login_required
@require_safe
def my_applications(request):
    managed = [role.initiative_id for role in request.user.roles.all()
               if role.kind == Role.Kind.CLUSTER_MANAGER]  # fmt: skip
    applications = (
        Application.objects.filter(initiative__in=managed)
        .select_related("call", "initiative").order_by("-updated_at")
    )  # fmt: skip
    return render(request, "calls/my_applications.html", {"applications": applications})
