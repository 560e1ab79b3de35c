"""The demo world's promotion records and alumni (apps/demo/outreach.py)."""

import pytest

from apps.core.models import User
from apps.outreach import selectors
from apps.outreach.models import AlumniConsent, PromotionActivity

pytestmark = pytest.mark.django_db


def test_promotions_of_us_uk_and_clair_over_several_months(mofa):
    activities = PromotionActivity.objects.all()
    by = {a.organisation.name_en for a in activities}
    assert {"Embassy of Japan in the United States", "Embassy of Japan in the United Kingdom"} <= by
    assert any(a.organisation.kind == "CLAIR" for a in activities)
    months = {a.starts_on.strftime("%Y-%m") for a in activities}
    assert len(months) >= 4
    assert activities.filter(information_sessions__isnull=False).exists()
    counts = selectors.promotion_counts(user=mofa)
    assert {"US", "GB", ""} <= {r["country_code"] for r in counts}


def test_alumni_who_agreed_are_seen_by_their_mission(embassy_uk, embassy_us):
    thomas = User.objects.get(username="jet.thomas.whitfield")
    uk = selectors.alumni_list(user=embassy_uk)
    assert thomas.pk in set(uk.values_list("participant_id", flat=True))
    assert not selectors.alumni_list(user=embassy_us).filter(participant=thomas).exists()
    chloe = AlumniConsent.objects.get(participant__username="jet.chloe.tremblay")
    assert chloe.withdrawn_at is not None
    assert AlumniConsent.objects.filter(withdrawn_at__isnull=True).count() >= 2


def test_the_demo_participant_gave_no_consent(participant):
    assert not AlumniConsent.objects.filter(participant=participant).exists()


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("mofa", "/outreach/promotions/"),
        ("clair", "/outreach/promotions/"),
        ("embassy.us", "/outreach/promotions/"),
        ("embassy.uk", "/outreach/promotions/"),
        ("embassy.us", "/outreach/promotions/new/"),
        ("clair", "/outreach/promotions/new/"),
        ("embassy.uk", "/outreach/alumni/"),
        ("embassy.us", "/outreach/alumni/"),
        ("participant", "/outreach/alumni/mine/"),
        ("jet.thomas.whitfield", "/outreach/alumni/mine/"),
        ("jet.chloe.tremblay", "/outreach/alumni/mine/"),
    ],
)
def test_the_demo_pages_open(username, path, client_as):
    response = client_as(username).get(path)
    assert response.status_code == 200


def test_the_demo_promotions_show_in_this_fiscal_year(client_as):
    first = PromotionActivity.objects.order_by("starts_on").first()
    fy = selectors.fiscal_year_of(first.starts_on)
    html = client_as("mofa").get(f"/outreach/promotions/?fy={fy}").content.decode()
    assert 'data-testid="counts-US"' in html
    assert 'data-testid="counts-GB"' in html
    assert 'data-testid="counts-JP"' in html
    uk = client_as("embassy.uk").get("/outreach/alumni/").content.decode()
    assert "Whitfield" in uk
    assert "Tremblay" not in uk
