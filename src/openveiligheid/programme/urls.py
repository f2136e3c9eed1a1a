from django.urls import path

from openveiligheid.programme import views

app_name = "programme"
urlpatterns = [
    path("plannen/<slug:slug>/programma/", views.programme_detail, name="detail"),
]
