"""Pages without login: per municipality its published reports and open data."""

app_name = "public"
urlpatterns: list = []
