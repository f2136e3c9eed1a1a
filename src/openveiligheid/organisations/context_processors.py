from openveiligheid.organisations.models import Organisation


def current_organisation(request):
    """The organisation the signed-in user works for (their first membership)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_organisation": None}
    organisation = (
        Organisation.objects.filter(memberships__user=user).order_by("memberships__id").first()
    )
    return {"current_organisation": organisation}
