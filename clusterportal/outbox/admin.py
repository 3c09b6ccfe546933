"""The outbox in the back office: read-only, for the people who may see it.

Who sees it follows the role rules (accounts.manage_people: the curators), not
Django's model permissions: the messages hold other people's addresses and texts.
"Jetzt erneut senden" delivers the chosen pending messages at once.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clusterportal.lib.admin import RulesAdminMixin
from clusterportal.outbox.models import OutboxMessage, SentReminder

PERMISSION = "accounts.manage_people"


class RulesReadOnlyMixin(RulesAdminMixin):
    """Seen by those the rules allow; nobody adds, edits or deletes through the admin."""

    rule = PERMISSION
    read_only = True


class DeliveryFilter(admin.SimpleListFilter):
    title = _("Zustellung")
    parameter_name = "zustellung"

    def lookups(self, request, model_admin):
        return [
            ("wartet", _("wartet auf den ersten Versuch")),
            ("fehler", _("fehlgeschlagen, wird wiederholt")),
            ("versandt", _("versandt")),
        ]

    def queryset(self, request, queryset):
        pending = Q(status=OutboxMessage.Status.PENDING)
        return {
            "wartet": queryset.filter(pending, attempts=0),
            "fehler": queryset.filter(pending, attempts__gt=0),
            "versandt": queryset.filter(status=OutboxMessage.Status.SENT),
        }.get(self.value(), queryset)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(RulesReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "subject", "addressees", "state", "error"]
    list_filter = [DeliveryFilter, "created_at"]
    search_fields = ["subject", "to"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    fields = [
        ("created_at", "status", "sent_at"),
        ("attempts", "next_attempt_at"),
        "last_error",
        "from_email",
        ("to", "cc", "bcc", "reply_to"),
        "subject",
        "body",
        "headers",
        "alternatives",
        "attachment_names",
    ]
    readonly_fields = flatten_fieldsets([(None, {"fields": fields})])

    @admin.display(description=_("an"))
    def addressees(self, message):
        return ", ".join(message.recipients)

    @admin.display(description=_("Zustellung"), ordering="status")
    def state(self, message):
        if message.status == OutboxMessage.Status.SENT:
            return _("versandt am %(date)s") % {
                "date": date_format(localtime(message.sent_at), "SHORT_DATETIME_FORMAT")
            }
        if not message.attempts:
            return _("wartet")
        return ngettext(
            "%(count)d Versuch fehlgeschlagen; nächster Versuch %(date)s",
            "%(count)d Versuche fehlgeschlagen; nächster Versuch %(date)s",
            message.attempts,
        ) % {
            "count": message.attempts,
            "date": date_format(localtime(message.next_attempt_at), "SHORT_DATETIME_FORMAT"),
        }

    @admin.display(description=_("letzter Fehler"))
    def error(self, message):
        return Truncator(message.last_error).chars(80) if message.last_error else "–"

    @admin.display(description=_("Anhänge"))
    def attachment_names(self, message):
        return ", ".join(item.get("filename") or "MIME" for item in message.attachments) or "–"

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm(PERMISSION)

    @admin.action(description=_("Jetzt erneut senden"), permissions=["retry"])
    def retry_now(self, request, queryset):
        ids = list(
            queryset.filter(status=OutboxMessage.Status.PENDING).values_list("pk", flat=True)
        )
        # Due now, unless a running delivery holds them (it sends them itself).
        OutboxMessage.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now())
        delivery = OutboxMessage.objects.deliver(ids)
        level = messages.WARNING if delivery.failed else messages.SUCCESS
        text = ngettext(
            "%(sent)d E-Mail versandt, %(failed)d fehlgeschlagen.",
            "%(sent)d E-Mails versandt, %(failed)d fehlgeschlagen.",
            delivery.sent,
        ) % {"sent": delivery.sent, "failed": delivery.failed}
        if delivery.errors:
            text += " " + delivery.errors[0]
        self.message_user(request, text, level)


@admin.register(SentReminder)
class SentReminderAdmin(RulesReadOnlyMixin, admin.ModelAdmin):
    list_display = ["sent_at", "kind", "object_key", "due_on", "recipients"]
    list_filter = ["kind", "sent_at"]
    search_fields = ["object_key"]
    date_hierarchy = "sent_at"
