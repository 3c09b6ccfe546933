from django.urls import path

from clusterportal.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("tokens/", views.create_token, name="create_token"),
    path("tokens/<int:pk>/widerrufen/", views.revoke_token, name="revoke_token"),
    path("einladung/<str:key>/", views.accept_invitation, name="invitation"),
    path("meine-daten/", views.download_data, name="download_data"),
    path("loeschen/", views.delete_account, name="delete_account"),
]
