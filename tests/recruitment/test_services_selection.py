"""The mission's side, through the services: scores, the quota, results held until
release, alternates, the hand-off to CLAIR, notifications once per event, and who may
do what."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.utils import timezone

from apps.core import access
from apps.core import services as core_services
from apps.core.errors import DomainError
from apps.core.models import Country, Membership, Organisation, ProgrammeYear, Role, User
from apps.notifications.models import Notification
from apps.recruitment import selectors, services
from apps.recruitment.models import (
    AcceptanceNumber,
    Application,
    ApplicationDocument,
    ReplyForm,
    ResultRelease,
    RubricCriterion,
    Score,
)

Status = Application.Status
SHORTLISTED, ALTERNATE, NOT_SELECTED = Status.SHORTLISTED, Status.ALTERNATE, Status.NOT_SELECTED
NOT_ALLOWED = "You are not allowed to do this for this application."


def _decide(by, applications, decision, **kwargs) -> int:
    return services.applications_decide(
        by=by, applications=applications, decision=decision, **kwargs
    )


def _points(rubric, motivation, communication) -> dict:
    return {rubric[0].pk: motivation, rubric[1].pk: communication}


def _count(kind: str, recipient, about: Application | None = None) -> int:
    """Notifications of `kind` to `recipient`, about one application if given (the demo
    world has notifications of its own)."""
    notifications = Notification.objects.filter(kind=kind, recipient=recipient)
    if about is not None:
        notifications = notifications.filter(context__number=about.number)
    return notifications.count()


def _quota_message(places, country, position, held, adding) -> str:
    return (
        f"Shortlisting would exceed the acceptance number: {places} places for {country} "
        f"({position}), {held} already shortlisted, {adding} more asked."
    )


def _accept(application) -> ReplyForm:
    return services.reply_submit(
        by=application.applicant,
        application=application,
        answer=ReplyForm.Answer.ACCEPT,
        departure_airport="Washington Dulles (IAD)",
        passport_number="X12345678",
        passport_expiry=timezone.localdate() + dt.timedelta(days=3 * 365),
    )


@pytest.fixture
def us_apps(fresh_round, make_applicant, submitted_application):
    """us_apps(n, position="ALT") -> n submitted applications at the US embassy."""

    def _make(n: int, position: str = "ALT", prefix: str = "cand"):
        return [
            submitted_application(make_applicant(f"{prefix}.{i}"), position=position)
            for i in range(n)
        ]

    return _make


@pytest.fixture
def released(us_apps, published_numbers, embassy_us, us_manager, open_year):
    """One shortlisted and two ranked alternates at the US embassy (1 ALT place), released."""
    published_numbers(places=1)
    shortlisted, first, second = us_apps(3)
    _decide(embassy_us, [shortlisted], SHORTLISTED)
    _decide(embassy_us, [first, second], ALTERNATE)
    services.results_release(by=us_manager, programme_year=open_year)
    return [Application.objects.get(pk=a.pk) for a in (shortlisted, first, second)]


# --- scores ----------------------------------------------------------------------------


def test_a_reviewer_scores_an_application_once_per_stage(us_apps, rubric, embassy_us, us_manager):
    (application,) = us_apps(1)

    first = services.score_record(
        by=embassy_us,
        application=application,
        stage=Score.Stage.SCREENING,
        points=_points(rubric, 5, 5),
        comment="Strong statement.",
    )
    with pytest.raises(DomainError) as again:
        services.score_record(
            by=embassy_us,
            application=application,
            stage=Score.Stage.SCREENING,
            points=_points(rubric, 0, 0),
        )

    assert again.value.message == "You have already scored this application at this stage."
    assert list(application.scores.all()) == [first]
    application.refresh_from_db()
    assert application.screening_average == Decimal("100.00")

    services.score_record(
        by=us_manager,
        application=application,
        stage=Score.Stage.SCREENING,
        points=_points(rubric, 3, 3),
    )
    application.refresh_from_db()
    assert application.screening_average == Decimal("80.00")  # (100 + 60) / 2


@pytest.mark.parametrize(
    ("motivation", "communication", "total"),
    [
        (4, 5, Decimal("86.67")),  # (4/5 * 2 + 5/5 * 1) / 3
        (5, 4, Decimal("93.33")),  # the heavier criterion counts twice
        (0, 0, Decimal("0.00")),
        (1, 2, Decimal("26.67")),
    ],
)
def test_the_total_is_weighted_by_the_rubric(
    us_apps, rubric, embassy_us, motivation, communication, total
):
    (application,) = us_apps(1)

    score = services.score_record(
        by=embassy_us,
        application=application,
        stage=Score.Stage.SCREENING,
        points=_points(rubric, motivation, communication),
    )

    assert score.total == total
    application.refresh_from_db()
    assert application.screening_average == total


def test_a_score_must_cover_every_criterion_within_its_range(us_apps, rubric, embassy_us):
    (application,) = us_apps(1)

    with pytest.raises(DomainError) as missing:
        services.score_record(
            by=embassy_us,
            application=application,
            stage=Score.Stage.SCREENING,
            points={rubric[1].pk: 3},
        )
    assert missing.value.message == "Score every criterion: Motivation is missing."
    with pytest.raises(DomainError) as too_high:
        services.score_record(
            by=embassy_us,
            application=application,
            stage=Score.Stage.SCREENING,
            points=_points(rubric, 6, 3),
        )
    assert too_high.value.message == "Motivation is scored from 0 to 5."
    assert not application.scores.exists()


def test_the_interview_is_scored_once_by_each_panel_member(
    us_apps, rubric, embassy_us, us_manager, open_year
):
    (application,) = us_apps(1)
    slot = services.interview_slot_create(
        by=us_manager,
        programme_year=open_year,
        starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=3, minutes=30),
        location="Embassy of Japan, 2520 Massachusetts Ave NW, room 3",
        panel=[embassy_us],
    )
    services.interviews_invite(by=embassy_us, applications=[application])
    services.interview_book(by=application.applicant, application=application, slot=slot)
    services.score_record(
        by=embassy_us,
        application=application,
        stage=Score.Stage.SCREENING,
        points=_points(rubric, 2, 2),
    )

    services.score_record(
        by=embassy_us,
        application=application,
        stage=Score.Stage.INTERVIEW,
        points=_points(rubric, 5, 4),
    )
    with pytest.raises(DomainError) as again:
        services.score_record(
            by=embassy_us,
            application=application,
            stage=Score.Stage.INTERVIEW,
            points=_points(rubric, 5, 5),
        )
    with pytest.raises(DomainError) as off_panel:
        services.score_record(
            by=us_manager,
            application=application,
            stage=Score.Stage.INTERVIEW,
            points=_points(rubric, 5, 5),
        )

    assert again.value.message == "You have already scored this application at this stage."
    assert off_panel.value.message == "Only members of the interview panel score the interview."
    application.refresh_from_db()
    assert application.screening_average == Decimal("40.00")
    assert application.interview_average == Decimal("93.33")
    assert application.scores.count() == 2


# --- the quota -------------------------------------------------------------------------


def test_shortlisting_above_the_acceptance_number_is_refused(
    us_apps, published_numbers, embassy_us
):
    published_numbers(places=2)
    applications = us_apps(3)

    with pytest.raises(DomainError) as refused:
        _decide(embassy_us, applications, SHORTLISTED)

    assert refused.value.message == _quota_message(2, "United States", "ALT", 0, 3)
    for application in applications:
        application.refresh_from_db()
        assert application.status == Status.SUBMITTED
        assert application.decided_by is None
        assert application.decided_at is None

    assert _decide(embassy_us, applications[:2], SHORTLISTED) == 2
    with pytest.raises(DomainError) as last:
        _decide(embassy_us, applications[2:], SHORTLISTED)
    assert last.value.message == _quota_message(2, "United States", "ALT", 2, 1)


def test_deciding_an_already_shortlisted_one_again_takes_no_second_place(
    us_apps, published_numbers, embassy_us
):
    published_numbers(places=1)
    (application,) = us_apps(1)
    _decide(embassy_us, [application], SHORTLISTED)

    assert _decide(embassy_us, [application], SHORTLISTED) == 1


def test_the_quota_is_per_country_across_its_missions(
    fresh_round, us_apps, make_applicant, submitted_application, published_numbers, embassy_us
):
    published_numbers(places=2)
    new_york = Organisation.objects.get(name_en="Consulate-General of Japan in New York")
    officer = core_services.person_create(
        username="ny.officer", email="ny.officer@example.jp", password="not-used-1"
    )
    core_services.membership_add(by=None, user=officer, organisation=new_york)
    in_new_york = submitted_application(make_applicant("in.new.york"), mission=new_york)
    _decide(officer, [in_new_york], SHORTLISTED)
    in_dc = us_apps(2)

    with pytest.raises(DomainError) as refused:
        _decide(embassy_us, in_dc, SHORTLISTED)

    assert refused.value.message == _quota_message(2, "United States", "ALT", 1, 2)
    assert _decide(embassy_us, in_dc[:1], SHORTLISTED) == 1


def test_positions_have_separate_numbers(us_apps, published_numbers, embassy_us):
    published_numbers(places=1)
    (alt,) = us_apps(1, position="ALT", prefix="alt")
    (cir,) = us_apps(1, position="CIR", prefix="cir")

    assert _decide(embassy_us, [alt], SHORTLISTED) == 1
    assert _decide(embassy_us, [cir], SHORTLISTED) == 1


def test_shortlisting_without_a_published_number_is_refused(us_apps, embassy_us, mic, open_year):
    (application,) = us_apps(1)
    AcceptanceNumber.objects.filter(programme_year=open_year, country_id="US").delete()

    with pytest.raises(DomainError) as refused:
        _decide(embassy_us, [application], SHORTLISTED)

    assert refused.value.message == (
        "MIC has not published the acceptance number for United States (ALT) yet."
    )


def test_a_bulk_decision_is_all_or_nothing(
    fresh_round,
    us_apps,
    make_applicant,
    submitted_application,
    published_numbers,
    embassy_us,
    uk_mission,
):
    published_numbers(places=5)
    ours = us_apps(2)
    theirs = submitted_application(make_applicant("in.london", country="GB"), mission=uk_mission)
    ineligible = submitted_application(make_applicant("not.a.citizen", country="CA"))

    with pytest.raises(PermissionDenied) as not_ours:
        _decide(embassy_us, [*ours, theirs], ALTERNATE)
    assert str(not_ours.value) == NOT_ALLOWED
    with pytest.raises(DomainError) as not_eligible:
        _decide(embassy_us, [*ours, ineligible], SHORTLISTED)
    assert not_eligible.value.message == f"{ineligible.number} is not eligible."

    for application in [*ours, theirs, ineligible]:
        application.refresh_from_db()
        assert application.status == Status.SUBMITTED
        assert application.alternate_rank is None
    assert _decide(embassy_us, [ineligible], NOT_SELECTED) == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_racing_for_the_last_place_only_one_gets_it(
    committed_world,
    fresh_round,
    make_applicant,
    submitted_application,
    published_numbers,
    embassy_us,
    us_manager,
):
    published_numbers(places=1)
    racers = [submitted_application(make_applicant(f"racer.{i}")) for i in (1, 2)]
    deciders = [embassy_us, us_manager]
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def shortlist(i: int) -> None:
        try:
            by = User.objects.get(pk=deciders[i].pk)
            application = Application.objects.get(pk=racers[i].pk)
            barrier.wait(timeout=10)
            _decide(by, [application], SHORTLISTED)
            outcomes[i] = "shortlisted"
        except DomainError as exc:
            outcomes[i] = exc.message
        finally:
            connection.close()

    threads = [threading.Thread(target=shortlist, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == sorted(
        ["shortlisted", _quota_message(1, "United States", "ALT", 1, 1)]
    )
    statuses = sorted(
        Application.objects.filter(pk__in=[a.pk for a in racers]).values_list("status", flat=True)
    )
    assert statuses == [Status.SHORTLISTED, Status.SUBMITTED]


# --- results ---------------------------------------------------------------------------


def test_results_are_held_until_release_then_told_once_in_each_language(
    fresh_round,
    make_applicant,
    submitted_application,
    published_numbers,
    embassy_us,
    us_manager,
    uk_mission,
    open_year,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    published_numbers(places=2)
    english = make_applicant("result.en")
    japanese = make_applicant("result.ja", language="ja")
    third = make_applicant("result.third")
    londoner = make_applicant("result.gb", country="GB")
    shortlisted, alternate, not_selected = (
        submitted_application(user) for user in (english, japanese, third)
    )
    in_london = submitted_application(londoner, mission=uk_mission)
    _decide(embassy_us, [shortlisted], SHORTLISTED)
    _decide(embassy_us, [alternate], ALTERNATE)
    _decide(embassy_us, [not_selected], NOT_SELECTED)
    embassy_uk = User.objects.get(username="embassy.uk")
    _decide(embassy_uk, [in_london], NOT_SELECTED)

    for application in (shortlisted, alternate, not_selected):
        application.refresh_from_db()
        assert application.status_for_applicant() == "Under review"
        assert not application.results_visible
    results = Notification.objects.filter(
        kind__startswith="result_", recipient__in=[english, japanese, third, londoner]
    )
    assert not results.exists()

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        released = services.results_release(by=us_manager, programme_year=open_year)

    assert released == 3
    expected = {
        english: ("result_shortlisted", "en", "Shortlisted"),
        japanese: ("result_alternate", "ja", "Alternate"),
        third: ("result_not_selected", "en", "Not selected"),
    }
    for user, (kind, language, status) in expected.items():
        assert list(results.filter(recipient=user).values_list("kind", "language")) == [
            (kind, language)
        ]
        assert [m.to for m in mailoutbox if m.to == [user.email]] == [[user.email]]
        application = Application.objects.get(applicant=user)
        assert application.results_released_at is not None
        assert application.status_for_applicant() == status
    assert not results.filter(recipient=londoner).exists()
    in_london.refresh_from_db()
    assert in_london.results_released_at is None
    assert in_london.status_for_applicant() == "Under review"
    assert len(mailoutbox) == 3


def test_results_are_released_only_once(released, us_manager, us_mission, open_year):
    shortlisted = released[0]

    with pytest.raises(DomainError) as again:
        services.results_release(by=us_manager, programme_year=open_year)

    assert again.value.message == "Results for this year have already been released."
    assert _count("result_shortlisted", shortlisted.applicant) == 1
    assert ResultRelease.objects.filter(programme_year=open_year, mission=us_mission).count() == 1


def test_results_cannot_be_released_with_undecided_applications(
    us_apps, published_numbers, embassy_us, us_manager, us_mission, open_year
):
    published_numbers(places=2)
    decided, undecided = us_apps(2)
    _decide(embassy_us, [decided], SHORTLISTED)

    with pytest.raises(DomainError) as refused:
        services.results_release(by=us_manager, programme_year=open_year)

    assert refused.value.message == (
        "1 application is undecided: release is not possible until it has a decision."
    )
    assert not ResultRelease.objects.filter(mission=us_mission).exists()
    decided.refresh_from_db()
    assert decided.results_released_at is None
    assert _count("result_shortlisted", decided.applicant) == 0

    _decide(embassy_us, [undecided], NOT_SELECTED)
    assert services.results_release(by=us_manager, programme_year=open_year) == 2


def test_staff_of_another_mission_or_ministry_cannot_release_results(
    us_apps, published_numbers, embassy_us, embassy_uk, mofa, us_mission, open_year
):
    """Any staff member of the mission may release its results (the issue's journey has
    embassy.us do it); nobody outside the mission can, and UK staff release only UK's."""
    published_numbers(places=1)
    (application,) = us_apps(1)
    _decide(embassy_us, [application], SHORTLISTED)

    with pytest.raises(PermissionDenied) as refused:
        services.results_release(by=mofa, programme_year=open_year)
    assert str(refused.value) == "Only the embassy or consulate releases its results."
    services.results_release(by=embassy_uk, programme_year=open_year)
    assert not ResultRelease.objects.filter(mission=us_mission).exists()
    assert _count("result_shortlisted", application.applicant) == 0

    assert services.results_release(by=embassy_us, programme_year=open_year) == 1
    assert _count("result_shortlisted", application.applicant) == 1


