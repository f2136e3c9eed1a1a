"""Import an existing plan document: read, preview, confirm.

``read_plan`` reads and extracts a document without writing anything (``--dry-run`` and the
preview page). ``import_plan`` writes what was extracted in one transaction, through the plans,
actions and meetings services only: a plan (kind execution_plan) unless an existing one is given,
its themes (with their goal) and topics, one action plan with the actions (one create_actions
batch), and the meetings of the calendars it found with the actions on their agendas (one
schedule_actions batch). ``preview_upload`` and
``confirm_upload`` do the same for the upload/preview/confirm pages, keeping the file as an
``Upload`` in between so that the confirmation imports exactly the previewed file. A document
that was imported before (or an upload for a plan the user chose) updates that plan instead,
through the diff of ``imports.plans.reimport``; ``recognised_leads`` is the one lead
recognition of the preview and the import.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext

from openveiligheid.actions.selectors import eligible_lead_organisations
from openveiligheid.actions.services import create_action_plan, create_actions
from openveiligheid.core.limits import ParseLimitExceeded, parse_time_limit
from openveiligheid.imports import uploads
from openveiligheid.imports.models import Upload
from openveiligheid.imports.plans.extraction import ExtractedPlan, extract
from openveiligheid.imports.plans.readers import UnreadableDocument, read_document
from openveiligheid.organisations.matching import OrganisationMatcher, normalise_name
from openveiligheid.organisations.models import Organisation, Unit
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import access_for
from openveiligheid.organisations.services import get_or_create_unit
from openveiligheid.plans.models import Plan, Theme, Topic
from openveiligheid.plans.services import add_goal, add_theme, add_topic, create_plan

logger = logging.getLogger(__name__)

IMPORT_PERMISSIONS = (Permission.MANAGE_ACTIONS, Permission.MANAGE_PLAN)

__all__ = [
    "IMPORT_PERMISSIONS",
    "ImportResult",
    "Target",
    "UnreadableDocument",
    "action_plan_title",
    "can_import",
    "confirm_upload",
    "descriptive_fields",
    "import_meetings",
    "import_plan",
    "importable_organisations",
    "plan_to_update",
    "plan_years",
    "preview_upload",
    "read_plan",
    "recognised_leads",
    "resolve_target",
    "resolver_for",
]


# --------------------------------------------------------------------------------------------
# Who imports for whom


@dataclass
class Target:
    """The municipality or region a plan is imported for; ``organisation`` may be None in a
    dry run (no organisation needs to exist to see what a document holds)."""

    kind: str
    code: str
    name: str
    organisation: Organisation | None


def resolve_target(*, municipality: str = "", region: str = "", require: bool = True) -> Target:
    """The target from a CBS code (GM0233, or 0233) or a region slug. Raises ValueError (Dutch)."""
    if bool(municipality) == bool(region):
        raise ValueError("Geef precies één van --municipality of --region.")
    if municipality:
        code = municipality.strip().upper()
        if code.isdecimal():
            code = f"GM{int(code):04d}"
        organisation = Organisation.objects.filter(
            cbs_code=code, kind=Organisation.Kind.MUNICIPALITY
        ).first()
        name = organisation.name if organisation else ""
        if not name:
            from openveiligheid.areas.models import Area

            name = Area.objects.filter(code=code).values_list("name", flat=True).first() or code
        if organisation is None and require:
            raise ValueError(f"Er is geen gemeente met CBS-code {code}.")
        return Target("municipality", code, name, organisation)
    slug = region.strip()
    organisation = Organisation.objects.filter(slug=slug, kind=Organisation.Kind.REGION).first()
    if organisation is None and require:
        raise ValueError(f"Er is geen samenwerkingsverband met korte naam {slug}.")
    return Target("region", slug, organisation.name if organisation else slug, organisation)


def can_import(user, organisation: Organisation) -> bool:
    access = access_for(user)
    return access is not None and any(
        access.has(code, organisation.pk) for code in IMPORT_PERMISSIONS
    )


def importable_organisations(user):
    access = access_for(user)
    if access is None:
        return Organisation.objects.none()
    if access.is_superuser:
        return Organisation.objects.exclude(kind=Organisation.Kind.PARTNER)
    return Organisation.objects.filter(pk__in=access.orgs_with(*IMPORT_PERMISSIONS)).exclude(
        kind=Organisation.Kind.PARTNER
    )


# --------------------------------------------------------------------------------------------
# Reading


def matcher_for(organisation: Organisation | None) -> OrganisationMatcher:
    region = (
        organisation
        if organisation is not None and organisation.kind == Organisation.Kind.REGION
        else None
    )
    return OrganisationMatcher.from_database(region=region)


def read_plan(
    content: bytes,
    file_name: str = "",
    *,
    organisation: Organisation | None = None,
    year: int | None = None,
) -> ExtractedPlan:
    """Read and extract a plan document; writes nothing. Raises UnreadableDocument, also for a
    document in which no plan is found (no action, no meeting), rather than make an empty plan."""
    # Reading and extracting together within the parse time (core.limits): the plan upload
    # reads in the request, and must answer before the worker's timeout.
    try:
        with parse_time_limit():
            source = read_document(content, file_name)
            extracted = extract(source, year=year, matcher=matcher_for(organisation))
    except ParseLimitExceeded as error:
        raise UnreadableDocument(str(error)) from error
    if not extracted.actions and not extracted.meetings:
        raise UnreadableDocument(
            gettext(
                "In dit bestand staat geen plan: er is geen actie en geen vergaderdatum in "
                "gevonden. Kies het plan of programma met de tabellen van acties."
            )
        )
    return extracted


# --------------------------------------------------------------------------------------------
# Writing


@dataclass
class ImportResult:
    plan: Plan
    action_plan: object
    actions: int = 0
    themes: int = 0
    topics: int = 0
    meetings: int = 0
    agenda_items: int = 0
    unmatched_leads: list[str] = field(default_factory=list)
    series: list = field(default_factory=list)
    mode: str = "new"  # or "update": a re-import into the plan (imports.plans.reimport)
    updated: int = 0
    cancelled: int = 0

    def as_dict(self) -> dict:
        return {
            "plan": self.plan.slug,
            "action_plan": self.action_plan.pk,
            "actions": self.actions,
            "themes": self.themes,
            "topics": self.topics,
            "meetings": self.meetings,
            "agenda_items": self.agenda_items,
            "unmatched_leads": self.unmatched_leads,
            "series": [series.pk for series in self.series],
            "mode": self.mode,
            "updated": self.updated,
            "cancelled": self.cancelled,
        }


def plan_years(extracted: ExtractedPlan) -> tuple[int, int]:
    """The first and last year of the plan: its period, else the years in its title."""
    if extracted.period:
        return extracted.period
    years = [int(y) for y in re.findall(r"\b(20\d\d)\b", extracted.title)]
    if not years and extracted.year:
        years = [extracted.year]
    if not years:
        years = [timezone.localdate().year]
    return min(years), max(years)


def _unique_plan_slug(base: str) -> str:
    base = slugify(base)[:90] or "plan"
    slug, counter = base, 2
    while Plan.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _series_kind(name: str) -> str:
    from openveiligheid.meetings.models import MeetingSeries

    lowered = name.lower()
    if "vooroverleg" in lowered or "ambtelijk" in lowered:
        return MeetingSeries.Kind.DRIEHOEK_PREPARATION
    if "driehoek" in lowered:
        return MeetingSeries.Kind.DRIEHOEK
    if "ondermijning" in lowered:
        return MeetingSeries.Kind.LOCAL_UNDERMINING
    if "expert" in lowered:
        return MeetingSeries.Kind.EXPERT_GROUP
    return MeetingSeries.Kind.OTHER


class _Resolver:
    """Organisation and unit objects for the names in the document, looked up once each."""

    def __init__(self, owner: Organisation, eligible_leads: set[int]):
        self.owner = owner
        # Who may lead an action of the plan (actions.selectors.eligible_lead_organisations);
        # another organisation named as lead stays text, as create_actions would refuse it.
        self.eligible_leads = eligible_leads
        self.organisations = {
            org.pk: org
            for org in Organisation.objects.filter(
                pk__in=[owner.pk, *owner.members.values_list("pk", flat=True)]
            )
        }
        self.units: dict[int, dict[str, Unit]] = {}

    def organisation(self, pk: int | None) -> Organisation | None:
        if pk is None:
            return None
        if pk not in self.organisations:
            self.organisations[pk] = Organisation.objects.filter(pk=pk).first()
        return self.organisations[pk]

    def lead(self, action) -> Organisation | None:
        if action.lead_match is not None and action.lead_match.pk is not None:
            if action.lead_match.pk not in self.eligible_leads:
                return None
            return self.organisation(action.lead_match.pk)
        # "Gemeente V&R" in a municipality's own plan is that municipality.
        if (
            normalise_name(action.lead_organisation) == "gemeente"
            and self.owner.kind == Organisation.Kind.MUNICIPALITY
        ):
            return self.owner
        return None

    def partners(self, action, lead: Organisation | None) -> list[Organisation]:
        partners: list[Organisation] = []
        for match in action.partner_matches:
            partner = self.organisation(match.pk) if match is not None else None
            if partner is not None and partner != lead and partner not in partners:
                partners.append(partner)
        return partners

    def unit(self, organisation: Organisation | None, text: str, actor=None) -> Unit | None:
        """The unit named in a lead cell ("Gemeente V&R"); the owner's own units named in its
        plan are created when missing, other organisations' units are only looked up."""
        if organisation is None or not text:
            return None
        if organisation.pk not in self.units:
            by_name: dict[str, Unit] = {}
            for unit in Unit.objects.filter(organisation=organisation):
                for key in (unit.name, unit.abbreviation):
                    if key:
                        by_name.setdefault(normalise_name(key), unit)
            self.units[organisation.pk] = by_name
        key = normalise_name(text)
        found = self.units[organisation.pk].get(key)
        if found is None and organisation.pk == self.owner.pk and len(text) <= 40:
            found = self.units[organisation.pk][key] = get_or_create_unit(
                organisation, text, actor=actor
            )
        return found


