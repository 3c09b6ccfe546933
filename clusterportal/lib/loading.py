"""Counting what a loader did, in the shape every loader reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class LoadReport:
    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0
    rejected: list[str] = field(default_factory=list)
    kept_note: str = "kept as edited (use --update to overwrite)"

    def count(self, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1

    def __str__(self) -> str:
        text = f"{self.name}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.kept:
            text += f", {self.kept} {self.kept_note}"
        return text + f", {len(self.rejected)} rejected"


def upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any]) -> tuple[Any, bool, bool]:
    """Create or update one row; returns (object, created, changed)."""
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup)
    changed = any(getattr(obj, key) != value for key, value in values.items())
    if changed or created:
        for key, value in values.items():
            setattr(obj, key, value)
        # Shipped files are input like any other: they must pass model validation.
        obj.full_clean()
        obj.save()
    return obj, created, changed and not created