def test_a_decision_cannot_change_after_release(released, embassy_us):
    shortlisted = released[0]

    with pytest.raises(DomainError) as refused:
        _decide(embassy_us, [shortlisted], NOT_SELECTED)

    assert refused.value.message == (
        f"Results for {shortlisted.number} are released; it can no longer be changed here."
    )


# --- alternates ------------------------------------------------------------------------


def test_alternates_are_ranked_in_the_order_decided(us_apps, published_numbers, embassy_us):
    published_numbers(places=2)
    a, b, c, d = us_apps(4)

    _decide(embassy_us, [b, a], ALTERNATE)
    _decide(embassy_us, [c], ALTERNATE)

    ranks = dict(
        Application.objects.filter(pk__in=[a.pk, b.pk, c.pk]).values_list("pk", "alternate_rank")
    )
    assert ranks == {b.pk: 1, a.pk: 2, c.pk: 3}

    _decide(embassy_us, [b], SHORTLISTED)
    b.refresh_from_db()
    assert b.alternate_rank is None
    _decide(embassy_us, [d], ALTERNATE, alternate_rank=7)
    d.refresh_from_db()
    assert d.alternate_rank == 7


def test_a_withdrawal_frees_a_place_and_the_next_alternate_is_upgraded(
    released, embassy_us, embassy_uk, us_mission
):
    shortlisted, first, second = released
    reply_due = timezone.localdate() + dt.timedelta(days=10)

    with pytest.raises(DomainError) as full:
        services.alternate_upgrade(by=embassy_us, application=first, reply_due=reply_due)
    assert full.value.message == _quota_message(1, "United States", "ALT", 1, 1)
    assert _count("alternate_upgraded", first.applicant) == 0

    services.application_withdraw(by=shortlisted.applicant, application=shortlisted)

    staff = [m.user for m in Membership.objects.filter(organisation=us_mission)]
    assert len(staff) >= 2  # embassy.us and the manager
    for member in staff:
        assert _count("place_freed", member, about=shortlisted) == 1
    assert _count("place_freed", embassy_uk, about=shortlisted) == 0
    assert _count("place_freed", shortlisted.applicant) == 0

    upgraded = services.alternate_upgrade(by=embassy_us, application=first, reply_due=reply_due)

    upgraded.refresh_from_db()
    assert upgraded.status == Status.SHORTLISTED
    assert upgraded.reply_due == reply_due
    assert upgraded.alternate_rank is None
    assert upgraded.upgraded_at is not None
    assert upgraded.status_for_applicant() == "Shortlisted"
    notes = Notification.objects.filter(kind="alternate_upgraded", recipient=first.applicant)
    assert [n.context["reply_due"] for n in notes] == [reply_due.isoformat()]
    with pytest.raises(DomainError) as again:
        services.alternate_upgrade(by=embassy_us, application=upgraded, reply_due=reply_due)
    assert again.value.message == "Only a released alternate can be upgraded."
    assert _count("alternate_upgraded", first.applicant) == 1
    second.refresh_from_db()
    assert (second.status, second.alternate_rank) == (Status.ALTERNATE, 2)


