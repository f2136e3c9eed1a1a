from django.urls import path

from openveiligheid.signals import views

app_name = "signals"
urlpatterns = [
    path("meldpunt/<slug:slug>/", views.report_form, name="report"),
    path("meldpunt/<slug:slug>/ontvangen/", views.receipt, name="receipt"),
    path("meldingen/", views.staff_list, name="staff-list"),
    path("meldingen/<str:reference>/", views.staff_detail, name="staff-detail"),
    path(
        "meldingen/<str:reference>/contactgegevens/",
        views.reveal_contact,
        name="reveal-contact",
    ),
    path(
        "meldingen/<str:reference>/bijlagen/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path("meldingen/<str:reference>/stap/<str:step>/", views.triage_step, name="triage-step"),
]
