"""The words of the weekly digest: a subject and a plain-text list of the reorder list's
first rows (the same text goes by e-mail and Slack; the Slack sender escapes it)."""

from __future__ import annotations

from stock_saas.services.reports.reorder import ReorderReport, ReorderRow

__all__ = ["DIGEST_ROWS", "compose_digest"]

DIGEST_ROWS = 20


def _line(number: int, row: ReorderRow) -> str:
    pace = f"{row.daily_usage:g}/day"
    if row.days_left is None:
        runs_out = "no recent usage"
    else:
        runs_out = f"runs out in {row.days_left:g} days ({row.stockout_date})"
    low = "LOW, " if row.low else ""
    return (
        f"{number}. {row.name} — {row.department}: {low}{row.quantity} on hand"
        f" (threshold {row.threshold}), {pace}, {runs_out}; order {row.suggested_order}"
    )


def compose_digest(tenant_name: str, period: str, report: ReorderReport) -> tuple[str, str]:
    """(subject, text) of the digest of ``period`` for ``report``'s first rows."""
    if not report.total:
        subject = f"Weekly reorder digest {period}: nothing to reorder"
        body = [
            f"Nothing needs reordering this week: no stock level is low or runs low within"
            f" {report.cover_days} days at the pace of the last {report.days} days."
        ]
    else:
        plural = "s" if report.total != 1 else ""
        subject = f"Weekly reorder digest {period}: {report.total} stock level{plural} to reorder"
        body = [
            f"{report.total} stock level{plural} to reorder, soonest stock-out first"
            f" (pace of the last {report.days} days, orders to last {report.cover_days} days):",
            "",
            *(_line(n, row) for n, row in enumerate(report.rows[:DIGEST_ROWS], start=1)),
        ]
        if report.total > DIGEST_ROWS:
            body += ["", f"… and {report.total - DIGEST_ROWS} more on the Reorder page."]
    header = f"Weekly reorder digest for {tenant_name}, week {period}"
    footer = "You receive this because you turned on the weekly digest in Settings."
    return subject[:200], "\n".join([header, "", *body, "", footer])
