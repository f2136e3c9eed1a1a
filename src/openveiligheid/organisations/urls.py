from django.urls import path

from openveiligheid.organisations import views

app_name = "organisations"
member = "organisaties/<slug:slug>/gebruikers/<int:user_id>/"
urlpatterns = [
    path("gebruikers/", views.home, name="home"),
    path("organisaties/<slug:slug>/gebruikers/", views.users, name="users"),
    path("organisaties/<slug:slug>/gebruikers/uitnodigen/", views.invite, name="invite"),
    path(member, views.member, name="member"),
    path(member + "rollen/", views.assign_role, name="assign-role"),
    path(member + "rollen/<int:membership_id>/intrekken/", views.remove_role, name="remove-role"),
    path(member + "deactiveren/", views.deactivate, name="deactivate"),
    path(member + "activeren/", views.reactivate, name="reactivate"),
    path(member + "uitnodiging/", views.resend_invitation, name="resend-invitation"),
    path("organisaties/<slug:slug>/rollen/", views.roles, name="roles"),
    path("organisaties/<slug:slug>/huisstijl/", views.house_style, name="house-style"),
    path("organisaties/<slug:slug>/rollen/<int:role_id>/", views.role_edit, name="role-edit"),
    path(
        "uitnodiging/<str:uidb64>/<str:token>/",
        views.accept_invitation,
        name="accept-invitation",
    ),
]
