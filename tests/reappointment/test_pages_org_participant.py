"""The re-appointment pages of a contracting organisation and of a participant, with the
Django client: the organisation offers or not (alone or for several, a reason when not,
grounds for a fourth year), the participant continues or leaves and may change their mind
until the deadline, after which both are refused; after CLAIR confirms, the next year's
draft contract. Who sees which case, and 404 on anybody else's."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from apps.core import access
from apps.core.models import ProgrammeYear, User
from apps.core.templatetags.formats import when
from apps.placement.models import Contract
from apps.reappointment import services as reappointment_services
from apps.reappointment.models import ReappointmentCase, ReappointmentRound
from tests.reappointment.test_services import pass_deadlines

pytestmark = pytest.mark.django_db

HYOGO = "Hyogo Prefectural Board of Education"
LIST = "/contracting/reappointment/"
OWN = "/participant/reappointment/"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def moved():
    """The demo's three first-year contracts (with Hyogo, Nara and Yokohama) start next
    summer; moved to cover today, they are in force now and so in the round too. Their
    placements, by organisation."""
    today = timezone.localdate()
    contracts = Contract.objects.filter(status=Contract.Status.IN_FORCE, start_date__gt=today)
    placements = {
        c.placement.position.organisation.name_en: c.placement
        for c in contracts.select_related("placement__position__organisation")
    }
    contracts.update(
        start_date=today - datetime.timedelta(days=120),
        end_date=today + datetime.timedelta(days=244),
    )
    return placements


@pytest.fixture
def round_(clair, moved):
    """CLAIR's round for the 2027 terms, opened through its service with deadlines a few
    days ahead. The demo's own round for the year (whose answers are its own story) is
    removed first. The demo `participant` is in contract year 2 with co.hyogo."""
    year = ProgrammeYear.objects.get(is_current=True)
    ReappointmentRound.objects.filter(programme_year=year).delete()
    now = timezone.now()
    return reappointment_services.round_open(
        by=clair,
        programme_year=year,
        organisation_deadline=now + datetime.timedelta(days=3),
        participant_deadline=now + datetime.timedelta(days=5),
        confirmation_deadline=now + datetime.timedelta(days=7),
    )


@pytest.fixture
def case(round_, participant):
    """`participant`'s case: co.hyogo and they may answer, nobody else but CLAIR sees it."""
    return round_.cases.get(participant=participant)


@pytest.fixture
def colleague_case(round_, moved):
    """Another Hyogo participant (contract year 1) in the same round."""
    return round_.cases.get(placement=moved[HYOGO])


@pytest.fixture
def elsewhere_case(round_, moved):
    """A participant of another organisation (Nara), whom co.hyogo must not see."""
    return round_.cases.get(placement=moved["Nara Prefectural Board of Education"])


def _offer(client, case, answer="OFFER", reason="", grounds=""):
    prefix = f"case-{case.pk}"
    return client.post(
        reverse("contracting:reappointment-answer", args=[case.pk]),
        {f"{prefix}-answer": answer, f"{prefix}-reason": reason, f"{prefix}-grounds": grounds},
    )


def _bulk(client, round_, cases, answer, reason="", grounds=""):
    prefix = f"bulk-{round_.pk}"
    return client.post(
        reverse("contracting:reappointment-bulk", args=[round_.pk]),
        {
            "case": [c.pk for c in cases],
            f"{prefix}-answer": answer,
            f"{prefix}-reason": reason,
            f"{prefix}-grounds": grounds,
        },
    )


def _answer(client, case, answer="CONTINUE", reason=""):
    return client.post(
        reverse("participants:reappointment-answer", args=[case.pk]),
        {"answer": answer, "reason": reason},
    )


def _move_deadlines(round_, *, organisation_hours: int, participant_hours: int) -> None:
    now = timezone.now()
    ReappointmentRound.objects.filter(pk=round_.pk).update(
        organisation_deadline=now + datetime.timedelta(hours=organisation_hours),
        participant_deadline=now + datetime.timedelta(hours=participant_hours),
    )


def _dates(value, fmt="DATETIME_FORMAT", language="en") -> str:
    """A date as the pages show it; a moment with its zone label."""
    with translation.override(language):
        if isinstance(value, datetime.datetime):
            return when(value)
        return formats.date_format(value, fmt)


def _rows(response) -> list[ReappointmentCase]:
    return [row["case"] for section in response.context["sections"] for row in section["rows"]]


# --- the organisation's page ---------------------------------------------------------


