from django.urls import path

from openveiligheid.actions import views

app_name = "actions"
urlpatterns = [
    path("acties/", views.action_list, name="list"),
    path("mijn-acties/", views.my_actions_page, name="mine"),
    # One name for both exports: reverse("actions:export"), or with args=[slug] for one plan.
    path("acties/export.xlsx", views.action_export, name="export"),
    path("acties/<int:pk>/", views.action_detail, name="detail"),
    path("acties/<int:pk>/bewerken/", views.action_edit, name="edit"),
    path("acties/<int:pk>/status/", views.change_status, name="change-status"),
    path("acties/<int:pk>/voortgang/", views.add_progress, name="add-progress"),
    path("plannen/<slug:slug>/acties/", views.action_list, name="plan-list"),
    path("plannen/<slug:slug>/acties/export.xlsx", views.action_export, name="export"),
    path("plannen/<slug:slug>/acties/nieuw/", views.action_create, name="create"),
    path(
        "plannen/<slug:slug>/actieplannen/nieuw/",
        views.action_plan_create,
        name="action-plan-create",
    ),
    path("actieplannen/<int:pk>/volgend-jaar/", views.next_year, name="next-year"),
    path("actieplannen/<int:old>/vergelijken/<int:new>/", views.compare, name="compare"),
]
