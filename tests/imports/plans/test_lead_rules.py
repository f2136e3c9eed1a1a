"""The plan importer links a lead only where the actions service accepts it: an organisation that
may not lead actions of the plan (actions.selectors.eligible_lead_organisations) stays text."""

import pytest

from openveiligheid.actions.models import Action
from openveiligheid.imports.plans.services import import_plan, read_plan
from openveiligheid.organisations.models import Organisation
from tests.imports.plans import documents
from tests.imports.plans.test_services import region  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_a_lead_outside_the_eligible_organisations_stays_text(region):  # noqa: F811
    harderwijk = Organisation.objects.get(name="Harderwijk")
    extracted = read_plan(documents.veluwe_noord_docx(), "programma.docx", organisation=harderwijk)
    result = import_plan(extracted, organisation=harderwijk, file_name="programma.docx")

    actions = Action.objects.filter(action_plan__plan=result.plan)
    assert actions.count() == documents.VELUWE_NOORD_ACTIONS
    drugs = actions.get(description__startswith="Bestuurlijke")
    # Oldebroek takes part in the region, not in Harderwijk: not a lead of Harderwijk's plan.
    assert (drugs.lead_text, drugs.lead_organisation) == ("Oldebroek", None)
    own = actions.get(description__startswith="Integrale")
    assert own.lead_organisation == harderwijk
    assert set(
        actions.exclude(lead_organisation=None).values_list("lead_organisation__name", flat=True)
    ) <= {"Harderwijk", "Veluwe-Noord", documents.POLICE}
