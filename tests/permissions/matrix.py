"""Who may use every page and endpoint: the permission matrix, as data.

One row per URL name. For each method the route answers, the row says which demo
account gets which answer; every signed-in account it does not name gets the row's
`deny`: 403 where the page or endpoint is not theirs to use at all, 404 where the object
in the URL is invisible to them (the same answer as for an object that does not exist).
Anonymous visitors are sent to the sign-in page (pages) or answered 401 (the API)
unless the row names them; public routes name them in EVERYONE.

Writes (POST, PUT, PATCH, DELETE) are sent with an empty body, or with the row's `body`
where an empty one would stop at a form before the access rule is asked. A role that may
act gets ALLOWED: done, queued, redirected, or refused for what the body lacks or the
object's state (the door opened; the rest is other tests' business).

Three rules of the house run through the rows (DESIGN.md, STYLE.md):
- an actor's own pages (its workspace, its flows) are for that kind of user alone: 403
  for anyone else signed in;
- a shared page is for whoever the access rule lets do its action at all (403 for the
  rest); an object in its URL is then visible or not (404);
- an API list answers the rows the caller may see, none for a role that sees none (the
  restricted base: a list is a selector), and an object the caller may not see is 404.

Objects in URLs and bodies are named by meaning (`kwargs="contract_of_participant"`,
`Ref("counsellor")`); tests/permissions/test_matrix.py picks each from the demo world.
A new page or endpoint needs its row here: that test fails and names it otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.conftest import DEMO_USERNAMES

# The demo accounts of the README, and a visitor who has not signed in.
ROLES = ("anonymous", *DEMO_USERNAMES, "clair.counsellor", "co.hyogo.advisor")

# CLAIR's staff, its manager and its counsellor; the embassies; Hyogo's board of
# education (a member of staff and the prefectural advisor) and Sapporo's.
CLAIR = ("clair", "clair.manager", "clair.counsellor")
MISSIONS = ("embassy.us", "embassy.uk")
HYOGO = ("co.hyogo", "co.hyogo.advisor")
CONTRACTING = (*HYOGO, "co.sapporo")
STAFF = (*CLAIR, "mofa", *MISSIONS, "mic", "mext", *CONTRACTING)
PEOPLE = ("applicant", "participant")
SIGNED_IN = (*STAFF, *PEOPLE)
EVERYONE = ("anonymous", *SIGNED_IN)

OK, CREATED, ACCEPTED, NO_CONTENT, FOUND = 200, 201, 202, 204, 302
BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND = 400, 401, 403, 404
# A write that got through the door: done, queued, redirected, or refused for its content.
ALLOWED = frozenset({OK, CREATED, ACCEPTED, NO_CONTENT, FOUND, BAD_REQUEST})
# A redirect to the sign-in page, the site's or the admin's.
LOGIN = "sign-in page"
ADMIN_LOGIN = "admin sign-in page"

Expected = int | frozenset | str


@dataclass(frozen=True)
class Ref:
    """In a body: the id of an object named by meaning, as for `kwargs`."""

    meaning: str


# In a body: a small PDF, sent as a file (the body then goes as multipart).
UPLOAD = "<a small PDF>"


@dataclass(frozen=True)
class Answer:
    """Who gets what for one method: lines of (expected, roles), the first that names
    the role wins."""

    lines: tuple[tuple[Expected, tuple[str, ...]], ...] = ()

    def then(self, expected: Expected, *roles: str | tuple[str, ...]) -> Answer:
        return Answer((*self.lines, (expected, _flat(roles))))

    def for_role(self, role: str) -> Expected | None:
        for expected, roles in self.lines:
            if role in roles:
                return expected
        return None


def allow(expected: Expected, *roles: str | tuple[str, ...]) -> Answer:
    """`roles` get `expected`; more lines with `.then(expected, *roles)`."""
    return Answer().then(expected, *roles)


def nobody() -> Answer:
    """No demo account may use it: everyone signed in gets the row's `deny`."""
    return Answer()


def _flat(roles) -> tuple[str, ...]:
    flat: list[str] = []
    for item in roles:
        flat.extend(item if isinstance(item, tuple) else (item,))
    unknown = set(flat) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    return tuple(flat)


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: str | None = None  # the object in the URL, by meaning
    deny: Expected = FORBIDDEN  # for everyone signed in whom no line names
    GET: Answer | None = None
    POST: Answer | None = None
    PUT: Answer | None = None
    PATCH: Answer | None = None
    DELETE: Answer | None = None
    body: dict | None = field(default=None, compare=False)  # what writes send

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(method for method in METHODS if getattr(self, method) is not None)

    def expected(self, role: str, method: str) -> Expected:
        found = getattr(self, method).for_role(role)
        if found is not None:
            return found
        if role == "anonymous":
            return UNAUTHORIZED if self.is_api else LOGIN
        return self.deny


