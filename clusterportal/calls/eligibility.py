"""Eligibility rules as code, evaluated from the registry's data (docs/calls.md).

A call keeps its rules as data, a JSON list such as

    [{"rule": "listed"},
     {"rule": "initiative_kind", "parameters": {"kinds": ["cluster_initiative"]}},
     {"rule": "label_valid", "parameters": {"kinds": ["ecei_gold"]}}]

and `validate_rules` checks that list against the rules defined here (each rule's
parameters are a Django form). `check(rules, initiative)` evaluates them for one
initiative and says for each rule its result and the data it used.

A result is one of three: met, not met, or not shown by the data. The registry cannot
always tell a missing fact from an unmet requirement (an admission criterion the profile
does not show, a label without a known end): then the rule says so instead of guessing.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterportal.lib.dates import add_months
from clusterportal.regions.models import Region
from clusterportal.registry import admission
from clusterportal.registry.models import ClusterInitiative, Label


class Result(enum.StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_SHOWN = "not_shown"

    @property
    def label(self) -> str:
        return str(RESULT_LABELS[self])


RESULT_LABELS = {
    Result.MET: gettext_lazy("erfüllt"),
    Result.NOT_MET: gettext_lazy("nicht erfüllt"),
    Result.NOT_SHOWN: gettext_lazy("von den Daten nicht belegt"),
}


@dataclass(frozen=True)
class Outcome:
    """One rule for one initiative: the result and the data behind it."""

    rule: str
    requirement: str
    result: Result
    data: list[str]  # the data used, in words ("Label ECEI Gold, verliehen 2022, …")
    facts: dict[str, Any] = field(default_factory=dict)  # the same data as values


@dataclass(frozen=True)
class Check:
    """All rules of a call for one initiative, evaluated on `day`."""

    initiative: ClusterInitiative
    day: datetime.date
    outcomes: list[Outcome]

    @property
    def result(self) -> Result:
        """Met if every rule is met; not met if any rule is not; else not shown."""
        results = {outcome.result for outcome in self.outcomes}
        if Result.NOT_MET in results:
            return Result.NOT_MET
        if Result.NOT_SHOWN in results:
            return Result.NOT_SHOWN
        return Result.MET

    def outcomes_data(self) -> list[dict[str, Any]]:
        """The outcomes as JSON values (the API's answer; kept with an application)."""
        return [
            {"rule": o.rule, "requirement": str(o.requirement), "result": o.result.value,
             "data": o.data, "facts": o.facts}
            for o in self.outcomes
        ]  # fmt: skip

    def as_data(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "result": self.result.value,
                "outcomes": self.outcomes_data()}  # fmt: skip


@dataclass(frozen=True)
class ParsedRule:
    rule: Rule
    params: dict[str, Any]  # cleaned parameters

    @property
    def requirement(self) -> str:
        return self.rule.requirement(self.params)


class Rule:
    """A kind of eligibility rule: its parameters (a form) and its evaluation."""

    code: ClassVar[str]
    title: ClassVar[Any]  # lazy translation
    form_class: ClassVar[type[forms.Form]] = forms.Form

    def requirement(self, params: dict[str, Any]) -> str:
        """What the rule asks for, with its parameters, in words."""
        return str(self.title)

    def evaluate(
        self, initiative: ClusterInitiative, params: dict[str, Any], day: datetime.date
    ) -> tuple[Result, list[str], dict[str, Any]]:
        raise NotImplementedError


RULES: dict[str, Rule] = {}


def register(cls: type[Rule]) -> type[Rule]:
    RULES[cls.code] = cls()
    return cls


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _yes(value: bool) -> str:
    return _("ja") if value else _("nein")


# --- the rules --------------------------------------------------------------------------


@register
class Listed(Rule):
    code = "listed"
    title = gettext_lazy("In der Clusterdatenbank geführt und veröffentlicht")

    def evaluate(self, initiative, params, day):
        data = [
            _("Stand des Eintrags: %(status)s") % {"status": initiative.get_status_display()},
            _("Eintrag in der Clusterdatenbank laut Quellen bestätigt: %(yes)s")
            % {"yes": _yes(initiative.listing_confirmed)},
            _("aktiv: %(yes)s") % {"yes": _yes(initiative.is_active)},
        ]
        facts = {
            "status": initiative.status,
            "listing_confirmed": initiative.listing_confirmed,
            "is_active": initiative.is_active,
        }
        published = initiative.status == ClusterInitiative.Status.PUBLISHED
        if not published or not initiative.is_active:
            return Result.NOT_MET, data, facts
        # Unconfirmed: the sources do not show the listing (registry field help text).
        result = Result.MET if initiative.listing_confirmed else Result.NOT_SHOWN
        return result, data, facts


class AdmissionForm(forms.Form):
    criteria = forms.MultipleChoiceField(
        required=False, choices=[(c.code, c.title) for c in admission.CRITERIA]
    )


@register
class AdmissionCriteria(Rule):
    code = "admission"
    title = gettext_lazy("Aufnahmekriterien der Clusterdatenbank erfüllt")
    form_class = AdmissionForm

    def _codes(self, params: dict[str, Any]) -> list[str]:
        return params.get("criteria") or [c.code for c in admission.CRITERIA]

    def requirement(self, params):
        if not params.get("criteria"):
            return str(self.title)
        names = ", ".join(str(admission.BY_CODE[code].title) for code in self._codes(params))
        return _("Aufnahmekriterien erfüllt: %(names)s") % {"names": names}

    def evaluate(self, initiative, params, day):
        wanted = set(self._codes(params))
        if hasattr(initiative, admission.CRITERIA[0].annotation):
            # Annotated when the record was loaded (initiatives_for_check): no query here.
            results = [
                admission.Result(c, bool(getattr(initiative, c.annotation)))
                for c in admission.CRITERIA
            ]
        else:
            results = admission.evaluate(initiative)
        results = [r for r in results if r.criterion.code in wanted]
        data = [
            f"{r.criterion.title}: {_('erfüllt') if r.met else _('von den Daten nicht belegt')}"
            for r in results
        ]
        facts = {r.criterion.code: r.met for r in results}
        # A criterion the data does not show may still be met (registry/admission.py).
        met = all(r.met for r in results)
        return (Result.MET if met else Result.NOT_SHOWN), data, facts


class LabelKindsForm(forms.Form):
    kinds = forms.MultipleChoiceField(choices=Label.Kind.choices)


class LabelExpiringForm(LabelKindsForm):
    months = forms.IntegerField(min_value=1, max_value=120)


def _label_kinds(params: dict[str, Any]) -> str:
    return _(" oder ").join(str(Label.Kind(kind).label) for kind in params["kinds"])


def latest_label(initiative: ClusterInitiative, kinds: Iterable[str]) -> Label | None:
    """The initiative's latest label of these kinds (by award, then end of validity);
    reads the prefetched labels. An earlier label is history (LabelQuerySet.current)."""
    kinds = set(kinds)
    labels = [label for label in initiative.labels.all() if label.kind in kinds]
    if not labels:
        return None

    def newest(label: Label) -> tuple:
        year = label.awarded_on.year if label.awarded_on else (label.awarded_year or 0)
        return (year, label.awarded_on or datetime.date.min, label.valid_until or datetime.date.min)

    return max(labels, key=newest)


def describe_label(label: Label) -> str:
    """ "Label ECEI Gold, verliehen am 2022-05-01, gültig bis 2024-04-30" and the like."""
    parts = [_("Label %(kind)s") % {"kind": label.get_kind_display()}]
    if label.awarded_on:
        parts.append(_("verliehen am %(day)s") % {"day": label.awarded_on.isoformat()})
    elif label.awarded_year:
        parts.append(_("verliehen %(year)s") % {"year": label.awarded_year})
    else:
        parts.append(_("Verleihungsdatum nicht bekannt"))
    if label.valid_until:
        parts.append(_("gültig bis %(day)s") % {"day": label.valid_until.isoformat()})
    else:
        parts.append(_("Ende der Gültigkeit nicht bekannt"))
    return ", ".join(parts)


def label_facts(label: Label) -> dict[str, Any]:
    return {
        "kind": label.kind,
        "awarded_on": _iso(label.awarded_on),
        "awarded_year": label.awarded_year,
        "valid_until": _iso(label.valid_until),
    }


def _no_label(params: dict[str, Any]) -> tuple[Result, list[str], dict[str, Any]]:
    text = _("Kein Label %(kinds)s in der Clusterdatenbank") % {"kinds": _label_kinds(params)}
    return Result.NOT_MET, [text], {"label": None}


@register
class LabelValid(Rule):
    code = "label_valid"
    title = gettext_lazy("Gültiges Label")
    form_class = LabelKindsForm

    def requirement(self, params):
        return _("Gültiges Label %(kinds)s am Tag der Prüfung") % {"kinds": _label_kinds(params)}

    def evaluate(self, initiative, params, day):
        label = latest_label(initiative, params["kinds"])
        if label is None:
            return _no_label(params)
        data, facts = [describe_label(label)], {"label": label_facts(label)}
        if label.valid_until is None:
            return Result.NOT_SHOWN, data, facts
        return (Result.MET if day <= label.valid_until else Result.NOT_MET), data, facts


@register
class LabelExpiring(Rule):
    code = "label_expiring"
    title = gettext_lazy("Label läuft bald ab")
    form_class = LabelExpiringForm

    def requirement(self, params):
        return _("Label %(kinds)s, dessen Gültigkeit in den nächsten %(months)d Monaten endet") % {
            "kinds": _label_kinds(params),
            "months": params["months"],
        }

    def evaluate(self, initiative, params, day):
        label = latest_label(initiative, params["kinds"])
        if label is None:
            return _no_label(params)
        last = add_months(day, params["months"])
        data = [describe_label(label), _("Zeitraum: %(first)s bis %(last)s") % {
            "first": day.isoformat(), "last": last.isoformat()}]  # fmt: skip
        facts = {"label": label_facts(label), "window": [day.isoformat(), last.isoformat()]}
        if label.valid_until is None:
            return Result.NOT_SHOWN, data, facts
        inside = day <= label.valid_until <= last
        return (Result.MET if inside else Result.NOT_MET), data, facts


class SeatForm(forms.Form):
    region = forms.ModelChoiceField(
        to_field_name="slug",
        queryset=Region.objects.without_boundaries().filter(
            kind__in=[Region.Kind.LAND, Region.Kind.REGION]
        ),
    )


def _chain(region: Region | None) -> list[Region]:
    """The region and its parents up to the root (select_related brought them)."""
    chain = []
    while region is not None:
        chain.append(region)
        region = region.parent
    return chain


SHOWN_KINDS = (Region.Kind.KREIS, Region.Kind.REGION, Region.Kind.LAND)


def _named(region: Region) -> str:
    """ "Region Neckar-Alb", "Land Baden-Württemberg": a Kreis and its Region may share a name."""
    return f"{region.get_kind_display()} {region.localized_name}"


@register
class Seat(Rule):
    code = "seat"
    title = gettext_lazy("Sitz")
    form_class = SeatForm

    def requirement(self, params):
        return _("Sitz in %(region)s") % {"region": _named(params["region"])}

    def evaluate(self, initiative, params, day):
        wanted: Region = params["region"]
        kreis = initiative.seat_kreis
        if kreis is not None:
            chain = _chain(kreis)
            where = ", ".join(_named(r) for r in chain if r.kind in SHOWN_KINDS)
            text = _("Sitz: %(city)s (%(where)s)") % {
                "city": initiative.city or "–",
                "where": where,
            }
        elif initiative.region is not None:
            # No Kreis of the seat: the Region (or, for a state-wide network, the Land)
            # the initiative is filed under. That says nothing about a Region's seat.
            chain = _chain(initiative.region)
            text = _("Sitz nicht angegeben; zugeordnet: %(region)s") % {
                "region": initiative.region.localized_name
            }
            if wanted.kind == Region.Kind.REGION and initiative.region.kind != Region.Kind.REGION:
                return Result.NOT_SHOWN, [text], {"seat_kreis": None, "within": []}
        else:
            return Result.NOT_SHOWN, [_("Sitz und Region nicht angegeben")], {"seat_kreis": None}
        facts = {"seat_kreis": kreis.slug if kreis else None, "within": [r.slug for r in chain]}
        inside = any(r.pk == wanted.pk for r in chain)
        return (Result.MET if inside else Result.NOT_MET), [text], facts


class KindsForm(forms.Form):
    kinds = forms.MultipleChoiceField(choices=ClusterInitiative.Kind.choices)


@register
class InitiativeKind(Rule):
    code = "initiative_kind"
    title = gettext_lazy("Art der Initiative")
    form_class = KindsForm

    def requirement(self, params):
        kinds = _(" oder ").join(str(ClusterInitiative.Kind(k).label) for k in params["kinds"])
        return _("Art: %(kinds)s") % {"kinds": kinds}

    def evaluate(self, initiative, params, day):
        data = [_("Art: %(kind)s") % {"kind": initiative.get_kind_display()}]
        met = initiative.kind in params["kinds"]
        return (Result.MET if met else Result.NOT_MET), data, {"kind": initiative.kind}


# --- validation and evaluation ---------------------------------------------------------

ALLOWED_KEYS = {"rule", "parameters"}


def parse_rules(value: Any) -> list[ParsedRule]:
    """The rules of a call, validated; a ValidationError names each bad rule and
    parameter ("Regel 2 (seat), region: …")."""
    if not isinstance(value, list):
        raise ValidationError(_("Die Regeln sind eine Liste von {rule, parameters}."))
    errors: list[str] = []
    parsed: list[ParsedRule] = []
    for number, item in enumerate(value, 1):
        where = _("Regel %(n)d") % {"n": number}
        if not isinstance(item, dict) or not isinstance(item.get("rule"), str):
            errors.append(_("%(where)s: braucht einen Namen unter „rule“.") % {"where": where})
            continue
        where = f"{where} ({item['rule']})"
        extra = sorted(set(item) - ALLOWED_KEYS)
        if extra:
            errors.append(_("%(where)s: unbekannte Angabe %(keys)s.") % {
                "where": where, "keys": ", ".join(extra)})  # fmt: skip
            continue
        rule = RULES.get(item["rule"])
        if rule is None:
            known = ", ".join(sorted(RULES))
            errors.append(_("%(where)s: unbekannte Regel; bekannt sind: %(known)s.") % {
                "where": where, "known": known})  # fmt: skip
            continue
        params = item.get("parameters") or {}
        if not isinstance(params, dict):
            errors.append(_("%(where)s: „parameters“ ist kein Objekt.") % {"where": where})
            continue
        form = rule.form_class(data=params)
        unknown = sorted(set(params) - set(form.fields))
        for name in unknown:
            errors.append(_("%(where)s, %(name)s: unbekannter Parameter.") % {
                "where": where, "name": name})  # fmt: skip
        if not form.is_valid():
            for name, messages in form.errors.items():
                for message in messages:
                    errors.append(f"{where}, {name}: {message}")
        if not unknown and form.is_valid():
            parsed.append(ParsedRule(rule, form.cleaned_data))
    if errors:
        raise ValidationError(errors)
    return parsed


def validate_rules(value: Any) -> None:
    """The model field's validator (Call.eligibility_rules)."""
    parse_rules(value)


def initiatives_for_check(rules: Iterable[ParsedRule] = ()):
    """Initiatives with what `rules` read, in two queries: the record with its places (and
    the admission criteria as columns where a rule asks for them), then its labels."""
    initiatives = ClusterInitiative.objects.select_related(
        "region__parent__parent__parent", "seat_kreis__parent__parent__parent__parent"
    ).prefetch_related(Prefetch("labels", queryset=Label.objects.all()))
    if any(parsed.rule.code == AdmissionCriteria.code for parsed in rules):
        initiatives = admission.annotate(initiatives)
    return initiatives


def check(
    rules: list[ParsedRule], initiative: ClusterInitiative, day: datetime.date | None = None
) -> Check:
    """Evaluate `rules` for `initiative` (load it with `initiatives_for_check`) on `day`
    (today in Europe/Berlin by default)."""
    day = day or timezone.localdate()
    outcomes = []
    for parsed in rules:
        result, data, facts = parsed.rule.evaluate(initiative, parsed.params, day)
        outcomes.append(Outcome(parsed.rule.code, parsed.requirement, result, data, facts))
    return Check(initiative, day, outcomes)


# For the admin and the docs: each rule with its parameters.
def catalogue() -> list[tuple[str, str, list[str]]]:
    return [
        (code, str(rule.title), list(rule.form_class.base_fields)) for code, rule in RULES.items()
    ]
