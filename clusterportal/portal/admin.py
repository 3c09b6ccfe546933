"""Back office: the publisher (one record) and the feedback on barriers, for the curators."""

from __future__ import annotations

from django.contrib import admin

from clusterportal.lib.admin import RulesAdminMixin
from clusterportal.portal.models import Feedback, Publisher

RULE = "portal.edit_site"


@admin.register(Publisher)
class PublisherAdmin(RulesAdminMixin, admin.ModelAdmin):
    rule = RULE
    list_display = ["name", "unit", "city", "email"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request, *args) -> bool:
        # One publisher, made by migration 0002 and edited from then on. (Asking whether one
        # exists would cost a query on every admin page: the sidebar asks each model.)
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Feedback)
class FeedbackAdmin(RulesAdminMixin, admin.ModelAdmin):
    rule = RULE
    list_display = ["created_at", "page", "status", "reply_due", "email"]
    list_filter = ["status"]
    search_fields = ["message", "page"]
    readonly_fields = ["page", "message", "name", "email", "language", "created_at", "reply_due"]

    def has_add_permission(self, request, *args) -> bool:
        return False  # feedback comes from the public form
