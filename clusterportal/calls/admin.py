"""Back office for programmes and calls: the curators edit them (calls.edit); everyone
else reads them on the portal. A call's rules are validated against the rule registry
on save (Call.eligibility_rules' validator names each bad rule and parameter)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from clusterportal.calls import eligibility
from clusterportal.calls.models import Call, Criterion, Deadline, FormField, Programme
from clusterportal.lib.admin import RulesAdminMixin


class CallPartInline(admin.TabularInline):
    """The inlines ask the same rule as their call (RulesAdminMixin is for ModelAdmins)."""

    extra = 1

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("calls.edit")

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


class DeadlineInline(CallPartInline):
    model = Deadline
    fields = ["due_at", "label", "label_en"]


class FormFieldInline(CallPartInline):
    """The application form, question by question: staff define it without code."""

    model = FormField
    extra = 0
    fields = ["position", "key", "label", "label_en", "kind", "required", "max_chars",
              "min_value", "max_value", "choices", "help_text", "help_text_en"]  # fmt: skip


class CriterionInline(CallPartInline):
    model = Criterion
    extra = 0
    fields = ["position", "name", "name_en", "weight", "description"]


@admin.register(Programme)
class ProgrammeAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    rule = "calls.edit"
    list_display = ["name", "funder", "valid_from", "valid_until", "archived"]
    list_filter = ["archived"]
    search_fields = ["name", "name_en", "funder", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Call)
class CallAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    rule = "calls.edit"
    list_display = ["title", "programme", "opens_at", "closes_at"]
    list_filter = ["programme"]
    search_fields = ["title", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["technology_fields"]
    readonly_fields = ["closes_at", "rule_catalogue"]
    inlines = [DeadlineInline, FormFieldInline, CriterionInline]

    @admin.display(description=_("Verfügbare Regeln"))
    def rule_catalogue(self, obj=None) -> str:
        return "; ".join(
            f"{code} ({title}): {', '.join(params) or '–'}"
            for code, title, params in eligibility.catalogue()
        )
