"""Summing whom the work reached (``models.Reach``) over several projects or reports back."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from samverkan.core.models import REACH_GROUPS


@dataclass
class ReachRow:
    """One group of the reach breakdown: the participants and money the projects reported
    reaching it, and how many projects gave each figure (the others are unknown, not 0)."""

    label: str
    participants: int = 0
    participants_reported: int = 0
    money: int = 0
    money_reported: int = 0


@dataclass
class ReachSummary:
    projects: int = 0  # records giving any reach figure
    participants_total: int = 0
    participants_total_reported: int = 0
    rows: list[ReachRow] = field(default_factory=list)


def reach_summary(records: Iterable[Any]) -> ReachSummary:
    """Sum the reach figures of the given records (``Reach``: projects, or one report per
    funded project, its latest with figures, so interim and final are not counted twice)."""
    reach = ReachSummary(rows=[ReachRow(str(label)) for label, _p, _m in REACH_GROUPS])
    for report in records:
        if not report.has_reach:
            continue
        reach.projects += 1
        if report.participants_total is not None:
            reach.participants_total += report.participants_total
            reach.participants_total_reported += 1
        for row, (_label, people, money) in zip(reach.rows, REACH_GROUPS, strict=True):
            if getattr(report, people) is not None:
                row.participants += getattr(report, people)
                row.participants_reported += 1
            if getattr(report, money) is not None:
                row.money += getattr(report, money)
                row.money_reported += 1
    return reach
