from django.urls import path

from clusterportal.partnersearch import feeds, views

app_name = "partnersearch"
urlpatterns = [
    path("", views.posting_list, name="index"),
    path("rss/", feeds.PostingFeed(), name="rss"),
    path("atom/", feeds.PostingAtom(), name="atom"),
    path("neu/", views.posting_new, name="new"),
    path("meine/", views.my_postings, name="mine"),
    path("pruefung/", views.review_list, name="review"),
    path("ergebnisse/", views.outcome_list, name="outcomes"),
    path("<int:pk>/", views.posting_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.posting_edit, name="edit"),
    path("<int:pk>/verlaengern/", views.posting_renew, name="renew"),
    path("<int:pk>/schliessen/", views.posting_close, name="close"),
    path("<int:pk>/folgen/", views.posting_follow, name="follow"),
    path("<int:pk>/interesse/", views.posting_interest, name="interest"),
    path("<int:pk>/pruefen/", views.posting_review, name="review_posting"),
    path("<int:pk>/ergebnis/<int:months>/", views.posting_outcome, name="outcome"),
]
