"""REST API of the programme app (registered in openveiligheid.api.urls)."""
