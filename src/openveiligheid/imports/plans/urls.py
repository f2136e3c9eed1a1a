from django.urls import path

from openveiligheid.imports.plans import views

app_name = "plan_imports"
urlpatterns = [
    path("plan-importeren/", views.upload, name="upload"),
    path("plan-importeren/<int:pk>/", views.preview, name="preview"),
    path("plan-importeren/<int:pk>/bevestigen/", views.confirm, name="confirm"),
]
