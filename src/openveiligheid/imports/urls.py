from django.urls import path

from openveiligheid.imports import views

app_name = "imports"
urlpatterns = [
    path("cijfers/importeren/", views.upload, name="measurement-upload"),
    path("cijfers/importeren/<int:pk>/", views.preview, name="measurement-preview"),
    path(
        "cijfers/importeren/<int:pk>/voortgang/",
        views.reading_progress,
        name="measurement-progress",
    ),
    path("cijfers/importeren/<int:pk>/bevestigen/", views.confirm, name="measurement-confirm"),
    path("cijfers/koppelingen/", views.mapping_list, name="mapping-list"),
    path("cijfers/koppelingen/nieuw/", views.mapping_create, name="mapping-create"),
    path("cijfers/koppelingen/<int:pk>/", views.mapping_edit, name="mapping-edit"),
]
