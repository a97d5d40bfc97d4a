"""Read-only views of results for pages, the PV and PDFs (frozen result once a vote is closed,
live tally before)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from placette.governance import tally
from placette.governance.models import Meeting, Resolution
from placette.governance.services import resolution_result
from placette.lib import money


def _share(value: Fraction | None) -> str:
    return "—" if value is None else money.fraction(value)


def _frac(value: str | None) -> Fraction | None:
    return Fraction(value) if value is not None else None


def resolution_view(resolution: Resolution) -> dict[str, Any]:
    """Everything shown about one resolution's result, per college and weighted."""
    meeting = resolution.meeting
    if resolution.closed_at:
        frozen = resolution.result
        counts = frozen["counts"]
        adopted = bool(resolution.adopted)
        rule, policy = frozen.get("rule", ""), frozen.get("policy", "")
        yes_share = _frac(frozen.get("yes_share"))
        by_college = {k: _frac(v) for k, v in frozen.get("by_college", {}).items()}
        effective = {k: Fraction(v) for k, v in frozen.get("effective_weights", {}).items()}
        weights = {k: Fraction(v) for k, v in frozen.get("weights", {}).items()}
    else:
        result = resolution_result(resolution)
        counts, adopted, rule, policy = (
            result.counts,
            result.adopted,
            result.rule_label,
            result.policy_label,
        )
        outcome = result.outcome
        yes_share = outcome.yes_share if outcome else None
        by_college = dict(outcome.by_college) if outcome else {}
        effective = dict(outcome.effective_weights) if outcome else {}
        weights = meeting.weights
    rows = []
    for name, c in counts.items():
        weight = weights.get(name, Fraction(1) if not meeting.colleges_enabled else None)
        rows.append(
            {
                "college": name,
                "weight": money.fraction(weight) if weight is not None else "—",
                "yes": c["yes"],
                "no": c["no"],
                "abstain": c["abstain"],
                "share": _share(by_college.get(name)),
                "effective": _share(effective.get(name)),
            }
        )
    totals = {k: sum(c[k] for c in counts.values()) for k in ("yes", "no", "abstain")}
    return {
        "resolution": resolution,
        "rows": rows,
        "totals": totals,
        "adopted": adopted,
        "closed": resolution.closed_at is not None,
        "yes_share": _share(yes_share) if not meeting.is_board else "",
        "rule": rule,
        "policy": policy,
        "board": meeting.is_board,
        "single_college": tally.SINGLE_COLLEGE_NAME,
    }


def meeting_results(meeting: Meeting) -> list[dict[str, Any]]:
    return [resolution_view(r) for r in meeting.resolutions.select_related("meeting")]
