"""REST API of the organisations app (registered in openveiligheid.api.urls)."""
