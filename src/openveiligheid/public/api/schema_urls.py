"""The URL configuration the public schema is made from: /api/public/ and nothing else."""

from django.urls import include, path

urlpatterns = [path("api/public/", include("openveiligheid.public.api.urls"))]
