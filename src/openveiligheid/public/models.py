"""E-mail subscriptions to a municipality's new reports: person data, kept as small as it can be.

Only the address is stored, with its status and the language of the mails. The confirmation
token is stored as its hash (the mail holds the token itself, signed); an unsubscription deletes
the row, and a subscription that is never confirmed is deleted once its link has expired.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from openveiligheid.organisations.models import Organisation


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op bevestiging")
        CONFIRMED = "confirmed", _("bevestigd")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="report_subscriptions"
    )
    email = models.EmailField(_("e-mailadres"), max_length=254)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # The language the person subscribed in: the mails are written in it.
    language = models.CharField(_("taal"), max_length=10, default="nl")
    # SHA-256 of the token in the confirmation link; emptied once confirmed.
    confirmation_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"], name="one_subscription_per_address"
            )
        ]
        verbose_name = _("abonnement op rapportages")
        verbose_name_plural = _("abonnementen op rapportages")

    def __str__(self) -> str:
        # Never the address: this text goes into the audit trail and the logs.
        return _("Abonnement %(id)s") % {"id": self.pk}
