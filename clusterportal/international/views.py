from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from clusterportal.international import figures
from clusterportal.international.country_names import UNMAPPED, country_name
from clusterportal.international.models import ExportValue
from clusterportal.international.world_map import world_map

SOURCE = {
    "source": figures.SOURCE, "source_url": figures.SOURCE_URL, "licence": figures.LICENCE,
    "licence_url": figures.LICENCE_URL, "attribution": figures.ATTRIBUTION,
}  # fmt: skip


def overview(request):
    ranking = figures.ranking()
    partner_rows = sorted(
        (country_name(code), code, count) for code, count in ranking.partner_codes.items()
    )
    tooltips = {
        code: _("%(count)s Initiative(n)") % {"count": count}
        for code, count in ranking.partner_codes.items()
    }
    world = world_map(
        tooltips,
        title=_("Länder mit Partnerschaften baden-württembergischer Clusterinitiativen"),
        desc=_(
            "Weltkarte; die Länder mit Partnerschaften sind blau. Die Tabelle darunter nennt sie."
        ),
    )
    unmapped = ExportValue.objects.filter(country="").values_list("label", flat=True).distinct()
    labels = [(label, UNMAPPED.get(label, "")) for label in sorted(set(unmapped))]
    return render(request, "international/overview.html", {
        "ranking": ranking, "partner_rows": partner_rows, "world": world,
        "unmapped_labels": labels, **SOURCE,
    })  # fmt: skip


def country(request, code: str):
    page = figures.country_page(code)
    if page is None or code != code.upper():
        raise Http404(_("Zu diesem Ländercode gibt es keine Seite."))
    return render(request, "international/country.html", {"page": page, **SOURCE})
