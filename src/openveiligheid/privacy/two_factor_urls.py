"""The two-factor pages: a namespace of their own, so that they are not part of the privacy
officer's menu section."""

from django.urls import path

from openveiligheid.privacy import views

app_name = "two_factor"
urlpatterns = [
    path("accounts/tweestapsverificatie/", views.two_factor_verify, name="verify"),
    path(
        "accounts/tweestapsverificatie/instellen/",
        views.two_factor_setup,
        name="setup",
    ),
    path(
        "accounts/tweestapsverificatie/herstelcodes/",
        views.two_factor_recovery_codes,
        name="recovery-codes",
    ),
]
