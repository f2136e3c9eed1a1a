"""Writes of the public app: e-mail subscriptions to new reports (double opt-in, unsubscription
by a signed link) and the mail to the confirmed subscribers when a report is published.

The links are signed with SECRET_KEY (django.core.signing), each with its own salt. The
confirmation link carries a random token of which only the hash is stored, so that a newer
link replaces an older one; the unsubscription link carries the subscription's id and a digest of
its address (a link never works for a later subscription that got the same id). Every write is
audited without the address itself: the audit trail names the subscription by its id.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from openveiligheid.core.log import log_event
from openveiligheid.organisations.models import Organisation
from openveiligheid.privacy.models import AuditEntry
from openveiligheid.privacy.services import record
from openveiligheid.public.models import Subscription
from openveiligheid.reports.models import Report

logger = logging.getLogger(__name__)

CONFIRM_SALT = "openveiligheid.public.subscription.confirm"
UNSUBSCRIBE_SALT = "openveiligheid.public.subscription.unsubscribe"
EMAIL_MAX_LENGTH = 254


def confirmation_hours() -> int:
    return int(settings.OPENVEILIGHEID_PUBLIC_CONFIRMATION_HOURS)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _address_digest(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:20]


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Vul uw e-mailadres in.")})
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValidationError(
            {"email": _("Een e-mailadres is hoogstens %(max)s tekens lang.") % {"max": 254}}
        )
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError(
            {"email": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.")}
        ) from error
    return email


def _audit(action: str, subscription: Subscription, request=None, purpose: str = "") -> None:
    record(
        action=action,
        object_type=Subscription._meta.label_lower,
        object_id=str(subscription.pk),
        object_repr=str(subscription),
        organisation=subscription.organisation_id,
        purpose=purpose,
        request=request,
    )


def purge_unconfirmed() -> int:
    """Deletes the subscriptions whose confirmation link has expired: an address that was never
    confirmed is not kept."""
    cutoff = timezone.now() - timedelta(hours=confirmation_hours())
    deleted, _counts = Subscription.objects.filter(
        status=Subscription.Status.PENDING, created_at__lt=cutoff
    ).delete()
    return deleted


def absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def confirmation_link(subscription: Subscription, token: str, base_url: str) -> str:
    signed = signing.dumps([subscription.pk, token], salt=CONFIRM_SALT)
    return absolute(
        base_url,
        reverse("public:confirm", args=[subscription.organisation.slug, signed]),
    )


def unsubscribe_link(subscription: Subscription, base_url: str) -> str:
    signed = signing.dumps(
        [subscription.pk, _address_digest(subscription.email)], salt=UNSUBSCRIBE_SALT
    )
    return absolute(
        base_url,
        reverse("public:unsubscribe", args=[subscription.organisation.slug, signed]),
    )


@transaction.atomic
def subscribe(
    *, organisation: Organisation, email: str, language: str, base_url: str, request=None
) -> None:
    """Sends a confirmation link to the address; nothing is sent out before it is confirmed.

    The answer is the same whether the address was new, waiting or already confirmed, so that the
    form tells nobody who subscribed. An already confirmed address gets no mail."""
    email = normalise_email(email)
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    purge_unconfirmed()
    subscription = (
        Subscription.objects.select_for_update()
        .filter(organisation=organisation, email=email)
        .first()
    )
    if subscription is not None and subscription.status == Subscription.Status.CONFIRMED:
        log_event(logger, "subscription_already_confirmed", subscription=subscription.pk)
        return
    token = secrets.token_urlsafe(32)
    if subscription is None:
        subscription = Subscription.objects.create(
            organisation=organisation,
            email=email,
            language=language,
            confirmation_hash=_hash(token),
        )
        _audit(AuditEntry.Action.CREATE, subscription, request)
    else:
        # A new link replaces the old one, and the waiting time starts again.
        subscription.confirmation_hash = _hash(token)
        subscription.language = language
        subscription.created_at = timezone.now()
        subscription.save(update_fields=["confirmation_hash", "language", "created_at"])
        _audit(AuditEntry.Action.CHANGE, subscription, request)
    with translation.override(language):
        context = {
            "organisation": organisation,
            "link": confirmation_link(subscription, token, base_url),
            "hours": confirmation_hours(),
        }
        message = EmailMessage(
            subject=" ".join(render_to_string("public/email/confirm_subject.txt", context).split()),
            body=render_to_string("public/email/confirm_body.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email],
        )
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            log_event(logger, "subscription_mail_failed", error=type(error).__name__)
            raise ValidationError(
                _(
                    "De e-mail kon niet worden verstuurd: de mailserver is niet bereikbaar of "
                    "weigert het bericht. Er is niets opgeslagen; probeer het later opnieuw."
                )
            ) from error
    log_event(logger, "subscription_requested", subscription=subscription.pk)


def _refused(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_link")


@transaction.atomic
def confirm(*, organisation: Organisation, signed: str, request=None) -> Subscription:
    """Confirms the subscription of a link from the confirmation mail."""
    invalid = _(
        "Deze bevestigingslink is ongeldig of verlopen. Meld u opnieuw aan; u krijgt dan een "
        "nieuwe link."
    )
    try:
        pk, token = signing.loads(signed, salt=CONFIRM_SALT, max_age=confirmation_hours() * 3600)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise _refused(invalid) from error
    subscription = (
        Subscription.objects.select_for_update().filter(pk=pk, organisation=organisation).first()
    )
    if subscription is None:
        raise _refused(invalid)
    if subscription.status == Subscription.Status.CONFIRMED:
        return subscription
    if not isinstance(token, str) or not constant_time_compare(
        _hash(token), subscription.confirmation_hash
    ):
        raise _refused(invalid)
    subscription.status = Subscription.Status.CONFIRMED
    subscription.confirmed_at = timezone.now()
    subscription.confirmation_hash = ""
    subscription.save(update_fields=["status", "confirmed_at", "confirmation_hash"])
    _audit(AuditEntry.Action.CHANGE, subscription, request)
    log_event(logger, "subscription_confirmed", subscription=subscription.pk)
    return subscription


@transaction.atomic
def unsubscribe(*, organisation: Organisation, signed: str, request=None) -> bool:
    """Deletes the subscription of an unsubscription link; False when it was already gone."""
    try:
        pk, digest = signing.loads(signed, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise _refused(
            _("Deze afmeldlink is ongeldig. Gebruik de link uit de laatste e-mail die u kreeg.")
        ) from error
    subscription = (
        Subscription.objects.select_for_update().filter(pk=pk, organisation=organisation).first()
    )
    if subscription is None or not constant_time_compare(
        _address_digest(subscription.email), str(digest)
    ):
        return False
    _audit(AuditEntry.Action.DELETE, subscription, request)
    subscription.delete()
    log_event(logger, "subscription_deleted", subscription=pk)
    return True


def notify_subscribers(report: Report) -> int:
    """E-mails the confirmed subscribers of the report's municipality that it was published;
    returns the number of mails sent. Each mail carries its own unsubscription link, also as
    the List-Unsubscribe header (with one-click unsubscription, RFC 8058)."""
    report = Report.objects.select_related("plan__owner").get(pk=report.pk)
    if not report.is_published or report.plan.status != report.plan.Status.ADOPTED:
        return 0
    base_url = settings.OPENVEILIGHEID_PUBLIC_BASE_URL
    organisation = report.plan.owner
    subscriptions = list(
        Subscription.objects.filter(
            organisation=organisation, status=Subscription.Status.CONFIRMED
        ).order_by("id")
    )
    if not subscriptions:
        return 0
    if not base_url:
        log_event(logger, "report_mail_not_sent", report=report.pk, reason="no_base_url")
        return 0
    report_url = absolute(base_url, reverse("public:report", args=[organisation.slug, report.pk]))
    messages = []
    for subscription in subscriptions:
        with translation.override(subscription.language):
            unsubscribe = unsubscribe_link(subscription, base_url)
            context = {
                "organisation": organisation,
                "report": str(report),
                "plan": report.plan.title,
                "link": report_url,
                "unsubscribe": unsubscribe,
            }
            messages.append(
                EmailMessage(
                    subject=" ".join(
                        render_to_string("public/email/report_subject.txt", context).split()
                    ),
                    body=render_to_string("public/email/report_body.txt", context),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[subscription.email],
                    headers={
                        "List-Unsubscribe": f"<{unsubscribe}>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    },
                )
            )
    sent = get_connection(fail_silently=False).send_messages(messages) or 0
    record(
        action=AuditEntry.Action.READ,
        object_type=Subscription._meta.label_lower,
        object_repr=_("%(count)s abonnees gemaild over %(report)s")
        % {"count": len(messages), "report": report},
        organisation=organisation,
        purpose=_("Bericht over een gepubliceerde rapportage"),
    )
    log_event(logger, "report_mail_sent", report=report.pk, count=sent)
    return sent