def test_a_declined_offer_frees_a_place_too(released, us_mission, embassy_us):
    shortlisted, first, _second = released

    services.reply_submit(
        by=shortlisted.applicant, application=shortlisted, answer=ReplyForm.Answer.DECLINE
    )

    shortlisted.refresh_from_db()
    assert shortlisted.status == Status.DECLINED
    assert _count("place_freed", embassy_us, about=shortlisted) == 1
    upgraded = services.alternate_upgrade(
        by=embassy_us, application=first, reply_due=timezone.localdate() + dt.timedelta(days=5)
    )
    assert upgraded.status == Status.SHORTLISTED


def test_an_alternate_is_not_upgraded_before_release_or_with_a_past_reply_date(
    us_apps, embassy_us, released
):
    _shortlisted, first, _second = released
    with pytest.raises(DomainError) as past:
        services.alternate_upgrade(by=embassy_us, application=first, reply_due=timezone.localdate())
    assert past.value.message == "Give the alternate a reply date in the future."

    (unreleased,) = us_apps(1, prefix="late")
    _decide(embassy_us, [unreleased], ALTERNATE)
    with pytest.raises(DomainError) as early:
        services.alternate_upgrade(
            by=embassy_us,
            application=unreleased,
            reply_due=timezone.localdate() + dt.timedelta(days=5),
        )
    assert early.value.message == "Only a released alternate can be upgraded."


