"""The application form of a call, built from its `FormField` rows (docs/calls.md).

One Django form per call, made at request time: text fields with their character limit,
numbers with their bounds, choices, and the budget table (rows of item and amount, whose
total must lie within the field's bounds). Files are uploaded one by one beside the form
(calls/files.py) and counted here for completeness.

A draft may be incomplete, but never wrong: a save checks every limit and type, and the
page keeps what was typed when it refuses. Submission asks in addition that every required
question is answered (`missing_answers`).
"""

from __future__ import annotations

import decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clusterportal.calls.application_models import Application, FormField

MAX_BUDGET_ROWS = 50
MAX_BUDGET_ITEM_CHARS = 200
MONEY = decimal.Decimal("0.01")


class ApplicationForm(forms.Form):
    """The answers of one application; `fields_of_call` in the order staff set."""

    def __init__(self, form_fields: list[FormField], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_fields = form_fields
        for field in form_fields:
            built = _django_field(field)
            if built is not None:
                self.fields[field.key] = built

    def clean(self):
        cleaned = super().clean()
        for field in self.form_fields:
            if field.kind == FormField.Kind.BUDGET:
                try:
                    cleaned[field.key] = parse_budget(field, self.data)
                except ValidationError as error:
                    self.add_error(None, error)
        return cleaned

    def answers(self) -> dict:
        """The answers as stored (JSON): text, numbers as strings, the budget as rows."""
        stored = {}
        for field in self.form_fields:
            value = self.cleaned_data.get(field.key)
            if field.kind == FormField.Kind.NUMBER:
                value = None if value is None else str(value)
            if field.kind != FormField.Kind.FILE:
                stored[field.key] = value
        return stored

    def budget_rows(self, field: FormField, answers: dict) -> list[dict]:
        """The rows to show: what was posted (a refused save keeps it), else what is stored."""
        if self.is_bound:
            items = self.data.getlist(f"{field.key}-item")
            amounts = self.data.getlist(f"{field.key}-amount")
            return [{"item": i, "amount": a} for i, a in zip(items, amounts, strict=False)]
        return list((answers.get(field.key) or {}).get("rows", []))


class TextAnswer(forms.CharField):
    """Line breaks count as one character, as the page's counter shows them (browsers send
    a textarea's breaks as CR LF)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _django_field(field: FormField) -> forms.Field | None:
    common = {"label": field.localized_label, "help_text": field.localized_help_text,
              "required": False}  # fmt: skip
    if field.kind == FormField.Kind.TEXT:
        attrs = {"rows": 6}
        if field.max_chars:
            attrs["data-max-chars"] = field.max_chars
        return TextAnswer(max_length=field.max_chars, widget=forms.Textarea(attrs=attrs),
                          **common)  # fmt: skip
    if field.kind == FormField.Kind.NUMBER:
        return forms.DecimalField(max_digits=14, decimal_places=2, min_value=field.min_value,
                                  max_value=field.max_value, **common)  # fmt: skip
    if field.kind == FormField.Kind.CHOICE:
        options = [("", "—"), *((choice, choice) for choice in field.choices)]
        return forms.ChoiceField(choices=options, **common)
    return None  # files and the budget are read beside the form


def parse_budget(field: FormField, data) -> dict | None:
    """The budget table from the posted rows `<key>-item` and `<key>-amount`: empty rows are
    dropped, each other row needs both; the total must lie within the field's bounds."""
    items = data.getlist(f"{field.key}-item")
    amounts = data.getlist(f"{field.key}-amount")
    rows = []
    for number, (item, amount) in enumerate(zip(items, amounts, strict=False), start=1):
        item, amount = item.strip(), amount.strip().replace(" ", "")
        if not item and not amount:
            continue
        rows.append(_budget_row(field, number, item, amount))
    if len(rows) > MAX_BUDGET_ROWS:
        raise ValidationError(
            _("%(field)s: höchstens %(max)s Zeilen.")
            % {"field": field.localized_label, "max": MAX_BUDGET_ROWS}
        )
    if not rows:
        return None
    total = sum((decimal.Decimal(row["amount"]) for row in rows), decimal.Decimal(0))
    _check_total(field, total)
    return {"rows": rows, "total": str(total)}


def _budget_row(field: FormField, number: int, item: str, amount: str) -> dict:
    where = _("%(field)s, Zeile %(row)s") % {"field": field.localized_label, "row": number}
    if not item or not amount:
        raise ValidationError(_("%(where)s: Posten und Betrag gehören zusammen.")
                              % {"where": where})  # fmt: skip
    if len(item) > MAX_BUDGET_ITEM_CHARS:
        raise ValidationError(_("%(where)s: Der Posten hat mehr als %(max)s Zeichen.")
                              % {"where": where, "max": MAX_BUDGET_ITEM_CHARS})  # fmt: skip
    try:
        value = decimal.Decimal(_decimal_text(amount))
    except decimal.InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0 or value != value.quantize(MONEY):
        raise ValidationError(
            _("%(where)s: „%(amount)s“ ist kein Betrag in Euro (z. B. 1250,50).")
            % {"where": where, "amount": amount[:40]}
        )
    if value >= decimal.Decimal(10) ** 12:
        raise ValidationError(_("%(where)s: Der Betrag ist zu groß.") % {"where": where})
    return {"item": item, "amount": str(value.quantize(MONEY))}


def _decimal_text(amount: str) -> str:
    """German or English notation: 1.250,50 and 1250.50 are both 1250.50."""
    if "," in amount:
        return amount.replace(".", "").replace(",", ".")
    return amount


def _check_total(field: FormField, total: decimal.Decimal) -> None:
    values = {"field": field.localized_label, "total": total}
    if field.min_value is not None and total < field.min_value:
        raise ValidationError(_("%(field)s: Die Summe %(total)s EUR liegt unter %(bound)s EUR.")
                              % {**values, "bound": field.min_value})  # fmt: skip
    if field.max_value is not None and total > field.max_value:
        raise ValidationError(_("%(field)s: Die Summe %(total)s EUR liegt über %(bound)s EUR.")
                              % {**values, "bound": field.max_value})  # fmt: skip


def missing_answers(application: Application, form_fields: list[FormField],
                    files: list | None = None) -> list[str]:  # fmt: skip
    """The required questions the application leaves open, by their label (`files`: the
    application's files, where the caller has read them already)."""
    keys = {f.field_key for f in (application.files.all() if files is None else files)}
    missing = []
    for field in form_fields:
        if not field.required:
            continue
        if field.kind == FormField.Kind.FILE:
            answered = field.key in keys
        else:
            answered = application.answers.get(field.key) not in (None, "", [], {})
        if not answered:
            missing.append(field.localized_label)
    return missing


def initial_answers(application: Application, form_fields: list[FormField]) -> dict:
    return {
        field.key: application.answers.get(field.key)
        for field in form_fields
        if field.kind in (FormField.Kind.TEXT, FormField.Kind.NUMBER, FormField.Kind.CHOICE)
    }
