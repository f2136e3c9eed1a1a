from django.urls import path

from openveiligheid.plans import views

app_name = "plans"
urlpatterns = [
    # The site root is also registered without namespace as "home" in config/urls.py.
    path("", views.home, name="home"),
    path("plannen/", views.plan_list, name="list"),
    path("plannen/<slug:slug>/", views.dashboard, name="dashboard"),
    path("plannen/<slug:slug>/themas/<slug:theme_slug>/", views.theme_detail, name="theme"),
]
