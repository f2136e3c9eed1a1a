from openveiligheid.reports import services as report_services
from openveiligheid.reports.models import ReportStatus


def publish(plan, period="2024-H1", actor=None, report_type="veiligheidsbrief"):
    """A report of the plan taken through the workflow to published."""
    report = report_services.create_report(
        plan=plan, report_type=report_type, period=period, actor=actor
    )
    for status in (ReportStatus.IN_REVIEW, ReportStatus.APPROVED, ReportStatus.PUBLISHED):
        report = report_services.change_status(report, status, actor=actor)
    return report
