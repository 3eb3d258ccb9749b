"""API paths with a numeric id answer 404 for anything that is not a number (found by
schemathesis: ``/api/strategies/null,null/`` used to raise ValueError, a 500)."""

import pytest


@pytest.mark.parametrize(
    "path",
    [
        "/api/strategies/null,null/",
        "/api/strategies/true/hook-in/",
        "/api/action-plans/null/",
        "/api/activities/null,null/",
        "/api/consultations/%C2%A9x/",
        "/api/indicator-targets/true/",
        "/api/reports/null/download/",
        "/api/survey-campaigns/null/tracking/",
        "/api/projects/abc/",
        "/api/plan-exports/%10x/",
        "/api/plan-exports/null/download/",
        "/api/funding-calls/null/",
        "/api/funding-applications/abc/",
        "/api/funding-reports/true/",
        "/api/funding-criteria/null/",
        "/api/funding-applications/null/withdraw/",
        "/api/funding-calls/null/criteria/",
        "/api/funding-calls/true/portfolio/",
        "/api/funding-applications/abc/attachments/",
        "/api/funding-applications/null/letter-pdf/",
        "/api/funding-attachments/null/",
        "/api/funding-attachments/abc/download/",
        "/api/funding-letter-jobs/null/",
        "/api/project-duplicate-reports/null/",
        "/api/project-duplicate-reports/abc/pairs/",
        "/api/project-duplicate-reports/true/csv/",
    ],
)
def test_a_non_numeric_id_is_not_found(owner_client, path):
    assert owner_client.get(path).status_code == 404
