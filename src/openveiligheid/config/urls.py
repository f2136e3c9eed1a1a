from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from openveiligheid.dashboards import views as dashboard_views
from openveiligheid.organisations import oidc

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", oidc.LoginView.as_view(), name="login"),
    # Single sign-on (OpenID Connect); answers 404 while it is off.
    path("accounts/oidc/", include(oidc)),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("beheer/", admin.site.urls),
    # Before "api/": that one answers every other address under /api/ with a JSON 404.
    path("api/public/", include("openveiligheid.public.api.urls")),
    path("api/", include("openveiligheid.api.urls")),
    path("", include("openveiligheid.dashboards.urls")),
    path("", include("openveiligheid.plans.urls")),
    path("", include("openveiligheid.indicators.urls")),
    path("", include("openveiligheid.actions.urls")),
    path("", include("openveiligheid.programme.urls")),
    path("", include("openveiligheid.imports.urls")),
    path("", include("openveiligheid.meetings.urls")),
    path("", include("openveiligheid.reports.urls")),
    path("", include("openveiligheid.imports.plans.urls")),
    path("", include("openveiligheid.organisations.urls")),
    path("", include("openveiligheid.imports.action_sheets.urls")),
    path("", include("openveiligheid.privacy.urls")),
    path("", include("openveiligheid.signals.urls")),
    path("", include("openveiligheid.privacy.two_factor_urls")),
    path("", include("openveiligheid.public.urls")),
]

# A database that is away answers 503 with Retry-After (core.errors); other faults as before.
handler400 = "openveiligheid.core.errors.bad_request"
handler500 = "openveiligheid.core.errors.server_error"