# --- hand-off to CLAIR -----------------------------------------------------------------


def test_forwarding_needs_an_accepted_reply_and_opens_the_application_to_clair(
    us_apps, published_numbers, embassy_us, us_manager, clair, open_year
):
    published_numbers(places=2)
    accepted, waiting = us_apps(2)
    _decide(embassy_us, [accepted, waiting], SHORTLISTED)

    with pytest.raises(DomainError) as unreleased:
        services.applications_forward(by=embassy_us, applications=[accepted])
    assert unreleased.value.message == f"{accepted.number} is not a released shortlisted candidate."

    services.results_release(by=us_manager, programme_year=open_year)
    with pytest.raises(DomainError) as no_reply:
        services.applications_forward(by=embassy_us, applications=[accepted, waiting])
    assert no_reply.value.message == f"{accepted.number} has not accepted the offer yet."
    assert not access.can(clair, "view", accepted)

    _accept(accepted)
    with pytest.raises(DomainError):
        services.applications_forward(by=embassy_us, applications=[accepted, waiting])
    accepted.refresh_from_db()
    assert accepted.status == Status.SHORTLISTED  # all or nothing
    assert not access.can(clair, "view", accepted)

    assert services.applications_forward(by=embassy_us, applications=[accepted]) == 1

    accepted.refresh_from_db()
    assert accepted.status == Status.FORWARDED
    assert accepted.forwarded_at is not None
    assert accepted.status_for_applicant() == "Shortlisted"
    assert access.can(clair, "view", accepted)
    assert not access.can(clair, "view", waiting)
    visible = selectors.application_list(user=clair).filter(pk__in=[accepted.pk, waiting.pk])
    assert list(visible) == [accepted]
    assert _count("application_forwarded", accepted.applicant) == 1
    with pytest.raises(DomainError):
        services.applications_forward(by=embassy_us, applications=[accepted])
    assert _count("application_forwarded", accepted.applicant) == 1


