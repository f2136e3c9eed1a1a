from django.urls import path

from openveiligheid.privacy import views

app_name = "privacy"
urlpatterns = [
    path("privacy/audittrail/", views.audit_trail, name="audit-trail"),
    path("privacy/audittrail/export.csv", views.audit_export, name="audit-export"),
    path("privacy/toegangsreview/", views.access_review, name="access-review"),
]
