"""A placement from CLAIR's confirmation to a contract in force, through the placement
services as each actor: the organisation answers, the candidate accepts or withdraws,
the organisation issues, the participant signs, the organisation countersigns."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import Kind, Organisation, PersonRole, ProgrammeYear, User
from apps.notifications.models import Notification
from apps.placement import selectors, services
from apps.placement.contracts import remuneration_for
from apps.placement.models import Contract, Placement
from apps.recruitment.models import Application

pytestmark = pytest.mark.django_db

SCALE = {1: 3_360_000, 2: 3_600_000, 3: 3_900_000, 4: 3_960_000, 5: 3_960_000}

POSITION = {
    "type": "ALT",
    "school_level": "SENIOR_HIGH",
    "base": "Hyogo Prefectural Kobe High School",
    "municipality": "Kobe",
    "location": "URBAN",
    "housing": "ASSISTED",
}


def _year() -> ProgrammeYear:
    return ProgrammeYear.objects.get(is_current=True)


def _candidate(n: int, **fields) -> Application:
    """A candidate the US embassy has forwarded to CLAIR (with the grants forwarding
    gives)."""
    mission = Organisation.objects.get(name_en="Embassy of Japan in the United States")
    person = User.objects.create_user(
        f"flow.candidate.{n}",
        email=f"flow.candidate.{n}@example.com",
        first_name="Maya",
        last_name=f"Flow{n}",
        person_role=PersonRole.APPLICANT,
    )
    values = {
        "japanese_level": "N3",
        "driving_licence": "MANUAL",
        "preference_1": "28",
        "location_preference": "URBAN",
    } | fields
    application = Application.objects.create(
        number=f"FLOW-{n}",
        programme_year=_year(),
        applicant=person,
        mission=mission,
        country=mission.country,
        position="ALT",
        status=Application.Status.FORWARDED,
        given_names="Maya",
        family_name=f"Flow{n}",
        **values,
    )
    access.grant_user("view", application, person)
    access.grant("view", application, mission)
    access.grant("view", application, Organisation.objects.get(kind=Kind.CLAIR))
    return application


def _position(by: User, **fields):
    """A position the organisation of `by` requested and MIC approved."""
    [position] = services.position_request_create(by=by, **(POSITION | fields))
    mic = User.objects.get(username="mic")
    services.positions_review(by=mic, positions=[position], approve=True)
    position.refresh_from_db()
    return position


def _placed(n: int, *, arrival_group: str = "A", **fields) -> Placement:
    clair = User.objects.get(username="clair")
    co_hyogo = User.objects.get(username="co.hyogo")
    return services.placement_confirm(
        by=clair,
        application=_candidate(n, **fields),
        position=_position(co_hyogo, base=f"Hyogo Prefectural High School No. {n}"),
        arrival_group=arrival_group,
    )


def _person(placement: Placement) -> User:
    return placement.application.applicant


def _draft(n: int, **kwargs) -> Contract:
    """Placed, accepted by the organisation and by the candidate: the draft contract."""
    placement = _placed(n, **kwargs)
    services.placement_accept(by=User.objects.get(username="co.hyogo"), placement=placement)
    return services.placement_candidate_accept(by=_person(placement), placement=placement)


def _sign(contract: Contract, **kwargs) -> Contract:
    person = contract.participant
    values = {"typed_name": person.get_full_name(), "agree": True, "address": "203.0.113.7"}
    return services.contract_sign(by=person, contract=contract, **(values | kwargs))


def _in_force(n: int) -> Contract:
    co_hyogo = User.objects.get(username="co.hyogo")
    contract = services.contract_issue(by=co_hyogo, contract=_draft(n))
    contract = _sign(contract)
    return services.contract_countersign(by=co_hyogo, contract=contract)


def _notice(kind: str, about, user: User) -> Notification | None:
    """The notification of `kind` about this placement or contract to `user`."""
    return Notification.objects.filter(
        kind=kind, recipient=user, key=f"{kind}:{about.pk}:{user.pk}"
    ).first()


def _told(kind: str, about, user: User) -> bool:
    return _notice(kind, about, user) is not None


def _told_anyone(kind: str, about) -> bool:
    return Notification.objects.filter(kind=kind, key__startswith=f"{kind}:{about.pk}:").exists()


# --- the organisation answers ------------------------------------------------------------


def test_decline_returns_candidate_and_position_to_the_pool_and_tells_clair(
    clair, clair_manager, co_hyogo
):
    placement = _placed(1)
    year = _year()
    in_pool = selectors.board_candidates(user=clair, programme_year=year)
    open_positions = selectors.board_positions(user=clair, programme_year=year)
    assert not in_pool.filter(pk=placement.application_id).exists()
    assert not open_positions.filter(pk=placement.position_id).exists()

    declined = services.placement_decline(
        by=co_hyogo, placement=placement, reason="No housing in Kobe this year"
    )

    assert declined.status == Placement.Status.DECLINED_BY_ORGANISATION
    assert declined.decline_reason == "No housing in Kobe this year"
    assert declined.decided_at is not None
    in_pool = selectors.board_candidates(user=clair, programme_year=year)
    open_positions = selectors.board_positions(user=clair, programme_year=year)
    assert in_pool.filter(pk=placement.application_id).exists()
    assert open_positions.filter(pk=placement.position_id).exists()
    assert _told("placement_declined", placement, clair)
    assert _told("placement_declined", placement, clair_manager)
    notice = _notice("placement_declined", placement, clair)
    assert notice.context["reason"] == "No housing in Kobe this year"
    assert not _told("placement_notice", placement, _person(placement))


def test_decline_without_a_reason_is_refused(co_hyogo):
    placement = _placed(2)
    with pytest.raises(DomainError) as refused:
        services.placement_decline(by=co_hyogo, placement=placement, reason="   ")
    assert refused.value.field == "reason"
    placement.refresh_from_db()
    assert placement.status == Placement.Status.CONFIRMED
    assert not _told_anyone("placement_declined", placement)


def test_a_placement_is_answered_once(co_hyogo):
    accepted = _placed(3)
    services.placement_accept(by=co_hyogo, placement=accepted)
    with pytest.raises(DomainError, match="already been answered"):
        services.placement_decline(by=co_hyogo, placement=accepted, reason="Changed our mind")
    with pytest.raises(DomainError, match="already been answered"):
        services.placement_accept(by=co_hyogo, placement=accepted)
    accepted.refresh_from_db()
    assert accepted.status == Placement.Status.ACCEPTED_BY_ORGANISATION

    declined = _placed(4)
    services.placement_decline(by=co_hyogo, placement=declined, reason="No housing")
    with pytest.raises(DomainError, match="already been answered"):
        services.placement_accept(by=co_hyogo, placement=declined)
    declined.refresh_from_db()
    assert declined.status == Placement.Status.DECLINED_BY_ORGANISATION


def test_organisation_accept_tells_candidate_and_mission_and_shows_the_candidate(
    co_hyogo, embassy_us
):
    placement = _placed(5)
    person = _person(placement)
    assert selectors.placement_list(user=person).count() == 0
    assert not _told("placement_notice", placement, person)

    services.placement_accept(by=co_hyogo, placement=placement)

    assert list(selectors.placement_list(user=person)) == [placement]
    assert selectors.placement_own(user=person) == placement
    assert _told("placement_notice", placement, person)
    assert _told("placement_notice", placement, embassy_us)
    notice = _notice("placement_notice", placement, person)
    assert notice.context["organisation_en"] == "Hyogo Prefectural Board of Education"
    assert notice.context["arrival_group"] == "A"


# --- the candidate answers ---------------------------------------------------------------


@pytest.mark.parametrize("group", ["A", "B"])
def test_candidate_accept_creates_one_draft_contract_from_the_rules(co_hyogo, group):
    placement = _placed(6, arrival_group=group)
    services.placement_accept(by=co_hyogo, placement=placement)
    person = _person(placement)

    contract = services.placement_candidate_accept(by=person, placement=placement)

    year = _year()
    start = year.departure_group_a if group == "A" else year.departure_group_b
    assert Contract.objects.filter(placement=placement).count() == 1
    assert contract.status == Contract.Status.DRAFT
    assert (contract.version, contract.contract_year) == (1, 1)
    assert contract.start_date == start
    assert contract.end_date == datetime.date(start.year + 1, start.month, start.day) - (
        datetime.timedelta(days=1)
    )
    assert contract.remuneration == 3_360_000
    placement.refresh_from_db()
    person.refresh_from_db()
    assert placement.status == Placement.Status.ACCEPTED
    assert person.person_role == PersonRole.PARTICIPANT
    assert _told("placement_accepted", placement, co_hyogo)
    # Both parties see the draft; another organisation does not.
    assert list(selectors.contract_list(user=person)) == [contract]
    assert list(selectors.contract_list(user=co_hyogo, placement=placement)) == [contract]
    sapporo = User.objects.get(username="co.sapporo")
    assert not selectors.contract_list(user=sapporo).filter(pk=contract.pk).exists()
    # Accepting twice does not make a second contract.
    with pytest.raises(DomainError):
        services.placement_candidate_accept(by=person, placement=placement)
    assert Contract.objects.filter(placement=placement).count() == 1


def test_the_candidate_cannot_answer_before_the_organisation():
    placement = _placed(7)
    with pytest.raises(DomainError):
        services.placement_candidate_accept(by=_person(placement), placement=placement)
    assert not Contract.objects.filter(placement=placement).exists()


def test_remuneration_follows_the_contract_year():
    year = _year()
    assert {n: remuneration_for(year, n) for n in range(1, 6)} == SCALE
    with pytest.raises(DomainError):
        remuneration_for(year, 6)


def test_withdrawal_reopens_the_position_and_cancels_the_draft(clair, co_hyogo, embassy_us):
    contract = _draft(8)
    placement = contract.placement
    person = User.objects.get(pk=contract.participant.pk)  # as a new request loads them
    assert person.person_role == PersonRole.PARTICIPANT

    services.placement_withdraw(by=person, placement=placement, reason="Family reasons")

    placement.refresh_from_db()
    contract.refresh_from_db()
    person.refresh_from_db()
    assert placement.status == Placement.Status.WITHDRAWN
    assert contract.status == Contract.Status.CANCELLED
    assert Application.objects.get(pk=placement.application_id).status == "WITHDRAWN"
    assert person.person_role == PersonRole.APPLICANT
    assert _told("placement_withdrawn", placement, embassy_us)
    assert _told("placement_withdrawn", placement, co_hyogo)
    assert selectors.board_positions(user=clair, programme_year=_year()).filter(
        pk=placement.position_id
    )
    other = _candidate(9)
    again = services.placement_confirm(by=clair, application=other, position=placement.position)
    assert again.status == Placement.Status.CONFIRMED
    assert again.position_id == placement.position_id


def test_withdrawing_after_signing_is_refused(co_hyogo):
    contract = services.contract_issue(by=co_hyogo, contract=_draft(10))
    _sign(contract)
    placement = contract.placement
    with pytest.raises(DomainError, match="signed your contract"):
        services.placement_withdraw(by=contract.participant, placement=placement)
    placement.refresh_from_db()
    contract.refresh_from_db()
    assert placement.status == Placement.Status.ACCEPTED
    assert contract.status == Contract.Status.SIGNED
    assert not _told_anyone("placement_withdrawn", placement)


# --- the contract ------------------------------------------------------------------------


def test_signing_goes_in_order(co_hyogo):
    contract = _draft(11)
    person = contract.participant
    with pytest.raises(DomainError, match="organisation has issued"):
        _sign(contract)
    with pytest.raises(DomainError, match="must sign before"):
        services.contract_countersign(by=co_hyogo, contract=contract)

    contract = services.contract_issue(by=co_hyogo, contract=contract)
    assert _told("contract_issued", contract, person)
    with pytest.raises(DomainError, match="must sign before"):
        services.contract_countersign(by=co_hyogo, contract=contract)
    with pytest.raises(DomainError) as wrong_name:
        _sign(contract, typed_name="Someone Else")
    assert wrong_name.value.field == "typed_name"
    assert "Maya Flow11" in wrong_name.value.message
    with pytest.raises(DomainError) as no_agreement:
        _sign(contract, agree=False)
    assert no_agreement.value.field == "agree"
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ISSUED
    assert contract.participant_signature == ""
    assert contract.participant_signed_at is None

    _sign(contract)
    contract = services.contract_countersign(by=co_hyogo, contract=contract)
    assert contract.status == Contract.Status.IN_FORCE
    assert contract.countersigned_by == co_hyogo
    assert _told("contract_signed", contract, co_hyogo)
    assert _told("contract_in_force", contract, person)


def test_signing_records_the_name_time_and_address(co_hyogo):
    contract = services.contract_issue(by=co_hyogo, contract=_draft(12))
    before = timezone.now()
    _sign(contract, typed_name="  maya   FLOW12 ", address="198.51.100.23")
    after = timezone.now()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.SIGNED
    assert contract.participant_signature == "maya FLOW12"
    assert before <= contract.participant_signed_at <= after
    assert contract.participant_address == "198.51.100.23"


def test_a_signed_contract_cannot_be_changed(co_hyogo):
    contract = services.contract_update(by=co_hyogo, contract=_draft(13), hours_per_week=30)
    assert contract.hours_per_week == 30  # a draft can be changed
    contract = services.contract_issue(by=co_hyogo, contract=contract)
    with pytest.raises(DomainError, match="Only a draft"):
        services.contract_update(by=co_hyogo, contract=contract, hours_per_week=25)
    _sign(contract)
    with pytest.raises(DomainError, match="Only a draft"):
        services.contract_update(by=co_hyogo, contract=contract, paid_leave_days=30)

    stored = Contract.objects.get(pk=contract.pk)
    stored.remuneration = 4_000_000
    with pytest.raises(ValueError, match="signed contract"):
        stored.save()
    stored = Contract.objects.get(pk=contract.pk)
    assert stored.remuneration == 3_360_000
    assert stored.hours_per_week == 30
    assert stored.paid_leave_days == 20
    # Its status may still move on (countersigning), its terms may not.
    services.contract_countersign(by=co_hyogo, contract=stored)
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.IN_FORCE


def test_a_new_version_supersedes_the_one_in_force_and_both_are_kept(co_hyogo):
    v1 = _in_force(14)
    person = v1.participant

    v2 = services.contract_new_version(by=co_hyogo, contract=v1)

    assert (v2.version, v2.status) == (2, Contract.Status.DRAFT)
    for term in ("contract_year", "start_date", "end_date", "remuneration", "hours_per_week"):
        assert getattr(v2, term) == getattr(v1, term)
    v2 = services.contract_update(by=co_hyogo, contract=v2, hours_per_week=29)
    v2 = services.contract_issue(by=co_hyogo, contract=v2)
    v1.refresh_from_db()
    assert v1.status == Contract.Status.IN_FORCE  # still in force until v2 is countersigned
    _sign(v2)
    v2 = services.contract_countersign(by=co_hyogo, contract=v2)

    v1.refresh_from_db()
    assert v1.status == Contract.Status.SUPERSEDED
    assert v1.hours_per_week == 35
    assert v2.status == Contract.Status.IN_FORCE
    assert v2.hours_per_week == 29
    assert [(c.version, c.status) for c in selectors.contract_list(user=person)] == [
        (2, Contract.Status.IN_FORCE),
        (1, Contract.Status.SUPERSEDED),
    ]
    with pytest.raises(DomainError, match="latest version"):
        services.contract_new_version(by=co_hyogo, contract=v1)


def test_a_signed_version_replaced_before_countersigning_reads_as_superseded(co_hyogo):
    # The participant signed v1; the organisation changed the terms before countersigning.
    v1 = _sign(services.contract_issue(by=co_hyogo, contract=_draft(20)))
    v2 = services.contract_issue(
        by=co_hyogo, contract=services.contract_new_version(by=co_hyogo, contract=v1)
    )
    v1.refresh_from_db()
    assert v1.status == Contract.Status.SIGNED  # still the latest signed until v2 is in force

    services.contract_countersign(by=co_hyogo, contract=_sign(v2))

    v1.refresh_from_db()
    assert v1.status == Contract.Status.SUPERSEDED
    assert str(v1.status_label) == "Superseded by a new version"


# --- who may act -------------------------------------------------------------------------


def test_another_organisation_and_a_stranger_cannot_act(co_hyogo, co_sapporo, applicant):
    placement = _placed(15)
    with pytest.raises(PermissionDenied, match="not your organisation's"):
        services.placement_accept(by=co_sapporo, placement=placement)
    with pytest.raises(PermissionDenied, match="not your organisation's"):
        services.placement_decline(by=co_sapporo, placement=placement, reason="Ours now")
    placement.refresh_from_db()
    assert placement.status == Placement.Status.CONFIRMED

    services.placement_accept(by=co_hyogo, placement=placement)
    with pytest.raises(PermissionDenied, match="Only the candidate answers their placement"):
        services.placement_candidate_accept(by=applicant, placement=placement)
    contract = services.placement_candidate_accept(by=_person(placement), placement=placement)
    with pytest.raises(PermissionDenied, match="not your organisation's"):
        services.contract_issue(by=co_sapporo, contract=contract)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.DRAFT

    services.contract_issue(by=co_hyogo, contract=contract)
    with pytest.raises(PermissionDenied, match="Only the participant signs their contract"):
        services.contract_sign(
            by=applicant,
            contract=contract,
            typed_name=applicant.get_full_name(),
            agree=True,
            address="203.0.113.9",
        )
    with pytest.raises(PermissionDenied, match="Only the candidate answers their placement"):
        services.placement_withdraw(by=applicant, placement=placement)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ISSUED
    assert not selectors.contract_list(user=applicant).filter(pk=contract.pk).exists()


# --- placing by hand ---------------------------------------------------------------------


def test_a_hand_placement_breaking_a_hard_requirement_is_refused(clair, co_hyogo):
    candidate = _candidate(16, driving_licence="AUTOMATIC", japanese_level="N5")
    manual = _position(co_hyogo, driving_licence_required="MANUAL")
    with pytest.raises(DomainError) as refused:
        services.placement_confirm(by=clair, application=candidate, position=manual)
    assert refused.value.message == (
        "The position needs a manual licence; the candidate has an automatic licence."
    )
    both = _position(co_hyogo, driving_licence_required="MANUAL", min_japanese_level="N3")
    assert services.placement_requirements_unmet(candidate, both) == [
        "The position needs a manual licence; the candidate has an automatic licence.",
        "The position needs Japanese at JLPT N3; the candidate has JLPT N5.",
    ]
    assert not Placement.objects.filter(application=candidate).exists()
    # An automatic-only position takes the same candidate.
    automatic = _position(co_hyogo, driving_licence_required="AUTOMATIC")
    assert services.placement_requirements_unmet(candidate, automatic) == []
    assert services.placement_confirm(by=clair, application=candidate, position=automatic)


def test_a_soft_mismatch_is_a_warning_not_a_refusal(clair, co_hyogo, co_sapporo):
    urban_kobe = _position(co_hyogo, location="URBAN")
    wishes_tokyo_rural = _candidate(17, preference_1="13", location_preference="RURAL")
    assert services.placement_warnings(wishes_tokyo_rural, urban_kobe) == [
        "Meets none of the candidate's preferences (Tokyo).",
        "The candidate wished for Rural; the position is Urban.",
    ]
    wishes_hyogo_urban = _candidate(18, preference_1="28", location_preference="URBAN")
    assert services.placement_warnings(wishes_hyogo_urban, urban_kobe) == []

    # A partner already placed in another prefecture is a warning too.
    partner = _candidate(19, preference_1="01")
    Application.objects.filter(pk=wishes_hyogo_urban.pk).update(partner=partner)
    wishes_hyogo_urban.refresh_from_db()
    sapporo = _position(co_sapporo, base="Sapporo North High School", municipality="Sapporo")
    services.placement_confirm(by=clair, application=partner, position=sapporo)
    assert services.placement_warnings(wishes_hyogo_urban, urban_kobe) == [
        "The partner (FLOW-19) is placed in another prefecture."
    ]

    placement = services.placement_confirm(
        by=clair, application=wishes_tokyo_rural, position=urban_kobe
    )
    assert placement.status == Placement.Status.CONFIRMED
    assert _told("placement_offered", placement, co_hyogo)