def test_a_declined_candidate_cannot_be_forwarded(released, embassy_us, clair):
    shortlisted = released[0]
    services.reply_submit(
        by=shortlisted.applicant, application=shortlisted, answer=ReplyForm.Answer.DECLINE
    )

    with pytest.raises(DomainError):
        services.applications_forward(by=embassy_us, applications=[shortlisted])

    assert not access.can(clair, "view", shortlisted)


def test_an_acceptance_needs_a_valid_passport(released):
    shortlisted = released[0]

    with pytest.raises(DomainError) as expired:
        services.reply_submit(
            by=shortlisted.applicant,
            application=shortlisted,
            answer=ReplyForm.Answer.ACCEPT,
            departure_airport="IAD",
            passport_number="X1",
            passport_expiry=timezone.localdate() - dt.timedelta(days=1),
        )

    assert expired.value.message == "The passport must still be valid; check its expiry date."
    assert not ReplyForm.objects.filter(application=shortlisted).exists()


# --- notifications once per event ------------------------------------------------------


def test_inviting_twice_notifies_once(us_apps, embassy_us):
    applications = us_apps(2)

    assert services.interviews_invite(by=embassy_us, applications=applications) == 2
    assert services.interviews_invite(by=embassy_us, applications=applications) == 0

    for application in applications:
        assert _count("interview_invited", application.applicant) == 1


