from django.urls import path

from openveiligheid.privacy import request_views, retention_views, views

app_name = "privacy"
urlpatterns = [
    path("privacy/audittrail/", views.audit_trail, name="audit-trail"),
    path("privacy/audittrail/export.csv", views.audit_export, name="audit-export"),
    path("privacy/toegangsreview/", views.access_review, name="access-review"),
    path("privacy/bewaartermijnen/", retention_views.retention_periods, name="retention-periods"),
    path("privacy/avg-verzoeken/", request_views.request_list, name="subject-requests"),
    path(
        "privacy/avg-verzoeken/nieuw/",
        request_views.request_create,
        name="subject-request-create",
    ),
    path("privacy/avg-verzoeken/<int:pk>/", request_views.request_detail, name="subject-request"),
    path(
        "privacy/avg-verzoeken/<int:pk>/status/",
        request_views.request_status,
        name="subject-request-status",
    ),
    path(
        "privacy/avg-verzoeken/<int:pk>/rectificeren/",
        request_views.request_rectify,
        name="subject-request-rectify",
    ),
    path(
        "privacy/avg-verzoeken/<int:pk>/verwijderen/",
        request_views.request_erase,
        name="subject-request-erase",
    ),
    path(
        "privacy/avg-verzoeken/<int:pk>/export.pdf",
        request_views.request_export_pdf,
        name="subject-request-pdf",
    ),
    path(
        "privacy/avg-verzoeken/<int:pk>/export.json",
        request_views.request_export_json,
        name="subject-request-json",
    ),
]