def test_organisation_lists_its_participants_with_years_and_deadline(
    co_hyogo, round_, case, colleague_case, elsewhere_case
):
    response = _client(co_hyogo).get(LIST)
    assert response.status_code == 200
    assert _rows(response) == sorted([case, colleague_case], key=lambda c: c.participant.last_name)
    card = response.content.decode()
    assert f"Answer for each participant by {_dates(round_.organisation_deadline)}<" in card
    assert elsewhere_case.participant.get_full_name() not in card
    row = next(r for r in response.context["sections"][0]["rows"] if r["case"] == case)
    assert (row["can_answer"], row["needs_grounds"]) == (True, False)
    assert (case.contract_year, case.years_so_far, case.may_continue) == (2, 2, True)
    assert f'id="id_case-{case.pk}-grounds"' not in card  # year 3 needs no grounds
    # Two participants to answer for: each can be ticked for one answer for several.
    assert f'id="bulk-{round_.pk}"' in card
    for c in (case, colleague_case):
        assert f'value="{c.pk}" id="tick-{c.pk}" form="bulk-{round_.pk}"' in card


def test_organisation_offers_and_the_participant_sees_it(co_hyogo, participant, case):
    response = _offer(_client(co_hyogo), case)
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}#case-{case.pk}"
    case.refresh_from_db()
    assert (case.organisation_answer, case.organisation_answered_by) == ("OFFER", co_hyogo)
    page = _client(participant).get(OWN)
    assert page.context["case"] == case
    assert "Offers re-appointment" in page.content.decode()


def test_no_offer_without_a_reason_is_refused_with_the_message(co_hyogo, case):
    response = _offer(_client(co_hyogo), case, answer="NO_OFFER", reason="  ")
    assert response.status_code == 200
    form = next(
        row["form"] for row in response.context["sections"][0]["rows"] if row["case"] == case
    )
    assert form.errors == {
        "reason": ["Give the reason for not offering re-appointment to Sarah O'Connor."]
    }
    case.refresh_from_db()
    assert case.organisation_answer == ""


def test_no_offer_with_a_reason_shows_the_reason_to_the_participant(co_hyogo, participant, case):
    reason = "The school merges with another in April and the post ends."
    assert _offer(_client(co_hyogo), case, answer="NO_OFFER", reason=reason).status_code == 302
    page = _client(participant).get(OWN).content.decode()
    assert "Does not offer re-appointment" in page
    assert reason in page


def test_participant_accepts_and_the_organisation_sees_the_answer(co_hyogo, participant, case):
    _offer(_client(co_hyogo), case)
    response = _answer(_client(participant), case, "CONTINUE")
    assert response.status_code == 302
    assert response["Location"] == OWN
    case.refresh_from_db()
    assert case.participant_answer == "CONTINUE"
    card = _client(co_hyogo).get(LIST).content.decode()
    assert "Wishes to continue" in card


def test_answers_may_come_in_either_order(co_hyogo, participant, case):
    _answer(_client(participant), case, "CONTINUE")
    page = _client(co_hyogo).get(LIST)
    assert "Wishes to continue" in page.content.decode()
    assert _offer(_client(co_hyogo), case).status_code == 302
    case.refresh_from_db()
    assert (case.organisation_answer, case.participant_answer) == ("OFFER", "CONTINUE")


def test_participant_changes_the_answer_before_the_deadline(participant, case):
    client = _client(participant)
    _answer(client, case, "CONTINUE")
    _answer(client, case, "LEAVE", "My family needs me at home.")
    case.refresh_from_db()
    assert (case.participant_answer, case.participant_reason) == (
        "LEAVE",
        "My family needs me at home.",
    )
    page = client.get(OWN)
    assert page.context["can_answer"] is True
    assert page.context["form"].initial == {
        "answer": "LEAVE",
        "reason": "My family needs me at home.",
    }


def test_participant_is_refused_after_the_deadline(participant, round_, case):
    client = _client(participant)
    _answer(client, case, "CONTINUE")
    _move_deadlines(round_, organisation_hours=-2, participant_hours=-1)
    page = client.get(OWN)
    assert page.context["can_answer"] is False
    html = page.content.decode()
    assert "The deadline for your answer has passed; only CLAIR can reopen your case" in html
    assert 'data-testid="reappointment-answer"' not in html
    response = _answer(client, case, "LEAVE")
    assert response.status_code == 302
    message = [str(m) for m in client.get(OWN).context["messages"]]
    assert message == [
        "The deadline has passed; only CLAIR can reopen this case for a late answer."
    ]
    case.refresh_from_db()
    assert case.participant_answer == "CONTINUE"