ROUTES = [
    # --- signing in, the site's shell -----------------------------------------------------
    Route("home", GET=allow(FOUND, SIGNED_IN)),  # to the user's workspace
    Route("healthz", GET=allow(OK, EVERYONE)),
    Route("language-set", POST=allow(FOUND, EVERYONE)),
    Route(
        "login", GET=allow(OK, "anonymous").then(FOUND, SIGNED_IN), POST=allow(ALLOWED, EVERYONE)
    ),
    Route("logout", POST=allow(LOGIN, EVERYONE)),
    Route(
        "signup", GET=allow(OK, "anonymous").then(FOUND, SIGNED_IN), POST=allow(ALLOWED, EVERYONE)
    ),
    Route("signup-sent", GET=allow(OK, EVERYONE)),
    # The emailed link's page; without a valid token it says so (GET 200, POST 400).
    Route("email-confirm", GET=allow(OK, EVERYONE), POST=allow(ALLOWED, EVERYONE)),
    Route("password_change", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, SIGNED_IN)),
    Route("password_change_done", GET=allow(OK, SIGNED_IN)),
    # Each person's own settings: no one reaches anyone else's.
    Route("core:account-settings", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, SIGNED_IN)),
    Route("notifications:inbox", GET=allow(OK, SIGNED_IN)),
    Route(
        "notifications:read",
        kwargs="notification_of_applicant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "applicant"),
    ),
    Route("notifications:read-all", POST=allow(ALLOWED, SIGNED_IN)),
    # --- organisations and background jobs ------------------------------------------------
    # The list is everyone's, of the organisations they may see; CLAIR and MIC see every
    # organisation, the others their own (MOFA headquarters its embassies and consulates).
    Route("core:organisation-list", GET=allow(OK, SIGNED_IN)),
    Route(
        "core:organisation-detail",
        kwargs="organisation_of_hyogo",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mic", HYOGO),
    ),
    Route("core:my-organisation", GET=allow(FOUND, STAFF)),  # people belong to none
    # A job is seen only by the person who started it.
    Route("core:job-detail", kwargs="job_of_hyogo", deny=NOT_FOUND, GET=allow(OK, "co.hyogo")),
    Route("core:job-download", kwargs="job_of_hyogo", deny=NOT_FOUND, GET=allow(OK, "co.hyogo")),
    # Saved filters of a list are each person's own: anyone else's is 404.
    Route("core:saved-filter-save", POST=allow(ALLOWED, SIGNED_IN)),
    Route(
        "core:saved-filter-delete",
        kwargs="saved_filter_of_embassy_us",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "embassy.us"),
    ),
    # --- CLAIR's own pages: placement, suggestion runs, re-appointment ---------------------
    Route("clair:workspace", GET=allow(OK, CLAIR)),
    Route("clair:alternate-requests", GET=allow(OK, CLAIR), POST=allow(ALLOWED, CLAIR)),
    Route("clair:board", GET=allow(OK, CLAIR)),
    Route("clair:place", POST=allow(ALLOWED, CLAIR)),
    Route("clair:placements", GET=allow(OK, CLAIR)),
    Route("clair:runs", GET=allow(OK, CLAIR), POST=allow(ALLOWED, CLAIR)),
    Route("clair:run-detail", kwargs="suggestion_run", GET=allow(OK, CLAIR)),
    # Only a CLAIR manager approves a run, or rejects one of its lines.
    Route(
        "clair:run-approve",
        kwargs="suggestion_run",
        POST=allow(ALLOWED, "clair.manager"),
        body={"all": "1"},
    ),
    Route("clair:run-compare", kwargs="suggestion_run", GET=allow(OK, CLAIR)),
    Route(
        "clair:run-line",
        kwargs="line_of_suggestion_run",
        GET=allow(OK, CLAIR),
        POST=allow(ALLOWED, "clair.manager"),
        body={"action": "reject", "reason": "Not this position."},
    ),
    Route("clair:reappointment", GET=allow(OK, CLAIR), POST=allow(ALLOWED, CLAIR)),
    Route("clair:reappointment-round", kwargs="open_round", GET=allow(OK, CLAIR)),
    Route("clair:reappointment-remind", kwargs="open_round", POST=allow(ALLOWED, CLAIR)),
    Route("clair:reappointment-confirm", kwargs="open_round", POST=allow(ALLOWED, CLAIR)),
    Route("clair:reappointment-export", kwargs="open_round", POST=allow(ALLOWED, CLAIR)),
    Route(
        "clair:reappointment-case",
        kwargs="case_of_participant_in_round",
        GET=allow(OK, CLAIR),
        POST=allow(ALLOWED, CLAIR),
    ),
    # --- MIC's and MEXT's own pages --------------------------------------------------------
    Route("mic:workspace", GET=allow(OK, "mic")),
    Route("mic:numbers", GET=allow(OK, "mic")),
    Route("mic:number-set", GET=allow(OK, "mic"), POST=allow(ALLOWED, "mic")),
    Route("mic:numbers-publish", POST=allow(ALLOWED, "mic")),
    Route("mic:counts", GET=allow(OK, "mic")),
    Route("mic:positions", GET=allow(OK, "mic")),
    Route("mic:positions-review", POST=allow(ALLOWED, "mic")),
    Route("mic:position-counts", GET=allow(OK, "mic")),
    Route("mic:costs", GET=allow(FOUND, "mic")),  # to this year's parameters
    Route(
        "mic:cost-parameters",
        kwargs="current_year",
        GET=allow(OK, "mic"),
        POST=allow(ALLOWED, "mic"),
    ),
    Route("mic:reappointment", GET=allow(OK, "mic")),
    Route("mic:reappointment-round", kwargs="open_round", GET=allow(OK, "mic")),
    Route("mic:reappointment-export", kwargs="open_round", POST=allow(ALLOWED, "mic")),
    Route("mext:workspace", GET=allow(OK, "mext")),
    # --- MOFA: headquarters, the missions, the applicant -----------------------------------
    Route("mofa:hq-workspace", GET=allow(OK, "mofa")),
    Route("mofa:hq-overview", GET=allow(OK, "mofa")),
    Route("mofa:mission-workspace", GET=allow(OK, MISSIONS)),
    Route("mofa:mission-applications", GET=allow(OK, MISSIONS), POST=allow(ALLOWED, MISSIONS)),
    Route(
        "mofa:mission-applications-export", POST=allow(ALLOWED, MISSIONS), body={"format": "csv"}
    ),
    # The US embassy's application: the UK embassy does not see it.
    Route(
        "mofa:mission-application-detail",
        kwargs="application_of_applicant",
        GET=allow(OK, "embassy.us").then(NOT_FOUND, "embassy.uk"),
        POST=allow(ALLOWED, "embassy.us").then(NOT_FOUND, "embassy.uk"),
        body={"action": "score"},
    ),
    Route("mofa:mission-interviews", GET=allow(OK, MISSIONS), POST=allow(ALLOWED, MISSIONS)),
    # The rubric is set by a mission's managers (neither embassy account is one).
    Route("mofa:mission-rubric", GET=allow(OK, MISSIONS), POST=nobody()),
    Route("mofa:mission-release", GET=allow(OK, MISSIONS), POST=allow(ALLOWED, MISSIONS)),
    Route("mofa:mission-counts", GET=allow(OK, MISSIONS)),
    Route("mofa:mission-placements", GET=allow(OK, MISSIONS)),
    # A mission words its own notices to applicants; each sees and changes only its own.
    Route("mofa:mission-notices", GET=allow(OK, MISSIONS)),
    Route(
        "mofa:mission-notice-edit",
        kwargs="notice_kind",
        GET=allow(OK, MISSIONS),
        POST=allow(ALLOWED, MISSIONS),
    ),
    Route("mofa:mission-notice-reset", kwargs="notice_kind", POST=allow(ALLOWED, MISSIONS)),
    Route("mofa:applicant-workspace", GET=allow(OK, "applicant")),
    Route("mofa:applicant-start", GET=allow(FOUND, "applicant"), POST=allow(ALLOWED, "applicant")),
    Route("mofa:applicant-status", kwargs="application_of_applicant", GET=allow(OK, "applicant")),
    Route(
        "mofa:applicant-personal",
        kwargs="application_of_applicant",
        GET=allow(OK, "applicant"),
        POST=allow(ALLOWED, "applicant"),
    ),
    Route(
        "mofa:applicant-mission",
        kwargs="application_of_applicant",
        GET=allow(OK, "applicant"),
        POST=allow(ALLOWED, "applicant"),
    ),
    Route(
        "mofa:applicant-education",
        kwargs="application_of_applicant",
        GET=allow(OK, "applicant"),
        POST=allow(ALLOWED, "applicant"),
    ),
    Route(
        "mofa:applicant-qualifications",
        kwargs="application_of_applicant",
        GET=allow(OK, "applicant"),
        POST=allow(ALLOWED, "applicant"),
    ),
    Route(
        "mofa:applicant-placement",
        kwargs="application_of_applicant",
        GET=allow(OK, "applicant"),
        POST=allow(ALLOWED, "applicant"),
    ),
    Route(
        "mofa:applicant-history",
        kwargs="application_of_applicant",
        GET=allow(OK, "applicant"),
        POST=allow(ALLOWED, "applicant"),
    ),
    Route(
        "mofa:applicant-statement",
        kwargs="application_of_applicant",
        GET=allow(OK, "applicant"),
        POST=allow(ALLOWED, "applicant"),
    ),
    Route(
        "mofa:applicant-documents",
        kwargs="application_of_applicant",
        GET=allow(OK, "applicant"),
        POST=allow(ALLOWED, "applicant"),
    ),
    Route(
        "mofa:applicant-referees",
        kwargs="application_of_applicant",
        GET=allow(OK, "applicant"),
        POST=allow(ALLOWED, "applicant"),
    ),
    Route(
        "mofa:applicant-review",
        kwargs="application_of_applicant",
        GET=allow(OK, "applicant"),
        POST=allow(ALLOWED, "applicant"),
    ),
    Route(
        "mofa:applicant-education-remove",
        kwargs="education_of_applicant",
        POST=allow(ALLOWED, "applicant"),
    ),
    Route(
        "mofa:applicant-withdraw",
        kwargs="application_of_applicant",
        GET=allow(OK, "applicant"),
        POST=allow(ALLOWED, "applicant"),
    ),
    Route(
        "mofa:applicant-interview",
        kwargs="application_of_applicant",
        GET=allow(OK, "applicant"),
        POST=allow(ALLOWED, "applicant"),
    ),
    Route(
        "mofa:applicant-reply",
        kwargs="application_of_applicant",
        GET=allow(OK, "applicant"),
        POST=allow(ALLOWED, "applicant"),
    ),
    # Nothing asked for a correction: back to the application.
    Route(
        "mofa:applicant-follow-up",
        kwargs="application_of_applicant",
        GET=allow(FOUND, "applicant"),
        POST=allow(ALLOWED, "applicant"),
    ),
    # The referee's private link is the credential: nobody signs in for it.
    Route("mofa:referee-done", GET=allow(OK, EVERYONE)),
    Route(
        "mofa:referee-upload",
        kwargs="referee_link",
        GET=allow(OK, EVERYONE),
        POST=allow(ALLOWED, EVERYONE),
    ),
    # Documents: the applicant, the mission that sees the application, MOFA headquarters
    # (reads every application); CLAIR only once it is forwarded.
    Route(
        "mofa:document-download",
        kwargs="document_of_applicant",
        deny=NOT_FOUND,
        GET=allow(OK, "applicant", "embassy.us", "mofa"),
    ),
    # Its preview in the browser: the same people, through the same check.
    Route(
        "mofa:document-preview",
        kwargs="document_of_applicant",
        deny=NOT_FOUND,
        GET=allow(OK, "applicant", "embassy.us", "mofa"),
    ),
    # --- the contracting organisation's own pages ------------------------------------------
    Route("contracting:workspace", GET=allow(OK, CONTRACTING)),
    Route("contracting:positions", GET=allow(OK, CONTRACTING), POST=allow(ALLOWED, CONTRACTING)),
    Route(
        "contracting:position-edit",
        kwargs="position_requested_by_hyogo",
        GET=allow(OK, HYOGO).then(NOT_FOUND, "co.sapporo"),
        POST=allow(ALLOWED, HYOGO).then(NOT_FOUND, "co.sapporo"),
    ),
    Route("contracting:placements", GET=allow(OK, CONTRACTING)),
    Route(
        "contracting:placement-answer",
        kwargs="placement_awaiting_hyogo",
        POST=allow(ALLOWED, HYOGO).then(NOT_FOUND, "co.sapporo"),
    ),
    Route(
        "contracting:contract",
        kwargs="contract_of_participant",
        GET=allow(OK, HYOGO).then(NOT_FOUND, "co.sapporo"),
        POST=allow(ALLOWED, HYOGO).then(NOT_FOUND, "co.sapporo"),
    ),
    Route("contracting:reappointment", GET=allow(OK, CONTRACTING)),
    Route(
        "contracting:reappointment-answer",
        kwargs="case_of_participant",
        POST=allow(ALLOWED, HYOGO).then(NOT_FOUND, "co.sapporo"),
    ),
    # Sapporo has cases in the round too: it answers for its own.
    Route("contracting:reappointment-bulk", kwargs="open_round", POST=allow(ALLOWED, CONTRACTING)),
    # --- the participant's own pages (a candidate's placement page is theirs too) ----------
    Route("participants:workspace", GET=allow(OK, "participant")),
    Route("participants:placement", GET=allow(OK, PEOPLE), POST=allow(ALLOWED, PEOPLE)),
    Route(
        "participants:contract",
        kwargs="contract_of_participant",
        GET=allow(OK, "participant").then(NOT_FOUND, "applicant"),
        POST=allow(ALLOWED, "participant").then(NOT_FOUND, "applicant"),
    ),
    Route("participants:reappointment", GET=allow(OK, "participant")),
    Route(
        "participants:reappointment-answer",
        kwargs="case_of_participant",
        POST=allow(ALLOWED, "participant"),
    ),
    # --- placement, shared: the contract PDF and the placement export ----------------------
    # Contracts: CLAIR reads all, the organisation and the participant their own; no
    # mission, MOFA, MIC or MEXT (counts and costs only).
    Route(
        "placement:contract-pdf",
        kwargs="contract_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, HYOGO, "participant"),
    ),
    Route("placement:placements-export", POST=allow(ALLOWED, CLAIR, "mofa", MISSIONS, CONTRACTING)),
    # --- events ----------------------------------------------------------------------------
    # CLAIR's Skill Development Conference for Hyogo: CLAIR runs it, MEXT presents in it,
    # Hyogo's organisations are its audience, the participant is registered, MOFA reads
    # every event. MIC has no part in events.
    Route("events:event-list", GET=allow(OK, CLAIR, "mofa", MISSIONS, "mext", CONTRACTING, PEOPLE)),
    Route(
        "events:event-create",
        GET=allow(OK, CLAIR, MISSIONS, CONTRACTING),
        POST=allow(ALLOWED, CLAIR, MISSIONS, CONTRACTING),
    ),
    Route(
        "events:event-detail",
        kwargs="conference_of_clair",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mofa", "mext", HYOGO, "participant"),
        POST=allow(ALLOWED, "participant").then(FORBIDDEN, CLAIR, "mofa", "mext", HYOGO),
    ),
    Route(
        "events:event-edit",
        kwargs="conference_of_clair",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR).then(FORBIDDEN, "mofa", "mext", HYOGO, "participant"),
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, "mofa", "mext", HYOGO, "participant"),
    ),
    Route(
        "events:session-create",
        kwargs="conference_of_clair",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mext").then(FORBIDDEN, "mofa", HYOGO, "participant"),
        POST=allow(ALLOWED, CLAIR, "mext").then(FORBIDDEN, "mofa", HYOGO, "participant"),
    ),
    # The door (check-in page) is the organiser's; the timetable and the .ics are for
    # whoever sees the event.
    Route(
        "events:check-in",
        kwargs="conference_of_clair",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR).then(FORBIDDEN, "mofa", "mext", HYOGO, "participant"),
    ),
    Route(
        "events:timetable",
        kwargs="conference_of_clair",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mofa", "mext", HYOGO, "participant"),
    ),
    Route(
        "events:event-calendar",
        kwargs="conference_of_clair",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mofa", "mext", HYOGO, "participant"),
    ),
    # Only people register (the applicant is not its audience: the event is invisible).
    Route(
        "events:event-register",
        kwargs="conference_of_clair",
        POST=allow(ALLOWED, "participant").then(NOT_FOUND, "applicant"),
    ),
    Route(
        "events:registrations-export",
        kwargs="conference_of_clair",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, "mofa", "mext", HYOGO, "participant"),
    ),
    # MEXT's workshop at that conference: MEXT and CLAIR change it.
    Route(
        "events:session-edit",
        kwargs="session_of_mext",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mext").then(FORBIDDEN, "mofa", HYOGO, "participant"),
        POST=allow(ALLOWED, CLAIR, "mext").then(FORBIDDEN, "mofa", HYOGO, "participant"),
    ),
    Route(
        "events:session-delete",
        kwargs="session_of_mext",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR, "mext").then(FORBIDDEN, "mofa", HYOGO, "participant"),
    ),
    # The participant's registration: they and CLAIR cancel it; their mission (the US
    # embassy) sees it but changes nothing; CLAIR checks people in.
    Route(
        "events:registration-cancel",
        kwargs="registration_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR, "participant").then(FORBIDDEN, "embassy.us"),
    ),
    Route(
        "events:registration-check-in",
        kwargs="registration_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, "embassy.us", "participant"),
    ),
    Route(
        "events:registration-check-in-undo",
        kwargs="registration_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, "embassy.us", "participant"),
    ),
    Route(
        "events:registration-promote",
        kwargs="registration_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, "embassy.us", "participant"),
    ),
    # The mission's staff too: their interview panels (apps.core.schedule).
    Route("events:schedule", GET=allow(OK, PEOPLE, MISSIONS)),
    Route("events:calendar-feed-reset", POST=allow(ALLOWED, PEOPLE, MISSIONS)),
    # The calendar feed's secret address is the credential.
    Route("calendar:calendar-feed", kwargs="calendar_of_participant", GET=allow(OK, EVERYONE)),
    # --- counselling: nobody but the participant, the counsellors and, for a shared
    # summary, the host prefecture's advisor learns that a case exists --------------------
    Route("support:list", GET=allow(OK, SIGNED_IN)),  # each their own cases, most none
    Route("support:case-create", GET=allow(OK, "participant"), POST=allow(ALLOWED, "participant")),
    Route(
        "support:case-detail",
        kwargs="support_case_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, "participant", "clair.counsellor", "co.hyogo.advisor"),
    ),
    # The advisor reads the shared summary, never the thread.
    Route(
        "support:case-message",
        kwargs="support_case_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "participant", "clair.counsellor"),
        body={"body": "Thank you."},
    ),
    Route(
        "support:case-take",
        kwargs="support_case_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "clair.counsellor").then(FORBIDDEN, "participant", "co.hyogo.advisor"),
    ),
    Route(
        "support:case-status",
        kwargs="support_case_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "clair.counsellor").then(FORBIDDEN, "participant", "co.hyogo.advisor"),
        body={"status": "WAITING"},
    ),
    Route(
        "support:case-reassign",
        kwargs="new_case_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "clair.counsellor").then(FORBIDDEN, "participant"),
        body={"to": Ref("counsellor"), "reason": "Handing over."},
    ),
    Route(
        "support:case-share",
        kwargs="support_case_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "participant").then(FORBIDDEN, "clair.counsellor", "co.hyogo.advisor"),
        body={"shared_summary": "Time off to see a doctor."},
    ),
    Route(
        "support:attachment",
        kwargs="attachment_in_support_case",
        deny=NOT_FOUND,
        GET=allow(OK, "participant", "clair.counsellor"),
    ),
    # --- the counselling subsidy: the participant, their organisation, CLAIR -------------
    Route("subsidy:claim-list", GET=allow(OK, CLAIR, CONTRACTING, "participant")),
    Route("subsidy:claim-create", GET=allow(OK, "participant"), POST=allow(ALLOWED, "participant")),
    Route(
        "subsidy:claim-detail",
        kwargs="claim_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, HYOGO, "participant"),
    ),
    Route(
        "subsidy:claim-fix",
        kwargs="claim_returned_to_participant",
        deny=NOT_FOUND,
        GET=allow(OK, "participant").then(FORBIDDEN, CLAIR, HYOGO),
        POST=allow(ALLOWED, "participant").then(FORBIDDEN, CLAIR, HYOGO),
    ),
    # A submitted claim waits for the organisation's check.
    Route(
        "subsidy:claim-decide",
        kwargs="claim_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, HYOGO).then(FORBIDDEN, CLAIR, "participant"),
        body={"action": "forward"},
    ),
    Route(
        "subsidy:receipt-download",
        kwargs="receipt_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, HYOGO, "participant"),
    ),
    # --- the Japanese course: CLAIR runs it, participants take it --------------------------
    Route("course:intake-list", GET=allow(OK, CLAIR, "participant")),
    Route("course:intake-detail", kwargs="current_intake", GET=allow(OK, CLAIR, "participant")),
    Route("course:enrol", kwargs="current_intake", POST=allow(ALLOWED, "participant")),
    Route("course:withdraw", kwargs="enrolment_of_participant", POST=allow(ALLOWED, "participant")),
    Route(
        "course:material-download",
        kwargs="released_material",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "participant"),
    ),
    Route("course:submit", kwargs="open_test", POST=allow(ALLOWED, "participant")),
    Route(
        "course:submission-download",
        kwargs="submission_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "participant"),
    ),
    Route(
        "course:certificate-download",
        kwargs="enrolment_with_certificate",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "participant"),
    ),
    Route("course:intake-create", GET=allow(OK, CLAIR), POST=allow(ALLOWED, CLAIR)),
    Route(
        "course:intake-edit",
        kwargs="current_intake",
        GET=allow(OK, CLAIR),
        POST=allow(ALLOWED, CLAIR),
    ),
    Route(
        "course:material-create",
        kwargs="current_intake",
        GET=allow(OK, CLAIR),
        POST=allow(ALLOWED, CLAIR),
    ),
    Route(
        "course:test-create",
        kwargs="current_intake",
        GET=allow(OK, CLAIR),
        POST=allow(ALLOWED, CLAIR),
    ),
    Route("course:mark", kwargs="submission_of_participant", POST=allow(ALLOWED, CLAIR)),
    Route("course:export", kwargs="current_intake", POST=allow(ALLOWED, CLAIR)),
    # --- the libraries: CLAIR and MEXT publish; each reads its audience's documents -------
    # MEXT's curriculum for ALTs: CLAIR reads every document, the participant (an ALT)
    # reads it; an organisation reads those for organisations and schools only.
    Route("library:document-list", GET=allow(OK, SIGNED_IN)),  # what each may read, maybe none
    Route(
        "library:document-create", GET=allow(OK, CLAIR, "mext"), POST=allow(ALLOWED, CLAIR, "mext")
    ),
    Route(
        "library:document-detail",
        kwargs="document_of_mext",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mext", "participant"),
    ),
    Route(
        "library:document-edit",
        kwargs="document_of_mext",
        deny=NOT_FOUND,
        GET=allow(OK, "mext").then(FORBIDDEN, CLAIR, "participant"),
        POST=allow(ALLOWED, "mext").then(FORBIDDEN, CLAIR, "participant"),
    ),
    Route(
        "library:version-add",
        kwargs="document_of_mext",
        deny=NOT_FOUND,
        GET=allow(OK, "mext").then(FORBIDDEN, CLAIR, "participant"),
        POST=allow(ALLOWED, "mext").then(FORBIDDEN, CLAIR, "participant"),
    ),
    Route(
        "library:version-file",
        kwargs="version_of_mext_document",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mext", "participant"),
    ),
    # --- correspondence: threads between CLAIR, the ministries and who they add -----------
    # The thread of CLAIR and MIC: nobody else reads it.
    Route("correspondence:thread-list", GET=allow(OK, STAFF)),
    Route(
        "correspondence:thread-create",
        GET=allow(OK, CLAIR, "mofa", "mic", "mext"),
        POST=allow(ALLOWED, CLAIR, "mofa", "mic", "mext"),
    ),
    Route(
        "correspondence:thread-detail",
        kwargs="thread_of_clair_and_mic",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mic").then(FORBIDDEN, PEOPLE),
        POST=allow(ALLOWED, CLAIR, "mic").then(FORBIDDEN, PEOPLE),
    ),
    Route(
        "correspondence:attachment",
        kwargs="attachment_in_thread",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mic").then(FORBIDDEN, PEOPLE),
    ),
    # --- promotion and alumni --------------------------------------------------------------
    # The US embassy's promotional activity: MOFA headquarters and CLAIR read it, the US
    # embassy changes it.
    Route("outreach:promotion-list", GET=allow(OK, CLAIR, "mofa", MISSIONS)),
    Route(
        "outreach:promotion-create",
        GET=allow(OK, CLAIR, MISSIONS),
        POST=allow(ALLOWED, CLAIR, MISSIONS),
    ),
    Route(
        "outreach:promotion-detail",
        kwargs="promotion_of_embassy_us",
        GET=allow(OK, CLAIR, "mofa", "embassy.us").then(NOT_FOUND, "embassy.uk"),
    ),
    Route(
        "outreach:promotion-edit",
        kwargs="promotion_of_embassy_us",
        GET=allow(OK, "embassy.us").then(NOT_FOUND, "embassy.uk"),
        POST=allow(ALLOWED, "embassy.us").then(NOT_FOUND, "embassy.uk"),
    ),
    Route("outreach:alumni-list", GET=allow(OK, MISSIONS)),
    Route("outreach:alumni-export", POST=allow(ALLOWED, MISSIONS)),
    Route("outreach:alumni-mine", GET=allow(OK, "participant"), POST=allow(ALLOWED, "participant")),
    # Only the former participant withdraws their consent (not one of our accounts).
    Route(
        "outreach:alumni-withdraw",
        kwargs="consent_on_uk_roll",
        POST=allow(NOT_FOUND, "participant"),
    ),
    # --- programme costs and statistics: figures, never a person ---------------------------
    Route("costs:overview", GET=allow(OK, CLAIR, "mic", CONTRACTING)),
    Route("costs:export", POST=allow(ALLOWED, CLAIR, "mic", CONTRACTING)),
    Route("statistics:overview", GET=allow(OK, CLAIR, "mofa", MISSIONS, "mic", "mext")),
    Route("statistics:export", POST=allow(ALLOWED, CLAIR, "mofa", MISSIONS, "mic", "mext")),
    # --- safety confirmation ---------------------------------------------------------------
    # The open check covers Hyogo (the participant, a US national) and Kobe (a UK
    # national): Sapporo has nobody in it; MOFA headquarters counts by country.
    Route("safety:check-list", GET=allow(OK, CLAIR, "mofa", MISSIONS, CONTRACTING)),
    Route("safety:check-start", GET=allow(OK, CLAIR), POST=allow(ALLOWED, CLAIR)),
    Route(
        "safety:check-detail",
        kwargs="open_safety_check",
        GET=allow(OK, CLAIR, "mofa", MISSIONS, HYOGO).then(NOT_FOUND, "co.sapporo"),
    ),
    Route(
        "safety:check-board",
        kwargs="open_safety_check",
        GET=allow(OK, CLAIR, "mofa", MISSIONS, HYOGO).then(NOT_FOUND, "co.sapporo"),
    ),
    Route(
        "safety:check-close",
        kwargs="open_safety_check",
        # GET: the confirmation ("12 people have not answered"); POST closes only with it.
        GET=allow(OK, CLAIR).then(NOT_FOUND, "co.sapporo"),
        POST=allow(ALLOWED, CLAIR).then(NOT_FOUND, "co.sapporo"),
    ),
    # How many participants a check would ask, on the start page as prefectures are chosen.
    Route("safety:check-recipients", GET=allow(OK, CLAIR)),
    Route(
        "safety:check-remind",
        kwargs="open_safety_check",
        POST=allow(ALLOWED, CLAIR).then(NOT_FOUND, "co.sapporo"),
    ),
    Route(
        "safety:check-export",
        kwargs="open_safety_check",
        POST=allow(ALLOWED, CLAIR, "mofa", MISSIONS, HYOGO).then(NOT_FOUND, "co.sapporo"),
    ),
    # The participant's answer: their organisation records one for them.
    Route(
        "safety:answer-detail",
        kwargs="answer_of_participant",
        GET=allow(OK, CLAIR, "embassy.us", HYOGO).then(NOT_FOUND, "embassy.uk", "co.sapporo"),
        POST=allow(ALLOWED, HYOGO).then(NOT_FOUND, "embassy.uk", "co.sapporo"),
        body={"action": "record"},
    ),
    # The personal link answers without signing in.
    Route(
        "safety:answer",
        kwargs="answer_link_of_participant",
        GET=allow(OK, EVERYONE),
        POST=allow(ALLOWED, EVERYONE),
    ),
    # The email's one-tap links: GET shows the page that sends the answer, POST answers.
    Route(
        "safety:answer-tap",
        kwargs="answer_tap_of_participant",
        GET=allow(OK, EVERYONE),
        POST=allow(ALLOWED, EVERYONE),
    ),
    # The participant answers signed in: their own answers only.
    Route("safety:own-answers", GET=allow(OK, "participant"), POST=allow(ALLOWED, "participant")),
    Route(
        "safety:own-answer",
        kwargs="answer_of_participant",
        GET=allow(FOUND, "participant"),
        POST=allow(ALLOWED, "participant"),
    ),
    # === the API (jetadmin/api.py) =========================================================
    Route("api:api-root", GET=allow(OK, SIGNED_IN)),
    Route("api:token-obtain", POST=allow(ALLOWED, EVERYONE)),
    Route("api:token-logout", POST=allow(NO_CONTENT, SIGNED_IN)),  # the token it carries
    Route("api:token-list", GET=allow(OK, SIGNED_IN)),  # each their own
    Route(
        "api:token-detail",
        kwargs="token_of_applicant",
        deny=NOT_FOUND,
        GET=allow(OK, "applicant"),
        DELETE=allow(NO_CONTENT, "applicant"),
    ),
    Route("schema", GET=allow(OK, EVERYONE)),
    Route("api-docs", GET=allow(OK, EVERYONE)),
    Route("api:me", GET=allow(OK, SIGNED_IN), PATCH=allow(ALLOWED, SIGNED_IN)),
    Route("api:me-schedule", GET=allow(OK, SIGNED_IN)),  # each their own, staff none
    # Each their own: an applicant's interview, a mission's panels (apps.core.schedule).
    Route("api:me-schedule-items", GET=allow(OK, SIGNED_IN)),
    Route("api:me-next-step", GET=allow(OK, "applicant")),
    Route("api:me-calendar-feed", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, SIGNED_IN)),
    Route("api:organisation-list", GET=allow(OK, SIGNED_IN)),
    Route(
        "api:organisation-detail",
        kwargs="organisation_of_hyogo",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mic", HYOGO),
    ),
    # Reference data, the same for everyone signed in.
    Route("api:prefecture-list", GET=allow(OK, SIGNED_IN)),
    Route("api:prefecture-detail", kwargs="prefecture_of_hyogo", GET=allow(OK, SIGNED_IN)),
    Route("api:notification-list", GET=allow(OK, SIGNED_IN)),
    Route(
        "api:notification-detail",
        kwargs="notification_of_applicant",
        deny=NOT_FOUND,
        GET=allow(OK, "applicant"),
    ),
    Route(
        "api:notification-read",
        kwargs="notification_of_applicant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "applicant"),
    ),
    # --- recruitment: MIC's numbers, applications, interview slots ------------------------
    # The US numbers: MIC sets them; MOFA and CLAIR read every country's, a mission its own.
    Route("api:guideline-list", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, "mic")),
    # The places left against the numbers one may read (none for those who read none).
    Route("api:guideline-remaining", GET=allow(OK, SIGNED_IN)),
    # Each person's own saved filters of lists.
    Route("api:saved-filter-list", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, SIGNED_IN)),
    Route(
        "api:saved-filter-detail",
        kwargs="saved_filter_of_embassy_us",
        deny=NOT_FOUND,
        GET=allow(OK, "embassy.us"),
        DELETE=allow(ALLOWED, "embassy.us"),
    ),
    Route(
        "api:guideline-detail",
        kwargs="guideline_us_alt",
        deny=NOT_FOUND,
        GET=allow(OK, "mic", CLAIR, "mofa", "embassy.us"),
        PUT=allow(ALLOWED, "mic").then(FORBIDDEN, CLAIR, "mofa", "embassy.us"),
    ),
    Route(
        "api:guideline-publish",
        kwargs="guideline_us_alt",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "mic").then(FORBIDDEN, CLAIR, "mofa", "embassy.us"),
    ),
    Route("api:application-list", GET=allow(OK, SIGNED_IN)),
    Route("api:application-release", POST=allow(ALLOWED, MISSIONS)),
    # The applicant's application: the US embassy reviews and decides, MOFA headquarters
    # reads, the applicant acts on their own; CLAIR sees it only once it is forwarded.
    Route(
        "api:application-detail",
        kwargs="application_of_applicant",
        deny=NOT_FOUND,
        GET=allow(OK, "applicant", "embassy.us", "mofa"),
    ),
    Route(
        "api:application-book",
        kwargs="application_of_applicant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "applicant", "embassy.us").then(FORBIDDEN, "mofa"),
    ),
    Route(
        "api:application-decide",
        kwargs="application_of_applicant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "embassy.us").then(FORBIDDEN, "mofa", "applicant"),
    ),
    Route(
        "api:application-forward",
        kwargs="application_of_applicant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "embassy.us").then(FORBIDDEN, "mofa", "applicant"),
    ),
    Route(
        "api:application-invite",
        kwargs="application_of_applicant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "embassy.us").then(FORBIDDEN, "mofa", "applicant"),
    ),
    Route(
        "api:application-score",
        kwargs="application_of_applicant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "embassy.us").then(FORBIDDEN, "mofa", "applicant"),
    ),
    # The scores: the mission and MOFA headquarters read them (a reviewer who has not
    # scored yet sees only how many have, in the answer); never the applicant. Only the
    # mission's reviewers correct their own.
    Route(
        "api:application-scores",
        kwargs="application_of_applicant",
        deny=NOT_FOUND,
        GET=allow(OK, "embassy.us", "mofa").then(FORBIDDEN, "applicant"),
    ),
    Route(
        "api:application-correct-score",
        kwargs="application_of_applicant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "embassy.us").then(FORBIDDEN, "mofa", "applicant"),
    ),
    Route(
        "api:application-submit",
        kwargs="application_of_applicant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "applicant").then(FORBIDDEN, "mofa", "embassy.us"),
    ),
    Route(
        "api:application-upgrade",
        kwargs="application_of_applicant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "embassy.us").then(FORBIDDEN, "mofa", "applicant"),
    ),
    Route(
        "api:application-withdraw",
        kwargs="application_of_applicant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "applicant").then(FORBIDDEN, "mofa", "embassy.us"),
    ),
    # A mission's own notices to applicants: none for anyone else (the list is empty, a
    # kind 404).
    Route("api:notice-template-list", GET=allow(OK, SIGNED_IN)),
    Route(
        "api:notice-template-detail",
        kwargs="notice_kind",
        deny=NOT_FOUND,
        GET=allow(OK, MISSIONS),
        PUT=allow(ALLOWED, MISSIONS),
        PATCH=allow(ALLOWED, MISSIONS),
        DELETE=allow(ALLOWED, MISSIONS),
    ),
    Route(
        "api:notice-template-preview",
        kwargs="notice_kind",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, MISSIONS),
    ),
    Route("api:interview-slot-list", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, MISSIONS)),
    Route("api:interview-slot-day", POST=allow(ALLOWED, MISSIONS)),
    # A US slot: the US embassy, and the applicant it invited to interview.
    Route(
        "api:interview-slot-detail",
        kwargs="slot_of_embassy_us",
        deny=NOT_FOUND,
        GET=allow(OK, "embassy.us", "applicant"),
    ),
    # --- placement: positions, placements, contracts, suggestion runs ----------------------
    Route("api:position-list", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, CONTRACTING)),
    # The board's ranking for a candidate: CLAIR's (sent without one here: 400, refused).
    Route("api:position-fit", GET=allow(BAD_REQUEST, CLAIR)),
    # Requested, not yet reviewed: Hyogo's and MIC's (CLAIR sees approved positions).
    Route(
        "api:position-detail",
        kwargs="position_requested_by_hyogo",
        deny=NOT_FOUND,
        GET=allow(OK, "mic", HYOGO),
    ),
    Route(
        "api:position-approve",
        kwargs="position_requested_by_hyogo",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "mic").then(FORBIDDEN, HYOGO),
    ),
    Route(
        "api:position-return",
        kwargs="position_requested_by_hyogo",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "mic").then(FORBIDDEN, HYOGO),
    ),
    Route("api:placement-list", GET=allow(OK, SIGNED_IN)),
    Route("api:placement-confirm", POST=allow(ALLOWED, CLAIR)),
    # The participant's placement: CLAIR, MOFA headquarters, their mission, Hyogo, them.
    Route(
        "api:placement-detail",
        kwargs="placement_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mofa", "embassy.us", HYOGO, "participant"),
    ),
    Route(
        "api:placement-candidate-accept",
        kwargs="placement_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "participant").then(FORBIDDEN, CLAIR, "mofa", "embassy.us", HYOGO),
    ),
    Route(
        "api:placement-withdraw",
        kwargs="placement_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "participant").then(FORBIDDEN, CLAIR, "mofa", "embassy.us", HYOGO),
    ),
    # A Canadian candidate placed with Hyogo: Hyogo answers (no US or UK mission sees it).
    Route(
        "api:placement-accept",
        kwargs="placement_awaiting_hyogo",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, HYOGO).then(FORBIDDEN, CLAIR, "mofa"),
    ),
    Route(
        "api:placement-decline",
        kwargs="placement_awaiting_hyogo",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, HYOGO).then(FORBIDDEN, CLAIR, "mofa"),
    ),
    Route("api:contract-list", GET=allow(OK, SIGNED_IN)),
    Route(
        "api:contract-detail",
        kwargs="contract_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, HYOGO, "participant"),
    ),
    Route(
        "api:contract-pdf",
        kwargs="contract_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, HYOGO, "participant"),
    ),
    Route(
        "api:contract-terms",
        kwargs="contract_of_participant",
        deny=NOT_FOUND,
        PATCH=allow(ALLOWED, HYOGO).then(FORBIDDEN, CLAIR, "participant"),
    ),
    Route(
        "api:contract-issue",
        kwargs="contract_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, HYOGO).then(FORBIDDEN, CLAIR, "participant"),
    ),
    Route(
        "api:contract-sign",
        kwargs="contract_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "participant").then(FORBIDDEN, CLAIR, HYOGO),
    ),
    Route(
        "api:contract-countersign",
        kwargs="contract_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, HYOGO).then(FORBIDDEN, CLAIR, "participant"),
    ),
    Route(
        "api:contract-new-version",
        kwargs="contract_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, HYOGO).then(FORBIDDEN, CLAIR, "participant"),
    ),
    Route("api:placement-run-list", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, CLAIR)),
    Route(
        "api:placement-run-detail", kwargs="suggestion_run", deny=NOT_FOUND, GET=allow(OK, CLAIR)
    ),
    Route(
        "api:placement-run-compare", kwargs="suggestion_run", deny=NOT_FOUND, GET=allow(OK, CLAIR)
    ),
    Route("api:placement-run-lines", kwargs="suggestion_run", deny=NOT_FOUND, GET=allow(OK, CLAIR)),
    Route(
        "api:placement-run-approve",
        kwargs="suggestion_run",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "clair.manager").then(FORBIDDEN, "clair", "clair.counsellor"),
    ),
    Route(
        "api:placement-run-line-override",
        kwargs="line_of_suggestion_run_by_pk",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR),
    ),
    Route(
        "api:placement-run-line-remove-override",
        kwargs="line_of_suggestion_run_by_pk",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR),
    ),
    Route(
        "api:placement-run-line-reject",
        kwargs="line_of_suggestion_run_by_pk",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "clair.manager").then(FORBIDDEN, "clair", "clair.counsellor"),
    ),
    # --- events (the conference, workshop and registration of the pages above) ------------
    Route(
        "api:event-list",
        GET=allow(OK, SIGNED_IN),
        POST=allow(ALLOWED, CLAIR, MISSIONS, CONTRACTING),
    ),
    Route(
        "api:event-detail",
        kwargs="conference_of_clair",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mofa", "mext", HYOGO, "participant"),
        PATCH=allow(ALLOWED, CLAIR).then(FORBIDDEN, "mofa", "mext", HYOGO, "participant"),
    ),
    # A workshop for the conference (an event named in the body: invisible to the caller
    # is the same as missing, a validation error).
    Route(
        "api:session-list",
        GET=allow(OK, SIGNED_IN),
        POST=allow(ALLOWED, CLAIR, "mext", MISSIONS, "mic", "co.sapporo", "applicant").then(
            FORBIDDEN, "mofa", HYOGO, "participant"
        ),
        body={
            "event": Ref("conference_of_clair"),
            "title_en": "A workshop",
            "starts_at": "2030-01-01T10:00:00Z",
            "ends_at": "2030-01-01T11:00:00Z",
        },
    ),
    Route(
        "api:session-detail",
        kwargs="session_of_mext",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mofa", "mext", HYOGO, "participant"),
        PATCH=allow(ALLOWED, CLAIR, "mext").then(FORBIDDEN, "mofa", HYOGO, "participant"),
        DELETE=allow(ALLOWED, CLAIR, "mext").then(FORBIDDEN, "mofa", HYOGO, "participant"),
    ),
    Route("api:registration-list", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, PEOPLE)),
    Route(
        "api:registration-detail",
        kwargs="registration_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "embassy.us", "participant"),
    ),
    Route(
        "api:registration-cancel",
        kwargs="registration_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR, "participant").then(FORBIDDEN, "embassy.us"),
    ),
    Route(
        "api:registration-check-in",
        kwargs="registration_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, "embassy.us", "participant"),
    ),
    Route(
        "api:registration-check-in-undo",
        kwargs="registration_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, "embassy.us", "participant"),
    ),
    Route(
        "api:registration-promote",
        kwargs="registration_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, "embassy.us", "participant"),
    ),
    Route(
        "api:registration-sessions",
        kwargs="registration_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "participant").then(FORBIDDEN, CLAIR, "embassy.us"),
    ),
    # --- re-appointment: CLAIR runs the round, MIC counts, organisations and participants
    # answer their own cases (Sapporo has cases in the round, not the participant's) ------
    Route("api:reappointment-round-list", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, CLAIR)),
    Route(
        "api:reappointment-round-detail",
        kwargs="open_round",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mic", CONTRACTING, "participant"),
    ),
    Route(
        "api:reappointment-round-counts",
        kwargs="open_round",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mic", CONTRACTING).then(FORBIDDEN, "participant"),
    ),
    Route(
        "api:reappointment-round-confirm",
        kwargs="open_round",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, "mic", CONTRACTING, "participant"),
    ),
    Route(
        "api:reappointment-round-remind",
        kwargs="open_round",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, "mic", CONTRACTING, "participant"),
    ),
    Route("api:reappointment-case-list", GET=allow(OK, SIGNED_IN)),
    Route(
        "api:reappointment-case-detail",
        kwargs="case_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, HYOGO, "participant"),
    ),
    Route(
        "api:reappointment-case-reopen",
        kwargs="case_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, HYOGO, "participant"),
    ),
    Route(
        "api:reappointment-case-organisation-answer",
        kwargs="case_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, HYOGO).then(FORBIDDEN, CLAIR, "participant"),
    ),
    Route(
        "api:reappointment-case-participant-answer",
        kwargs="case_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "participant").then(FORBIDDEN, CLAIR, HYOGO),
    ),
    # --- counselling and its subsidy (the objects of the pages above) ----------------------
    Route("api:support-case-list", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, "participant")),
    Route(
        "api:support-case-detail",
        kwargs="support_case_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, "participant", "clair.counsellor", "co.hyogo.advisor"),
    ),
    Route(
        "api:support-case-attachment",
        kwargs="attachment_in_support_case",
        deny=NOT_FOUND,
        GET=allow(OK, "participant", "clair.counsellor"),
    ),
    Route(
        "api:support-case-messages",
        kwargs="support_case_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "participant", "clair.counsellor"),
    ),
    Route(
        "api:support-case-take",
        kwargs="support_case_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "clair.counsellor").then(FORBIDDEN, "participant", "co.hyogo.advisor"),
    ),
    Route(
        "api:support-case-status",
        kwargs="support_case_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "clair.counsellor").then(FORBIDDEN, "participant", "co.hyogo.advisor"),
    ),
    Route(
        "api:support-case-reassign",
        kwargs="new_case_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "clair.counsellor").then(FORBIDDEN, "participant"),
        body={"to": Ref("counsellor"), "reason": "Handing over."},
    ),
    Route(
        "api:support-case-share",
        kwargs="support_case_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "participant").then(FORBIDDEN, "clair.counsellor", "co.hyogo.advisor"),
    ),
    Route("api:subsidy-claim-list", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, "participant")),
    Route("api:subsidy-claim-allowance", GET=allow(OK, "participant")),
    Route(
        "api:subsidy-claim-detail",
        kwargs="claim_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, HYOGO, "participant"),
    ),
    Route(
        "api:subsidy-claim-forward",
        kwargs="claim_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, HYOGO).then(FORBIDDEN, CLAIR, "participant"),
    ),
    Route(
        "api:subsidy-claim-approve",
        kwargs="claim_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, HYOGO, "participant"),
    ),
    Route(
        "api:subsidy-claim-return-",
        kwargs="claim_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR, HYOGO).then(FORBIDDEN, "participant"),
    ),
    Route(
        "api:subsidy-claim-resubmit",
        kwargs="claim_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "participant").then(FORBIDDEN, CLAIR, HYOGO),
    ),
    Route(
        "api:subsidy-receipt-download",
        kwargs="receipt_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, HYOGO, "participant"),
    ),
    # --- the course and the libraries ------------------------------------------------------
    Route("api:course-list", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, CLAIR)),
    Route(
        "api:course-detail",
        kwargs="current_intake",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "participant"),
        PUT=allow(ALLOWED, CLAIR).then(FORBIDDEN, "participant"),
        PATCH=allow(ALLOWED, CLAIR).then(FORBIDDEN, "participant"),
    ),
    Route(
        "api:course-enrol",
        kwargs="current_intake",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "participant").then(FORBIDDEN, CLAIR),
    ),
    Route(
        "api:course-export",
        kwargs="current_intake",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, "participant"),
    ),
    Route(
        "api:course-materials",
        kwargs="current_intake",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "participant"),
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, "participant"),
        body={"title_en": "Unit 9", "release_on": "2030-01-01", "file": UPLOAD},
    ),
    Route(
        "api:course-tests",
        kwargs="current_intake",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "participant"),
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, "participant"),
        body={"number": 99, "title_en": "Test 99", "due_at": "2030-01-01T00:00:00Z"},
    ),
    Route(
        "api:course-stats",
        kwargs="current_intake",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR).then(FORBIDDEN, "participant"),
    ),
    Route("api:enrolment-list", GET=allow(OK, SIGNED_IN)),
    Route(
        "api:enrolment-detail",
        kwargs="enrolment_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "participant"),
    ),
    Route(
        "api:enrolment-certificate",
        kwargs="enrolment_with_certificate",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "participant"),
    ),
    Route(
        "api:enrolment-withdraw",
        kwargs="enrolment_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "participant").then(FORBIDDEN, CLAIR),
    ),
    Route("api:course-material-list", GET=allow(OK, SIGNED_IN)),
    Route(
        "api:course-material-detail",
        kwargs="released_material",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "participant"),
    ),
    Route(
        "api:course-material-download",
        kwargs="released_material",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "participant"),
    ),
    Route(
        "api:course-submission-list", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, "participant")
    ),
    Route(
        "api:course-submission-detail",
        kwargs="submission_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "participant"),
    ),
    Route(
        "api:course-submission-download",
        kwargs="submission_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "participant"),
    ),
    Route(
        "api:course-submission-mark",
        kwargs="submission_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, "participant"),
    ),
    Route("api:library-list", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, CLAIR, "mext")),
    Route(
        "api:library-detail",
        kwargs="document_of_mext",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mext", "participant"),
        PUT=allow(ALLOWED, "mext").then(FORBIDDEN, CLAIR, "participant"),
        PATCH=allow(ALLOWED, "mext").then(FORBIDDEN, CLAIR, "participant"),
    ),
    Route(
        "api:library-versions",
        kwargs="document_of_mext",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "mext").then(FORBIDDEN, CLAIR, "participant"),
    ),
    Route(
        "api:library-version-file",
        kwargs="version_of_mext_document",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mext", "participant"),
    ),
    # --- correspondence, promotion, alumni -------------------------------------------------
    Route(
        "api:thread-list",
        GET=allow(OK, SIGNED_IN),
        POST=allow(ALLOWED, CLAIR, "mofa", "mic", "mext"),
    ),
    Route(
        "api:thread-detail",
        kwargs="thread_of_clair_and_mic",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mic"),
    ),
    Route(
        "api:thread-messages",
        kwargs="thread_of_clair_and_mic",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mic"),
        POST=allow(ALLOWED, CLAIR, "mic"),
    ),
    Route(
        "api:thread-read",
        kwargs="thread_of_clair_and_mic",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR, "mic"),
    ),
    Route(
        "api:thread-message-attachment",
        kwargs="attachment_in_thread",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mic"),
    ),
    Route("api:promotion-list", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, CLAIR, MISSIONS)),
    Route("api:promotion-counts", GET=allow(OK, SIGNED_IN)),  # over what each may see
    Route(
        "api:promotion-detail",
        kwargs="promotion_of_embassy_us",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mofa", "embassy.us"),
        PATCH=allow(ALLOWED, "embassy.us").then(FORBIDDEN, CLAIR, "mofa"),
    ),
    Route("api:alumni-list", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, "participant")),
    Route("api:alumni-export", POST=allow(ALLOWED, MISSIONS)),
    Route(
        "api:alumni-detail",
        kwargs="consent_on_uk_roll",
        deny=NOT_FOUND,
        GET=allow(OK, "embassy.uk"),
    ),
    Route(
        "api:alumni-withdraw",
        kwargs="consent_on_uk_roll",
        deny=NOT_FOUND,
        POST=allow(FORBIDDEN, "embassy.uk"),
    ),
    # --- costs, statistics, safety ---------------------------------------------------------
    Route("api:costs", GET=allow(OK, CLAIR, "mic", CONTRACTING)),
    # MIC sets a year's cost parameters, CLAIR reads them.
    Route(
        "api:cost-parameters",
        kwargs="current_year",
        GET=allow(OK, "mic", CLAIR),
        PUT=allow(ALLOWED, "mic"),
    ),
    Route("api:cost-parameters-preview", kwargs="current_year", POST=allow(ALLOWED, "mic")),
    Route("api:statistics", GET=allow(OK, CLAIR, "mofa", MISSIONS, "mic", "mext")),
    Route("api:safety-check-list", GET=allow(OK, SIGNED_IN), POST=allow(ALLOWED, CLAIR)),
    Route("api:safety-check-recipients", GET=allow(OK, CLAIR)),
    Route(
        "api:safety-check-detail",
        kwargs="open_safety_check",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mofa", MISSIONS, HYOGO),
    ),
    Route(
        "api:safety-check-answers",
        kwargs="open_safety_check",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mofa", MISSIONS, HYOGO),
    ),
    Route(
        "api:safety-check-countries",
        kwargs="open_safety_check",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "mofa", MISSIONS, HYOGO),
    ),
    Route(
        "api:safety-check-export",
        kwargs="open_safety_check",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR, "mofa", MISSIONS, HYOGO),
    ),
    Route(
        "api:safety-check-close",
        kwargs="open_safety_check",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, "mofa", MISSIONS, HYOGO),
    ),
    Route(
        "api:safety-check-remind",
        kwargs="open_safety_check",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, "mofa", MISSIONS, HYOGO),
    ),
    Route(
        "api:safety-answer-detail",
        kwargs="answer_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, CLAIR, "embassy.us", HYOGO),
    ),
    Route(
        "api:safety-answer-assign",
        kwargs="answer_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, CLAIR).then(FORBIDDEN, "embassy.us", HYOGO),
    ),
    Route(
        "api:safety-answer-record",
        kwargs="answer_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, HYOGO).then(FORBIDDEN, CLAIR, "embassy.us"),
    ),
    Route(
        "api:safety-answer-link",
        kwargs="answer_link_of_participant",
        GET=allow(OK, EVERYONE),
        POST=allow(ALLOWED, EVERYONE),
    ),
    # The participant's own answers: a list for everyone signed in (empty for staff).
    Route("api:safety-own-answer-list", GET=allow(OK, SIGNED_IN)),
    Route(
        "api:safety-own-answer-detail",
        kwargs="answer_of_participant",
        deny=NOT_FOUND,
        GET=allow(OK, "participant"),
    ),
    Route(
        "api:safety-own-answer-answer",
        kwargs="answer_of_participant",
        deny=NOT_FOUND,
        POST=allow(ALLOWED, "participant"),
    ),
]


