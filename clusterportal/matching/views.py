from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clusterportal.matching import engine
from clusterportal.matching import network as networks
from clusterportal.matching.filters import NetworkFilter
from clusterportal.matching.index import current_index

TEMPLATE = "matching/network.html"


def network(request):
    """The initiatives as a network of shared and related fields, with its table."""
    filters = NetworkFilter(request.GET)
    context = {"filters": filters, "form": filters.form}
    if not filters.is_valid():
        return render(request, TEMPLATE, {**context, "errors": filters.errors}, status=400)
    language = "en" if (get_language() or "de").startswith("en") else "de"
    index = current_index()
    net = networks.network(index, **filters.selection(), language=language)
    counts = net.counts()
    desc = _(
        "%(nodes)s Initiativen, %(field)s Verbindungen über gemeinsame Felder, %(broad)s über "
        "dasselbe übergeordnete Feld, %(related)s über verwandte Felder. Die Tabelle unter dem "
        "Bild nennt jede Verbindung mit ihren Gründen."
    ) % {"nodes": len(net.nodes), **counts}
    image = networks.draw(index, net, _("Netz der Clusterinitiativen"), desc)
    rows = [
        (link, engine.page_url(link.a.profile), engine.page_url(link.b.profile))
        for link in net.links
    ]
    return render(request, TEMPLATE, {**context, "rows": rows, "image": image, "desc": desc})