def test_organisation_form_is_replaced_after_its_deadline_unless_reopened(
    co_hyogo, clair, round_, case
):
    client = _client(co_hyogo)
    _move_deadlines(round_, organisation_hours=-1, participant_hours=24)
    html = client.get(LIST).content.decode()
    assert "The deadline for your answers has passed." in html
    assert f'data-testid="answer-closed-{case.pk}"' in html
    assert f'data-testid="answer-{case.pk}"' not in html
    response = _offer(client, case)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "The deadline has passed; only CLAIR can reopen this case for a late answer."
    ]
    case.refresh_from_db()
    assert case.organisation_answer == ""

    reappointment_services.case_reopen(
        by=clair,
        case=case,
        reason="The board's letter was lost in the post.",
        until=timezone.now() + datetime.timedelta(days=1),
    )
    html = client.get(LIST).content.decode()
    assert f'data-testid="answer-{case.pk}"' in html
    assert "CLAIR reopened this case for a late answer until" in html
    assert _offer(client, case).status_code == 302
    case.refresh_from_db()
    assert case.organisation_answer == "OFFER"


def test_bulk_answer_records_every_ticked_participant(co_hyogo, round_, case, colleague_case):
    reason = "The town's budget ends the ALT posts this year."
    response = _bulk(_client(co_hyogo), round_, [case, colleague_case], "NO_OFFER", reason)
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}#round-{round_.pk}"
    answers = ReappointmentCase.objects.filter(pk__in=[case.pk, colleague_case.pk]).values_list(
        "organisation_answer", "organisation_reason"
    )
    assert list(answers) == [("NO_OFFER", reason)] * 2


def test_bulk_answer_is_all_or_none(co_hyogo, round_, case, colleague_case):
    # The colleague's next year would be their fourth: an offer without grounds fails
    # for them, so nobody's answer is recorded.
    ReappointmentCase.objects.filter(pk=colleague_case.pk).update(contract_year=3, years_so_far=3)
    response = _bulk(_client(co_hyogo), round_, [case, colleague_case], "OFFER")
    assert response.status_code == 200
    assert response.context["sections"][0]["bulk_form"].errors == {
        "grounds": [
            "A fourth or fifth year needs the grounds: record why "
            f"{colleague_case.participant.get_full_name()}'s work justifies it."
        ]
    }
    ticked = [row["case"] for row in response.context["sections"][0]["rows"] if row["ticked"]]
    assert set(ticked) == {case, colleague_case}
    assert set(
        ReappointmentCase.objects.filter(pk__in=[case.pk, colleague_case.pk]).values_list(
            "organisation_answer", flat=True
        )
    ) == {""}


def test_bulk_answer_without_anyone_ticked_is_refused(co_hyogo, round_, case):
    response = _bulk(_client(co_hyogo), round_, [], "OFFER")
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["Choose at least one participant."]


def test_grounds_are_required_for_a_fourth_year(co_hyogo, case):
    ReappointmentCase.objects.filter(pk=case.pk).update(contract_year=3, years_so_far=3)
    client = _client(co_hyogo)
    page = client.get(LIST).content.decode()
    assert f'id="id_case-{case.pk}-grounds"' in page
    assert "Yes, on grounds you record: the next year would be the fourth or fifth." in page
    response = _offer(client, case)
    assert response.status_code == 200
    form = next(
        row["form"] for row in response.context["sections"][0]["rows"] if row["case"] == case
    )
    assert form.errors == {
        "grounds": [
            "A fourth or fifth year needs the grounds: record why Sarah O'Connor's work "
            "justifies it."
        ]
    }
    grounds = "She leads the prefecture's English speech contest and trains new ALTs."
    assert _offer(client, case, grounds=grounds).status_code == 302
    case.refresh_from_db()
    assert (case.organisation_answer, case.grounds) == ("OFFER", grounds)


def test_other_organisation_sees_none_of_hyogos_participants(
    co_sapporo, round_, case, colleague_case
):
    client = _client(co_sapporo)
    response = client.get(LIST)
    assert response.status_code == 200
    rows = _rows(response)
    assert {c.organisation for c in rows} == {co_sapporo.organisation}  # the demo's own
    html = response.content.decode()
    assert "Sarah O&#x27;Connor" not in html
    assert colleague_case.participant.get_full_name() not in html
    assert _offer(client, case).status_code == 404
    assert _bulk(client, round_, [case], "OFFER").status_code == 404
    case.refresh_from_db()
    assert case.organisation_answer == ""


def test_organisation_without_a_round_is_told_so(co_hyogo):
    ReappointmentRound.objects.all().delete()
    response = _client(co_hyogo).get(LIST)
    assert response.context["sections"] == []
    assert "None of your participants is in a re-appointment round" in response.content.decode()


