"""THE access rule: who may see or act on which row. Pages and the API both use it.

Object permissions are granted to an organisation's group (rarely to one user) and live
in django-guardian's direct foreign-key tables, one pair per protected model. A list is
filtered by one index-friendly subquery over those tables,
`pk IN (group grants UNION user grants)`, each branch only where the user holds such
grants, instead of guardian's `get_objects_for_user`, whose OR of two subqueries makes
PostgreSQL walk the whole table.

A row the user may not see answers 404, the same as a row that does not exist. A row the
user may see but not act on answers 403.

Beyond grants, some rows follow from who the user is: CLAIR reads every safety answer,
a contracting organisation the answers of its own participants, a mission those of its
country's nationals. Those rules are the POLICY table below, the one place in the code
that decides by the kind of user (the suite reads every other module for such a test):
`restrict` adds the rows a policy line gives to the rows grants give, and `allowed` tells
whether a user may do an action on a model at all (start a safety check, open a page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, reduce
from operator import or_
from typing import TYPE_CHECKING, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_migrate
from django.http import Http404
from guardian.shortcuts import assign_perm, remove_perm
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from apps.core.query_shapes import by_shape

if TYPE_CHECKING:
    from apps.core.models import Organisation, User

M = TypeVar("M", bound=models.Model)


def _split(perm: str, model: type[models.Model]) -> tuple[str, str]:
    """'view' or 'view_organisation' or 'core.view_organisation' -> (app_label, codename)."""
    opts = model._meta
    if "." in perm:
        app_label, codename = perm.split(".", 1)
        return app_label, codename
    if "_" not in perm:
        return opts.app_label, f"{perm}_{opts.model_name}"
    return opts.app_label, perm


def full_perm(perm: str, model: type[models.Model]) -> str:
    app_label, codename = _split(perm, model)
    return f"{app_label}.{codename}"


def grant(
    perm: str, obj: models.Model, organisation: Organisation, *, managers_only: bool = False
) -> None:
    """Let every member of `organisation` (or only its managers) hold `perm` on `obj`."""
    _, codename = _split(perm, type(obj))
    group = organisation.manager_group if managers_only else organisation.group
    assign_perm(codename, group, obj)


def revoke(
    perm: str, obj: models.Model, organisation: Organisation, *, managers_only: bool = False
) -> None:
    _, codename = _split(perm, type(obj))
    group = organisation.manager_group if managers_only else organisation.group
    remove_perm(codename, group, obj)


def grant_user(perm: str, obj: models.Model, user: User) -> None:
    """A personal grant, for rows that belong to one person (their own application)."""
    _, codename = _split(perm, type(obj))
    assign_perm(codename, user, obj)


def revoke_user(perm: str, obj: models.Model, user: User) -> None:
    _, codename = _split(perm, type(obj))
    remove_perm(codename, user, obj)


_PERMISSION_IDS: dict[tuple[int, str], int | None] = {}


def _clear_permission_ids(**kwargs) -> None:
    _PERMISSION_IDS.clear()


# Permissions are created again (with new ids) after a migrate or a test flush.
post_migrate.connect(_clear_permission_ids, dispatch_uid="access-permission-ids")


def _permission_id(content_type_id: int, codename: str) -> int | None:
    key = (content_type_id, codename)
    if key not in _PERMISSION_IDS:
        pk = (
            Permission.objects.filter(content_type_id=content_type_id, codename=codename)
            .values_list("pk", flat=True)
            .first()
        )
        # A policy's own action ("count", "reopen") has no Permission row: remember
        # that too, or every check of it asks again.
        _PERMISSION_IDS[key] = pk
    return _PERMISSION_IDS[key]


def memberships(user: User) -> tuple[list[int], set[int], set[int]]:
    """The user's group ids, every model-level permission id they hold and the ids of the
    permissions they hold personal grants of (`granted_pks`), in one query, read once per
    request (the user object lives that long; an API token's user a minute at most, and
    less after a change of theirs: apps/core/api/authentication.py)."""
    cached = getattr(user, "_access_memberships", None)
    # A token remembered by the code before personal grants were read holds two parts.
    if cached is None or len(cached) != 3:
        user_model = get_user_model()
        groups_table = user_model.groups.through._meta.db_table
        user_perms_table = user_model.user_permissions.through._meta.db_table
        group_perms_table = Group.permissions.through._meta.db_table
        sql = (
            f"SELECT ug.group_id, gp.permission_id, false FROM {groups_table} ug "  # noqa: S608
            f"LEFT JOIN {group_perms_table} gp ON gp.group_id = ug.group_id "
            f"WHERE ug.user_id = %s "
            f"UNION ALL SELECT NULL, up.permission_id, false FROM {user_perms_table} up "
            f"WHERE up.user_id = %s"
        )
        tables = _personal_grant_tables()
        for table in tables:
            sql += (
                f" UNION ALL SELECT NULL, permission_id, true FROM {table} "  # noqa: S608
                f"WHERE user_id = %s GROUP BY permission_id"
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, [user.pk] * (2 + len(tables)))
            rows = cursor.fetchall()
        group_ids = sorted({g for g, _, _ in rows if g is not None})
        permission_ids = {p for _, p, personal in rows if p is not None and not personal}
        personal_ids = {p for _, p, personal in rows if personal}
        cached = (group_ids, permission_ids, personal_ids)
        user._access_memberships = cached
    return cached


@cache
def personal_grant_models() -> tuple[type[models.Model], ...]:
    """guardian's tables of personal grants, one per protected model (`granted_pks`)."""
    from django.apps import apps
    from guardian.models import UserObjectPermission, UserObjectPermissionBase

    return tuple(
        sorted(
            (
                model
                for model in apps.get_models()
                if issubclass(model, UserObjectPermissionBase) and model is not UserObjectPermission
            ),
            key=lambda model: model._meta.db_table,
        )
    )


