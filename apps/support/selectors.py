"""Reads on confidential support (counselling) cases, the same for pages and API.

Who sees a case at all:
- the participant who opened it: the case and its thread, never the internal notes;
- CLAIR staff with the counsellor duty: the queue (new cases nobody has taken) and the
  cases assigned to them, with every message and internal note;
- the prefectural advisor of the organisation a participant shared the case with: the
  shared summary, the category and the status only.
Everyone else (other CLAIR staff, the participant's organisation, missions, ministries)
gets an empty queryset: a case they ask for by id is a 404, the same as one that does not
exist, and it is in none of their lists or counts.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from apps.core.models import ContractingType, Kind, Membership, Organisation, User
from apps.placement.models import Placement
from apps.support.models import SupportCase, SupportMessage


def is_counsellor(user: User) -> bool:
    membership = getattr(user, "membership_or_none", None) if user.is_authenticated else None
    return bool(membership and membership.counsellor and membership.organisation.kind == Kind.CLAIR)


def is_advisor(user: User) -> bool:
    membership = getattr(user, "membership_or_none", None) if user.is_authenticated else None
    return bool(
        membership
        and membership.prefectural_advisor
        and membership.organisation.kind == Kind.CONTRACTING
    )


def is_participant(user: User) -> bool:
    return user.is_authenticated and user.kind == Kind.PARTICIPANT


def counsellor_list() -> QuerySet[User]:
    """CLAIR's active counsellors, to assign a case to."""
    return User.objects.filter(
        is_active=True, membership__counsellor=True, membership__organisation__kind=Kind.CLAIR
    ).order_by("last_name", "first_name", "username")


def advisor_list(*, organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        membership__organisation=organisation,
        membership__prefectural_advisor=True,
    ).order_by("last_name", "first_name", "username")


def support_case_list(*, user: User, scope: str | None = None, q: str = "") -> QuerySet:
    """The cases `user` may see. `scope` narrows a counsellor's list to "queue" (new and
    unassigned) or "mine" (assigned to them); `q` searches the subject within what the
    user may see, and never beyond it."""
    cases = SupportCase.objects.select_related("participant", "assigned_to", "host_organisation")
    if not user.is_authenticated:
        return cases.none()
    if is_participant(user):
        cases = cases.filter(participant=user)
    elif is_counsellor(user):
        queue = Q(status=SupportCase.Status.NEW, assigned_to__isnull=True)
        mine = Q(assigned_to=user)
        if scope == "queue":
            cases = cases.filter(queue)
        elif scope == "mine":
            cases = cases.filter(mine)
        else:
            cases = cases.filter(queue | mine)
    elif is_advisor(user):
        cases = cases.filter(host_organisation_id=user.organisation.pk, shared_at__isnull=False)
    else:
        return cases.none()
    q = (q or "").strip()[:100]
    if q:
        cases = cases.filter(subject__icontains=q)
    return cases


def support_case_get(*, user: User, pk) -> SupportCase:
    try:
        return support_case_list(user=user).get(pk=pk)
    except (SupportCase.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def sees_thread(user: User, case: SupportCase) -> bool:
    """The participant and counsellors read the messages; an advisor the summary only."""
    return case.participant_id == user.pk or is_counsellor(user)


def support_message_list(*, user: User, case: SupportCase) -> QuerySet[SupportMessage]:
    """The thread of a case `user` may see: counsellors every message and note, the
    participant the messages without the internal notes, anyone else nothing."""
    messages = SupportMessage.objects.filter(case=case).select_related("author")
    if is_counsellor(user) and support_case_list(user=user).filter(pk=case.pk).exists():
        return messages
    if case.participant_id == user.pk:
        return messages.filter(internal=False)
    return messages.none()


def support_message_get(*, user: User, case_pk, pk) -> SupportMessage:
    """One message of a case, for its attachment: 404 unless `user` may read it."""
    case = support_case_get(user=user, pk=case_pk)
    try:
        return support_message_list(user=user, case=case).get(pk=pk)
    except (SupportMessage.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def support_counts(*, user: User) -> dict[str, int]:
    """A counsellor's queue and own open cases; a participant's open cases; for anyone
    else zero (the counts must not tell that a case exists)."""
    if is_counsellor(user):
        return {
            "queue": support_case_list(user=user, scope="queue").count(),
            "mine": support_case_list(user=user, scope="mine")
            .exclude(status=SupportCase.Status.CLOSED)
            .count(),
        }
    return {
        "open": support_case_list(user=user).exclude(status=SupportCase.Status.CLOSED).count(),
    }


def host_organisation_for(participant: User) -> Organisation | None:
    """The prefectural contracting organisation of the prefecture where the participant
    is placed, if it has a prefectural advisor: the one a case can be shared with. Their
    own organisation first, when it is that prefecture's."""
    placement = (
        Placement.objects.filter(application__applicant=participant, status__in=Placement.ACTIVE)
        .select_related("position__organisation")
        .order_by("-pk")
        .first()
    )
    if placement is None:
        return None
    prefecture_id = (
        placement.position.prefecture_id or placement.position.organisation.prefecture_id
    )
    advisors = Membership.objects.filter(prefectural_advisor=True, user__is_active=True)
    candidates = Organisation.objects.filter(
        kind=Kind.CONTRACTING,
        contracting_type=ContractingType.PREFECTURE,
        prefecture_id=prefecture_id,
        pk__in=advisors.values("organisation_id"),
    ).order_by("pk")
    own = placement.position.organisation
    return candidates.filter(pk=own.pk).first() or candidates.first()
