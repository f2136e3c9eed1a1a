"""REST API of the actions app (registered in openveiligheid.api.urls)."""
