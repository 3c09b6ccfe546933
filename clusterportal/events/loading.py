"""The first real events: the Cluster-Brunch of 7 November 2016 and the decision-makers'
meeting of 24 April 2017 in the Clusterwoche 2017, from the ministry's own pages (shared
seeds 001 and 003), in our own words. All are past: the calendar shows them as archive, and
they take no registrations. Only what the pages say: no times (the pages give none), no
address beyond the venue they name. The 5th Cluster-Forum is not here: its press release
gives no date.

Countries (`Event.countries`, for the country pages): only where an event's source names
a country. None of these three does: the brunch names internationalisation as a topic but
no country, the Clusterwoche report names none. (The 5th Cluster-Forum's release names China,
Japan and South Korea, but it is not loaded, see above.) A code in `countries` is checked
before anything is written; a bad one rejects the load, naming the event and the reason.

Loaded by `clusterportal load_data` after the regions; an event that exists (by slug) is
left as the editors keep it.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django_countries import countries

from clusterportal.events.models import Event
from clusterportal.lib.loading import LoadReport
from clusterportal.regions.models import Region

BERLIN = ZoneInfo("Europe/Berlin")
MINISTRY = "Ministerium für Wirtschaft, Arbeit und Wohnungsbau Baden-Württemberg"
SITE = "https://wm.baden-wuerttemberg.de/"


def day(y, m, d):
    return datetime.datetime(y, m, d, tzinfo=BERLIN)


BRUNCH = {
    "slug": "cluster-brunch-2016",
    "title": "Cluster-Brunch mit der Wirtschaftsministerin",
    "title_en": "Cluster brunch with the Minister for Economic Affairs",
    "kind": "cluster_brunch",
    "starts_at": day(2016, 11, 7),
    "time_known": False,
    "venue": "Stuttgart",
    "organiser": MINISTRY,
    "description": (
        "Wirtschaftsministerin Dr. Nicole Hoffmeister-Kraut traf sich mit den Managerinnen "
        "und Managern der Spitzencluster sowie wichtiger Cluster-Initiativen und Netzwerke "
        "des Landes, um über Zukunftsthemen der Clusterpolitik zu sprechen (Programm unten).\n\n"
        "Die Pressemitteilung nennt als Beispiele unter anderem CyberForum, MicroTEC Südwest "
        "und Photonics BW (Allianz Industrie 4.0) sowie bwcon, VDC Fellbach und Mechatronik BW "
        "(Digitale Agenda 2020+)."
    ),
    "description_en": (
        "The Minister for Economic Affairs, Dr Nicole Hoffmeister-Kraut, met the managers of "
        "the leading-edge clusters and of important cluster initiatives and networks of the "
        "state to discuss future topics of cluster policy (programme below).\n\n"
        "The press release names as examples CyberForum, MicroTEC Südwest and Photonics BW "
        "(Alliance Industrie 4.0), and bwcon, VDC Fellbach and Mechatronik BW (Digital "
        "Agenda 2020+)."
    ),
    "source_name": f"{MINISTRY}, Pressemitteilung „Cluster-Brunch“ mit Wirtschaftsministerin "
    "Dr. Hoffmeister-Kraut (November 2016)",
    "source_url": SITE,
}

WEEK = {
    "slug": "clusterwoche-2017",
    "title": "Clusterwoche 2017",
    "title_en": "Cluster Week 2017",
    "kind": "clusterwoche",
    "starts_at": day(2017, 4, 24),
    "time_known": False,
    "organiser": "bundesweit, viele Veranstalter",
    "description": (
        "Die bundesweite Clusterwoche bündelte Veranstaltungen vieler Veranstalter. Das "
        "Wirtschaftsministerium Baden-Württemberg hatte sie in den Bund-Länder-Gremien von "
        "BMBF und BMWi angeregt.\n\nDie Quelle nennt nur den Tag der Veranstaltung für "
        "Entscheidungsträger in dieser Woche, den 24. April 2017, nicht den Zeitraum der Woche; "
        "als Datum steht hier dieser Tag."
    ),
    "description_en": (
        "The nationwide Cluster Week brought together events by many organisers. The Baden-"
        "Württemberg ministry of economic affairs had suggested it in the federal-state "
        "committees of the BMBF and BMWi.\n\nThe source gives only the day of the "
        "decision-makers' event in this week, 24 April 2017, not the dates of the week; the "
        "date shown is that day."
    ),
    "source_name": "ClusterAgentur Baden-Württemberg, Bericht „Clusterpolitische "
    "Entscheidungsträger im Gespräch“ (2017)",
    "source_url": SITE,
}

DIALOGUE = {
    "slug": "clusterpolitische-entscheidungstraeger-2017",
    "title": "Clusterpolitische Entscheidungsträger im Gespräch",
    "title_en": "Cluster-policy decision-makers in conversation",
    "kind": "cluster_dialog",
    "starts_at": day(2017, 4, 24),
    "time_known": False,
    "venue": "Arcotel Camino, Stuttgart",
    "organiser": MINISTRY,
    "description": (
        "Landräte, Erste Landesbeamte, Ober- und Erste Bürgermeister informierten sich, wie "
        "Clusterpolitik und regionale Wirtschafts- und Innovationspolitik ineinandergreifen. "
        "Ministerialdirektor Wicker eröffnete und schloss das Treffen; drei Beispiele aus "
        "den Kreisen und Regionen stehen im Programm unten."
    ),
    "description_en": (
        "District administrators, their deputies and (deputy) mayors learned how cluster "
        "policy and regional economic and innovation policy fit together. Ministerial "
        "Director Wicker opened and closed the meeting; three examples from the regions "
        "are in the programme below."
    ),
    "source_name": WEEK["source_name"],
    "source_url": SITE,
}


# The programmes and speakers the sources name: (title, title_en, presenter).
AGENDAS = {
    "cluster-brunch-2016": [
        ("Digitalisierung", "Digitalisation", ""),
        ("Internationalisierung", "Internationalisation", ""),
        ("Gründungen und Start-ups", "Start-ups", ""),
        ("Bildung und Fachkräfte", "Education and skilled workers", ""),
        ("Innovation", "Innovation", ""),
        ("Crossclustering und Technologietransfer",
         "Cross-clustering and technology transfer", ""),
    ],
    "clusterpolitische-entscheidungstraeger-2017": [
        ("Begrüßung", "Welcome", "Ministerialdirektor Wicker"),
        ("Einführung in die Beispiele", "Introducing the examples", "Frau Köchel"),
        ("Bodenseekreis: wie die Wirtschaftsförderung die Cluster-Initiative BodenseeAIRea "
         "(Luft- und Raumfahrt) im Standortmarketing nutzt",
         "Bodenseekreis: how the economic development agency uses the cluster initiative "
         "BodenseeAIRea (aerospace) in marketing the location", "Herr Otte, Herr Kruschwitz"),
        ("WFG Raum Heilbronn: die DIALOGE (Kunststoff, Metall, Automotive) als "
         "Cluster-Initiative und das Projekt SEFEX",
         "WFG Raum Heilbronn: the DIALOGE (plastics, metal, automotive) as a cluster "
         "initiative, and the SEFEX project", "Herr Dr. Dufour"),
        ("Technologieregion Karlsruhe: das CyberForum, nach der Quelle mit über 1.200 "
         "Mitgliedern und rund 40 Beschäftigten im Clustermanagement",
         "Technologieregion Karlsruhe: CyberForum, according to the source with more than "
         "1,200 members and about 40 staff in its cluster management", "Herr Hermanns"),
        ("Abschluss und Verabschiedung", "Closing", "Ministerialdirektor Wicker"),
    ],
}  # fmt: skip
# (name, role, role_en, organisation)
SPEAKERS = {
    "cluster-brunch-2016": [
        ("Dr. Nicole Hoffmeister-Kraut", "Wirtschaftsministerin",
         "Minister for Economic Affairs", MINISTRY),
    ],
    "clusterpolitische-entscheidungstraeger-2017": [
        ("Wicker", "Ministerialdirektor", "Ministerial Director", MINISTRY),
        ("Köchel", "Leiterin des Referats Clusterpolitik und regionale Wirtschaftspolitik",
         "Head of the unit for cluster policy and regional economic policy", MINISTRY),
        ("Otte", "", "", "Wirtschaftsförderung Bodenseekreis GmbH"),
        ("Kruschwitz", "Erster Landesbeamter", "First state official", "Bodenseekreis"),
        ("Dr. Dufour", "", "", "WFG Raum Heilbronn"),
        ("Hermanns", "", "", "CyberForum"),
    ],
}  # fmt: skip


def _programme(event: Event) -> None:
    for position, (title, title_en, presenter) in enumerate(AGENDAS.get(event.slug, []), 1):
        event.agenda.create(position=position, title=title, title_en=title_en, presenter=presenter)
    for position, (name, role, role_en, organisation) in enumerate(SPEAKERS.get(event.slug, []), 1):
        event.speakers.create(
            position=position, name=name, role=role, role_en=role_en, organisation=organisation
        )


def bad_countries(values: dict) -> list[str]:
    """Why an event's `countries` cannot be loaded: each code that is not ISO 3166-1."""
    return [
        f"{values['slug']}: countries: {code!r} is not an ISO 3166-1 alpha-2 country code"
        for code in values.get("countries", [])
        if not (isinstance(code, str) and code in countries)
    ]


def load_seed_events() -> LoadReport:
    report = LoadReport("events")
    report.rejected = [
        line for values in (BRUNCH, WEEK, DIALOGUE) for line in bad_countries(values)
    ]
    if report.rejected:
        return report
    stuttgart = Region.objects.filter(slug="region-stuttgart").first()
    # Both venues are in the city of Stuttgart (the sources name it); no point is given.
    city = Region.objects.filter(slug="stadtkreis-stuttgart").first()
    with transaction.atomic():
        for values in (BRUNCH, WEEK, DIALOGUE):
            if Event.objects.filter(slug=values["slug"]).exists():
                report.unchanged += 1
                continue
            region, kreis = (None, None) if values is WEEK else (stuttgart, city)
            parent = Event.objects.filter(slug=WEEK["slug"]).first() if values is DIALOGUE else None
            created = Event.objects.create(
                **values, region=region, kreis=kreis, parent=parent, status="published"
            )
            _programme(created)
            report.created += 1
    return report
