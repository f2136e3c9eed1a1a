from django.urls import path

from openveiligheid.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("plannen/", views.plan_list, name="plan-list"),
    path("plannen/<slug:slug>/", views.dashboard, name="plan"),
    path("plannen/<slug:slug>/themas/<slug:theme_slug>/", views.theme_detail, name="theme"),
]
