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

from django.db.models import Exists, OuterRef, QuerySet, Value
from django.http import Http404

from apps.core import access
from apps.core.models import ContractingType, Organisation, User
from apps.placement.models import Placement
from apps.support.models import SupportCase, SupportMessage

QUEUE, MINE = "queue", "mine"


def counsellor_list() -> QuerySet[User]:
    """CLAIR's active counsellors, to assign a case to."""
    return access.people_allowed("counsel", SupportCase).order_by(
        "last_name", "first_name", "username"
    )


def advisor_list(*, organisation: Organisation) -> QuerySet[User]:
    """The prefectural advisors of `organisation`: whom a shared summary is shown to."""
    return (
        access.people_allowed("read_shared", SupportCase)
        .filter(membership__organisation=organisation)
        .order_by("last_name", "first_name", "username")
    )


def _may(user: User, action: str):
    """Whether `user` may do `action` on each row, as an annotation (one query for a
    whole list instead of one per row)."""
    if not access.allowed(user, action, SupportCase):
        return Value(False)
    return Exists(access.restrict(SupportCase.objects.filter(pk=OuterRef("pk")), user, action))


def support_case_list(
    *, user: User, scope: str | None = None, q: str = "", reads: bool = True
) -> QuerySet:
    """The cases `user` may see, each with `reads_thread` (unless `reads` is False: a
    page then learns it after it is read, `reads_thread_attach`). `scope` narrows a
    counsellor's list to "queue" (new and unassigned) or "mine" (assigned to them); `q`
    searches the subject within what the user may see, and never beyond it."""
    cases = access.restrict(
        SupportCase.objects.select_related("participant", "assigned_to", "host_organisation"),
        user,
        "view",
    )
    if scope in (QUEUE, MINE) and access.allowed(user, "counsel", SupportCase):
        if scope == QUEUE:
            cases = cases.filter(status=SupportCase.Status.NEW, assigned_to__isnull=True)
        else:
            cases = cases.filter(assigned_to=user)
    q = (q or "").strip()[:100]
    if q:
        cases = cases.filter(subject__icontains=q)
    return cases.annotate(reads_thread=_may(user, "thread")) if reads else cases


def reads_thread_attach(cases, *, user: User) -> list[SupportCase]:
    """`reads_thread` set on a page of cases already read, by one query over the page's
    keys. As an annotation, its EXISTS made the list's query one Django compiles anew for
    every call (query_shapes keeps plain ones only): a third of a participant's list call,
    in one process."""
    cases = list(cases)
    reads = set()
    if cases and access.allowed(user, "thread", SupportCase):
        keys = [case.pk for case in cases]
        reads = set(
            access.restrict(SupportCase.objects.filter(pk__in=keys), user, "thread")
            .order_by()
            .values_list("pk", flat=True)
        )
    for case in cases:
        case.reads_thread = case.pk in reads
    return cases


def support_case_get(*, user: User, pk) -> SupportCase:
    try:
        return support_case_list(user=user).get(pk=pk)
    except (SupportCase.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def sees_thread(user: User, case: SupportCase) -> bool:
    """The participant and counsellors read the messages; an advisor the summary only."""
    reads = getattr(case, "reads_thread", None)
    return access.can(user, "thread", case) if reads is None else reads


def support_message_list(*, user: User, case: SupportCase) -> QuerySet[SupportMessage]:
    """The thread of a case: counsellors every message and note, the participant the
    messages without the internal notes, anyone else nothing."""
    return access.restrict(
        SupportMessage.objects.filter(case=case).select_related("author"), user, "view"
    )


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
    if access.allowed(user, "counsel", SupportCase):
        return {
            QUEUE: support_case_list(user=user, scope=QUEUE).count(),
            MINE: support_case_list(user=user, scope=MINE)
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
    advisors = access.people_allowed("read_shared", SupportCase)
    candidates = Organisation.objects.filter(
        contracting_type=ContractingType.PREFECTURE,
        prefecture_id=prefecture_id,
        pk__in=advisors.values("membership__organisation_id"),
    ).order_by("pk")
    own = placement.position.organisation
    return candidates.filter(pk=own.pk).first() or candidates.first()


def support_waiting_counts(*, user: User) -> dict[str, int]:
    """The support cases that wait on the user, in one query: `queue` (new cases nobody
    has taken, for a counsellor), `mine` (a counsellor's own open cases not waiting for
    the participant), `shared` (open summaries shared with a prefectural advisor) and
    `reply` (a participant's cases waiting for their reply). Zero where the user has no
    such duty: the counts never tell that someone else's case exists."""
    from django.db.models import Count, Q

    status = SupportCase.Status
    duties = {
        # action on the case -> {count: which of those cases}
        "counsel": {
            "queue": Q(status=status.NEW, assigned_to__isnull=True),
            "mine": Q(assigned_to=user.pk) & ~Q(status__in=(status.CLOSED, status.WAITING)),
        },
        "read_shared": {"shared": Q(shared_at__isnull=False) & ~Q(status=status.CLOSED)},
        "write": {"reply": Q(status=status.WAITING)},
    }
    counts = dict.fromkeys(("queue", "mine", "shared", "reply"), 0)
    aggregates = {}
    for action, wanted in duties.items():
        if not access.allowed(user, action, SupportCase):
            continue
        rows = Q(pk__in=access.restrict(SupportCase.objects.all(), user, action).values("pk"))
        for key, which in wanted.items():
            aggregates[key] = Count("pk", filter=rows & which)
    if aggregates:
        counts.update(SupportCase.objects.aggregate(**aggregates))
    return counts
