"""Action plans, actions with their status history, and progress updates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openveiligheid.core.concurrency import VersionedModel
from openveiligheid.core.models import TimeStampedModel
from openveiligheid.organisations.models import Organisation, Unit
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import CHANGE, Access, ScopedQuerySet
from openveiligheid.plans.models import Goal, Plan, Theme, Topic


class ActionPlanQuerySet(ScopedQuerySet):
    organisation_lookup = "plan__owner"
    published_filter = {"plan__status": "adopted"}
    change_permissions = (Permission.MANAGE_ACTIONS,)


class ActionPlan(TimeStampedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="action_plans")
    title = models.CharField(_("titel"), max_length=300)
    year_start = models.PositiveSmallIntegerField(_("beginjaar"))
    year_end = models.PositiveSmallIntegerField(_("eindjaar"))
    # Set by start_next_year; actions added later to a plan that has a predecessor are "nieuw".
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_plans",
        verbose_name=_("vorig actieplan"),
    )

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "year_start", "title"]
        verbose_name = _("actieplan")
        verbose_name_plural = _("actieplannen")

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    IN_PROGRESS = "in_progress", _("In uitvoering")
    DONE = "done", _("Afgerond")
    DELAYED = "delayed", _("Vertraagd")
    CANCELLED = "cancelled", _("Vervallen")


# The only status changes allowed; everything else is refused with a message.
ACTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ActionStatus.PLANNED: frozenset(
        {ActionStatus.IN_PROGRESS, ActionStatus.DELAYED, ActionStatus.CANCELLED, ActionStatus.DONE}
    ),
    ActionStatus.IN_PROGRESS: frozenset(
        {ActionStatus.DONE, ActionStatus.DELAYED, ActionStatus.CANCELLED}
    ),
    ActionStatus.DELAYED: frozenset(
        {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED}
    ),
    ActionStatus.DONE: frozenset({ActionStatus.IN_PROGRESS}),
    ActionStatus.CANCELLED: frozenset({ActionStatus.PLANNED}),
}


# A third scoping action besides VIEW and CHANGE: changing what the owner decides about an action
# (description, leads, partners, timing). CHANGE also lets partner contacts report progress and
# status on the actions given to their organisation; EDIT does not, unless the owner allowed
# those partners to edit that action (partners_may_edit).
EDIT = "edit"


class ActionQuerySet(ScopedQuerySet):
    organisation_lookup = "action_plan__plan__owner"
    published_filter = {"action_plan__plan__status": "adopted"}
    change_permissions = (Permission.MANAGE_ACTIONS,)

    def extra_scope(self, access: Access, action: str):
        partner_orgs = access.orgs_with(Permission.UPDATE_PARTNER_ACTIONS)
        # Partner contacts see and update the actions given to their organisation, in adopted
        # plans and in concepts the owner shared with that organisation.
        partner_q = (
            models.Q(lead_organisation__in=partner_orgs)
            | models.Q(
                pk__in=Action.partners.through.objects.filter(
                    organisation_id__in=partner_orgs
                ).values("action_id")
            )
        ) & (
            models.Q(action_plan__plan__status=Plan.Status.ADOPTED)
            | models.Q(
                action_plan__plan__in=Plan.shared_with.through.objects.filter(
                    organisation_id__in=partner_orgs
                ).values("plan_id")
            )
        )
        if action not in (CHANGE, EDIT):
            return partner_q if partner_orgs else super().extra_scope(access, action)
        own = models.Q(
            lead_person=access.user,
            action_plan__plan__owner__in=access.orgs_with(Permission.UPDATE_OWN_ACTIONS),
        )
        if not partner_orgs:
            return own
        if action == EDIT:
            return own | (partner_q & models.Q(partners_may_edit=True))
        return own | partner_q


class Action(VersionedModel, TimeStampedModel):
    action_plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    subject = models.CharField(_("onderwerp"), max_length=300, blank=True)
    description = models.TextField(_("actie"))
    lead_text = models.CharField(_("regievoerder zoals geschreven"), max_length=500, blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_actions",
        verbose_name=_("trekker (organisatie)"),
    )
    lead_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_actions",
        verbose_name=_("trekker (afdeling)"),
    )
    lead_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_actions",
        verbose_name=_("actiehouder"),
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_actions", verbose_name=_("partners")
    )
    partner_text = models.CharField(_("partners zoals geschreven"), max_length=1000, blank=True)
    due_text = models.CharField(_("wanneer"), max_length=300, blank=True)
    due_start = models.DateField(_("vanaf"), null=True, blank=True)
    due_end = models.DateField(_("uiterlijk"), null=True, blank=True)
    due_recurrence = models.CharField(_("herhaling"), max_length=20, blank=True)
    due_understood = models.BooleanField(_("planning begrepen"), default=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    is_new = models.BooleanField(_("nieuw ten opzichte van vorig plan"), default=False)
    is_unplanned = models.BooleanField(_("onvoorzien"), default=False)
    unplanned_since = models.DateField(_("toegevoegd op"), null=True, blank=True)
    partners_may_edit = models.BooleanField(
        _("partners mogen de actie bewerken"),
        default=False,
        help_text=_(
            "Anders melden partners alleen voortgang en status; wat de eigenaar besluit "
            "(beschrijving, trekker, partners, termijn) blijft bij de eigenaar."
        ),
    )
    # Set by start_next_year: the action of the previous year's action plan this one continues.
    carried_over_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_over_to",
        verbose_name=_("overgenomen van"),
    )
    # The demo's invented statuses and progress of actions the documents name (as generated
    # figures are marked): every page showing the action says so.
    is_example = models.BooleanField(
        _("voorbeelddata"),
        default=False,
        help_text=_("Status en voortgang zijn verzonnen voorbeelden, geen echte uitvoering."),
    )
    order = models.PositiveIntegerField(default=0)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["action_plan", "order", "id"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["due_end"])]
        verbose_name = _("actie")
        verbose_name_plural = _("acties")

    def __str__(self) -> str:
        return self.subject or self.description[:80]

    def allowed_transitions(self) -> list[str]:
        return sorted(ACTION_TRANSITIONS[self.status])


# The longest explanation a status change may carry (checked by actions.services.change_status).
STATUS_NOTE_MAX_LENGTH = 2000


class ActionStatusChange(models.Model):
    """Appended on every status change; never edited."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="status_history")
    from_status = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ActionStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["action", "changed_at", "id"]
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status or '–'} → {self.to_status}"


class ProgressUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="progress_updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("voortgang"))
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), null=True, blank=True)

    class Meta:
        ordering = ["action", "-created_at", "-id"]
        verbose_name = _("voortgangsbericht")
        verbose_name_plural = _("voortgangsberichten")

    def __str__(self) -> str:
        return f"{self.action}: {self.text[:60]}"