def resolver_for(organisation: Organisation, plan: Plan | None = None) -> _Resolver:
    """The one recognition of leads and partners, for the preview and the import alike.

    Who may lead depends only on the plan's owner (actions.selectors.eligible_lead_organisations),
    so a plan that does not exist yet is judged as a plan of ``organisation``."""
    plan = plan if plan is not None else Plan(owner=organisation)
    return _Resolver(
        organisation,
        set(eligible_lead_organisations(plan).values_list("pk", flat=True)),
    )


def recognised_leads(
    extracted: ExtractedPlan, organisation: Organisation, plan: Plan | None = None
) -> list[Organisation | None]:
    """Per extracted action, the organisation the import will make its lead (None: the lead
    stays text only). The preview shows exactly this."""
    resolver = resolver_for(organisation, plan)
    return [resolver.lead(action) for action in extracted.actions]


def action_plan_title(extracted: ExtractedPlan, plan: Plan) -> str:
    return (extracted.title or plan.title)[:300]


def descriptive_fields(parsed, lead: Organisation | None) -> dict:
    """What the document says about an action, as Action fields: written by the import and
    compared (and updated) by a re-import. Status, progress and dates of work done are not
    among them: they are the plan's own history after the first import."""
    description = parsed.text or parsed.subject or parsed.topic or parsed.lead
    if parsed.note:
        description = f"{description}\n\n{parsed.note}"
    return {
        "subject": parsed.subject[:300],
        "description": description or "–",
        "lead_text": parsed.lead[:500],
        "lead_organisation": lead,
        "partner_text": ", ".join(parsed.partners)[:1000],
        "due_text": parsed.due_text[:300],
        "is_unplanned": parsed.unplanned,
    }


