"""Back office for events: curators edit every event; registrations are read here and
managed on the organisers' participant page (the same rule, events.organise)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError

from clusterportal.events.models import AgendaItem, Event, Registration, Speaker
from clusterportal.events.questions import check_definition
from clusterportal.lib.admin import RulesAdminMixin


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    fields = ["position", "starts_at", "title", "title_en", "presenter"]
    extra = 0


class SpeakerInline(admin.TabularInline):
    model = Speaker
    fields = ["position", "name", "role", "role_en", "organisation"]
    extra = 0


class RegistrationInline(admin.TabularInline):
    model = Registration
    fields = [
        "sequence", "name", "email", "status", "offer_expires_at", "consent_participant_list",
        "checked_in_at",
    ]  # fmt: skip
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["sequence"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # people register on the event page or through the API


@admin.register(Event)
class EventAdmin(RulesAdminMixin, admin.ModelAdmin):
    rule = "registry.curate"
    list_display = ["title", "kind", "starts_at", "organiser", "status", "capacity"]
    list_filter = ["status", "kind", "format"]
    search_fields = ["title", "organiser", "venue"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organising_initiative", "parent", "region", "kreis"]
    filter_horizontal = ["technology_fields"]
    inlines = [AgendaInline, SpeakerInline, RegistrationInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        def clean_questions(self):
            value = self.cleaned_data["questions"]
            try:
                check_definition(value)
            except ValidationError as error:
                raise ValidationError(error.messages) from None
            return value

        form.clean_questions = clean_questions
        return form
