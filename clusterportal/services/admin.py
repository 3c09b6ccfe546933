"""Back office of the services: the curators (services.handle) keep the catalogue and see
the requests. A request's steps are taken on its portal page, where they are checked and
mailed; the admin shows requests read-only, with their history."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clusterportal.lib.admin import RulesAdminMixin
from clusterportal.services.models import Service, ServiceRequest


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = [
            "slug", "kind", "title", "title_en", "summary", "summary_en", "description",
            "description_en", "audience", "audience_en", "source_name", "source_url",
            "position", "active", "courses",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        # Only a course has dates, and they are qualification or workshop events.
        self.instance.kind = cleaned.get("kind", self.instance.kind)
        self.instance.check_courses(cleaned.get("courses") or [])
        return cleaned


@admin.register(Service)
class ServiceAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    rule = "services.handle"
    form = ServiceForm
    list_display = ["title", "kind", "active", "position"]
    list_filter = ["kind", "active"]
    search_fields = ["title", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["courses"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    rule = "services.handle"
    read_only = True
    list_display = ["__str__", "status", "advisor", "created_at", "closed_at", "feedback_score"]
    list_filter = ["status", "service"]
    search_fields = ["initiative__name", "service__title", "message"]
    list_select_related = ["service", "initiative", "advisor"]