@transaction.atomic
def import_plan(
    extracted: ExtractedPlan,
    *,
    organisation: Organisation,
    actor=None,
    plan: Plan | None = None,
    file_name: str = "",
    today: date | None = None,
) -> ImportResult:
    """Write an extracted plan for ``organisation``; everything or nothing."""
    today = today or timezone.localdate()
    year_start, year_end = plan_years(extracted)
    if plan is None:
        title = extracted.title or file_name or f"Uitvoeringsplan {year_start}"
        plan = create_plan(
            slug=_unique_plan_slug(f"{organisation.slug}-{title}"),
            title=title[:300],
            kind=Plan.Kind.EXECUTION_PLAN,
            period_start=year_start,
            period_end=year_end,
            owner=organisation,
            status=Plan.Status.DRAFT,
            source_document=file_name[:200],
            actor=actor,
        )
    elif plan.owner_id != organisation.pk:
        raise ValidationError({"plan": gettext("Dit plan hoort bij een andere organisatie.")})
    result = ImportResult(plan=plan, action_plan=None)

    themes: dict[str, Theme] = {theme.name.casefold(): theme for theme in plan.themes.all()}
    goals = {theme.name: theme.goal for theme in extracted.themes}
    situations = {theme.name: theme.situation for theme in extracted.themes}
    names = [theme.name for theme in extracted.themes] + [a.theme for a in extracted.actions]
    for name in dict.fromkeys(name for name in names if name):
        if name.casefold() in themes:
            continue
        theme = add_theme(
            plan,
            name=name[:300],
            kind=Theme.Kind.PRIORITY,
            situation=situations.get(name, ""),
            actor=actor,
        )
        if goals.get(name):
            add_goal(theme, text=goals[name], actor=actor)
        themes[name.casefold()] = theme
        result.themes += 1
    topics: dict[tuple[int, str], Topic] = {
        (topic.theme_id, topic.name.casefold()): topic
        for topic in Topic.objects.filter(theme__plan=plan)
    }
    theme_goal = {
        theme.pk: theme.goals.order_by("order", "id").first() for theme in themes.values()
    }

    action_plan = create_action_plan(
        plan=plan,
        title=action_plan_title(extracted, plan),
        year_start=year_start,
        year_end=year_end,
        actor=actor,
    )
    result.action_plan = action_plan
    resolver = resolver_for(organisation, plan)
    specs = []
    unmatched: dict[str, None] = {}
    for order, parsed in enumerate(extracted.actions, start=1):
        theme = themes.get(parsed.theme.casefold()) if parsed.theme else None
        topic = None
        if parsed.topic and theme is not None:
            key = (theme.pk, parsed.topic.casefold())
            topic = topics.get(key)
            if topic is None:
                topic = topics[key] = add_topic(theme, name=parsed.topic[:300], actor=actor)
                result.topics += 1
        lead = resolver.lead(parsed)
        if lead is None and parsed.lead:
            unmatched.setdefault(parsed.lead, None)
        specs.append(
            {
                **descriptive_fields(parsed, lead),
                "partners": resolver.partners(parsed, lead),
                "status": parsed.status or "planned",
                "theme": theme,
                "topic": topic,
                "goal": theme_goal.get(theme.pk) if theme is not None and parsed.goal else None,
                "lead_unit": resolver.unit(lead, parsed.lead_unit, actor),
                "unplanned_since": (parsed.unplanned_since or today) if parsed.unplanned else None,
                "order": order,
            }
        )
    # One batch: validated together, inserted in bulk (one query per action took minutes).
    actions = create_actions(action_plan=action_plan, specs=specs, actor=actor)
    created = list(zip(extracted.actions, actions, strict=True))
    result.actions = len(created)
    result.unmatched_leads = list(unmatched)
    import_meetings(extracted, organisation, created, actor, result)
    logger.info(
        "plan_imported",
        extra={
            "plan": plan.slug,
            "organisation": organisation.pk,
            "actor": getattr(actor, "pk", None),
            "format": extracted.format,
            "actions": result.actions,
            "meetings": result.meetings,
            "agenda_items": result.agenda_items,
            "uncertain": sum(1 for entry in extracted.unparsed if entry.reason),
            "unparsed": len(extracted.unparsed),
        },
    )
    return result


