"""A safety check through its services: who is asked, the personal link, answers and
their history, reminders, assignment, answers on a participant's behalf, closing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from apps.core.errors import DomainError
from apps.notifications.models import Notification
from apps.safety import rules, services
from apps.safety.models import SafetyAnswer, SafetyCheck
from apps.safety.tasks import safety_reminders_send
from tests.safety.conftest import HOKKAIDO, HYOGO, answer_of, start

pytestmark = pytest.mark.django_db
SAFE, NEED_HELP = SafetyAnswer.Status.SAFE, SafetyAnswer.Status.NEED_HELP


def _notices(check, kind):
    return Notification.objects.filter(kind=kind, context__check=check.pk)


# --- starting ------------------------------------------------------------------------------


def test_everyone_placed_in_the_prefectures_is_asked_once_with_their_own_link(clair):
    check = start(clair, codes=(HYOGO,))
    people = set(check.answers.values_list("participant__username", flat=True))
    assert people == {"participant", "jet.thomas.whitfield"}
    notices = list(_notices(check, "safety_check_started").select_related("recipient"))
    assert {n.recipient.username for n in notices} == people
    links = {n.recipient.username: n.context["link"] for n in notices}
    sarah = answer_of(check, "participant")
    assert links["participant"].endswith(f"/safety/answer/{sarah.token}/")
    assert links["participant"] != links["jet.thomas.whitfield"]
    assert len(sarah.token) >= 43
    assert notices[0].context["title_ja"] == "兵庫県の地震"


def test_answers_copy_where_each_is_placed_and_their_country(clair):
    check = start(clair, codes=(HYOGO, HOKKAIDO))
    rows = {
        a.participant.username: (a.organisation.name_en, a.prefecture_id, a.country_id)
        for a in check.answers.select_related("participant", "organisation")
    }
    assert rows["participant"] == ("Hyogo Prefectural Board of Education", "28", "US")
    assert rows["jet.thomas.whitfield"] == ("Kobe City Board of Education", "28", "GB")
    assert rows["jet.hannah.price"] == ("Sapporo City Board of Education", "01", "US")
    assert "jet.maria.santos" not in rows  # Fukuoka was not struck


def test_a_participant_whose_contract_has_ended_is_not_asked(clair, participant):
    from apps.placement.models import Contract

    Contract.objects.filter(placement__application__applicant=participant).update(
        end_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    check = start(clair)
    assert not check.answers.filter(participant=participant).exists()


@pytest.mark.parametrize("username", ["co_hyogo", "mofa", "mic", "participant"])
def test_only_clair_starts_a_check(request, username):
    before = SafetyCheck.objects.count()
    with pytest.raises(PermissionDenied, match="Only CLAIR runs safety checks"):
        start(request.getfixturevalue(username))
    assert SafetyCheck.objects.count() == before


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"codes": ()}, "prefectures", "Choose one or more prefectures."),
        ({"codes": ("99",)}, "prefectures", "Choose one or more prefectures."),
        ({"title_en": "  "}, "title_en", "Give the check a title in English."),
        ({"message_en": ""}, "message_en", "Write the message in English."),
        ({"kind": "ALIENS"}, "kind", "Choose what happened."),
        ({"remind_every_hours": 0}, "remind_every_hours", "Remind every 1 to 48 hours."),
    ],
)
def test_bad_input_is_refused_with_its_message_and_saves_nothing(clair, fields, field, message):
    checks, notices = SafetyCheck.objects.count(), Notification.objects.count()
    with pytest.raises(DomainError) as caught:
        start(clair, **fields)
    assert (caught.value.field, caught.value.message) == (field, message)
    assert SafetyCheck.objects.count() == checks
    assert Notification.objects.count() == notices


# --- the personal link -----------------------------------------------------------------------


def test_a_link_answers_for_its_own_participant_only(check):
    sarah, thomas = answer_of(check, "participant"), answer_of(check, "jet.thomas.whitfield")
    rules.answer_by_link(token=sarah.token, status=SAFE, note="At home", location="Kobe")
    sarah.refresh_from_db()
    thomas.refresh_from_db()
    assert (sarah.status, sarah.note, sarah.location) == (SAFE, "At home", "Kobe")
    assert sarah.recorded_by == sarah.participant
    assert thomas.status == ""


def test_an_unknown_token_is_not_found(check):
    with pytest.raises(Http404):
        rules.answer_by_link(token="not-a-token", status=SAFE)
    assert not check.answers.exclude(status="").exists()


def test_answering_twice_keeps_the_latest_and_the_history(check):
    sarah = answer_of(check, "participant")
    rules.answer_by_link(token=sarah.token, status=NEED_HELP, note="Water is out")
    rules.answer_by_link(token=sarah.token, status=SAFE, note="Water is back")
    sarah.refresh_from_db()
    assert (sarah.status, sarah.note) == (SAFE, "Water is back")
    history = list(sarah.history.order_by("history_date").values_list("status", "note"))
    assert history == [(NEED_HELP, "Water is out"), (SAFE, "Water is back")]


@pytest.mark.parametrize(
    ("status", "note", "location", "field"),
    [
        ("", "", "", "status"),
        ("MAYBE", "", "", "status"),
        (SAFE, "x" * 2001, "", "note"),
        (SAFE, "", "y" * 301, "location"),
    ],
)
def test_a_bad_answer_is_refused_and_nothing_is_stored(check, status, note, location, field):
    sarah = answer_of(check, "participant")
    with pytest.raises(DomainError) as caught:
        rules.answer_by_link(token=sarah.token, status=status, note=note, location=location)
    assert caught.value.field == field
    sarah.refresh_from_db()
    assert sarah.status == ""
    assert sarah.history.count() == 0


def test_need_help_tells_the_organisation_once(check):
    sarah = answer_of(check, "participant")
    rules.answer_by_link(token=sarah.token, status=NEED_HELP)
    rules.answer_by_link(token=sarah.token, status=NEED_HELP, note="still")
    notices = Notification.objects.filter(
        kind="safety_need_help", key__startswith=f"safety_need_help:{sarah.pk}:"
    )
    assert {n.recipient.username for n in notices} == {"co.hyogo", "co.hyogo.advisor"}


# --- closing ---------------------------------------------------------------------------------


def test_closing_freezes_every_way_of_answering(check, clair, co_hyogo):
    sarah = answer_of(check, "participant")
    rules.answer_by_link(token=sarah.token, status=SAFE)
    services.safety_check_close(by=clair, check=check)
    with pytest.raises(rules.CheckClosedError):
        rules.answer_by_link(token=sarah.token, status=NEED_HELP)
    with pytest.raises(rules.CheckClosedError):
        services.safety_answer_record(by=co_hyogo, answer=sarah, status=NEED_HELP)
    with pytest.raises(rules.CheckClosedError):
        services.safety_check_close(by=clair, check=check)
    with pytest.raises(rules.CheckClosedError):
        services.safety_check_remind(by=clair, check=check)
    sarah.refresh_from_db()
    assert sarah.status == SAFE
    assert sarah.history.count() == 1
    check.refresh_from_db()
    assert check.state == SafetyCheck.State.CLOSED
    assert check.closed_by == clair


def test_only_clair_closes(check, co_hyogo):
    with pytest.raises(PermissionDenied):
        services.safety_check_close(by=co_hyogo, check=check)
    check.refresh_from_db()
    assert check.is_open


# --- reminders -------------------------------------------------------------------------------


def _reminded(check) -> list[str]:
    return sorted(
        _notices(check, "safety_check_reminder").values_list("recipient__username", flat=True)
    )


def test_reminders_go_every_interval_to_those_who_have_not_answered(check):
    start_ = check.started_at
    assert (
        rules.reminders_send(check=check, now=start_ + datetime.timedelta(hours=2, minutes=59)) == 0
    )
    rules.answer_by_link(token=answer_of(check, "participant").token, status=SAFE)
    rules.reminders_send(now=start_ + datetime.timedelta(hours=3, minutes=1))
    assert _reminded(check) == ["jet.thomas.whitfield"]
    # The scheduler runs often: the same interval sends nothing twice.
    rules.reminders_send(now=start_ + datetime.timedelta(hours=5))
    assert _reminded(check) == ["jet.thomas.whitfield"]
    rules.reminders_send(now=start_ + datetime.timedelta(hours=6))
    assert _reminded(check) == ["jet.thomas.whitfield", "jet.thomas.whitfield"]
    reminder = _notices(check, "safety_check_reminder").first()
    assert reminder.context["link"].endswith(
        f"/safety/answer/{answer_of(check, 'jet.thomas.whitfield').token}/"
    )


def test_reminders_stop_after_answering(check):
    rules.answer_by_link(token=answer_of(check, "participant").token, status=NEED_HELP)
    rules.answer_by_link(token=answer_of(check, "jet.thomas.whitfield").token, status=SAFE)
    assert (
        rules.reminders_send(check=check, now=check.started_at + datetime.timedelta(hours=9)) == 0
    )
    assert _reminded(check) == []


def test_reminders_stop_after_closing(check, clair):
    services.safety_check_close(by=clair, check=check)
    assert (
        rules.reminders_send(check=check, now=check.started_at + datetime.timedelta(hours=9)) == 0
    )
    assert _reminded(check) == []


def test_the_periodic_task_sends_the_reminders(check):
    SafetyCheck.objects.filter(pk=check.pk).update(
        started_at=timezone.now() - datetime.timedelta(hours=3, minutes=5)
    )
    safety_reminders_send()
    assert _reminded(check) == ["jet.thomas.whitfield", "participant"]


def test_clair_reminds_by_hand_once_an_hour(check, clair):
    now = timezone.now()
    assert services.safety_check_remind(by=clair, check=check, now=now) == 2
    assert services.safety_check_remind(by=clair, check=check, now=now) == 0
    later = now + datetime.timedelta(hours=1)
    assert services.safety_check_remind(by=clair, check=check, now=later) == 2


# --- assignment and answers on behalf ----------------------------------------------------


def test_a_participant_who_needs_help_is_assigned_to_clair_staff(check, clair, clair_manager):
    sarah = answer_of(check, "participant")
    with pytest.raises(DomainError, match="Only a participant who needs help"):
        services.safety_answer_assign(by=clair, answer=sarah, assignee=clair_manager)
    rules.answer_by_link(token=sarah.token, status=NEED_HELP, note="Injured")
    services.safety_answer_assign(by=clair, answer=sarah, assignee=clair_manager)
    sarah.refresh_from_db()
    assert sarah.assigned_to == clair_manager
    notice = Notification.objects.get(kind="safety_help_assigned", recipient=clair_manager)
    assert notice.context["participant"] == "Sarah O'Connor"


def test_only_clair_staff_are_assigned_and_only_by_clair(check, clair, co_hyogo):
    sarah = answer_of(check, "participant")
    rules.answer_by_link(token=sarah.token, status=NEED_HELP)
    with pytest.raises(DomainError, match="member of CLAIR's staff"):
        services.safety_answer_assign(by=clair, answer=sarah, assignee=co_hyogo)
    with pytest.raises(PermissionDenied, match="Only CLAIR"):
        services.safety_answer_assign(by=co_hyogo, answer=sarah, assignee=clair)
    sarah.refresh_from_db()
    assert sarah.assigned_to is None


def test_the_organisation_records_an_answer_on_behalf_and_who_is_kept(check, co_hyogo):
    sarah = answer_of(check, "participant")
    services.safety_answer_record(
        by=co_hyogo, answer=sarah, status=SAFE, note="Phoned her", location="School"
    )
    sarah.refresh_from_db()
    assert (sarah.status, sarah.recorded_by, sarah.location) == (SAFE, co_hyogo, "School")
    assert sarah.history.get().history_user == co_hyogo


def test_another_organisation_cannot_answer_for_someone_not_theirs(check, co_sapporo, co_hyogo):
    thomas = answer_of(check, "jet.thomas.whitfield")  # Kobe City's, not Hyogo Prefecture's
    for by in (co_sapporo, co_hyogo):
        with pytest.raises(PermissionDenied, match="Only the participant's organisation"):
            services.safety_answer_record(by=by, answer=thomas, status=SAFE)
    thomas.refresh_from_db()
    assert thomas.status == ""
