from django.conf import settings
from django.urls import translate_url

# The content app's pages that belong to "Nachrichten" in the main navigation; its
# publications and fixed pages (Clusterpolitik, ClusterAgentur) do not.
NEWS_PAGES = {"news_list", "news_detail", "thema_list", "thema_detail", "article_new", "my_articles", "article_edit"}  # fmt: skip


def portal(request):
    """The portal's name, the same page in every language (for the switch) and whether the
    page is one of the news pages (the navigation marks its section)."""
    path = request.get_full_path()
    match = request.resolver_match
    return {
        "portal_name": settings.PORTAL_NAME,
        "in_news": bool(match and match.app_name == "content" and match.url_name in NEWS_PAGES),
        "language_links": [
            (code, name, translate_url(path, code)) for code, name in settings.LANGUAGES
        ],
    }