def _calendar_reports(extracted: ExtractedPlan) -> dict[tuple[int, date], str]:
    """What each action reports at a meeting, as the calendar writes it ("Evaluatie
    jeugdaanpak"); an action made from an entry that names no action of the tables says so."""
    reports: dict[tuple[int, date], list[str]] = {}
    for entry in extracted.calendar:
        if entry.action is None:
            continue
        text = entry.text
        if entry.created:
            text = gettext("%(entry)s (alleen genoemd in de vergaderkalender)") % {"entry": text}
        reports.setdefault((id(entry.action), entry.meeting), []).append(text)
    return {key: "; ".join(texts)[:500] for key, texts in reports.items()}


def import_meetings(
    extracted, organisation, created, actor, result: ImportResult, existing=()
) -> None:
    """The document's meetings (each once) and the actions on their agendas: every meeting of
    a ``created`` action; for actions that were there before (``existing``, a re-import), only
    the meetings added now, so that their agendas stay as they were edited."""
    if not extracted.meetings:
        return
    from openveiligheid.meetings.models import Meeting, MeetingSeries
    from openveiligheid.meetings.services import add_meeting, create_series, schedule_actions

    meetings_by_date: dict[date, Meeting] = {}
    added: set[int] = set()
    series_by_key: dict[tuple[str, int], MeetingSeries] = {}
    for parsed in extracted.meetings:
        key = (parsed.series, parsed.date.year)
        series = series_by_key.get(key)
        if series is None:
            series = MeetingSeries.objects.filter(
                organisation=organisation, name=parsed.series[:200], year=parsed.date.year
            ).first() or create_series(
                organisation=organisation,
                kind=_series_kind(parsed.series),
                name=parsed.series[:200],
                year=parsed.date.year,
                actor=actor,
            )
            series_by_key[key] = series
            result.series.append(series)
        meeting = series.meetings.filter(date=parsed.date).first()
        if meeting is None:
            meeting = add_meeting(
                series, date=parsed.date, document_deadline=parsed.deadline, actor=actor
            )
            result.meetings += 1
            added.add(meeting.pk)
        meetings_by_date.setdefault(parsed.date, meeting)
    reports = _calendar_reports(extracted)
    scheduled = [
        (meetings_by_date[day], action, reports.get((id(parsed), day), ""))
        for parsed, action in created
        for day in parsed.meetings
        if day in meetings_by_date
    ] + [
        (meetings_by_date[day], action, reports.get((id(parsed), day), ""))
        for parsed, action in existing
        for day in parsed.meetings
        if day in meetings_by_date and meetings_by_date[day].pk in added
    ]
    schedule_actions(scheduled, actor=actor)
    result.agenda_items += len(scheduled)


