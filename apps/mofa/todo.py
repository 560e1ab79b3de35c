"""What waits on MOFA's people (their workspaces' to-do panels): an embassy's or
consulate's staff, the applications to screen and decide before release and their
nationals' safety answers asking for help; an applicant, the next step of their own
application and a placement to answer. MOFA headquarters reads and counts; nothing
waits on it."""

from django.utils.translation import ngettext_lazy

from apps.core.todo import Todo, item, safety_items, todo_list
from apps.placement import selectors as placement_selectors
from apps.recruitment import selectors as recruitment_selectors
from apps.recruitment.models import Application
from apps.safety import selectors as safety_selectors

SCREEN = ngettext_lazy(
    "%(count)s submitted application to review",
    "%(count)s submitted applications to review",
    "count",
)
INTERVIEWED = ngettext_lazy(
    "%(count)s application at interview to decide",
    "%(count)s applications at interview to decide",
    "count",
)
DRAFT = ngettext_lazy(
    "%(count)s application to complete and submit",
    "%(count)s applications to complete and submit",
    "count",
)
BOOK = ngettext_lazy(
    "%(count)s interview to book",
    "%(count)s interviews to book",
    "count",
)
REPLY = ngettext_lazy(
    "%(count)s offer to answer",
    "%(count)s offers to answer",
    "count",
)
PLACEMENT = ngettext_lazy(
    "%(count)s placement to answer",
    "%(count)s placements to answer",
    "count",
)


def hq_todo(*, user) -> list[Todo]:
    return []


def mission_todo(*, user, programme_year) -> list[Todo]:
    undecided = recruitment_selectors.applications_to_decide_counts(
        user=user, programme_year=programme_year
    )
    return todo_list(
        item(
            "applications-screen",
            undecided["screen"],
            SCREEN,
            "mofa:mission-applications",
            query={"status": Application.Status.SUBMITTED},
        ),
        item(
            "applications-decide",
            undecided["interviewed"],
            INTERVIEWED,
            "mofa:mission-applications",
            query={"status": Application.Status.INTERVIEW},
        ),
        *safety_items(safety_selectors.checks_needing_help(user=user)),
    )


def applicant_todo(*, user, programme_year, window_open: bool) -> list[Todo]:
    own = recruitment_selectors.applicant_waiting(user=user, programme_year=programme_year)
    pk = own["pk"]
    return todo_list(
        item(
            "application-draft",
            own["draft"] if window_open else 0,
            DRAFT,
            "mofa:applicant-personal",
            pk,
        ),
        item("interview-book", own["book"], BOOK, "mofa:applicant-interview", pk),
        item("offer-reply", own["reply"], REPLY, "mofa:applicant-reply", pk),
        item(
            "placement-answer",
            placement_selectors.placements_offered_count(user=user),
            PLACEMENT,
            "participants:placement",
        ),
    )
