# The schemathesis run over /api/v1/ and the one over /api/public/ share their WSGI handler and
# the recording of server errors.
from tests.api.test_schema_conformance import server_errors, wsgi_app  # noqa: F401