# --- the admin -----------------------------------------------------------------------------
# One rule over every `admin:` URL name. The admin is for staff: a CLAIR manager. Anyone
# else, signed in or not, is sent to the admin's sign-in page. Inside, the manager opens
# what CLAIR_ADMIN_PERMISSIONS (apps/core/services.py) grants: the changelist, change
# page and history of the models they may view, the object permissions of those they
# may change (guardian sends them back from the others); they add and delete nothing,
# and never see applications, interview slots, tokens, groups or sign-in records.
ADMIN_MANAGER = "clair.manager"
ADMIN_VIEWED = frozenset(
    {
        "core.organisation",
        "core.user",
        "core.membership",
        "core.programmeyear",
        "core.country",
        "core.prefecture",
        "notifications.notification",
        "recruitment.acceptancenumber",
    }
)
ADMIN_CHANGED = frozenset({"core.organisation", "core.programmeyear"})
# The admin's pages of no model, as the manager finds them.
ADMIN_SITE_PAGES = {
    "index": OK,
    "app_list": OK,
    "jsi18n": OK,
    "password_change": OK,
    "password_change_done": OK,
    "view_on_site": FOUND,  # to the object's own page
    "autocomplete": FORBIDDEN,  # only for a form's field, with its parameters
    "auth_user_password_change": FORBIDDEN,  # setting someone's password: no
}


@dataclass(frozen=True)
class AdminRule:
    def methods(self, view: str) -> tuple[str, ...]:
        return ("POST",) if view == "logout" else ("GET",)

    def expected(self, role: str, method: str, model, view: str) -> Expected:
        manager = role == ADMIN_MANAGER
        if view == "login":  # the manager is signed in already: to the index
            return FOUND if manager else OK
        if view == "logout":  # the others are not the admin's to sign out
            return LOGIN if manager else FOUND
        if not manager:
            return ADMIN_LOGIN
        if model is None:
            return ADMIN_SITE_PAGES[view]
        label = model._meta.label_lower
        if view in ("add", "delete"):
            return FORBIDDEN
        if view.startswith("permissions"):
            return OK if label in ADMIN_CHANGED else FOUND
        return OK if label in ADMIN_VIEWED else FORBIDDEN


ADMIN = AdminRule()