# --------------------------------------------------------------------------------------------
# Upload, preview, confirm


def preview_upload(
    *,
    content: bytes,
    file_name: str,
    organisation: Organisation,
    user,
    year: int | None = None,
    plan: Plan | None = None,
) -> tuple[Upload, ExtractedPlan]:
    """Extract the file and keep it for confirmation (through the one upload flow).

    ``plan`` is the plan the user chose to update; without one, a plan of the organisation
    that this document was imported as before (reimport.matching_plan) is remembered, so that
    the preview offers to update it instead of making a second plan.

    Raises UnreadableDocument, ValidationError for a file above the upload limit, or
    PermissionDenied when the user may not import for ``organisation``."""
    from openveiligheid.imports.plans.reimport import matching_plan

    if not uploads.may_upload(Upload.Kind.PLAN, user, organisation):
        raise PermissionDenied
    uploads.check_size(len(content))
    extracted = read_plan(content, file_name, organisation=organisation, year=year)
    match = None if plan is not None else matching_plan(organisation, extracted, file_name)
    upload = uploads.store_upload(
        Upload.Kind.PLAN,
        content,
        organisation,
        user,
        name=file_name,
        options={
            "year": year,
            "plan": plan.pk if plan else None,
            "match": match.pk if match else None,
        },
    )
    cache.set(_extraction_key(upload, upload.sha256), extracted, EXTRACTION_CACHE_SECONDS)
    return uploads.record_preview(upload, summary_of(extracted), user), extracted


