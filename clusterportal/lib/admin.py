"""A ModelAdmin whose permissions come from one permission rule (django-rules), not
from Django's model permissions. No models here: the rule is named by the app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest


class RulesAdminMixin:
    """Every permission of the ModelAdmin is `rule`, asked with the record (None for the
    list and for adding). `scoped()` narrows the list to the records the rule allows, and
    a record outside it is a 403, not "does not exist". `read_only` admins show and
    never change."""

    rule = "accounts.manage_people"
    read_only = False
    model: type[Model]

    def allowed(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.has_perm(self.rule, obj))  # type: ignore[union-attr]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self.read_only and self.allowed(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self.read_only and self.allowed(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return not self.read_only and self.allowed(request, None)

    def scoped(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset if self.allowed(request) else queryset.none()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.scoped(request, super().get_queryset(request))  # type: ignore[misc]

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        found = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if found is None and self._exists(object_id, from_field):
            raise PermissionDenied
        return found

    def _exists(self, object_id: str, from_field: str | None) -> bool:
        opts = self.model._meta
        field = opts.pk if from_field is None else opts.get_field(from_field)
        try:
            value = field.to_python(object_id)  # type: ignore[union-attr]
        except ValidationError:
            return False
        return self.model._default_manager.filter(**{field.name: value}).exists()
