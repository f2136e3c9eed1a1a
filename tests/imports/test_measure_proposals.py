"""A measure that no mapping covers is proposed as a new indicator, and confirming creates it."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openveiligheid.areas.models import Area
from openveiligheid.imports.models import MeasureMapping
from openveiligheid.imports.proposals import CREATE, MAP, SKIP, decide_proposals, proposed_name
from openveiligheid.imports.services import (
    confirm_measurement_import,
    preview_measurement_import,
)
from openveiligheid.indicators.models import Indicator, Measurement
from tests.imports.measurement_helpers import (
    apeldoorn_with_plan,
    cbs_areas,  # noqa: F401 - fixture
    importer,
)

pytestmark = pytest.mark.django_db

NAME = "85999NED_winkeldiefstal_buurt.csv"
MEASURE = "GeregistreerdeMisdrijven_1; Winkeldiefstal"


@pytest.fixture
def areas(cbs_areas, db):  # noqa: F811 - the module fixture, imported above
    """The CBS areas (loaded once for the module)."""


def buurt_export(municipality="GM0200"):
    """A long-format cbsodata export of an unmapped table, one row per buurt, built from the
    format's definition (codes padded as CBS writes them, `_label` columns, JJ00 periods)."""
    buurten = Area.objects.filter(
        level=Area.Level.NEIGHBOURHOOD, code__startswith=f"BU{municipality[2:]}"
    ).order_by("code")
    lines = [
        "ID,SoortMisdrijf,SoortMisdrijf_label,WijkenEnBuurten,WijkenEnBuurten_label,"
        "Perioden,Perioden_label,GeregistreerdeMisdrijven_1"
    ]
    total = Decimal(0)
    for index, buurt in enumerate(buurten):
        value = (index * 7) % 53
        total += value
        lines.append(
            f'{index},"1.4.5 ",Winkeldiefstal,"{buurt.code:<10}",'
            f'"{buurt.name}",2023JJ00,2023,{value}'
        )
    return ("\n".join(lines) + "\n").encode(), buurten.count(), total


def test_proposed_name_reads_the_cbs_topic_key_as_words():
    assert proposed_name(MEASURE) == "Geregistreerde misdrijven; Winkeldiefstal"
    assert proposed_name("Woninginbraak") == "Woninginbraak"


def test_unmapped_buurt_table_gives_one_measurement_per_buurt_under_the_proposed_indicator(areas):
    organisation, _indicator = apeldoorn_with_plan()
    user = importer(organisation)
    content, buurten, file_total = buurt_export()
    assert buurten > 50

    preview = preview_measurement_import(
        name=NAME, content=content, organisation=organisation, actor=user
    )

    assert preview.source == "cbsodata_csv"
    assert preview.unmatched == []
    (proposal,) = preview.proposals
    assert proposal.name == "Geregistreerde misdrijven; Winkeldiefstal"
    assert (proposal.values, proposal.total, proposal.decision) == (buurten, file_total, CREATE)
    assert preview.counts["proposed"] == buurten
    assert preview.to_write == []

    decide_proposals(preview.upload, {MEASURE: {"decision": CREATE}}, user)
    result = confirm_measurement_import(preview.upload, user)

    indicator = Indicator.objects.get(name="Geregistreerde misdrijven; Winkeldiefstal")
    assert indicator.plan.owner == organisation
    assert indicator.source.name == "CBS 85999NED"
    assert indicator.unit == Indicator.Unit.COUNT
    measurements = Measurement.objects.filter(indicator=indicator)
    assert measurements.count() == buurten == result.created
    assert {m.area.level for m in measurements.select_related("area")} == {"neighbourhood"}
    assert sum(m.value for m in measurements) == file_total
    # The rule is remembered: the next import of the table maps without a proposal.
    assert MeasureMapping.objects.filter(
        organisation=organisation, table_id="85999NED", measure=MEASURE, indicator=indicator
    ).exists()
    again = preview_measurement_import(
        name=NAME, content=content, organisation=organisation, actor=user, dry_run=True
    )
    assert again.proposals == []
    assert len(again.unchanged) == buurten


def test_a_proposed_measure_can_be_mapped_to_an_existing_indicator(areas):
    organisation, indicator = apeldoorn_with_plan()
    user = importer(organisation)
    content, buurten, _total = buurt_export()
    preview = preview_measurement_import(
        name=NAME, content=content, organisation=organisation, actor=user
    )

    decide_proposals(preview.upload, {MEASURE: {"decision": MAP, "indicator": indicator.pk}}, user)
    confirm_measurement_import(preview.upload, user)

    assert Measurement.objects.filter(indicator=indicator).count() == buurten
    assert not Indicator.objects.filter(name__startswith="Geregistreerde misdrijven;").exists()


def test_a_proposed_measure_can_be_left_out(areas):
    organisation, _indicator = apeldoorn_with_plan()
    user = importer(organisation)
    content, _buurten, _total = buurt_export()
    preview = preview_measurement_import(
        name=NAME, content=content, organisation=organisation, actor=user
    )

    decide_proposals(preview.upload, {MEASURE: {"decision": SKIP}}, user)
    result = confirm_measurement_import(preview.upload, user)

    assert result.created == 0
    assert not MeasureMapping.objects.filter(organisation=organisation, measure=MEASURE).exists()


def test_mapping_to_another_organisations_indicator_is_refused(areas):
    organisation, _indicator = apeldoorn_with_plan()
    user = importer(organisation)
    other = Indicator.objects.exclude(plan__owner=organisation).first()
    content, _buurten, _total = buurt_export()
    preview = preview_measurement_import(
        name=NAME, content=content, organisation=organisation, actor=user
    )
    with pytest.raises(ValidationError, match="eigen plan"):
        decide_proposals(
            preview.upload,
            {MEASURE: {"decision": MAP, "indicator": other.pk if other else 0}},
            user,
        )


def test_without_a_decision_confirming_creates_no_indicator(areas):
    organisation, _indicator = apeldoorn_with_plan()
    user = importer(organisation)
    content, _buurten, _total = buurt_export()
    preview = preview_measurement_import(
        name=NAME, content=content, organisation=organisation, actor=user
    )

    result = confirm_measurement_import(preview.upload, user)

    assert result.created == 0
    assert not Indicator.objects.filter(name__startswith="Geregistreerde misdrijven;").exists()


def test_only_who_may_import_the_figures_decides(areas):
    organisation, _indicator = apeldoorn_with_plan()
    user = importer(organisation)
    adviser = importer(organisation, username="adviseur", role="action_lead")
    content, _buurten, _total = buurt_export()
    preview = preview_measurement_import(
        name=NAME, content=content, organisation=organisation, actor=user
    )

    with pytest.raises(PermissionDenied):
        decide_proposals(preview.upload, {MEASURE: {"decision": CREATE}}, adviser)
