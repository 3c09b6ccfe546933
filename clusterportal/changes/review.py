"""A change request as its review page shows it: the field-level diff in words.

`ChangeRequest.diff()` gives raw JSON values; this turns them into what a
reviewer reads: long texts side by side, lists as the items added and removed,
relations by name. Names of technology fields and organisations are read in
one query each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from clusterportal.changes import members, profile_fields
from clusterportal.changes.forms import LONG_TEXTS
from clusterportal.registry.models import Membership, Organisation
from clusterportal.taxonomy.models import TechnologyField


@dataclass
class DiffRow:
    name: str
    label: str
    kind: str  # "text" (side by side), "value" (before -> proposed) or "list"
    before: str = ""
    proposed: str = ""
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


def _value(value: object) -> str:
    if value is None or value == "":
        return ""
    if value is True:
        return _("ja")
    if value is False:
        return _("nein")
    return str(value)


def _partnership(row: dict) -> str:
    text = str(row.get("country", ""))
    if row.get("partner_region"):
        text += f": {row['partner_region']}"
    if row.get("note"):
        text += f" ({row['note']})"
    return text


def _membership(row: dict, names: dict[str, str]) -> str:
    roles = dict(Membership.Role.choices)
    parts = [str(roles.get(row.get("role"), row.get("role")))]
    if row.get("since"):
        parts.append(_("seit %(year)s") % {"year": row["since"]})
    if row.get("until"):
        parts.append(_("bis %(year)s") % {"year": row["until"]})
    name = names.get(str(row["organisation"]), str(row["organisation"]))
    if row.get("name"):  # not in the registry yet: approval creates it
        kinds = dict(Organisation.Kind.choices)
        parts.append(_("neu in der Datenbank: %(kind)s") % {"kind": kinds.get(row.get("kind"))})
    return f"{name} ({', '.join(parts)})"


def _member_rows(before: list[dict], proposed: list[dict]) -> DiffRow:
    names = members.describe([*before, *proposed])
    old = {row["organisation"]: row for row in before}
    new = {row["organisation"]: row for row in proposed}
    row = DiffRow("members", profile_fields.label("members"), "list")
    row.added = [_membership(new[slug], names) for slug in new if slug not in old]
    row.removed = [_membership(old[slug], names) for slug in old if slug not in new]
    row.changed = [
        _membership(new[slug], names)
        for slug in new
        if slug in old and any(old[slug][k] != new[slug][k] for k in ("role", "since", "until"))
    ]
    return row


def diff_rows(request) -> list[DiffRow]:
    rows = []
    for name, label, before, proposed in request.diff():
        if name in LONG_TEXTS:
            rows.append(DiffRow(name, label, "text", _value(before), _value(proposed)))
        elif name == "technology_fields":
            slugs = set(before or []) ^ set(proposed or [])
            names = {
                f.slug: f.localized_name for f in TechnologyField.objects.filter(slug__in=slugs)
            }
            row = DiffRow(name, label, "list")
            row.added = sorted(names.get(s, s) for s in set(proposed or []) - set(before or []))
            row.removed = sorted(names.get(s, s) for s in set(before or []) - set(proposed or []))
            rows.append(row)
        elif name == "partnerships":
            old = {_partnership(p) for p in before or []}
            new = {_partnership(p) for p in proposed or []}
            rows.append(
                DiffRow(name, label, "list", added=sorted(new - old), removed=sorted(old - new))
            )
        elif name == "members":
            rows.append(_member_rows(before or [], proposed or []))
        elif name == "management_organisation":
            names = dict(
                Organisation.objects.filter(slug__in=[before, proposed]).values_list("slug", "name")
            )
            rows.append(
                DiffRow(
                    name,
                    label,
                    "value",
                    names.get(before, _value(before)),
                    names.get(proposed, _value(proposed)),
                )
            )
        else:
            rows.append(DiffRow(name, label, "value", _value(before), _value(proposed)))
    return rows
