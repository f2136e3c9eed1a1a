from django.urls import path

from openveiligheid.reports import views

app_name = "reports"
urlpatterns = [
    path("plannen/<slug:slug>/rapportages/", views.report_list, name="list"),
    path("plannen/<slug:slug>/rapportages/<int:pk>/", views.report_detail, name="detail"),
    path(
        "plannen/<slug:slug>/rapportages/<int:pk>/duiding/<int:theme_id>/",
        views.write_interpretation,
        name="interpretation",
    ),
    path("plannen/<slug:slug>/rapportages/<int:pk>/status/", views.change_status, name="status"),
    path("plannen/<slug:slug>/rapportages/<int:pk>/correctie/", views.correct, name="correct"),
    path(
        "plannen/<slug:slug>/rapportages/<int:pk>/download.<str:output>",
        views.download,
        name="download",
    ),
]
