"""Every write of a measure mapping leaves a change log entry: the default rules, a binding of a
series key to an indicator (created or changed) and a row saved in the mapping editor."""

import pytest

from openveiligheid.core.changelog import changes_for
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.imports.mapping import bind_indicator, ensure_default_mappings
from openveiligheid.imports.models import MeasureMapping

pytestmark = pytest.mark.django_db


def test_default_rules_are_logged_once():
    MeasureMapping.objects.all().delete()
    created = ensure_default_mappings()
    assert created
    defaults = list(MeasureMapping.objects.filter(organisation=None))
    assert len(defaults) == created
    for mapping in defaults:
        assert [entry.operation for entry in changes_for(mapping)] == [
            ChangeLogEntry.Operation.CREATE
        ]
    assert ensure_default_mappings() == 0
    assert sum(changes_for(mapping).count() for mapping in defaults) == created


def test_binding_an_indicator_is_logged_with_its_owner(world):
    indicator = world.objects["a"]["indicator"]
    actor = world.users["programme_manager"]
    binding = bind_indicator(
        organisation=world.municipality_a, key="overlast-jeugd", indicator=indicator, actor=actor
    )
    [created] = changes_for(binding)
    assert (created.operation, created.actor) == (ChangeLogEntry.Operation.CREATE, actor)
    assert created.owner_organisation == world.municipality_a.pk

    bind_indicator(
        organisation=world.municipality_a,
        key="overlast-jeugd",
        indicator=indicator,
        extra_areas=["GM9102"],
    )
    updated = changes_for(binding).order_by("id").last()
    assert updated.operation == ChangeLogEntry.Operation.UPDATE
    assert (updated.before["extra_areas"], updated.after["extra_areas"]) == ([], ["GM9102"])
    # Binding again with the same values changes nothing and logs nothing.
    bind_indicator(
        organisation=world.municipality_a,
        key="overlast-jeugd",
        indicator=indicator,
        extra_areas=["GM9102"],
    )
    assert changes_for(binding).count() == 2
