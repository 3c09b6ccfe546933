"""The questions an event asks at registration, and one validation of the answers for the
page's form and the API (so both name the same field with the same reason)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KINDS = {"text", "choice", "yes_no"}
MAX_ANSWER = 1000


def check_definition(questions: object) -> None:
    """Refuse a malformed question list in the back office."""
    if not isinstance(questions, list):
        raise ValidationError(_("Die Fragen müssen eine Liste sein."))
    keys = set()
    for number, q in enumerate(questions, start=1):
        if not isinstance(q, dict) or not q.get("key") or not q.get("label"):
            raise ValidationError(_("Frage %(n)s braucht key und label.") % {"n": number})
        if q.get("kind", "text") not in KINDS:
            raise ValidationError(_("Frage %(n)s: unbekannte Art.") % {"n": number})
        if q.get("kind") == "choice" and not q.get("choices"):
            raise ValidationError(_("Frage %(n)s: Auswahl ohne Möglichkeiten.") % {"n": number})
        if q["key"] in keys:
            raise ValidationError(_("Frage %(n)s: key doppelt.") % {"n": number})
        keys.add(q["key"])


def clean_answers(questions: list[dict], answers: object) -> tuple[dict, dict[str, list[str]]]:
    """(the cleaned answers, errors by field `answers.<key>`); unknown keys are errors."""
    errors: dict[str, list[str]] = {}
    if not isinstance(answers, dict):
        return {}, {"answers": [_("Die Antworten müssen ein Objekt sein.")]}
    known = {q["key"]: q for q in questions}
    for key in answers:
        if key not in known:
            errors[f"answers.{key}"] = [_("Diese Frage gibt es nicht.")]
    cleaned = {}
    for key, q in known.items():
        value = answers.get(key)
        field = f"answers.{key}"
        kind = q.get("kind", "text")
        if value in (None, ""):
            if q.get("required"):
                errors[field] = [_("Bitte beantworten Sie diese Frage.")]
            continue
        if kind == "yes_no":
            if isinstance(value, str) and value.lower() in ("ja", "yes", "true", "on", "1"):
                value = True
            elif isinstance(value, str) and value.lower() in ("nein", "no", "false", "0"):
                value = False
            if not isinstance(value, bool):
                errors[field] = [_("Bitte ja oder nein angeben.")]
                continue
        elif kind == "choice":
            if value not in q["choices"]:
                errors[field] = [_("Bitte eine der angebotenen Möglichkeiten wählen.")]
                continue
        else:
            if not isinstance(value, str):
                errors[field] = [_("Bitte Text angeben.")]
                continue
            value = value.strip()
            if len(value) > MAX_ANSWER:
                errors[field] = [_("Höchstens %(n)s Zeichen.") % {"n": MAX_ANSWER}]
                continue
        cleaned[key] = value
    return cleaned, errors
