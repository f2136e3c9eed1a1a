"""Shared permission-test helpers: every view and API endpoint is checked through these.

`build_world()` makes municipality A (in region R) and municipality B, each with an adopted plan,
A also with a draft plan, and one user per role. `assert_matrix(client, url, expected)` checks a
URL for every role at once and reports all mismatches together; `expect(default, role=code)`
builds its matrices; PAGE and API hold the common ones for reading.
"""

from dataclasses import dataclass, field

from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.services import grant_membership
from openveiligheid.plans.models import Plan
from tests.actions.factories import ActionFactory, ActionPlanFactory
from tests.indicators.factories import AreaFactory, IndicatorFactory, MeasurementFactory
from tests.organisations.factories import OrganisationFactory, PartnerFactory, UserFactory
from tests.plans.factories import PlanFactory, ThemeFactory
from tests.privacy.two_factor import verify_session
from tests.programme.factories import PillarFactory, ProgrammeFactory

PASSWORD = "geheim-wachtwoord-123"
ROLES = (
    "anonymous",
    "administrator",
    "programme_manager",
    "safety_adviser",
    "action_lead",
    "partner_contact",
    "council_member",
    "other_municipality",
)


def expect(default, **by_role) -> dict:
    """A full matrix for assert_matrix: `default` for every role, except those named."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown roles {sorted(unknown)}"
    return dict.fromkeys(ROLES, default) | by_role


@dataclass(frozen=True)
class ReadMatrices:
    """Who may read what: every logged-in user; municipality A's adopted plan ("plan-a") and what
    hangs under it (every user of A, not the partner or municipality B); A's draft "concept-a"
    (also hidden from council members: no VIEW_UNPUBLISHED)."""

    any_user: dict
    read_published_a: dict
    read_draft_a: dict


def _read_matrices(anonymous: int) -> ReadMatrices:
    published_a = expect(200, anonymous=anonymous, partner_contact=404, other_municipality=404)
    return ReadMatrices(
        any_user=expect(200, anonymous=anonymous),
        read_published_a=published_a,
        read_draft_a=published_a | {"council_member": 404},
    )


# Pages send anonymous users to the login page (302); the API asks them to authenticate (401).
PAGE = _read_matrices(anonymous=302)
API = _read_matrices(anonymous=401)


@dataclass
class World:
    municipality_a: Organisation
    municipality_b: Organisation
    region: Organisation
    partner: Organisation
    plan_a: Plan
    draft_plan_a: Plan
    plan_b: Plan
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


def build_world() -> World:
    area_a = AreaFactory(code="GM9101", name="Gemeente A")
    area_b = AreaFactory(code="GM9102", name="Gemeente B")
    municipality_a = OrganisationFactory(name="Gemeente A", slug="gemeente-a", cbs_code="GM9101")
    municipality_b = OrganisationFactory(name="Gemeente B", slug="gemeente-b", cbs_code="GM9102")
    region = OrganisationFactory(
        kind=Organisation.Kind.REGION, name="Regio R", slug="regio-r", cbs_code=None
    )
    region.members.add(municipality_a)
    partner = PartnerFactory(name="Politie Oost", slug="politie-oost")

    plan_a = PlanFactory(owner=municipality_a, slug="plan-a", title="IVP A")
    draft_plan_a = PlanFactory(
        owner=municipality_a, slug="concept-a", title="Concept A", status=Plan.Status.DRAFT
    )
    plan_b = PlanFactory(owner=municipality_b, slug="plan-b", title="IVP B")
    world = World(municipality_a, municipality_b, region, partner, plan_a, draft_plan_a, plan_b)

    users = {"anonymous": None}
    for role in ROLES[1:-1]:
        organisation = partner if role == "partner_contact" else municipality_a
        user = UserFactory(username=role)
        grant_membership(user=user, organisation=organisation, role_slug=role)
        users[role] = user
    other = UserFactory(username="other_municipality")
    grant_membership(user=other, organisation=municipality_b, role_slug="programme_manager")
    users["other_municipality"] = other
    world.users = users

    for key, plan, area in (
        ("a", plan_a, area_a),
        ("draft_a", draft_plan_a, area_a),
        ("b", plan_b, area_b),
    ):
        theme = ThemeFactory(plan=plan, name=f"Ondermijning {key}", slug=f"ondermijning-{key}")
        indicator = IndicatorFactory(plan=plan, theme=theme, area=area, slug=f"inbraken-{key}")
        MeasurementFactory(indicator=indicator, area=area, period_start="2022-01-01", value=120)
        action_plan = ActionPlanFactory(plan=plan)
        action = ActionFactory(action_plan=action_plan, theme=theme)
        programme = ProgrammeFactory(plan=plan)
        PillarFactory(programme=programme)
        world.objects[key] = {
            "theme": theme,
            "indicator": indicator,
            "action_plan": action_plan,
            "action": action,
            "programme": programme,
        }
    world.objects["a"]["theme"].advisers.add(users["safety_adviser"])
    own_action = world.objects["a"]["action"]
    own_action.lead_person = users["action_lead"]
    own_action.save()
    partner_action = ActionFactory(
        action_plan=world.objects["a"]["action_plan"], subject="Partneractie"
    )
    partner_action.partners.add(partner)
    world.objects["a"]["partner_action"] = partner_action
    return world


def login(client, user):
    """Log in as `user`, with the second factor already given where their roles require it."""
    client.logout()
    if user is not None:
        client.force_login(user)
        verify_session(client, user)


def assert_matrix(
    client,
    world: World,
    method: str,
    url: str,
    expected: dict,
    data=None,
    content_type=None,
    extra_users: dict | None = None,
):
    """expected maps role -> status code (or a set of acceptable codes); all roles are required.
    `extra_users` adds rows for users a test makes for a case the world has no role for (name ->
    user, e.g. a partner's contact who reads forwarded reports); expected names them too."""
    extra_users = extra_users or {}
    roles = (*ROLES, *extra_users)
    users = world.users | extra_users
    missing = set(roles) - set(expected)
    assert not missing, f"matrix for {url} misses roles {sorted(missing)}"
    failures = []
    for role in roles:
        login(client, users[role])
        kwargs = {}
        if data is not None:
            kwargs["data"] = data
        if content_type:
            kwargs["content_type"] = content_type
        response = getattr(client, method.lower())(url, **kwargs)
        wanted = expected[role]
        wanted = wanted if isinstance(wanted, set | frozenset) else {wanted}
        if response.status_code not in wanted:
            failures.append(f"{role}: {method} {url} gave {response.status_code}, want {wanted}")
    client.logout()
    assert not failures, "\n".join(failures)
