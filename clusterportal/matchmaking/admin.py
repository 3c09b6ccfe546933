"""Back office: switch matchmaking on for an event, with its slots and answer time (the
organisers' rule, matchmaking.organise); requests and meetings are read here."""

from __future__ import annotations

from django.contrib import admin

from clusterportal.lib.admin import RulesAdminMixin
from clusterportal.matchmaking.models import Matchmaking, Meeting, MeetingRequest, Participant


@admin.register(Matchmaking)
class MatchmakingAdmin(RulesAdminMixin, admin.ModelAdmin):
    rule = "matchmaking.organise"
    list_display = ["event", "enabled", "slots_start", "slots_end", "slot_minutes", "answer_hours"]
    list_filter = ["enabled"]
    search_fields = ["event__title"]
    autocomplete_fields = ["event"]


@admin.register(Participant)
class ParticipantAdmin(RulesAdminMixin, admin.ModelAdmin):
    rule = "matchmaking.organise"
    read_only = True
    list_display = ["name", "organisation", "matchmaking"]
    search_fields = ["name", "organisation"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(RulesAdminMixin, admin.ModelAdmin):
    rule = "matchmaking.organise"
    read_only = True
    list_display = ["sender", "recipient", "slot", "status", "expires_at"]
    list_filter = ["status"]


@admin.register(Meeting)
class MeetingAdmin(RulesAdminMixin, admin.ModelAdmin):
    """Read, or delete (the slot is free again for both; an accepted request goes back to
    the scheduler). Meetings are made on the organisers' page, where the checks are."""

    rule = "matchmaking.organise"
    list_display = ["slot", "first", "second", "arranged_by"]
    readonly_fields = ["matchmaking", "slot", "first", "second", "request", "arranged_by"]

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