def summary_of(extracted: ExtractedPlan) -> dict:
    return {
        "title": extracted.title,
        "format": extracted.format,
        "year": extracted.year,
        "themes": len(extracted.themes),
        "actions": len(extracted.actions),
        "unplanned": sum(1 for action in extracted.actions if action.unplanned),
        "meetings": len(extracted.meetings),
        "unparsed": len(extracted.unparsed),
    }


# How long a read document is kept for its preview: longer than anyone looks at one preview.
EXTRACTION_CACHE_SECONDS = 60 * 60


def extracted_for_upload(upload: Upload) -> ExtractedPlan:
    """The plan read from an upload, read once: the preview (viewed again after every choice)
    and the confirmation reuse what the first view read, which for a long plan document is
    most of a second. Kept per content (a stored file that changed since is read again),
    organisation, year and language (the reading's messages are translated); preview_upload
    keeps its first reading."""
    content = upload.read_content()
    key = _extraction_key(upload, hashlib.sha256(content).hexdigest())
    extracted = cache.get(key)
    if extracted is None:
        extracted = read_plan(
            content,
            upload.file_name,
            organisation=upload.organisation,
            year=(upload.options or {}).get("year"),
        )
        cache.set(key, extracted, EXTRACTION_CACHE_SECONDS)
    return extracted


def _extraction_key(upload: Upload, content_sha256: str) -> str:
    return (
        f"ov:plan-extraction:v1:{content_sha256}:{upload.organisation_id}:"
        f"{(upload.options or {}).get('year')}:{translation.get_language()}"
    )


def plan_to_update(upload: Upload) -> Plan | None:
    """The plan a re-import of this upload would update: the one the user chose, else the one
    it was found to match. Raises ValidationError when the chosen plan no longer exists."""
    options = upload.options or {}
    if options.get("plan"):
        plan = Plan.objects.filter(pk=options["plan"], owner=upload.organisation).first()
        if plan is None:
            raise ValidationError(gettext("Het gekozen plan bestaat niet meer."))
        return plan
    if options.get("match"):
        # A matching plan removed since the upload: the document is read as a new plan.
        return Plan.objects.filter(pk=options["match"], owner=upload.organisation).first()
    return None


def confirm_upload(upload: Upload, *, actor, mode: str | None = None, digest: str = ""):
    """Import a previewed upload once; a second confirmation is refused (ImportRefused).

    ``mode`` "update" applies the preview's diff to the plan to update (``digest``, when given,
    must still be the diff's: a plan edited since the preview is refused), "new" makes a new
    plan; without a mode, an upload with a plan to update updates it."""
    return uploads.confirm(upload, actor, mode=mode, digest=digest)


def _import_upload(upload: Upload, actor=None, mode: str | None = None, digest: str = ""):
    """The plan kind's confirmation: runs inside the locked transaction of uploads.confirm."""
    from openveiligheid.imports.plans import reimport

    extracted = extracted_for_upload(upload)
    plan = plan_to_update(upload) if mode != "new" else None
    if plan is None:
        return import_plan(
            extracted, organisation=upload.organisation, actor=actor, file_name=upload.file_name
        )
    diff = reimport.diff_plan(extracted, plan, upload.organisation)
    if digest and digest != diff.digest:
        raise ValidationError(
            gettext(
                "Het plan is gewijzigd sinds het voorbeeld; bekijk de verschillen opnieuw en "
                "bevestig dan."
            )
        )
    return reimport.apply_diff(
        diff,
        extracted,
        organisation=upload.organisation,
        actor=actor,
        file_name=upload.file_name,
    )


def _may_import_plan(user, organisation: Organisation | None, options=None) -> bool:
    return organisation is not None and can_import(user, organisation)


uploads.register_kind(
    uploads.UploadKind(
        name=Upload.Kind.PLAN,
        may_upload=_may_import_plan,
        preview=extracted_for_upload,
        confirm=_import_upload,
        failures=(UnreadableDocument,),
    )
)
