"""The public "Aufnahme beantragen" form and its confirmation page (admission.py)."""

from __future__ import annotations

import logging

from django.shortcuts import redirect, render
from django.urls import reverse

from clusterportal.changes import admission

log = logging.getLogger(__name__)
SESSION_KEY = "admission_submission"


def apply(request):
    if request.method == "POST" and request.POST.get(admission.HONEYPOT):
        # Answered like a success, so that a bot learns nothing; nothing is stored.
        log.info("Admission form: honeypot filled, ignored")
        request.session.pop(SESSION_KEY, None)
        return redirect("admission:sent")
    initial = {"region": request.GET.get("region", "")}
    form = admission.AdmissionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        submission = admission.submit(form, request)
        request.session[SESSION_KEY] = {
            "email": submission.email,
            "name": submission.name,
            "region": submission.region.localized_name if submission.region else "",
            "region_slug": submission.region.slug if submission.region else "",
            "to_regional_contact": submission.to_regional_contact,
        }
        return redirect("admission:sent")
    context = {
        "form": form,
        "login_url": f"{reverse('account_login')}?next={reverse('admission:apply')}",
    }
    status = 400 if form.errors else 200
    return render(request, "changes/admission_form.html", context, status=status)


def sent(request):
    """What happens next; without a fresh application, a pointer to the form."""
    submission = request.session.get(SESSION_KEY)
    return render(request, "changes/admission_sent.html", {"submission": submission})
