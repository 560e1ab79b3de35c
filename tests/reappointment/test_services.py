"""The re-appointment round through the services of each actor: CLAIR opens it, the
organisation and the participant answer (in either order, changeable until their
deadline), CLAIR reopens a case for a late answer and confirms the round; the rules
(five years in all, grounds for a fourth or fifth year) hold whoever acts.

The demo world's round for the current year is replaced, in each test, by one opened
here (the same people are in it: everyone with a contract in force today)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import Kind, Organisation, PersonRole, ProgrammeYear, User
from apps.events.models import Event, Registration
from apps.events.services import event_create
from apps.notifications.models import Notification
from apps.placement import selectors as placement_selectors
from apps.placement import services as placement_services
from apps.placement.contracts import one_year_from
from apps.placement.models import Contract
from apps.reappointment import rules
from apps.reappointment import selectors as reappointment_selectors
from apps.reappointment import services as reappointment_services
from apps.reappointment.models import ReappointmentCase, ReappointmentRound
from apps.recruitment.models import Application
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

Case = ReappointmentCase
GROUNDS = "Runs the school's debate team, national finalists; the school asks to keep them."


# --- building the world ------------------------------------------------------------------


def current_year() -> ProgrammeYear:
    return ProgrammeYear.objects.get(is_current=True)


def in_force(
    n: int,
    *,
    organisation_user: str = "co.hyogo",
    mission_user: str = "embassy.us",
    contract_year: int = 2,
    previous_jet_years: int = 0,
) -> Contract:
    """A participant in contract year `contract_year` with the organisation of
    `organisation_user`, the contract in force today: placed, accepted and signed through
    the services (so the grants are the real ones), then dated into the current term."""
    staff = User.objects.get(username=organisation_user)
    mission = User.objects.get(username=mission_user).organisation
    clair = User.objects.get(username="clair")
    person = User.objects.create_user(
        f"re.person.{n}",
        email=f"re.person.{n}@example.com",
        password=DEMO_PASSWORD,
        first_name="Robin",
        last_name=f"Renew{n}",
        person_role=PersonRole.APPLICANT,
    )
    application = Application.objects.create(
        number=f"RE-{n}",
        programme_year=current_year(),
        applicant=person,
        mission=mission,
        country=mission.country,
        position="ALT",
        status=Application.Status.FORWARDED,
        given_names="Robin",
        family_name=f"Renew{n}",
        japanese_level="N3",
        driving_licence="MANUAL",
        preference_1=staff.organisation.prefecture_id,
        location_preference="URBAN",
    )
    access.grant_user("view", application, person)
    access.grant("view", application, mission)
    access.grant("view", application, Organisation.objects.get(kind=Kind.CLAIR))
    [position] = placement_services.position_request_create(
        by=staff,
        type="ALT",
        school_level="SENIOR_HIGH",
        base=f"Renewal High School No. {n}",
        municipality=staff.organisation.municipality or "Kobe",
        location="URBAN",
        housing="ASSISTED",
    )
    placement_services.positions_review(
        by=User.objects.get(username="mic"), positions=[position], approve=True
    )
    position.refresh_from_db()
    placement = placement_services.placement_confirm(
        by=clair, application=application, position=position
    )
    placement_services.placement_accept(by=staff, placement=placement)
    contract = placement_services.placement_candidate_accept(by=person, placement=placement)
    contract = placement_services.contract_issue(by=staff, contract=contract)
    contract = placement_services.contract_sign(
        by=person,
        contract=contract,
        typed_name=person.get_full_name(),
        agree=True,
        address="203.0.113.9",
    )
    contract = placement_services.contract_countersign(by=staff, contract=contract)
    start = timezone.localdate() - datetime.timedelta(days=120)
    Contract.objects.filter(pk=contract.pk).update(
        contract_year=contract_year, start_date=start, end_date=one_year_from(start)
    )
    Application.objects.filter(pk=application.pk).update(
        previous_jet=bool(previous_jet_years), previous_jet_years=previous_jet_years
    )
    return Contract.objects.get(pk=contract.pk)


def open_round(*, organisation_days: int = 30, participant_days: int = 44) -> ReappointmentRound:
    """CLAIR's round for the current year, in place of the demo's."""
    year = current_year()
    ReappointmentRound.objects.filter(programme_year=year).delete()
    now = timezone.now()
    return reappointment_services.round_open(
        by=User.objects.get(username="clair"),
        programme_year=year,
        organisation_deadline=now + datetime.timedelta(days=organisation_days),
        participant_deadline=now + datetime.timedelta(days=participant_days),
        confirmation_deadline=now + datetime.timedelta(days=participant_days + 14),
    )


def case_of(round_: ReappointmentRound, person: User) -> ReappointmentCase:
    return round_.cases.get(participant=person)


def pass_deadlines(round_: ReappointmentRound) -> None:
    """Both sides' deadlines an hour ago (CLAIR's still ahead)."""
    past = timezone.now() - datetime.timedelta(hours=1)
    ReappointmentRound.objects.filter(pk=round_.pk).update(
        organisation_deadline=past - datetime.timedelta(days=1), participant_deadline=past
    )


def returning_conference(clair: User) -> Event:
    """An upcoming Conference for Returning JETs, the first of its kind from now."""
    starts = (timezone.now() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    return event_create(
        by=clair,
        programme_year=current_year(),
        kind=Event.Kind.RETURNING,
        title_en="Conference for Returning JETs",
        title_ja="帰国予定JET参加者研修会",
        venue_en="Tokyo",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=8),
        audience=Event.Audience.RETURNING,
    )


# --- opening the round -------------------------------------------------------------------


def test_the_round_takes_everyone_with_a_contract_in_force_today(clair, participant, co_hyogo):
    round_ = open_round()
    case = case_of(round_, participant)
    contract = Contract.objects.get(pk=case.contract_id)
    today = timezone.localdate()
    assert contract.start_date <= today <= contract.end_date
    assert (case.contract_year, case.years_so_far, case.may_continue) == (2, 2, True)
    assert case.organisation == co_hyogo.organisation
    assert (case.organisation_answer, case.participant_answer, case.outcome) == ("", "", "")
    in_force_today = Contract.objects.filter(
        status="IN_FORCE", start_date__lte=today, end_date__gte=today
    )
    assert round_.cases.count() == in_force_today.values("placement").distinct().count()
    with pytest.raises(DomainError):
        reappointment_services.round_open(
            by=clair,
            programme_year=current_year(),
            organisation_deadline=round_.organisation_deadline,
            participant_deadline=round_.participant_deadline,
            confirmation_deadline=round_.confirmation_deadline,
        )


def test_only_clair_opens_a_round_with_deadlines_ahead_and_in_order(clair, co_hyogo, mic):
    ReappointmentRound.objects.filter(programme_year=current_year()).delete()
    now = timezone.now()
    days = [now + datetime.timedelta(days=d) for d in (10, 20, 30)]
    for user in (co_hyogo, mic):
        with pytest.raises(PermissionDenied, match="Only CLAIR runs the re-appointment round"):
            reappointment_services.round_open(
                by=user,
                programme_year=current_year(),
                organisation_deadline=days[0],
                participant_deadline=days[1],
                confirmation_deadline=days[2],
            )
    with pytest.raises(DomainError):
        reappointment_services.round_open(
            by=clair,
            programme_year=current_year(),
            organisation_deadline=days[1],
            participant_deadline=days[0],
            confirmation_deadline=days[2],
        )
    assert not ReappointmentRound.objects.filter(programme_year=current_year()).exists()


# --- the five-year limit and the grounds for years four and five ------------------------


def test_five_years_in_all_is_the_limit(co_hyogo):
    # Contract year 3 here after two JET years elsewhere: five in all.
    fifth = in_force(1, contract_year=3, previous_jet_years=2)
    also_fifth = in_force(2, contract_year=5)
    round_ = open_round()
    for contract in (fifth, also_fifth):
        case = case_of(round_, contract.participant)
        assert case.years_so_far == 5
        assert case.may_continue is False
        assert rules.may_continue(case.years_so_far)[0] is False
        with pytest.raises(DomainError, match="five years"):
            reappointment_services.organisation_answer(
                by=co_hyogo, case=case, offer=True, grounds=GROUNDS
            )
        with pytest.raises(DomainError, match="Five years"):
            reappointment_services.participant_answer(
                by=contract.participant, case=case, wishes_to_continue=True
            )
        case.refresh_from_db()
        assert case.organisation_answer == case.participant_answer == ""
    # Saying no stays possible (with the reason), and leaving.
    case = case_of(round_, fifth.participant)
    reappointment_services.organisation_answer(
        by=co_hyogo, case=case, offer=False, reason="Five years is the programme's limit."
    )
    reappointment_services.participant_answer(
        by=fifth.participant, case=case, wishes_to_continue=False
    )
    case.refresh_from_db()
    assert (case.organisation_answer, case.participant_answer) == ("NO_OFFER", "LEAVE")


@pytest.mark.parametrize("contract_year", [3, 4])
def test_a_fourth_or_fifth_year_needs_the_grounds(co_hyogo, contract_year):
    contract = in_force(3, contract_year=contract_year)
    case = case_of(open_round(), contract.participant)
    assert rules.needs_grounds(case.years_so_far)
    with pytest.raises(DomainError, match="grounds") as refused:
        reappointment_services.organisation_answer(by=co_hyogo, case=case, offer=True, grounds="  ")
    assert refused.value.field == "grounds"
    case.refresh_from_db()
    assert case.organisation_answer == ""
    reappointment_services.organisation_answer(by=co_hyogo, case=case, offer=True, grounds=GROUNDS)
    case.refresh_from_db()
    assert (case.organisation_answer, case.grounds) == ("OFFER", GROUNDS)
    assert case.organisation_answered_by == co_hyogo


def test_a_third_year_needs_no_grounds(co_hyogo, participant):
    case = case_of(open_round(), participant)
    assert not rules.needs_grounds(case.years_so_far)
    reappointment_services.organisation_answer(by=co_hyogo, case=case, offer=True)
    case.refresh_from_db()
    assert (case.organisation_answer, case.grounds) == ("OFFER", "")


def test_not_offering_needs_a_reason(co_hyogo, participant):
    case = case_of(open_round(), participant)
    with pytest.raises(DomainError) as refused:
        reappointment_services.organisation_answer(by=co_hyogo, case=case, offer=False, reason=" ")
    assert refused.value.field == "reason"


# --- answers: either order, changeable until the deadline --------------------------------


def test_answers_in_either_order(co_hyogo, participant, clair):
    other = in_force(4)
    round_ = open_round()
    first = case_of(round_, participant)
    second = case_of(round_, other.participant)
    # The organisation first, then the participant, who is told of the offer.
    reappointment_services.organisation_answer(by=co_hyogo, case=first, offer=True)
    assert Notification.objects.filter(
        kind="reappointment_organisation_answered", recipient=participant
    ).exists()
    reappointment_services.participant_answer(by=participant, case=first, wishes_to_continue=True)
    # The participant first, then the organisation.
    reappointment_services.participant_answer(
        by=other.participant, case=second, wishes_to_continue=True
    )
    reappointment_services.organisation_answer(by=co_hyogo, case=second, offer=True)
    for case in (first, second):
        case.refresh_from_db()
        assert (case.organisation_answer, case.participant_answer) == ("OFFER", "CONTINUE")
    pass_deadlines(round_)
    reappointment_services.round_confirm(by=clair, round_=round_)
    for case in (first, second):
        case.refresh_from_db()
        assert case.outcome == Case.Outcome.CONTINUES
        assert case.next_contract is not None


def test_an_answer_changes_until_the_deadline_and_not_after(co_hyogo, participant):
    round_ = open_round()
    case = case_of(round_, participant)
    reappointment_services.organisation_answer(by=co_hyogo, case=case, offer=True)
    reappointment_services.organisation_answer(
        by=co_hyogo, case=case, offer=False, reason="The school closes in March."
    )
    reappointment_services.participant_answer(by=participant, case=case, wishes_to_continue=True)
    reappointment_services.participant_answer(
        by=participant, case=case, wishes_to_continue=False, reason="Going home."
    )
    case.refresh_from_db()
    assert (case.organisation_answer, case.organisation_reason) == (
        "NO_OFFER",
        "The school closes in March.",
    )
    assert (case.participant_answer, case.participant_reason) == ("LEAVE", "Going home.")
    assert case.history.count() >= 5  # opened, and each of the four answers

    pass_deadlines(round_)
    case = ReappointmentCase.objects.get(pk=case.pk)
    with pytest.raises(DomainError, match="deadline has passed"):
        reappointment_services.organisation_answer(by=co_hyogo, case=case, offer=True)
    with pytest.raises(DomainError, match="deadline has passed"):
        reappointment_services.participant_answer(
            by=participant, case=case, wishes_to_continue=True
        )
    case.refresh_from_db()
    assert (case.organisation_answer, case.participant_answer) == ("NO_OFFER", "LEAVE")


def test_each_side_answers_only_for_itself(co_hyogo, co_sapporo, participant, clair, applicant):
    case = case_of(open_round(), participant)
    for user in (co_sapporo, clair, participant):
        with pytest.raises(PermissionDenied, match="Only the participant's organisation answers"):
            reappointment_services.organisation_answer(by=user, case=case, offer=True)
    for user in (co_hyogo, clair, applicant):
        with pytest.raises(PermissionDenied, match="Only the participant answers"):
            reappointment_services.participant_answer(by=user, case=case, wishes_to_continue=True)
    case.refresh_from_db()
    assert case.organisation_answer == case.participant_answer == ""


# --- CLAIR reopens a case for a late answer ----------------------------------------------


def test_only_clair_reopens_and_the_reopening_is_audited(
    clair, co_hyogo, participant, mic, co_sapporo
):
    round_ = open_round()
    pass_deadlines(round_)
    case = case_of(round_, participant)
    until = timezone.now() + datetime.timedelta(days=3)
    reason = "The board's personnel meeting moved to after the deadline."
    for user in (co_hyogo, participant, mic, co_sapporo):
        with pytest.raises(PermissionDenied, match="Only CLAIR runs the re-appointment round"):
            reappointment_services.case_reopen(by=user, case=case, reason=reason, until=until)
    with pytest.raises(DomainError) as refused:
        reappointment_services.case_reopen(by=clair, case=case, reason="  ", until=until)
    assert refused.value.field == "reason"
    with pytest.raises(DomainError):
        reappointment_services.case_reopen(
            by=clair, case=case, reason=reason, until=timezone.now() - datetime.timedelta(1)
        )
    case.refresh_from_db()
    assert case.reopened_until is None

    reappointment_services.case_reopen(by=clair, case=case, reason=reason, until=until)
    latest = case.history.first()
    assert latest.history_user == clair
    assert latest.reopen_reason == reason
    assert latest.reopened_until == until
    # The late answers are taken now, from both sides.
    case = ReappointmentCase.objects.get(pk=case.pk)
    reappointment_services.organisation_answer(by=co_hyogo, case=case, offer=True)
    reappointment_services.participant_answer(by=participant, case=case, wishes_to_continue=True)
    case.refresh_from_db()
    assert (case.organisation_answer, case.participant_answer) == ("OFFER", "CONTINUE")
    assert case.history.first().history_user == participant


# --- CLAIR confirms the round ------------------------------------------------------------


def test_confirm_makes_the_next_contract_only_where_both_said_yes(
    clair, co_hyogo, participant, embassy_us
):
    conference = returning_conference(clair)
    declined = in_force(5)  # offered; the participant leaves
    not_offered = in_force(6)  # not offered; the participant wished to continue
    silent = in_force(7)  # nobody answered
    round_ = open_round()
    yes = case_of(round_, participant)
    reappointment_services.organisation_answer(by=co_hyogo, case=yes, offer=True)
    reappointment_services.participant_answer(by=participant, case=yes, wishes_to_continue=True)
    case = case_of(round_, declined.participant)
    reappointment_services.organisation_answer(by=co_hyogo, case=case, offer=True)
    reappointment_services.participant_answer(
        by=declined.participant, case=case, wishes_to_continue=False
    )
    case = case_of(round_, not_offered.participant)
    reappointment_services.organisation_answer(
        by=co_hyogo, case=case, offer=False, reason="Post ends."
    )
    reappointment_services.participant_answer(
        by=not_offered.participant, case=case, wishes_to_continue=True
    )
    contracts_before = Contract.objects.count()
    both_yes = round_.cases.filter(
        may_continue=True, organisation_answer="OFFER", participant_answer="CONTINUE"
    ).count()

    pass_deadlines(round_)
    outcome = reappointment_services.round_confirm(by=clair, round_=round_)

    assert outcome == {"continues": both_yes, "leaves": round_.cases.count() - both_yes}
    assert Contract.objects.count() == contracts_before + both_yes
    round_.refresh_from_db()
    assert round_.state == ReappointmentRound.State.CONFIRMED
    assert round_.confirmed_by == clair
    yes.refresh_from_db()
    current = yes.contract
    nxt = yes.next_contract
    assert yes.outcome == Case.Outcome.CONTINUES
    assert nxt.placement_id == current.placement_id
    assert nxt.status == Contract.Status.DRAFT
    assert nxt.contract_year == current.contract_year + 1 == 3
    assert nxt.remuneration == 3_900_000
    assert nxt.start_date == current.end_date + datetime.timedelta(days=1)
    assert nxt.end_date == one_year_from(nxt.start_date)
    assert (nxt.hours_per_week, nxt.paid_leave_days) == (
        current.hours_per_week,
        current.paid_leave_days,
    )
    assert placement_selectors.contract_list(user=co_hyogo).filter(pk=nxt.pk).exists()
    assert placement_selectors.contract_list(user=participant).filter(pk=nxt.pk).exists()
    assert Notification.objects.filter(kind="reappointment_confirmed", recipient=participant)

    # Everyone else leaves: no contract, the returning conference, the mission told.
    for contract in (declined, not_offered, silent):
        case = case_of(round_, contract.participant)
        assert case.outcome == Case.Outcome.LEAVES
        assert case.next_contract is None
        assert Contract.objects.filter(placement=contract.placement).count() == 1
        registration = Registration.objects.get(event=conference, person=contract.participant)
        assert registration.automatic
        assert registration.state == Registration.State.REGISTERED
        assert Notification.objects.filter(
            kind="reappointment_leaver", recipient=embassy_us, key__contains=f":{case.pk}:"
        ).exists()
        assert Notification.objects.filter(
            kind="reappointment_leaving", recipient=contract.participant
        ).exists()
    assert not Registration.objects.filter(event=conference, person=participant).exists()
    assert not round_.cases.filter(outcome="").exists()


def test_a_round_is_confirmed_once(clair, co_hyogo, participant):
    round_ = open_round()
    case = case_of(round_, participant)
    reappointment_services.organisation_answer(by=co_hyogo, case=case, offer=True)
    reappointment_services.participant_answer(by=participant, case=case, wishes_to_continue=True)
    for user in (co_hyogo, participant):
        with pytest.raises(PermissionDenied, match="Only CLAIR runs the re-appointment round"):
            reappointment_services.round_confirm(by=user, round_=round_)
    pass_deadlines(round_)
    reappointment_services.round_confirm(by=clair, round_=round_)
    contracts = Contract.objects.count()
    notifications = Notification.objects.count()
    with pytest.raises(DomainError, match="already confirmed"):
        reappointment_services.round_confirm(by=clair, round_=round_)
    assert Contract.objects.count() == contracts
    assert Notification.objects.count() == notifications
    case.refresh_from_db()
    assert Contract.objects.filter(placement=case.placement, contract_year=3).count() == 1
    # A confirmed round takes no more answers nor reopenings.
    with pytest.raises(DomainError):
        reappointment_services.participant_answer(
            by=participant, case=case, wishes_to_continue=False
        )
    with pytest.raises(DomainError):
        reappointment_services.case_reopen(
            by=clair, case=case, reason="Late", until=timezone.now() + datetime.timedelta(1)
        )


# --- reminders ---------------------------------------------------------------------------


def test_reminders_go_once_each_to_whoever_has_not_answered(co_hyogo, participant, co_sapporo):
    sapporo = in_force(8, organisation_user="co.sapporo")
    round_ = open_round()
    # Sapporo has answered for each of its participants, and ours has answered too;
    # Hyogo has not.
    for case in round_.cases.filter(organisation=co_sapporo.organisation):
        reappointment_services.organisation_answer(by=co_sapporo, case=case, offer=True)
    reappointment_services.participant_answer(
        by=sapporo.participant, case=case_of(round_, sapporo.participant), wishes_to_continue=True
    )
    kinds = ("reappointment_reminder_organisation", "reappointment_reminder_participant")

    def reminders(kind, user):
        return Notification.objects.filter(kind=kind, recipient=user).count()

    # Three days before the organisations' deadline: their reminder of the week.
    before_organisations = round_.organisation_deadline - datetime.timedelta(days=3)
    sent = rules.reminders_send(round_=round_, now=before_organisations)
    assert sent > 0
    assert reminders(kinds[0], co_hyogo) == 1
    assert reminders(kinds[0], co_sapporo) == 0
    assert reminders(kinds[1], participant) == 0  # their deadline is weeks away
    assert rules.reminders_send(round_=round_, now=before_organisations) == 0
    assert reminders(kinds[0], co_hyogo) == 1

    # Three days before the participants' deadline: theirs, once.
    before_participants = round_.participant_deadline - datetime.timedelta(days=3)
    assert rules.reminders_send(round_=round_, now=before_participants) > 0
    assert rules.reminders_send(round_=round_, now=before_participants) == 0
    assert reminders(kinds[1], participant) == 1
    assert reminders(kinds[1], sapporo.participant) == 0
    assert reminders(kinds[0], co_hyogo) == 1  # the organisations' deadline has passed

    # A day before: the last reminder, once more.
    day_before = round_.participant_deadline - datetime.timedelta(hours=12)
    rules.reminders_send(round_=round_, now=day_before)
    rules.reminders_send(round_=round_, now=day_before)
    assert reminders(kinds[1], participant) == 2


# --- who sees which cases ----------------------------------------------------------------


def test_each_actor_sees_only_its_cases_and_mic_only_counts(
    clair, co_hyogo, co_sapporo, participant, mic, mofa, embassy_us, mext
):
    sapporo = in_force(9, organisation_user="co.sapporo")
    hyogo = in_force(10)
    round_ = open_round()
    cases = round_.cases.all()

    def seen(user):
        return set(
            reappointment_selectors.reappointment_case_list(user=user, round=round_).values_list(
                "pk", flat=True
            )
        )

    assert seen(clair) == set(cases.values_list("pk", flat=True))
    assert seen(co_hyogo) == set(
        cases.filter(organisation=co_hyogo.organisation).values_list("pk", flat=True)
    )
    assert {case_of(round_, participant).pk, case_of(round_, hyogo.participant).pk} <= seen(
        co_hyogo
    )
    assert seen(co_sapporo) == set(
        cases.filter(organisation=co_sapporo.organisation).values_list("pk", flat=True)
    )
    assert case_of(round_, sapporo.participant).pk in seen(co_sapporo)
    assert seen(participant) == {case_of(round_, participant).pk}
    for user in (mic, mofa, embassy_us, mext):
        assert seen(user) == set(), user.username
    # The organisation can act on its own, not on another's.
    assert access.can(co_hyogo, "change", case_of(round_, participant))
    assert not access.can(co_sapporo, "change", case_of(round_, participant))

    # MIC reads the round in numbers, with no names in them; an organisation its own.
    rows = reappointment_selectors.reappointment_counts(user=mic, round=round_)
    assert sum(row["n"] for row in rows) == cases.count()
    assert {key for row in rows for key in row} == {
        "organisation__prefecture_id",
        "organisation__prefecture__name_en",
        "organisation__prefecture__name_ja",
        "placement__position__type",
        "contract_year",
        "organisation_answer",
        "participant_answer",
        "outcome",
        "n",
    }
    own = reappointment_selectors.reappointment_counts(user=co_hyogo, round=round_)
    assert sum(row["n"] for row in own) == len(seen(co_hyogo))
    assert {row["organisation__prefecture_id"] for row in own} == {"28"}
    assert reappointment_selectors.reappointment_round_list(user=mic).filter(pk=round_.pk).exists()
    assert not reappointment_selectors.reappointment_round_list(user=mofa).exists()