def test_booking_the_same_slot_twice_notifies_once(us_apps, embassy_us, us_manager, open_year):
    (application,) = us_apps(1)
    slot = services.interview_slot_create(
        by=us_manager,
        programme_year=open_year,
        starts_at=timezone.now() + dt.timedelta(days=2),
        ends_at=timezone.now() + dt.timedelta(days=2, minutes=20),
        online_url="https://meet.example.jp/jet-interview-1",
        capacity=2,
    )
    services.interviews_invite(by=embassy_us, applications=[application])

    services.interview_book(by=application.applicant, application=application, slot=slot)
    services.interview_book(by=embassy_us, application=application, slot=slot)

    assert _count("interview_booked", application.applicant) == 1


def test_publishing_numbers_twice_notifies_the_missions_once(mic, embassy_us, embassy_uk, clair):
    # A year the demo data leaves alone, so the numbers start as drafts.
    year = ProgrammeYear.objects.get(year=2026)
    us = Country.objects.get(code="US")
    numbers = [
        services.acceptance_number_set(
            by=mic, programme_year=year, country=us, position=position, places=places
        )
        for position, places in (("ALT", 900), ("CIR", 50))
    ]

    def told(user):
        return Notification.objects.filter(
            kind="numbers_published", recipient=user, context__year=2026
        )

    assert not told(embassy_us).exists()
    assert services.acceptance_numbers_publish(by=mic, numbers=numbers) == 2
    assert services.acceptance_numbers_publish(by=mic, numbers=numbers) == 0
    fresh = list(AcceptanceNumber.objects.filter(pk__in=[n.pk for n in numbers]))
    assert services.acceptance_numbers_publish(by=mic, numbers=fresh) == 0

    assert [n.context["places"] for n in told(embassy_us)] == [{"ALT": 900, "CIR": 50}]
    assert not told(embassy_uk).exists()
    assert not told(clair).exists()


# --- who may do what -------------------------------------------------------------------


