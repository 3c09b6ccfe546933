from django.urls import path

from clusterportal.content import feeds, views

app_name = "content"
urlpatterns = [
    path("nachrichten/", views.news_list, name="news_list"),
    path("nachrichten/rss/", feeds.NewsFeed(), name="news_rss"),
    path("nachrichten/atom/", feeds.NewsAtom(), name="news_atom"),
    path("nachrichten/schlagwort/<slug:tag>/<slug:slug>/rss/", feeds.TagFeed(), name="tag_rss"),
    path("nachrichten/schlagwort/<slug:tag>/<slug:slug>/atom/", feeds.TagAtom(), name="tag_atom"),
    path("nachrichten/schreiben/", views.article_new, name="article_new"),
    path("nachrichten/meine/", views.my_articles, name="my_articles"),
    path("nachrichten/<slug:slug>/", views.news_detail, name="news_detail"),
    path("nachrichten/<slug:slug>/bearbeiten/", views.article_edit, name="article_edit"),
    path("beitraege/<slug:slug>/veroeffentlichen/", views.article_publish, name="article_publish"),
    path("beitraege/<slug:slug>/zurueckgeben/", views.article_send_back, name="article_send_back"),
    path("thema-des-monats/", views.thema_list, name="thema_list"),
    path("thema-des-monats/rss/", feeds.ThemaFeed(), name="thema_rss"),
    path("thema-des-monats/atom/", feeds.ThemaAtom(), name="thema_atom"),
    path("thema-des-monats/<slug:slug>/", views.thema_detail, name="thema_detail"),
    path("publikationen/", views.publication_list, name="publication_list"),
    path("publikationen/<slug:slug>/", views.publication_detail, name="publication_detail"),
    path(
        "publikationen/<slug:slug>/zitat.bib", views.publication_bibtex, name="publication_bibtex"
    ),
    path("publikationen/<slug:slug>/zitat.ris", views.publication_ris, name="publication_ris"),
    # Fixed informational pages: /clusterpolitik/, /clusteragentur/.
    path("clusterpolitik/", views.page, {"slug": "clusterpolitik"}, name="clusterpolitik"),
    path("clusteragentur/", views.page, {"slug": "clusteragentur"}, name="clusteragentur"),
    path("seiten/<slug:slug>/", views.page, name="page"),
]
