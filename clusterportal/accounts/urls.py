from django.urls import path

from clusterportal.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("tokens/", views.create_token, name="create_token"),
    path("tokens/<int:pk>/widerrufen/", views.revoke_token, name="revoke_token"),
    path("einladung/<str:key>/", views.accept_invitation, name="invitation"),
    path("kontaktangaben/", views.contact_details, name="contact_details"),
    path("kontaktangaben/widerrufen/", views.withdraw_consent, name="withdraw_consent"),
    path("profil/<slug:slug>/bestaetigen/", views.confirm_profile, name="confirm_profile"),
    path("meine-daten/", views.download_data, name="download_data"),
    path("loeschen/", views.delete_account, name="delete_account"),
]

# The public pages of the regional cluster contacts, mounted at /cluster/kontakte/
# (clusterportal/urls.py) with the namespace "contacts".
contact_urlpatterns = [
    path("", views.region_contacts_index, name="index"),
    path("<slug:slug>/", views.region_contacts, name="region"),
]
