"""Retention: per kind expired or not, municipal periods, dry run, a second run, the deletion
records (no personal data), files removed from storage, the audit entries, and a plan's indicator
values unchanged by a purge."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from openveiligheid.indicators.models import IndicatorState, Measurement
from openveiligheid.privacy import retention
from openveiligheid.privacy.chain import verify_chain
from openveiligheid.privacy.identities import IdentityData, encrypt
from openveiligheid.privacy.models import AuditEntry, DeletionRecord, RetentionKind, RetentionPeriod
from openveiligheid.privacy.retention import months_before
from openveiligheid.signals.models import Attachment, Report, upload_storage
from tests.indicators.factories import IndicatorFactory, MeasurementFactory
from tests.organisations.factories import OrganisationFactory
from tests.signals.factories import ReportFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
CLOSED = Report.Status.CLOSED
REASON = Report.CloseReason


def months_ago(months: int, days: int = 0):
    return months_before(NOW, months) - timedelta(days=days)


def purge(**options):
    """Files are removed once a deletion commits, which the tests' transaction never does: its
    on-commit callbacks run here."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return retention.purge(**options)


@pytest.fixture
def municipality():
    return OrganisationFactory(name="Gemeente Retentie", slug="gemeente-retentie")


def closed_report(organisation, reason, months: int, days: int = 1, **fields):
    contact = encrypt(IdentityData(name="Jan Jansen", email="jan@example.org", phone="0612345678"))
    return ReportFactory(
        organisation=organisation,
        status=CLOSED,
        close_reason=reason,
        closed_at=months_ago(months, days),
        encrypted_contact=contact,
        **fields,
    )


def with_attachment(report) -> Attachment:
    attachment = Attachment(
        report=report, original_name="foto van Jan Jansen.png", content_type="image/png", size=4
    )
    attachment.file.save("bestand.png", ContentFile(b"\x89PNG"), save=False)
    attachment.save()
    return attachment


@pytest.mark.parametrize(
    ("reason", "months"),
    [
        (REASON.DISMISSED, 12),
        (REASON.DUPLICATE, 12),
        (REASON.HANDLED, 24),
        (REASON.CASE, 60),
    ],
)
def test_closed_report_expires_after_its_kinds_period(municipality, reason, months):
    expired = closed_report(municipality, reason, months, days=1)
    kept = closed_report(municipality, reason, months, days=-1)

    result = purge()

    assert [item.reference for item in result.deleted] == [expired.reference]
    assert not Report.objects.filter(pk=expired.pk).exists()
    assert Report.objects.filter(pk=kept.pk).exists()


def test_forwarded_report_counts_from_forwarding(municipality):
    expired = ReportFactory(
        organisation=municipality,
        status=Report.Status.FORWARDED,
        forwarded_at=months_ago(24, 1),
    )
    kept = ReportFactory(
        organisation=municipality,
        status=Report.Status.FORWARDED,
        forwarded_at=months_ago(23),
    )
    open_report = ReportFactory(organisation=municipality, status=Report.Status.IN_TRIAGE)

    deleted = purge().deleted

    assert [(item.kind, item.reference) for item in deleted] == [
        (RetentionKind.REPORT_FORWARDED, expired.reference)
    ]
    assert set(Report.objects.values_list("pk", flat=True)) == {kept.pk, open_report.pk}


def test_attachment_goes_before_its_report_with_its_file(municipality):
    # A handled report is kept 24 months, its attachments 12.
    report = closed_report(municipality, REASON.HANDLED, 13)
    attachment = with_attachment(report)
    open_report = ReportFactory(organisation=municipality, status=Report.Status.NEW)
    open_attachment = with_attachment(open_report)
    Report.objects.filter(pk=open_report.pk).update(created_at=months_ago(30))
    storage = upload_storage()
    assert storage.exists(attachment.file.name)

    deleted = purge().deleted

    assert [(item.kind, item.reference) for item in deleted] == [
        (RetentionKind.ATTACHMENT, f"{report.reference}/bijlage-{attachment.pk}")
    ]
    assert Report.objects.filter(pk=report.pk).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not storage.exists(attachment.file.name)
    # An open report keeps its attachments however old it is.
    assert storage.exists(open_attachment.file.name)


def test_deleting_a_report_removes_its_attachment_files(municipality, settings):
    settings.OPENVEILIGHEID_RETENTION_MONTHS = {
        **settings.OPENVEILIGHEID_RETENTION_MONTHS,
        "attachment": 120,
    }
    report = closed_report(municipality, REASON.DISMISSED, 13)
    attachment = with_attachment(report)

    purge()

    assert not Report.objects.filter(pk=report.pk).exists()
    assert not upload_storage().exists(attachment.file.name)


def test_a_municipalitys_own_period_overrides_the_default(municipality):
    other = OrganisationFactory(name="Gemeente Anders", slug="gemeente-anders")
    RetentionPeriod.objects.create(
        organisation=municipality, kind=RetentionKind.REPORT_DISMISSED, months=3
    )
    short = closed_report(municipality, REASON.DISMISSED, 4)
    default = closed_report(other, REASON.DISMISSED, 4)

    deleted = purge().deleted

    assert [(item.reference, item.months) for item in deleted] == [(short.reference, 3)]
    assert Report.objects.filter(pk=default.pk).exists()


