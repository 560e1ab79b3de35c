"""Reads of safety checks, the same for pages, API and exports.

Who sees what:
- CLAIR: every check and every answer;
- a contracting organisation: the checks its participants are in, and their answers;
- a mission (embassy or consulate): the checks its country's nationals are in, and
  their answers;
- MOFA headquarters: every check, with counts by country only (no answer, no name);
- everyone else (MIC, MEXT, participants, applicants): nothing; a check or answer they
  ask for by id is a 404, the same as one that does not exist.
"""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from apps.core.models import Kind, User
from apps.safety.models import SafetyAnswer, SafetyCheck

READERS = (Kind.CLAIR, Kind.CONTRACTING, Kind.MISSION, Kind.MOFA)
# Who may see participants' names and answers (MOFA HQ sees counts only).
NAME_READERS = (Kind.CLAIR, Kind.CONTRACTING, Kind.MISSION)
UNANSWERED, SAFE, NEED_HELP = (
    SafetyAnswer.Status.UNANSWERED,
    SafetyAnswer.Status.SAFE,
    SafetyAnswer.Status.NEED_HELP,
)


def _kind(user) -> str | None:
    return getattr(user, "kind", None) if user is not None and user.is_authenticated else None


def sees_names(user: User) -> bool:
    return _kind(user) in NAME_READERS


def _answer_scope(user: User) -> dict | None:
    """The answers a reader may see, as filter arguments ({} for all); None for nobody."""
    kind = _kind(user)
    if kind == Kind.CLAIR:
        return {}
    if kind == Kind.CONTRACTING:
        return {"organisation_id": user.organisation.pk}
    if kind == Kind.MISSION and user.organisation.country_id:
        return {"country_id": user.organisation.country_id}
    return None


def _count_scope(user: User) -> dict | None:
    """The answers a reader may count: what they see, and for MOFA HQ every answer."""
    if _kind(user) == Kind.MOFA:
        return {}
    return _answer_scope(user)


def check_list(*, user: User, state: str | None = None) -> QuerySet[SafetyCheck]:
    """The checks `user` may see, each with the counts of the answers they may count
    (`total`, `safe`, `need_help`, `unanswered`), in one query."""
    checks = SafetyCheck.objects.all()
    scope = _count_scope(user)
    if scope is None:
        return checks.none()
    if scope:
        checks = checks.filter(
            Exists(SafetyAnswer.objects.filter(safety_check=OuterRef("pk"), **scope))
        )
    if state in SafetyCheck.State.values:
        checks = checks.filter(state=state)

    def within(extra: Q | None = None) -> Q:
        condition = Q(**{f"answers__{k}": v for k, v in scope.items()})
        return condition & extra if extra is not None else condition

    return (
        checks.prefetch_related("prefectures")
        .annotate(
            total=Count("answers", filter=within()),
            safe=Count("answers", filter=within(Q(answers__status=SAFE))),
            need_help=Count("answers", filter=within(Q(answers__status=NEED_HELP))),
            unanswered=Count("answers", filter=within(Q(answers__status=UNANSWERED))),
        )
        # An aggregate drops the model's default order; pages and the API need one.
        .order_by("-started_at", "-pk")
    )


def check_get(*, user: User, pk) -> SafetyCheck:
    try:
        return check_list(user=user).get(pk=pk)
    except (SafetyCheck.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def answer_list(
    *, user: User, check: SafetyCheck | None = None, status: str | None = None
) -> QuerySet[SafetyAnswer]:
    """The answers `user` may read (with names), of one check or of all."""
    answers = SafetyAnswer.objects.select_related(
        "participant",
        "organisation",
        "prefecture",
        "country",
        "recorded_by",
        "assigned_to",
        "safety_check",
    )
    scope = _answer_scope(user)
    if scope is None:
        return answers.none()
    answers = answers.filter(**scope)
    if check is not None:
        answers = answers.filter(safety_check=check)
    if status is not None and status in SafetyAnswer.Status.values:
        answers = answers.filter(status=status)
    return answers.order_by(
        "prefecture_id", "organisation__name_en", "participant__last_name", "pk"
    )


def answer_get(*, user: User, pk) -> SafetyAnswer:
    try:
        return answer_list(user=user).get(pk=pk)
    except (SafetyAnswer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def counts_by_country(*, user: User, check: SafetyCheck) -> list[dict]:
    """Per country: how many are in the check, safe, need help, have not answered. No
    names; MOFA HQ's whole view of a check."""
    scope = _count_scope(user)
    if scope is None:
        return []
    rows = (
        SafetyAnswer.objects.filter(safety_check=check, **scope)
        .order_by()
        .values("country_id", "country__name_en", "country__name_ja")
        .annotate(
            total=Count("pk"),
            safe=Count("pk", filter=Q(status=SAFE)),
            need_help=Count("pk", filter=Q(status=NEED_HELP)),
            unanswered=Count("pk", filter=Q(status=UNANSWERED)),
        )
        .order_by("country__name_en")
    )
    return list(rows)


def board(*, user: User, check: SafetyCheck) -> dict:
    """The live board: the reader's answers grouped by prefecture and organisation, the
    need-help answers first, and the totals; a fixed number of queries whatever the size."""
    answers = list(answer_list(user=user, check=check))
    totals = {"total": len(answers), "safe": 0, "need_help": 0, "unanswered": 0}
    key = {SAFE: "safe", NEED_HELP: "need_help", UNANSWERED: "unanswered"}
    prefectures: list[dict] = []
    for answer in answers:
        totals[key[answer.status]] += 1
        if not prefectures or prefectures[-1]["prefecture"].pk != answer.prefecture_id:
            prefectures.append({"prefecture": answer.prefecture, "organisations": []})
        organisations = prefectures[-1]["organisations"]
        if not organisations or organisations[-1]["organisation"].pk != answer.organisation_id:
            organisations.append(
                {"organisation": answer.organisation, "answers": [], "unanswered": 0}
            )
        organisations[-1]["answers"].append(answer)
        organisations[-1]["unanswered"] += answer.status == UNANSWERED
    return {
        "totals": totals,
        "need_help": [a for a in answers if a.status == NEED_HELP],
        "prefectures": prefectures,
    }


def clair_staff() -> QuerySet[User]:
    """CLAIR's active staff, to give a participant who needs help to."""
    return User.objects.filter(is_active=True, membership__organisation__kind=Kind.CLAIR).order_by(
        "last_name", "first_name", "username"
    )
