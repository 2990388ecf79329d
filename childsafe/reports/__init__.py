"""Reports to the authorities (CyberTipline XML, NCA referral) and transparency (statements of reasons,
transparency reports). A report leaves only after a human confirms it."""

from childsafe.reports.reporter import Reporter, load_reporter
from childsafe.reports.store import (
    confirm_report,
    create_report,
    export_report,
    get_report,
    list_reports,
    mark_submitted,
    report_documents,
)
from childsafe.reports.transparency import parse_period, statements, transparency_report

__all__ = [
    "Reporter", "confirm_report", "create_report", "export_report", "get_report", "list_reports", "load_reporter",
    "mark_submitted", "parse_period", "report_documents", "statements", "transparency_report",
]