def test_dry_run_changes_nothing(municipality):
    report = closed_report(municipality, REASON.DISMISSED, 13)
    attachment = with_attachment(report)
    entries = AuditEntry.objects.count()

    result = purge(dry_run=True)

    assert len(result.deleted) == 2
    assert Report.objects.filter(pk=report.pk).exists()
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert upload_storage().exists(attachment.file.name)
    assert not DeletionRecord.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_second_purge_is_a_no_op(municipality):
    closed_report(municipality, REASON.DISMISSED, 13)
    closed_report(municipality, REASON.HANDLED, 25)
    assert len(purge().deleted) == 2
    records = DeletionRecord.objects.count()
    entries = AuditEntry.objects.count()

    assert purge().deleted == []
    assert DeletionRecord.objects.count() == records
    assert AuditEntry.objects.count() == entries


def test_deletion_records_hold_no_personal_data_and_are_audited(municipality):
    report = closed_report(
        municipality,
        REASON.DISMISSED,
        13,
        description="Jan Jansen van de Dorpsstraat 1 dealt drugs",
        postcode="1234AB",
        house_number="1",
    )
    attachment = with_attachment(report)

    purge()

    records = list(DeletionRecord.objects.order_by("pk"))
    assert [(r.object_type, r.kind, r.reference) for r in records] == [
        (
            "signals.attachment",
            RetentionKind.ATTACHMENT,
            f"{report.reference}/bijlage-{attachment.pk}",
        ),
        ("signals.report", RetentionKind.REPORT_DISMISSED, report.reference),
    ]
    for record in records:
        assert record.reason == DeletionRecord.Reason.RETENTION
        assert record.organisation_id == municipality.pk
        assert record.period_months == 12
        text = " ".join(
            str(getattr(record, field.attname)) for field in DeletionRecord._meta.concrete_fields
        )
        for personal in (
            "Jan",
            "Jansen",
            "jan@example.org",
            "0612345678",
            "Dorpsstraat",
            "1234AB",
            "foto",
        ):
            assert personal not in text
    deletions = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).order_by("sequence")
    assert [(e.object_type, e.object_repr) for e in deletions] == [
        (r.object_type, r.reference) for r in records
    ]
    assert all("Bewaartermijn verstreken" in entry.purpose for entry in deletions)
    assert verify_chain().intact


def test_purge_leaves_indicator_values_unchanged(world):
    municipality = world.municipality_a
    indicator = IndicatorFactory(plan=world.plan_a, slug="meldingen-drugs", name="Meldingen drugs")
    for year, value in ((2022, 14), (2023, 9), (2024, 11)):
        MeasurementFactory(indicator=indicator, period_start=f"{year}-01-01", value=value)
    for _number in range(3):
        with_attachment(closed_report(municipality, REASON.DISMISSED, 13))
    closed_report(municipality, REASON.HANDLED, 30)

    def values():
        return {
            "measurements": sorted(
                Measurement.objects.values_list("indicator_id", "period_start", "value")
            ),
            "states": sorted(
                IndicatorState.objects.values_list(
                    "indicator_id", "start_value", "latest_period_start", "latest_value"
                )
            ),
        }

    before = values()
    assert len(purge().deleted) == 7
    assert Report.objects.filter(organisation=municipality).count() == 0
    assert values() == before


def test_purge_command_prints_what_it_does(municipality, capsys):
    report = closed_report(municipality, REASON.DISMISSED, 13)

    call_command("purge", "--dry-run")
    dry = capsys.readouterr().out
    assert f"zou verwijderen: melding zonder vervolg {report.reference}" in dry
    assert "Gemeente Retentie; bewaartermijn 12 maanden" in dry
    assert "Proefdraai: 1 onderdelen zouden worden verwijderd." in dry
    assert Report.objects.filter(pk=report.pk).exists()

    call_command("purge")
    assert f"verwijderd: melding zonder vervolg {report.reference}" in capsys.readouterr().out
    call_command("purge")
    assert capsys.readouterr().out.strip() == "0 onderdelen verwijderd."


def test_months_before_keeps_to_the_end_of_a_short_month():
    moment = datetime(2025, 3, 31, 12, tzinfo=UTC)
    assert months_before(moment, 1).date().isoformat() == "2025-02-28"
    assert months_before(moment, 13).date().isoformat() == "2024-02-29"
    assert months_before(moment, -1).date().isoformat() == "2025-04-30"


def test_purge_after_real_triage_removes_history_and_links(world):
    """A report filed at the meldpunt and triaged through the services: its history and its link
    go with it; the report it was linked to stays."""
    from openveiligheid.signals import services as signal_services
    from openveiligheid.signals.models import ReportEvent, ReportLink

    municipality = world.municipality_a
    manager = world.users["programme_manager"]
    category = signal_services.ensure_default_categories(municipality)[0]

    def filed(description):
        return signal_services.submit_report(
            organisation=municipality,
            data=signal_services.ReportInput(
                category=category,
                description=description,
                location_description="Bij het station",
                contact_name="Jan Jansen",
            ),
        )

    original = filed("Er wordt elke avond gedeald bij het station.")
    duplicate = filed("Bij het station wordt gedeald, elke avond.")
    signal_services.take_into_triage(duplicate, actor=manager)
    signal_services.link(duplicate, original, reason="duplicate", actor=manager)
    signal_services.close(duplicate, reason=Report.CloseReason.DUPLICATE, actor=manager)
    Report.objects.filter(pk=duplicate.pk).update(closed_at=months_ago(12, 1))
    assert ReportEvent.objects.filter(report=duplicate).exists()

    deleted = purge().deleted

    assert [item.reference for item in deleted] == [duplicate.reference]
    assert not ReportEvent.objects.filter(report_id=duplicate.pk).exists()
    assert not ReportLink.objects.exists()
    assert Report.objects.filter(pk=original.pk).exists()
    assert ReportEvent.objects.filter(report=original).count() == ReportEvent.objects.count()
