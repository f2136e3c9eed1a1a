"""Meeting series (driehoek, vooroverleg, ...), their meetings and the actions on each agenda."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openveiligheid.actions.models import Action
from openveiligheid.core.concurrency import VersionedModel
from openveiligheid.core.models import TimeStampedModel
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import ScopedQuerySet
from openveiligheid.plans.models import Theme

# Driehoek agendas are internal working documents: only members with VIEW_UNPUBLISHED see them
# (an impossible published filter), so council members and partner contacts do not.
_NEVER_PUBLISHED = {"pk__in": []}
_CHANGE = (Permission.MANAGE_ACTIONS, Permission.MANAGE_PROGRAMME)


class MeetingSeriesQuerySet(ScopedQuerySet):
    organisation_lookup = "organisation"
    published_filter = _NEVER_PUBLISHED
    change_permissions = _CHANGE


class MeetingSeries(TimeStampedModel):
    class Kind(models.TextChoices):
        DRIEHOEK = "driehoek", _("Driehoeksoverleg")
        DRIEHOEK_PREPARATION = "driehoek_preparation", _("Ambtelijk vooroverleg driehoek")
        LOCAL_UNDERMINING = "local_undermining", _("Lokaal ondermijningsoverleg")
        EXPERT_GROUP = "expert_group", _("Expertgroep")
        OTHER = "other", _("Overig overleg")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="meeting_series",
        verbose_name=_("gemeente of samenwerkingsverband"),
    )
    kind = models.CharField(_("soort overleg"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("naam"), max_length=200)
    year = models.PositiveSmallIntegerField(_("jaar"))
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_series",
        verbose_name=_("thema"),
        help_text=_("Voor een expertgroep: het thema waarover zij adviseert."),
    )
    # An invented calendar (the demo's) is marked like generated figures, so that no page
    # presents it as taken from a plan.
    is_example = models.BooleanField(
        _("voorbeelddata"),
        default=False,
        help_text=_("Verzonnen vergaderdata en agendapunten, geen echte planning."),
    )

    objects = MeetingSeriesQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "organisation__name", "kind", "name"]
        verbose_name = _("overlegreeks")
        verbose_name_plural = _("overlegreeksen")

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class MeetingQuerySet(ScopedQuerySet):
    organisation_lookup = "series__organisation"
    published_filter = _NEVER_PUBLISHED
    change_permissions = _CHANGE


class Meeting(TimeStampedModel):
    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("datum"))
    document_deadline = models.DateField(
        _("aanleveren stukken uiterlijk"),
        null=True,
        blank=True,
        help_text=_('In plannen geschreven als "11-2-2021 (28-1)": de datum tussen haakjes.'),
    )
    location = models.CharField(_("locatie"), max_length=200, blank=True)
    participants = models.TextField(_("deelnemers"), blank=True)
    participant_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="meetings_attended",
        verbose_name=_("deelnemende organisaties"),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["series", "date", "id"]
        verbose_name = _("overleg")
        verbose_name_plural = _("overleggen")

    def __str__(self) -> str:
        return f"{self.series.name} {self.date:%d-%m-%Y}"


class AgendaItemQuerySet(ScopedQuerySet):
    organisation_lookup = "meeting__series__organisation"
    published_filter = _NEVER_PUBLISHED
    change_permissions = _CHANGE


class AgendaItem(VersionedModel, TimeStampedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    action = models.ForeignKey(
        Action,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="agenda_items",
        verbose_name=_("actie"),
    )
    title = models.CharField(
        _("onderwerp"),
        max_length=300,
        blank=True,
        help_text=_("Voor een agendapunt zonder actie."),
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
        verbose_name=_("trekker (organisatie)"),
    )
    lead_text = models.CharField(
        _("trekker"),
        max_length=300,
        blank=True,
        help_text=_("Afdeling of persoon, als de trekker geen organisatie is."),
    )
    what_to_report = models.TextField(_("wat wordt gerapporteerd"), blank=True)
    order = models.PositiveIntegerField(_("volgorde"), default=0)
    reported = models.BooleanField(_("gerapporteerd"), default=False)
    reported_at = models.DateTimeField(_("gerapporteerd op"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "action"],
                condition=models.Q(action__isnull=False),
                name="meetings_one_item_per_action_per_meeting",
            )
        ]
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        if self.action_id:
            return str(self.action)
        return "–"


class ReminderLog(models.Model):
    """One row per reminder sent, so that `send-reminders` never sends the same one twice."""

    class Kind(models.TextChoices):
        LEAD = "lead", _("Herinnering aan trekker")
        DIGEST = "digest", _("Overzicht voor programmamanager")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.EmailField(_("ontvanger"))
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.LEAD)
    sent_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            # kind is part of the key: a programme manager who also leads an action gets both
            # the reminder and the digest line, each once.
            models.UniqueConstraint(
                fields=["action", "meeting", "recipient", "kind"], name="meetings_reminder_once"
            )
        ]
        verbose_name = _("verstuurde herinnering")
        verbose_name_plural = _("verstuurde herinneringen")

    def __str__(self) -> str:
        return f"{self.recipient}: {self.action} ({self.meeting})"
