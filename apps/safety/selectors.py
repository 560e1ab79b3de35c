"""Reads of safety checks, the same for pages, API and exports.

Who sees what:
- CLAIR: every check and every answer;
- a contracting organisation: the checks its participants are in, and their answers;
- a mission (embassy or consulate): the checks its country's nationals are in, and
  their answers;
- MOFA headquarters: every check, with counts by country only (no answer, no name), and
  those counts hide their small cells (`counts_protect`): "Japan, need help: 1" would
  point at a person;
- everyone else (MIC, MEXT, participants, applicants): nothing; a check or answer they
  ask for by id is a 404, the same as one that does not exist.
"""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from apps.core import access
from apps.core.disclosure import Table
from apps.core.loading import linked_keys
from apps.core.models import Prefecture, User
from apps.safety import rules
from apps.safety.models import SafetyAnswer, SafetyCheck

UNANSWERED, SAFE, NEED_HELP = (
    SafetyAnswer.Status.UNANSWERED,
    SafetyAnswer.Status.SAFE,
    SafetyAnswer.Status.NEED_HELP,
)


def sees_names(user: User) -> bool:
    """Whether the user reads answers with names (MOFA headquarters counts only)."""
    return access.allowed(user, "view", SafetyAnswer)


def checks_visible(*, user: User, state: str | None = None) -> QuerySet[SafetyCheck]:
    """The checks `user` may see, without counts, newest first: what an action on one
    check reads (its answers, its countries, closing it), where `check_list`'s counts
    over every answer of the check cost more than the page of answers itself; and a
    page of the API's list, which counts its own checks after (`counts_attach`)."""
    checks = access.restrict(SafetyCheck.objects.all(), user, "view")
    if state in SafetyCheck.State.values:
        checks = checks.filter(state=state)
    return checks.order_by("-started_at", "-pk")


def counts_attach(checks, *, user: User) -> list[SafetyCheck]:
    """`check_list`'s counts, set on a page of checks already read, by one query over
    the page's keys grouped by check; and each check's prefecture codes (`prefecture_codes`)
    from the link table. As annotations, the four counts of every visible check were
    compiled and aggregated before the page was cut."""
    checks = list(checks)
    keys = [check.pk for check in checks]
    codes = linked_keys(SafetyCheck.prefectures, keys)
    counts = {(key, field): 0 for key in keys for field in ("total", *COUNTS)}
    if keys:
        # Grouped by status with one COUNT: four filtered COUNTs took Django longer to
        # build and compile than PostgreSQL took to run them (0.78 ms to 0.50 a call).
        by_status = (
            access.restrict(SafetyAnswer.objects.all(), user, "count")
            .filter(safety_check__in=keys)
            .order_by()
            .values_list("safety_check", "status")
            .annotate(answers=Count("pk"))
        )
        for key, status, answers in by_status:
            counts[key, "total"] += answers
            if status in _COUNTED:
                counts[key, _COUNTED[status]] += answers
    for check in checks:
        for field in ("total", *COUNTS):
            setattr(check, field, counts[check.pk, field])
        check.prefecture_codes = sorted(codes[check.pk])
    return checks