def _personal_grant_tables() -> tuple[str, ...]:
    return tuple(model._meta.db_table for model in personal_grant_models())


# The people given or refused a personal grant by this process: the grant ids remembered
# with them (`memberships`, on a user object or a remembered API token) may be older than
# that, so `granted_pks` reads their personal grants whatever those ids say. Most are
# applicants, whose lists read their personal grants anyway. Bounded; emptied when full,
# by which time any change it recorded is long committed and the tokens forgotten.
_granted_lately: set[int] = set()
GRANTED_LATELY_KEPT = 100_000


def personal_grant_changed(user_id: int) -> None:
    if len(_granted_lately) >= GRANTED_LATELY_KEPT:
        _granted_lately.clear()
    _granted_lately.add(user_id)


def forget(user: User) -> None:
    """Drop what was read about the user's groups, after their memberships change."""
    for name in ("_access_memberships", "membership_or_none", "_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(name, None)


def granted_pks(model: type[models.Model], user: User, perm: str) -> RawSQL | list:
    """The subquery of primary keys `user` holds `perm` on, through group or own grants.

    Written as SQL with the user, the permission and the user's group ids as literal
    values: the planner then knows how many rows each branch gives (none for an
    applicant's empty group list, a mission's count for its group) and picks index scans;
    with those as subqueries it guessed thousands and scanned the whole table
    (bench/application_list.py). The ORM also took longer to compile the UNION than
    PostgreSQL took to run it. Literals, not parameters, since a GET's reads run as
    prepared statements (apps/core/prepared.py): with parameters PostgreSQL may keep a
    plan made for an average caller, and one made for a caller of few grants took CLAIR's
    200,000 applications from 5 ms to 27 (the scaled world of bench/load.py). Each caller
    then has statements of their own. The values are integers, written as such.
    """
    _, codename = _split(perm, model)
    permission_id = _permission_id(ContentType.objects.get_for_model(model).pk, codename)
    if permission_id is None:
        return []
    group_ids, _, personal_ids = memberships(user)
    group_table, user_table = _grant_tables(model)
    permission = int(permission_id)
    branches = []
    # A branch of grants the user holds none of is left out: over an organisation's
    # 22,000 grants, `IN (a UNION b)` made PostgreSQL gather and sort every one of them to
    # drop duplicates (8 ms), where one branch alone is read in the list's order, a page's
    # worth (0.13 ms; the scaled world of bench/load.py).
    if permission in personal_ids or user.pk in _granted_lately:
        # S608: the interpolated names are table names from model metadata, the values ints.
        branches.append(
            f"SELECT content_object_id FROM {user_table} "  # noqa: S608
            f"WHERE user_id = {int(user.pk)} AND permission_id = {permission}"
        )
    if group_ids:
        groups = ", ".join(str(int(group_id)) for group_id in group_ids)
        branches.append(
            f"SELECT content_object_id FROM {group_table} "  # noqa: S608
            f"WHERE group_id IN ({groups}) AND permission_id = {permission}"
        )
    if not branches:
        return []
    sql = " UNION ".join(branches)
    return RawSQL(sql, [])  # noqa: S611


@cache
def _grant_tables(model: type[models.Model]) -> tuple[str, str]:
    """The tables of `model`'s group and user grants. guardian finds them by walking the
    model's relations and comparing content types, on every call (six a page of
    applications); the answer is fixed for a model."""
    return (
        get_group_obj_perms_model(model)._meta.db_table,
        get_user_obj_perms_model(model)._meta.db_table,
    )


def has_model_perm(user: User, perm: str, model: type[models.Model]) -> bool:
    """A grant over every row of the model (MOFA HQ's read-all, a superuser).

    Answered from `memberships`, the one query per request that also gives the
    user's groups, instead of Django's loading every permission the user has."""
    if user.is_superuser:
        return True
    _, codename = _split(perm, model)
    permission_id = _permission_id(ContentType.objects.get_for_model(model).pk, codename)
    return permission_id in memberships(user)[1]


# --- the policy ----------------------------------------------------------------------------

CLAIR, MOFA, MISSION, MIC, MEXT = "CLAIR", "MOFA", "MISSION", "MIC", "MEXT"
CONTRACTING, APPLICANT, PARTICIPANT = "CONTRACTING", "APPLICANT", "PARTICIPANT"
STAFF_KINDS = frozenset({CLAIR, MOFA, MISSION, MIC, MEXT, CONTRACTING})
PERSON_KINDS = frozenset({APPLICANT, PARTICIPANT})
EVERYONE = STAFF_KINDS | PERSON_KINDS


@dataclass(frozen=True)
class Scope:
    """One line of the policy: users of these kinds (with the duty, if one is named) may
    act on the rows `rows(user)` selects, or on every row when `rows` is None."""

    kinds: frozenset[str]
    rows: Callable[[User], Q] | None = None
    managers: bool = False  # only the organisation's managers
    duty: str = ""  # a Membership duty flag: "counsellor", "prefectural_advisor"

    def applies(self, user: User) -> bool:
        if user.kind not in self.kinds:
            return False
        if self.managers and not user.is_manager:
            return False
        if self.duty:
            membership = user.membership_or_none
            return bool(membership and getattr(membership, self.duty))
        return True


def _kinds(*kinds: str) -> frozenset[str]:
    return frozenset(kinds)


def own_organisation(path: str) -> Callable[[User], Q]:
    """Rows whose `path` is the user's organisation."""
    return lambda user: Q(**{path: user.organisation.pk})


def own_country(path: str) -> Callable[[User], Q]:
    """Rows whose `path` is the country of the user's organisation (a mission's)."""
    return lambda user: (
        Q(**{path: user.organisation.country_id}) if user.organisation.country_id else Q(pk__in=[])
    )


def own(path: str) -> Callable[[User], Q]:
    """Rows whose `path` is the user themselves."""
    return lambda user: Q(**{path: user.pk})


def through(model_label: str, link: str, rows: Callable[[User], Q]) -> Callable[[User], Q]:
    """Rows with at least one row of `model_label` (pointing here by its field `link`)
    that `rows` selects: a check the organisation has an answer in."""

    def _rows(user: User) -> Q:
        from django.apps import apps
        from django.db.models import Exists, OuterRef

        related = apps.get_model(model_label)
        return Q(Exists(related.objects.filter(rows(user), **{link: OuterRef("pk")})))

    return _rows


def rows_from(path: str) -> Callable[[User], Q]:
    """Rows that a domain's own rule selects, the function named by its dotted path
    (imported when first asked: this module imports no domain). For rows that follow
    from the row's own data as much as from who the user is: whom an event is meant for."""

    def _rows(user: User) -> Q:
        from django.utils.module_loading import import_string

        return import_string(path)(user)

    return _rows


# app_label.model -> action -> the scopes that give it. An action is the codename's verb
# ("view" for view_safetyanswer) or a custom codename ("record"); none needs a
# Permission row. DESIGN.md's "who may see what", as the code applies it.
POLICY: dict[str, dict[str, list[Scope]]] = {
    # --- accounts: a person's API tokens are theirs alone, to see and revoke -------------
    "knox.authtoken": {
        "view": [Scope(EVERYONE, own("user"))],
        "delete": [Scope(EVERYONE, own("user"))],
    },
    # A person's saved filters of a list: theirs alone, to see, save and delete.
    "core.savedfilter": {
        "view": [Scope(EVERYONE, own("user"))],
        "add": [Scope(EVERYONE, own("user"))],
        "delete": [Scope(EVERYONE, own("user"))],
    },
    # --- safety: CLAIR runs checks; an organisation sees (and answers for) its own
    # participants, a mission its country's nationals, MOFA headquarters counts only.
    "safety.safetycheck": {
        "view": [
            Scope(_kinds(CLAIR, MOFA)),
            Scope(
                _kinds(CONTRACTING),
                through("safety.safetyanswer", "safety_check", own_organisation("organisation")),
            ),
            Scope(
                _kinds(MISSION),
                through("safety.safetyanswer", "safety_check", own_country("country")),
            ),
        ],
        "add": [Scope(_kinds(CLAIR))],
        "change": [Scope(_kinds(CLAIR))],
    },
    "safety.safetyanswer": {
        "view": [
            Scope(_kinds(CLAIR)),
            Scope(_kinds(CONTRACTING), own_organisation("organisation")),
            Scope(_kinds(MISSION), own_country("country")),
        ],
        "count": [
            Scope(_kinds(CLAIR, MOFA)),
            Scope(_kinds(CONTRACTING), own_organisation("organisation")),
            Scope(_kinds(MISSION), own_country("country")),
        ],
        "record": [Scope(_kinds(CONTRACTING), own_organisation("organisation"))],
        "assign": [Scope(_kinds(CLAIR))],
    },
    # --- outreach: correspondence between organisations, promotion, alumni ------------------
    # A thread is seen, read and written in by the staff of its member organisations;
    # CLAIR and the ministries start threads.
    "outreach.thread": {
        "view": [
            Scope(
                _kinds(CLAIR, MIC, MOFA, MEXT, MISSION, CONTRACTING),
                through("outreach.threadmember", "thread", own_organisation("organisation")),
            ),
        ],
        "post": [
            Scope(
                _kinds(CLAIR, MIC, MOFA, MEXT, MISSION, CONTRACTING),
                through("outreach.threadmember", "thread", own_organisation("organisation")),
            ),
        ],
        "add": [Scope(_kinds(CLAIR, MIC, MOFA, MEXT))],
    },
    # Promotional activities: MOFA headquarters and CLAIR read all, a mission its own;
    # missions and CLAIR record theirs and change only their own.
    "outreach.promotionactivity": {
        "view": [
            Scope(_kinds(CLAIR, MOFA)),
            Scope(_kinds(MISSION), own_organisation("organisation")),
        ],
        "add": [Scope(_kinds(MISSION, CLAIR))],
        "change": [Scope(_kinds(MISSION, CLAIR), own_organisation("organisation"))],
    },
    # Alumni consents: the mission of the participant's application sees those that
    # stand (its roll, which it exports); the participant their own, gives and withdraws.
    "outreach.alumniconsent": {
        "view": [
            Scope(
                _kinds(MISSION),
                lambda user: own_organisation("mission")(user) & Q(withdrawn_at__isnull=True),
            ),
            Scope(_kinds(PARTICIPANT), own("participant")),
        ],
        "export": [Scope(_kinds(MISSION))],
        "add": [Scope(_kinds(PARTICIPANT))],
        "withdraw": [Scope(_kinds(PARTICIPANT), own("participant"))],
    },
    # --- learning: the Japanese course and the libraries -----------------------------------
    # The course: CLAIR runs the intakes (their materials and tests), marks, and reads
    # every participant's results; participants read the catalogue, enrol, read the
    # materials and tests of the intakes they are enrolled in (one standing enrolment per
    # intake, so the join gives a row once) and hand in tests.
    "learning.courseintake": {
        "view": [Scope(_kinds(CLAIR, PARTICIPANT))],
        "add": [Scope(_kinds(CLAIR))],
        "change": [Scope(_kinds(CLAIR))],
        "results": [Scope(_kinds(CLAIR))],
        "enrol": [Scope(_kinds(PARTICIPANT))],
    },
    "learning.enrolment": {
        "view": [Scope(_kinds(CLAIR)), Scope(_kinds(PARTICIPANT), own("participant"))],
        "withdraw": [Scope(_kinds(PARTICIPANT), own("participant"))],
    },
    "learning.coursematerial": {
        "view": [
            Scope(_kinds(CLAIR)),
            Scope(
                _kinds(PARTICIPANT),
                lambda user: Q(
                    intake__enrolments__participant=user.pk,
                    intake__enrolments__state="ENROLLED",
                ),
            ),
        ],
    },
    "learning.coursetest": {
        "view": [
            Scope(_kinds(CLAIR)),
            Scope(
                _kinds(PARTICIPANT),
                lambda user: Q(
                    intake__enrolments__participant=user.pk,
                    intake__enrolments__state="ENROLLED",
                ),
            ),
        ],
    },
    "learning.submission": {
        "view": [Scope(_kinds(CLAIR)), Scope(_kinds(PARTICIPANT), own("enrolment__participant"))],
        "add": [Scope(_kinds(PARTICIPANT))],
        "mark": [Scope(_kinds(CLAIR))],
    },
    # The libraries: CLAIR and MEXT publish, and change their own organisation's
    # documents (drafts without a file included). Others read a document once it has a
    # version, by its audience: CLAIR all; MEXT schools' and ALTs'; a contracting
    # organisation its own and schools'; a participant all participants' and those of
    # the position they hold now (an active placement as ALT or CIR).
    "learning.librarydocument": {
        "view": [
            Scope(_kinds(CLAIR, MEXT), own_organisation("publisher")),
            Scope(_kinds(CLAIR), through("learning.libraryversion", "document", lambda user: Q())),
            Scope(
                _kinds(MEXT),
                through(
                    "learning.libraryversion",
                    "document",
                    lambda user: Q(document__audience__in=["SCHOOLS", "ALT"]),
                ),
            ),
            Scope(
                _kinds(CONTRACTING),
                through(
                    "learning.libraryversion",
                    "document",
                    lambda user: Q(document__audience__in=["CONTRACTING", "SCHOOLS"]),
                ),
            ),
            Scope(
                _kinds(PARTICIPANT),
                through(
                    "learning.libraryversion",
                    "document",
                    lambda user: (
                        Q(document__audience="PARTICIPANTS")
                        | Q(
                            document__audience__in=user.applications.filter(
                                placements__status__in=["CONFIRMED", "ACCEPTED_BY_ORG", "ACCEPTED"]
                            ).values("placements__position__type")
                        )
                    ),
                ),
            ),
        ],
        "add": [Scope(_kinds(CLAIR, MEXT))],
        "change": [Scope(_kinds(CLAIR, MEXT), own_organisation("publisher"))],
    },
    # --- support: counselling cases and the counselling subsidy ----------------------------
    # A case is read by the participant who opened it, by CLAIR's counsellors (the queue
    # of new cases nobody has taken, and their own) and, once shared, by the host
    # prefecture's advisor (the summary, category and status only); nobody else learns
    # it exists. ("NEW" is SupportCase.Status.NEW: core imports no domain app.)
    "support.supportcase": {
        "view": [
            Scope(_kinds(PARTICIPANT), own("participant")),
            Scope(
                _kinds(CLAIR),
                lambda user: Q(status="NEW", assigned_to__isnull=True) | Q(assigned_to=user.pk),
                duty="counsellor",
            ),
            Scope(
                _kinds(CONTRACTING),
                lambda user: Q(shared_at__isnull=False, host_organisation=user.organisation.pk),
                duty="prefectural_advisor",
            ),
        ],
        # The thread: the messages, which the advisor never reads.
        "thread": [
            Scope(_kinds(PARTICIPANT), own("participant")),
            Scope(
                _kinds(CLAIR),
                lambda user: Q(status="NEW", assigned_to__isnull=True) | Q(assigned_to=user.pk),
                duty="counsellor",
            ),
        ],
        # The participant opens a request, writes in it and shares a summary of it.
        "add": [Scope(_kinds(PARTICIPANT))],
        "write": [Scope(_kinds(PARTICIPANT), own("participant"))],
        # A counsellor takes a case from the queue or hands one on; only the case's own
        # counsellor replies, writes notes and sets its status.
        "counsel": [
            Scope(
                _kinds(CLAIR),
                lambda user: Q(status="NEW", assigned_to__isnull=True) | Q(assigned_to=user.pk),
                duty="counsellor",
            )
        ],
        "reply": [Scope(_kinds(CLAIR), own("assigned_to"), duty="counsellor")],
        # Whom a shared summary is shown to.
        "read_shared": [
            Scope(
                _kinds(CONTRACTING),
                lambda user: Q(shared_at__isnull=False, host_organisation=user.organisation.pk),
                duty="prefectural_advisor",
            )
        ],
    },
    "support.supportmessage": {
        "view": [
            Scope(_kinds(PARTICIPANT), lambda user: Q(case__participant=user.pk, internal=False)),
            Scope(
                _kinds(CLAIR),
                lambda user: (
                    Q(case__status="NEW", case__assigned_to__isnull=True)
                    | Q(case__assigned_to=user.pk)
                ),
                duty="counsellor",
            ),
        ],
    },
    # A subsidy claim is read by its participant, their organisation and CLAIR. The
    # participant claims and corrects a returned claim; the organisation checks it
    # (forwards or returns it), CLAIR decides it (approves or returns it).
    "support.subsidyclaim": {
        "view": [
            Scope(_kinds(CLAIR)),
            Scope(_kinds(CONTRACTING), own_organisation("organisation")),
            Scope(_kinds(PARTICIPANT), own("participant")),
        ],
        "add": [Scope(_kinds(PARTICIPANT))],
        "resubmit": [Scope(_kinds(PARTICIPANT), own("participant"))],
        "check": [Scope(_kinds(CONTRACTING), own_organisation("organisation"))],
        "decide": [Scope(_kinds(CLAIR))],
        "return": [
            Scope(_kinds(CONTRACTING), own_organisation("organisation")),
            Scope(_kinds(CLAIR)),
        ],
    },
    # --- finance: programme costs and statistics -------------------------------------------
    # Cost figures are organisations' sums, no person: CLAIR and MIC read every
    # organisation's and compare prefectures and the nation; an organisation its own.
    "finance.costfigure": {
        "view": [
            Scope(_kinds(CLAIR, MIC)),
            Scope(_kinds(CONTRACTING), own_organisation("organisation")),
        ],
        "compare": [Scope(_kinds(CLAIR, MIC))],
    },
    # A programme year's cost parameters (the remuneration scale, the travel allowances
    # and these allocation tax amounts) are MIC's: MIC sets them, CLAIR reads them.
    "finance.allocationtaxrate": {
        "view": [Scope(_kinds(MIC, CLAIR))],
        "change": [Scope(_kinds(MIC))],
    },
    # Programme statistics count the participants and applicants of these countries:
    # MIC, MOFA headquarters, CLAIR and MEXT every country, a mission its own. Beyond the
    # education side (ALTs by prefecture, contract year and school level) MEXT sees no
    # figure: no application, preference, re-appointment or leaver counts.
    # Reference data: the 47 prefectures, named by the JIS codes other answers carry.
    "core.prefecture": {"view": [Scope(EVERYONE)]},
    "core.country": {
        "statistics": [
            Scope(_kinds(MIC, MOFA, CLAIR, MEXT)),
            Scope(_kinds(MISSION), own_country("pk")),
        ],
        "statistics_full": [Scope(_kinds(MIC, MOFA, CLAIR, MISSION))],
    },
    # --- events: events, sessions, registrations -------------------------------------------
    # Organisers (a mission, CLAIR, a contracting organisation) run their own events, of the
    # kinds their organisation runs (apps/events/rules.py), and CLAIR every event; MEXT
    # presents in the conferences; MOFA reads every event. A person sees the events meant
    # for them and any they registered for, registers for those meant for them, and
    # cancels and chooses sessions for themselves. Who sees a registration, and who
    # changes it (checks people in), is grants (the organiser, the person, their mission)
    # and CLAIR's model permissions.
    "events.event": {
        "view": [
            Scope(_kinds(CLAIR, MOFA)),
            Scope(_kinds(MISSION, MEXT, CONTRACTING), own_organisation("organiser")),
            Scope(
                _kinds(MISSION, MEXT, CONTRACTING),
                through("events.session", "event", own_organisation("presenter")),
            ),
            Scope(_kinds(MEXT), rows_from("apps.events.rules.conferences")),
            # A prefecture's mid-year seminar, held with CLAIR, for its organisations.
            Scope(
                _kinds(CONTRACTING),
                lambda user: (
                    Q(audience_prefecture_id=user.organisation.prefecture_id)
                    if user.organisation.prefecture_id
                    else Q(pk__in=[])
                ),
            ),
            Scope(_kinds(APPLICANT), rows_from("apps.events.rules.for_applicant")),
            Scope(_kinds(PARTICIPANT), rows_from("apps.events.rules.for_participant")),
            Scope(PERSON_KINDS, through("events.registration", "event", own("person"))),
        ],
        "add": [Scope(_kinds(MISSION, CLAIR, CONTRACTING))],
        "change": [Scope(_kinds(CLAIR)), Scope(STAFF_KINDS, own_organisation("organiser"))],
        "add_session": [
            Scope(_kinds(CLAIR)),
            Scope(STAFF_KINDS, own_organisation("organiser")),
            Scope(_kinds(MEXT), rows_from("apps.events.rules.conferences")),
        ],
        "register": [
            Scope(_kinds(APPLICANT), rows_from("apps.events.rules.for_applicant")),
            Scope(_kinds(PARTICIPANT), rows_from("apps.events.rules.for_participant")),
        ],
    },
    # CLAIR changes every session, a presenting organisation its own.
    "events.session": {
        "change": [Scope(_kinds(CLAIR)), Scope(STAFF_KINDS, own_organisation("presenter"))],
        "delete": [Scope(_kinds(CLAIR)), Scope(STAFF_KINDS, own_organisation("presenter"))],
    },
    "events.registration": {
        "add": [Scope(PERSON_KINDS)],
        "cancel": [
            Scope(PERSON_KINDS, own("person")),
            Scope(_kinds(CLAIR)),
            Scope(STAFF_KINDS, own_organisation("event__organiser")),
        ],
        "choose_sessions": [Scope(PERSON_KINDS, own("person"))],
    },
    # --- reappointment ---------------------------------------------------------------------
    # CLAIR runs the round (opens, reminds, reopens a case, confirms) and MIC reads it in
    # numbers; an organisation and a participant see the rounds they have cases in. Who
    # sees a case is grants (round_open gives each to its organisation and participant;
    # CLAIR reads all); each side answers only for itself.
    "reappointment.reappointmentround": {
        "view": [
            Scope(_kinds(CLAIR, MIC)),
            Scope(
                _kinds(CONTRACTING),
                through(
                    "reappointment.reappointmentcase", "round", own_organisation("organisation")
                ),
            ),
            Scope(
                PERSON_KINDS,
                through("reappointment.reappointmentcase", "round", own("participant")),
            ),
        ],
        "count": [
            Scope(_kinds(CLAIR, MIC)),
            Scope(
                _kinds(CONTRACTING),
                through(
                    "reappointment.reappointmentcase", "round", own_organisation("organisation")
                ),
            ),
        ],
        "add": [Scope(_kinds(CLAIR))],
        "change": [Scope(_kinds(CLAIR))],
        # Before the last answer deadline, only a CLAIR manager confirms (with a reason).
        "confirm_early": [Scope(_kinds(CLAIR), managers=True)],
    },
    "reappointment.reappointmentcase": {
        # The round in numbers, no names: CLAIR and MIC all, an organisation its own.
        "count": [
            Scope(_kinds(CLAIR, MIC)),
            Scope(_kinds(CONTRACTING), own_organisation("organisation")),
        ],
        "organisation_answer": [Scope(_kinds(CONTRACTING), own_organisation("organisation"))],
        "participant_answer": [Scope(PERSON_KINDS, own("participant"))],
        "reopen": [Scope(_kinds(CLAIR))],
    },
    # --- recruitment -----------------------------------------------------------------------
    # Grants the services give carry most of it: an applicant holds view and change on
    # their own application, its mission view, review and decide from its submission (its
    # managers the medical report), CLAIR view once it is forwarded; a mission views the
    # slots it publishes and its country's published numbers. MOFA HQ reads every
    # application and number, MIC sets the numbers (KIND_PERMISSIONS). What follows from
    # who the user is:
    "recruitment.application": {
        "add": [Scope(_kinds(APPLICANT))],
        # The applicant books their own interview; the mission books for its applicants.
        "book": [
            Scope(PERSON_KINDS, own("applicant")),
            Scope(_kinds(MISSION), own_organisation("mission")),
        ],
        # Applications by country, position and status, numbers only.
        "count": [
            Scope(_kinds(MIC, MOFA, CLAIR)),
            Scope(_kinds(MISSION), own_organisation("mission")),
        ],
        "export": [Scope(_kinds(MISSION), own_organisation("mission"))],
    },
    "recruitment.interviewslot": {
        # An applicant invited to interview sees the slots of the mission inviting them.
        "view": [
            Scope(
                _kinds(APPLICANT),
                through(
                    "core.organisation",
                    "interview_slots",
                    lambda user: Q(
                        applications__applicant=user.pk, applications__status="INTERVIEW"
                    ),
                ),
            )
        ],
        "add": [Scope(_kinds(MISSION))],
        # The online meeting link: the mission's staff, and the applicant booked in it.
        "join": [
            Scope(_kinds(MISSION), own_organisation("mission")),
            Scope(
                _kinds(APPLICANT),
                through("recruitment.interviewbooking", "slot", own("application__applicant")),
            ),
        ],
    },
    "recruitment.rubriccriterion": {
        "view": [Scope(_kinds(MISSION), own_organisation("mission"))],
        "add": [Scope(_kinds(MISSION), own_organisation("mission"), managers=True)],
    },
    # A mission words the notices it sends its applicants itself (notice templates).
    "notifications.noticetemplate": {
        "view": [Scope(_kinds(MISSION), own_organisation("organisation"))],
        "change": [Scope(_kinds(MISSION), own_organisation("organisation"))],
        "delete": [Scope(_kinds(MISSION), own_organisation("organisation"))],
    },
    "recruitment.resultrelease": {
        "view": [Scope(_kinds(MISSION), own_organisation("mission"))],
        "add": [Scope(_kinds(MISSION))],
    },
    # CLAIR asks a mission for an alternate when a placed candidate withdrew; the mission
    # sees the requests made to it.
    "recruitment.alternaterequest": {
        "view": [Scope(_kinds(CLAIR)), Scope(_kinds(MISSION), own_organisation("mission"))],
        "add": [Scope(_kinds(CLAIR))],
    },
    # --- placement: positions, placements, contracts, matching -----------------------------
    # An organisation requests positions (then sees and changes its own: grants) and MIC
    # reviews them; CLAIR sees the approved ones and fills them, by hand or from its
    # suggestion runs, which only its managers approve. Who sees and answers a placement
    # or a contract (its organisation, the candidate's mission, the candidate) is grants
    # the services give; the candidate answers their own placement and signs their own
    # contract.
    "placement.positionrequest": {
        "view": [Scope(_kinds(CLAIR), lambda _user: Q(state="APPROVED"))],
        # Positions by prefecture, type and state, numbers only.
        "count": [
            Scope(_kinds(MIC, CLAIR, MEXT)),
            Scope(_kinds(CONTRACTING), own_organisation("organisation")),
        ],
        "add": [Scope(_kinds(CONTRACTING))],
        "review": [Scope(_kinds(MIC))],
    },
    "placement.placement": {
        "add": [Scope(_kinds(CLAIR))],
        "answer": [Scope(PERSON_KINDS, own("application__applicant"))],
        "export": [Scope(_kinds(CLAIR, MOFA, MISSION, CONTRACTING))],
    },
    "placement.contract": {
        "sign": [Scope(PERSON_KINDS, own("placement__application__applicant"))],
    },
    "placement.matchingrun": {
        "view": [Scope(_kinds(CLAIR))],
        "add": [Scope(_kinds(CLAIR))],
        "approve": [Scope(_kinds(CLAIR), managers=True)],
    },
    "placement.matchingline": {
        "view": [Scope(_kinds(CLAIR))],
        "change": [Scope(_kinds(CLAIR))],
        "reject": [Scope(_kinds(CLAIR), managers=True)],
    },
}


# Rights over every row of a model, held by a kind of organisation as a whole: granted
# to each such organisation's group as model permissions (services.organisation_create),
# so they show in the admin and cost one lookup in `has_model_perm`.
KIND_PERMISSIONS: dict[str, list[str]] = {
    # CLAIR reads every placement and contract (DESIGN.md, who may see what).
    CLAIR: [
        "core.view_organisation",
        "recruitment.view_acceptancenumber",
        "placement.view_placement",
        "placement.view_contract",
        # CLAIR coordinates every event (DESIGN.md: events, CLAIR all).
        "events.view_registration",
        "events.change_registration",
        "reappointment.view_reappointmentcase",
    ],
    MIC: [
        "core.view_organisation",
        "recruitment.view_acceptancenumber",
        "recruitment.change_acceptancenumber",
        "placement.view_positionrequest",
    ],
    MOFA: [
        "recruitment.view_application",
        "recruitment.view_acceptancenumber",
        "placement.view_placement",
    ],
}


def acts_as(user: User | None, *kinds: str) -> bool:
    """Whether the user acts as one of these kinds (an actor's own workspace pages)."""
    return bool(user is not None and user.is_authenticated and user.kind in kinds)


def _action(perm: str, model: type[models.Model]) -> str:
    _, codename = _split(perm, model)
    suffix = f"_{model._meta.model_name}"
    return codename[: -len(suffix)] if codename.endswith(suffix) else codename


def _scopes(user: User, perm: str, model: type[models.Model]) -> list[Scope]:
    lines = POLICY.get(model._meta.label_lower, {}).get(_action(perm, model), ())
    return [scope for scope in lines if scope.applies(user)]


@cache
def _has_object_tables(model: type[models.Model]) -> bool:
    from guardian.models import GroupObjectPermission

    return get_group_obj_perms_model(model) is not GroupObjectPermission


def allowed(user: User | None, perm: str, model: type[models.Model]) -> bool:
    """Whether `user` may do `perm` on the model at all: a model-wide permission, or a
    policy line for their kind. What it lets them touch is `restrict`'s answer."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return has_model_perm(user, perm, model) or bool(_scopes(user, perm, model))


def require_allowed(
    user: User | None, perm: str, model: type[models.Model], message: str = ""
) -> None:
    """403 (with `message`, shown on the page and in the API) unless `allowed`."""
    if not allowed(user, perm, model):
        raise PermissionDenied(*([message] if message else []))


def people_allowed(perm: str, model: type[models.Model]) -> models.QuerySet:
    """The active users whom a policy line lets do `perm` on the model at all: whom a
    task may be given to (the staff a participant who needs help is assigned to)."""
    condition = Q(pk__in=[])
    for scope in POLICY.get(model._meta.label_lower, {}).get(_action(perm, model), ()):
        who = Q(membership__organisation__kind__in=scope.kinds & STAFF_KINDS) | Q(
            membership__isnull=True, person_role__in=scope.kinds & PERSON_KINDS
        )
        if scope.managers:
            who &= Q(membership__role="MANAGER")
        if scope.duty:
            who &= Q(**{f"membership__{scope.duty}": True})
        condition |= who
    return get_user_model().objects.filter(condition, is_active=True)


def restrict(queryset: models.QuerySet[M], user: User | None, perm: str) -> models.QuerySet[M]:
    """The rows of `queryset` that `user` holds `perm` on: by grants, a model-wide
    permission, or the policy."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    model = queryset.model
    # Every page and list reads through here: compiled once per shape (query_shapes).
    queryset = by_shape(queryset)
    if has_model_perm(user, perm, model):
        return queryset
    conditions = []
    if _has_object_tables(model):
        conditions.append(Q(pk__in=granted_pks(model, user, perm)))
    for scope in _scopes(user, perm, model):
        if scope.rows is None:
            return queryset
        conditions.append(scope.rows(user))
    if not conditions:
        return queryset.none()
    return queryset.filter(reduce(or_, conditions))


def grants_alone(user: User | None, perm: str, model: type[models.Model]) -> RawSQL | list | None:
    """The subquery of the keys `user` holds `perm` on, when grants alone decide it (no
    model-wide permission, no policy line for the user), for a caller that reads it in a
    query of its own beside other rows (a page's blind-scoring flags): `[]` when they hold
    none, None when grants alone do not decide (the caller asks `holding`)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if has_model_perm(user, perm, model):
        return None
    if _scopes(user, perm, model) or not _has_object_tables(model):
        return None
    return granted_pks(model, user, perm)


def holding(user: User | None, perm: str, model: type[models.Model], keys) -> set:
    """Which of `keys`, the primary keys of rows already read, `user` holds `perm` on:
    `restrict`'s answer for a page. When grants alone can give it (no model-wide
    permission, no policy line for the user), one plain query over the grants: as a
    queryset, compiling it took longer than PostgreSQL took to run it (a page's
    blind-scoring flags, 1.8 ms for one row)."""
    keys = list(keys)
    if not keys:
        return set()
    granted = grants_alone(user, perm, model)
    if granted is None:
        if has_model_perm(user, perm, model):
            return set(keys)
        rows = restrict(model._default_manager.filter(pk__in=keys), user, perm)
        return set(rows.values_list("pk", flat=True))
    if not isinstance(granted, RawSQL):
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT content_object_id FROM ({granted.sql}) AS granted "  # noqa: S608
            "WHERE content_object_id = ANY(%s)",
            [*granted.params, keys],
        )
        return {pk for (pk,) in cursor.fetchall()}


def can(user: User | None, perm: str, obj: models.Model) -> bool:
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, perm).exists()


def require(user: User | None, perm: str, obj: models.Model, message: str = "") -> None:
    """403 unless `user` may do `perm` on `obj` (which the caller already let them see)."""
    if not can(user, perm, obj):
        raise PermissionDenied(*([message] if message else []))


def get_or_404(queryset: models.QuerySet[M], user: User | None, pk, perm: str = "view") -> M:
    """Fetch and check together: missing and not visible answer the same 404."""
    try:
        return restrict(queryset, user, perm).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
