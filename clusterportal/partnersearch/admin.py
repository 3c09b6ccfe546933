"""Back office of the partner search: the curators see postings (read-only, with their
history), the messages of interest and the outcomes. A posting's check, renewal and closing
happen on its portal page, where they are validated, locked and mailed."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clusterportal.lib.admin import RulesAdminMixin
from clusterportal.partnersearch.models import Interest, Outcome, Posting


@admin.register(Posting)
class PostingAdmin(RulesAdminMixin, SimpleHistoryAdmin):
    rule = "partnersearch.see_outcomes"
    read_only = True
    list_display = ["title", "kind", "purpose", "status", "organisation_name", "expires_on"]
    list_filter = ["status", "kind", "purpose"]
    search_fields = ["title", "organisation_name", "description"]
    list_select_related = ["initiative"]


@admin.register(Interest)
class InterestAdmin(RulesAdminMixin, admin.ModelAdmin):
    rule = "partnersearch.see_outcomes"
    read_only = True
    list_display = ["posting", "sender_name", "sender_organisation", "created_at"]
    list_select_related = ["posting"]


@admin.register(Outcome)
class OutcomeAdmin(RulesAdminMixin, admin.ModelAdmin):
    rule = "partnersearch.see_outcomes"
    read_only = True
    list_display = ["posting", "months_after", "result", "answered_at"]
    list_filter = ["months_after", "result"]
    list_select_related = ["posting"]
