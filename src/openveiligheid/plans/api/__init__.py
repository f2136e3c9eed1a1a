"""REST API of the plans app (registered in openveiligheid.api.urls)."""