def check_list(*, user: User, state: str | None = None) -> QuerySet[SafetyCheck]:
    """The checks `user` may see, each with the counts of the answers they may count
    (`total`, `safe`, `need_help`, `unanswered`), in one query."""
    checks = checks_visible(user=user, state=state)
    counted = Q(answers__in=access.restrict(SafetyAnswer.objects.all(), user, "count"))

    def within(extra: Q | None = None) -> Q:
        return counted & extra if extra is not None else counted

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
        check = check_list(user=user).get(pk=pk)
    except (SafetyCheck.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    counts_protect([check], user=user)
    return check


COUNTS = ("safe", "need_help", "unanswered")
_COUNTED = {SAFE: "safe", NEED_HELP: "need_help", UNANSWERED: "unanswered"}


def counts_protect(rows, *, user: User, totals=None) -> None:
    """For a reader who sees no names (MOFA headquarters), the small-cell rule over the
    rows' counts (checks from `check_list`, or `counts_by_country`'s rows), changed in
    place: each row's participants split three ways and, given `totals` (the check's,
    which the list of checks shows), each column adding up to it. Readers who see the
    answers by name get exact counts."""
    if sees_names(user):
        return
    table = Table()
    for row in (*rows, *([totals] if totals is not None else [])):
        table.sum(table.count(row, "total"), table.counts(row, COUNTS))
    if totals is not None:
        for field in ("total", *COUNTS):
            table.sum(table.count(totals, field), [table.count(row, field) for row in rows])
    table.protect()


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
    answers = access.restrict(answers, user, "view")
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
    names; MOFA HQ's whole view of a check, so for MOFA the small cells are hidden, the
    countries adding up to the check's totals that its list shows."""
    rows = (
        access.restrict(SafetyAnswer.objects.all(), user, "count")
        .filter(safety_check=check)
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
    rows = list(rows)
    totals = {field: sum(row[field] for row in rows) for field in ("total", *COUNTS)}
    counts_protect(rows, user=user, totals=totals)
    return rows


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
    """Whom a participant who needs help may be given to: CLAIR's active staff, by the
    access rule."""
    return access.people_allowed("assign", SafetyAnswer).order_by(
        "last_name", "first_name", "username"
    )


def checks_needing_help(*, user: User) -> list[SafetyCheck]:
    """The open checks where someone the user reads by name answered "I need help", each
    with `need_help` (how many), in one query; none for a reader of counts only (MOFA
    headquarters), who cannot act on a person."""
    if not sees_names(user):
        return []
    helped = Q(answers__in=access.restrict(SafetyAnswer.objects.all(), user, "view"))
    return list(
        access.restrict(SafetyCheck.objects.filter(state=SafetyCheck.State.OPEN), user, "view")
        .annotate(need_help=Count("answers", filter=helped & Q(answers__status=NEED_HELP)))
        .filter(need_help__gt=0)
        .order_by("-started_at", "-pk")
    )


# --- the participant's own answers ---------------------------------------------------------
# A participant reads and gives only their own answer: the rows whose participant they are
# (the personal link's token is the same key for one answer, without signing in).


def own_answers(*, user: User, open_only: bool = True) -> QuerySet[SafetyAnswer]:
    """The user's own answers (of open checks only, unless `open_only` is False), the
    newest check first."""
    answers = SafetyAnswer.objects.select_related("safety_check").filter(participant=user.pk)
    if open_only:
        answers = answers.filter(safety_check__state=SafetyCheck.State.OPEN)
    return answers.order_by("-safety_check__started_at", "pk")


def own_answer_get(*, user: User, pk) -> SafetyAnswer:
    """One of the user's own answers; anyone else's (or none) is a 404."""
    try:
        return own_answers(user=user, open_only=False).get(pk=pk)
    except (SafetyAnswer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def own_waiting(*, user: User) -> list[SafetyAnswer]:
    """The banner on the participant's home: the open checks still waiting for their
    answer, newest first, in one query."""
    return list(own_answers(user=user).filter(status=UNANSWERED))


# --- before and while a check runs ---------------------------------------------------------


def recipients(*, prefecture_codes) -> dict:
    """Whom a check for these prefectures would ask now: the same rows the start writes an
    answer for (`rules.placed_participants`), counted in all and by prefecture."""
    codes = sorted({str(getattr(code, "pk", code)) for code in prefecture_codes or []})
    if not codes:
        return {"total": 0, "prefectures": []}
    counts: dict[str, int] = {}
    for row in rules.placed_participants_query(prefecture_codes=codes):
        counts[row["prefecture_id"]] = counts.get(row["prefecture_id"], 0) + 1
    names = Prefecture.objects.filter(pk__in=codes).order_by("pk")
    return {
        "total": sum(counts.values()),
        "prefectures": [{"prefecture": p, "count": counts.get(p.pk, 0)} for p in names],
    }


def unanswered_count(*, check: SafetyCheck) -> int:
    """Everyone in the check who has not answered (what closing it leaves unanswered)."""
    return SafetyAnswer.objects.filter(safety_check=check, status=UNANSWERED).count()
