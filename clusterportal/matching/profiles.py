"""What the matching engine compares: one profile per initiative, posting or organisation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    kind: str  # "initiative" | "posting" | "organisation"
    key: int  # the record's primary key
    title: str
    url: str  # path of its public page ("" if none)
    fields: frozenset[int]  # TechnologyField pks as given (the engine adds the broad parents)
    text: str  # free text (German or English) for words in common
    region_id: int | None  # regions.Region pk (Kreis or Region) where it sits
    latitude: float | None
    longitude: float | None
    # A posting's own initiative (its pk), never suggested for it; an initiative is never
    # offered its own postings either. Empty for initiatives and organisations.
    initiative_key: int | None = None

    @property
    def ident(self) -> tuple[str, int]:
        return (self.kind, self.key)
