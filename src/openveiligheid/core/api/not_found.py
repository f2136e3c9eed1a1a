"""The JSON 404 of an address under /api/ that names no endpoint, or a key the endpoint's
pattern refuses ("/api/v1/plans/café/"): like the API's own 404, not the HTML page."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import NotFound


@csrf_exempt  # it changes nothing; a write to a wrong address gets this 404, not a CSRF page
def not_found(request):
    """/api/v1/ answers it only for addresses ending in a slash, so that one without still gets
    Django's redirect to the address with; /api/public/ for every address it has no endpoint
    for (its files end in .csv or .json)."""
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
