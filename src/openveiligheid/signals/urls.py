from django.urls import path

from openveiligheid.signals import views

app_name = "signals"
urlpatterns = [
    path("meldpunt/<slug:slug>/", views.report_form, name="report"),
    path("meldpunt/<slug:slug>/ontvangen/", views.receipt, name="receipt"),
    path("meldingen/", views.staff_list, name="staff-list"),
    path("meldingen/<str:reference>/", views.staff_detail, name="staff-detail"),
]
