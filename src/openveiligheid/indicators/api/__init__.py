"""REST API of the indicators app (registered in openveiligheid.api.urls)."""