def test_another_mission_cannot_score_or_decide(us_apps, rubric, published_numbers, embassy_uk):
    published_numbers(places=2)
    (application,) = us_apps(1)

    with pytest.raises(PermissionDenied) as score:
        services.score_record(
            by=embassy_uk,
            application=application,
            stage=Score.Stage.SCREENING,
            points=_points(rubric, 5, 5),
        )
    with pytest.raises(PermissionDenied) as decide:
        _decide(embassy_uk, [application], SHORTLISTED)
    with pytest.raises(PermissionDenied) as invite:
        services.interviews_invite(by=embassy_uk, applications=[application])

    assert str(score.value) == str(decide.value) == str(invite.value) == NOT_ALLOWED
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert not application.scores.exists()


def test_the_medical_self_report_opens_only_to_managers_and_clair_after_forwarding(
    us_apps, published_numbers, embassy_us, us_manager, mofa, clair, open_year
):
    published_numbers(places=1)
    (application,) = us_apps(1)
    medical = application.documents.get(kind=ApplicationDocument.Kind.MEDICAL)

    def sees_medical(user) -> bool:
        return medical in selectors.document_list(user=user, application=application)

    assert sees_medical(us_manager)
    assert sees_medical(application.applicant)  # their own report, for a correction request
    assert not sees_medical(embassy_us)
    assert not sees_medical(mofa)
    assert access.can(mofa, "view", application)  # HQ reads the application, not the report
    with pytest.raises(Http404):
        selectors.document_get(user=embassy_us, pk=medical.pk)
    assert selectors.document_get(user=us_manager, pk=medical.pk) == medical
    transcript = application.documents.get(kind=ApplicationDocument.Kind.TRANSCRIPT)
    assert transcript in selectors.document_list(user=embassy_us, application=application)

    _decide(embassy_us, [application], SHORTLISTED)
    services.results_release(by=us_manager, programme_year=open_year)
    application.refresh_from_db()
    _accept(application)
    assert not access.can(clair, "view", application)
    services.applications_forward(by=embassy_us, applications=[application])

    assert sees_medical(clair)
    assert not sees_medical(embassy_us)
    assert not sees_medical(mofa)


def test_mission_managers_alone_set_the_rubric(us_mission, embassy_us, us_manager, open_year):
    existing = RubricCriterion.objects.filter(mission=us_mission, programme_year=open_year)
    before = existing.count()
    with pytest.raises(PermissionDenied) as refused:
        services.rubric_criterion_add(
            by=embassy_us, mission=us_mission, programme_year=open_year, name_en="Motivation"
        )

    assert str(refused.value) == "Only the mission's managers set its rubric."
    criterion = services.rubric_criterion_add(
        by=us_manager, mission=us_mission, programme_year=open_year, name_en="Motivation"
    )
    assert criterion.order == before
    assert existing.count() == before + 1


def test_a_manager_of_another_mission_cannot_set_its_rubric(us_mission, open_year):
    uk = Organisation.objects.get(name_en="Embassy of Japan in the United Kingdom")
    uk_manager = core_services.person_create(
        username="uk.rubric", email="uk.rubric@example.jp", password="not-used-1"
    )
    core_services.membership_add(by=None, user=uk_manager, organisation=uk, role=Role.MANAGER)
    existing = RubricCriterion.objects.filter(mission=us_mission, programme_year=open_year)
    before = existing.count()

    with pytest.raises(PermissionDenied, match=r"Only the mission's managers set its rubric\."):
        services.rubric_criterion_add(
            by=uk_manager, mission=us_mission, programme_year=open_year, name_en="Motivation"
        )

    assert existing.count() == before


def test_a_manager_of_another_mission_cannot_release_a_mission_s_results(released, open_year):
    """Releasing is scoped to the releaser's own mission: the UK manager's release tells
    nobody at the US embassy anything twice."""
    uk = Organisation.objects.get(name_en="Embassy of Japan in the United Kingdom")
    uk_manager = core_services.person_create(
        username="uk.manager", email="uk.manager@example.jp", password="not-used-1"
    )
    core_services.membership_add(by=None, user=uk_manager, organisation=uk, role=Role.MANAGER)

    assert services.results_release(by=uk_manager, programme_year=open_year) == 0

    for application in released:
        assert (
            Notification.objects.filter(
                recipient=application.applicant, kind__startswith="result_"
            ).count()
            == 1
        )
