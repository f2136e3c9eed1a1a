from django.urls import path

from openveiligheid.imports.action_sheets import views

app_name = "action_sheets"
urlpatterns = [
    path("plannen/<slug:slug>/acties/importeren/", views.upload, name="upload"),
    path("plannen/<slug:slug>/acties/importeren/<int:upload>/", views.preview, name="preview"),
    path(
        "plannen/<slug:slug>/acties/importeren/<int:upload>/bevestigen/",
        views.confirm,
        name="confirm",
    ),
]