def test_bulk_with_a_case_of_another_organisation_is_404(co_hyogo, round_, case, elsewhere_case):
    assert _bulk(_client(co_hyogo), round_, [case, elsewhere_case], "OFFER").status_code == 404
    assert ReappointmentCase.objects.get(pk=case.pk).organisation_answer == ""


def test_only_organisations_and_participants_reach_their_pages(participant, co_hyogo, case):
    assert _client(participant).get(LIST).status_code == 403
    assert _client(co_hyogo).get(OWN).status_code == 403
    assert (
        _client(co_hyogo)
        .post(reverse("participants:reappointment-answer", args=[case.pk]), {"answer": "LEAVE"})
        .status_code
        == 403
    )


def test_organisation_list_queries_do_not_grow_with_participants(co_hyogo, case, colleague_case):
    client = _client(co_hyogo)
    client.get(LIST)  # warm caches (content types, permission ids)
    with CaptureQueriesContext(connection) as two:
        assert len(_rows(client.get(LIST))) == 2
    hyogo = colleague_case.organisation
    access.revoke("view", colleague_case, hyogo)
    with CaptureQueriesContext(connection) as one:
        assert len(_rows(client.get(LIST))) == 1
    assert len(two) == len(one), "\n".join(q["sql"] for q in two.captured_queries)


# --- the participant's page ----------------------------------------------------------


def test_participant_sees_the_question_the_deadline_and_no_organisation_answer_yet(
    participant, round_, case
):
    response = _client(participant).get(OWN)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        f"Do you wish to continue on the JET Programme with {HYOGO} for another year, "
        f"from {_dates(case.contract.end_date + datetime.timedelta(days=1), 'DATE_FORMAT')} "
        "(contract year 3)?"
    ) in html
    assert _dates(round_.participant_deadline) in html
    assert f"Not given yet; it answers by {_dates(round_.organisation_deadline)}<" in html


def test_another_participant_sees_only_their_own_case(colleague_case, case):
    other = colleague_case.participant
    client = _client(other)
    response = client.get(OWN)
    assert response.context["case"] == colleague_case
    assert "Sarah O&#x27;Connor" not in response.content.decode()
    assert _answer(client, case, "LEAVE").status_code == 404
    case.refresh_from_db()
    assert case.participant_answer == ""


def test_participant_without_a_round_is_told_so(participant):
    ReappointmentRound.objects.all().delete()
    response = _client(participant).get(OWN)
    assert response.context["case"] is None
    assert "You are not in a re-appointment round at the moment." in response.content.decode()


def test_participant_sees_the_page_in_their_language(participant, round_, case):
    User.objects.filter(pk=participant.pk).update(language="ja")
    html = _client(participant).get(OWN).content.decode()
    assert '<html lang="ja">' in html
    assert case.organisation.name_ja in html
    assert _dates(round_.participant_deadline, language="ja") in html


def test_workspace_links_to_the_question(participant, case):
    html = _client(participant).get("/participant/").content.decode()
    assert 'data-testid="reappointment-card"' in html
    assert f'href="{OWN}"' in html
    assert "Do you wish to continue for another year?" in html


# --- after CLAIR confirms ------------------------------------------------------------


def test_after_confirmation_both_sides_reach_the_next_draft_contract(
    co_hyogo, participant, clair, round_, case
):
    _offer(_client(co_hyogo), case)
    _answer(_client(participant), case, "CONTINUE")
    pass_deadlines(round_)
    reappointment_services.round_confirm(by=clair, round_=round_)
    case.refresh_from_db()
    draft = case.next_contract
    assert (draft.contract_year, draft.status) == (3, Contract.Status.DRAFT)

    org = _client(co_hyogo).get(LIST).content.decode()
    assert f'href="{reverse("contracting:contract", args=[draft.pk])}"' in org
    assert "Re-appointed" in org
    assert f'data-testid="answer-{case.pk}"' not in org

    own = _client(participant).get(OWN).content.decode()
    assert f'href="{reverse("participants:contract", args=[draft.pk])}"' in own
    assert "Re-appointed" in own
    assert 'data-testid="reappointment-answer"' not in own
    assert 'data-testid="answer-closed"' not in own


def test_after_confirmation_a_leaver_sees_when_the_appointment_ends(
    participant, clair, round_, case
):
    _answer(_client(participant), case, "LEAVE")
    pass_deadlines(round_)
    reappointment_services.round_confirm(by=clair, round_=round_)
    html = _client(participant).get(OWN).content.decode()
    assert "Leaving the programme" in html
    assert f"Your appointment ends on {_dates(case.contract.end_date, 'DATE_FORMAT')}" in html
