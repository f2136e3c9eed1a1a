from django.urls import path

from openveiligheid.plans import views

app_name = "plans"
urlpatterns = [
    path("plannen/<slug:slug>/delen/", views.share_concept, name="share"),
]
