"""/api/public/: the only endpoints that need no login. Read-only except the meldpunt's POST of
a report; every one throttled per client."""

urlpatterns: list = []
