"""The Content-Security-Policy in a real browser (issue 16, item 7): htmx still swaps,
filters and polls, and the Swagger UI still draws the API, with nothing refused. Every
browser test fails on a refusal (tests/browser/conftest.py); these walk the pages that
lean on htmx and the one page with its own policy, and prove the watch itself works."""

import re

import pytest
from playwright.sync_api import expect

from apps.core.models import Job, User

pytestmark = pytest.mark.browser


def test_the_browser_reports_what_the_policy_refuses(app, page, csp_violations):
    response = page.goto(f"{app}/accounts/login/")

    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.ranInline = true";
            document.head.appendChild(script);
        }"""
    )
    expect(page.locator("body")).to_be_visible()
    page.wait_for_timeout(200)
    assert page.evaluate("window.ranInline") is None
    assert any("script-src" in violation for violation in csp_violations)
    csp_violations.clear()  # the refusal this test caused on purpose


def test_htmx_loads_and_filters_under_the_policy(app, page, sign_in, csp_violations):
    sign_in(page, "embassy.us")

    # hx-trigger="load" swaps the counts in.
    expect(page.get_by_test_id("status-counts")).to_be_visible()
    expect(page.get_by_test_id("count-total")).to_have_text(re.compile(r"^\d+$"))

    page.goto(f"{app}/mofa/mission/applications/")
    # hx-trigger="change": the results are swapped and the address pushed, no reload.
    page.evaluate("document.body.dataset.sameDocument = 'yes'")
    page.evaluate("document.getElementById('application-results').dataset.old = 'yes'")
    page.get_by_label("Status").select_option("SUBMITTED")
    expect(page).to_have_url(re.compile(r"status=SUBMITTED"))
    expect(page.locator("#application-results")).to_have_count(1)
    expect(page.locator("#application-results[data-old]")).to_have_count(0)
    assert page.evaluate("document.body.dataset.sameDocument") == "yes"
    assert csp_violations == []


def test_htmx_polls_a_job_until_it_is_done(app, page, sign_in, csp_violations):
    job = Job.objects.create(
        handler="apps.mofa.jobs.applications_export",
        title="A job watched by polling",
        requested_by=User.objects.get(username="embassy.us"),
        total=10,
    )
    sign_in(page, "embassy.us")
    page.goto(f"{app}{job.get_absolute_url()}")
    expect(page.get_by_test_id("job-state")).to_have_text("Waiting to start")
    page.evaluate("document.body.dataset.sameDocument = 'yes'")

    Job.objects.filter(pk=job.pk).update(state=Job.State.DONE, done=10)

    # hx-trigger="every 1s" fetches the finished state without a reload.
    expect(page.get_by_test_id("job-state")).to_have_text("Finished", timeout=5_000)
    assert page.evaluate("document.body.dataset.sameDocument") == "yes"
    assert csp_violations == []


def test_the_swagger_ui_draws_the_api_under_its_policy(app, page, csp_violations):
    response = page.goto(f"{app}/api/docs/")

    assert "'unsafe-inline'" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("jetadmin API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert csp_violations == []
