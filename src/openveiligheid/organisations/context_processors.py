from openveiligheid.organisations.scoping import access_for


def current_organisation(request):
    """The organisation the signed-in user works for (their first membership), read from the
    access that scoping computes anyway, so the page header costs no query of its own."""
    access = access_for(getattr(request, "user", None))
    return {"current_organisation": access.primary_organisation if access else None}
