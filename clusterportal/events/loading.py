"""The first real events: the Cluster-Brunch of 7 November 2016 and the decision-makers'
meeting of 24 April 2017 in the Clusterwoche 2017, from the ministry's own pages (shared
seeds 001 and 003), in our own words. All are past: the calendar shows them as archive, and
they take no registrations. Only what the pages say: no times (the pages give none), no
address beyond the venue they name. The 5th Cluster-Forum is not here: its press release
gives no date.

Loaded by `clusterportal load_data` after the regions; an event that exists (by slug) is
left as the editors keep it.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

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
        "des Landes, um über Zukunftsthemen der Clusterpolitik zu sprechen.\n\n"
        "Auf der Tagesordnung standen:\n\n- Digitalisierung\n- Internationalisierung\n"
        "- Gründungen und Start-ups\n- Bildung und Fachkräfte\n- Innovation\n"
        "- Crossclustering und Technologietransfer\n\n"
        "Die Pressemitteilung nennt als Beispiele unter anderem CyberForum, MicroTEC Südwest "
        "und Photonics BW (Allianz Industrie 4.0) sowie bwcon, VDC Fellbach und Mechatronik BW "
        "(Digitale Agenda 2020+)."
    ),
    "description_en": (
        "The Minister for Economic Affairs, Dr Nicole Hoffmeister-Kraut, met the managers of "
        "the leading-edge clusters and of important cluster initiatives and networks of the "
        "state to discuss future topics of cluster policy.\n\n"
        "The agenda:\n\n- digitalisation\n- internationalisation\n- start-ups\n"
        "- education and skilled workers\n- innovation\n"
        "- cross-clustering and technology transfer\n\n"
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
        "BMBF und BMWi angeregt.\n\nDie Quelle nennt nur den Tag der Veranstaltung unten, "
        "nicht den Zeitraum der Woche; das Datum hier ist dieser Tag."
    ),
    "description_en": (
        "The nationwide Cluster Week brought together events by many organisers. The Baden-"
        "Württemberg ministry of economic affairs had suggested it in the federal-state "
        "committees of the BMBF and BMWi.\n\nThe source gives only the day of the event "
        "below, not the dates of the week; the date here is that day."
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
        "Ministerialdirektor Wicker eröffnete und schloss das Treffen.\n\n"
        "Programm:\n\n"
        "1. Bodenseekreis: wie die Wirtschaftsförderung die Cluster-Initiative BodenseeAIRea "
        "(Luft- und Raumfahrt) im Standortmarketing nutzt\n"
        "2. WFG Raum Heilbronn: die DIALOGE (Kunststoff, Metall, Automotive) als "
        "Cluster-Initiative und das Projekt SEFEX\n"
        "3. Technologieregion Karlsruhe: das CyberForum, nach der Quelle mit über 1.200 "
        "Mitgliedern und rund 40 Beschäftigten im Clustermanagement"
    ),
    "description_en": (
        "District administrators, their deputies and (deputy) mayors learned how cluster "
        "policy and regional economic and innovation policy fit together. Ministerial "
        "Director Wicker opened and closed the meeting.\n\n"
        "Programme:\n\n"
        "1. Bodenseekreis: how the economic development agency uses the cluster initiative "
        "BodenseeAIRea (aerospace) in marketing the location\n"
        "2. WFG Raum Heilbronn: the DIALOGE (plastics, metal, automotive) as a cluster "
        "initiative, and the SEFEX project\n"
        "3. Technologieregion Karlsruhe: CyberForum, according to the source with more than "
        "1,200 members and about 40 staff in its cluster management"
    ),
    "source_name": WEEK["source_name"],
    "source_url": SITE,
}


def load_seed_events() -> LoadReport:
    report = LoadReport("events")
    stuttgart = Region.objects.filter(slug="region-stuttgart").first()
    with transaction.atomic():
        for values in (BRUNCH, WEEK, DIALOGUE):
            if Event.objects.filter(slug=values["slug"]).exists():
                report.unchanged += 1
                continue
            region = None if values is WEEK else stuttgart
            parent = Event.objects.filter(slug=WEEK["slug"]).first() if values is DIALOGUE else None
            Event.objects.create(**values, region=region, parent=parent, status="published")
            report.created += 1
    return report
