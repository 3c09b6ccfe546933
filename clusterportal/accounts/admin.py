"""People in the back office: roles, invitations, API tokens (hints only), contact details.

Only curators (`accounts.manage_people`, accounts/rules.py) see or change these;
Django's own model permissions give nothing here. An invitation saved here is
sent by e-mail at once (through Django's mail framework).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from clusterportal.accounts.invitations import send_invitation
from clusterportal.accounts.models import ApiToken, ContactProfile, Invitation, Role
from clusterportal.lib.admin import RulesAdminMixin


class PeopleAdmin(RulesAdminMixin, admin.ModelAdmin):
    """Every view and change asks the rules (curators), not Django's model permissions."""

    rule = "accounts.manage_people"


@admin.register(Role)
class RoleAdmin(PeopleAdmin):
    list_display = ["user", "kind", "region", "initiative", "granted_at", "granted_by"]
    list_filter = ["kind", "region"]
    search_fields = ["user__email", "initiative__name", "region__name"]
    autocomplete_fields = ["initiative"]
    raw_id_fields = ["user"]
    readonly_fields = ["granted_at", "granted_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user.email
        super().save_model(request, obj, form, change)


@admin.register(Invitation)
class InvitationAdmin(PeopleAdmin):
    list_display = [
        "email",
        "kind",
        "region",
        "initiative",
        "created_at",
        "expires_at",
        "accepted_at",
    ]
    list_filter = ["kind"]
    search_fields = ["email"]
    fields = ["email", "kind", "region", "initiative", "expires_at", "accepted_at"]
    readonly_fields = ["expires_at", "accepted_at"]
    autocomplete_fields = ["initiative"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.invited_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            send_invitation(obj, request)
            messages.success(
                request, _("Die Einladung ist an %(email)s verschickt.") % {"email": obj.email}
            )


@admin.register(ApiToken)
class ApiTokenAdmin(PeopleAdmin):
    list_display = ["hint", "user", "name", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["user__email", "hint"]
    readonly_fields = ["user", "hint", "name", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens are made by their owner (account page) or `clusterportal token`

    @admin.action(description=_("Ausgewählte Tokens widerrufen"))
    def revoke(self, request, queryset):
        for token in queryset:
            token.revoke()


@admin.register(ContactProfile)
class ContactProfileAdmin(PeopleAdmin):
    list_display = ["display_name", "user", "organisation", "consent_given_at"]
    search_fields = ["display_name", "user__email", "organisation"]
    readonly_fields = ["consent_given_at", "consent_text"]
