"""Where each kind of notice leads: the page of its object that the recipient can open.

A notice keeps plain JSON (`Notification.context`); its link is computed from it when
the notice is shown or sent, so no URL is stored that a later change of routes would
break. Each kind has a resolver `(context, recipient) -> path or absolute URL` and the
words of its link, translated ("Open the contract" / 「契約を開く」). A personal
link a notice carries (a safety check's answer link, an email confirmation) is used as it
is. A call site may also give the link itself, as `url` in the context (a path).

The resolvers read only the context and the recipient's own fields: the inbox shows
thirty notices without a query each. Where a notice goes to two audiences (a placement
notice to the candidate and to their mission), the recipient's kind chooses the page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The recipient's kind (`User.kind`); apps.core sits above this app, so by value.
MISSION, CONTRACTING = "MISSION", "CONTRACTING"


@dataclass(frozen=True)
class Link:
    resolve: Callable[[dict, object], str | None]
    text: Promise

    def label(self, language: str | None = None) -> str:
        with translation.override(language or get_language() or "en"):
            return str(self.text)


def _to(name: str, key: str | None = None, fallback: str | None = None):
    """A resolver: the page `name`, for the object whose id is `context[key]`; the page
    `fallback` for a notice written before its context carried the id."""

    def resolve(context: dict, recipient) -> str | None:
        if key is None:
            return reverse(name)
        if context.get(key):
            return reverse(name, kwargs={"pk": context[key]})
        return reverse(fallback) if fallback else None

    return resolve


def _personal(fallback: str):
    """The personal link the notice carries (it works without signing in); once the
    link is gone from the stored notice, the page `fallback`."""

    def resolve(context: dict, recipient) -> str | None:
        return context.get("link") or reverse(fallback)

    return resolve


def _by_kind(pages: dict, default):
    """A notice to two audiences: the resolver for the recipient's kind."""

    def resolve(context: dict, recipient) -> str | None:
        kind = getattr(recipient, "kind", None) if recipient is not None else None
        return pages.get(kind, default)(context, recipient)

    return resolve


def _safety_answer(context: dict, recipient) -> str | None:
    if context.get("answer"):
        return reverse("safety:answer-detail", kwargs={"pk": context["answer"]})
    return reverse("safety:check-detail", kwargs={"pk": context["check"]})


_application = _to("mofa:applicant-status", "application", "mofa:applicant-workspace")
_open_application = _("Open your application")
_contract_for_participant = _to("participants:contract", "contract", "participants:placement")
_contract_for_organisation = _to("contracting:contract", "contract", "contracting:placements")
_event = _to("events:event-detail", "event", "events:schedule")
_claim = _to("subsidy:claim-detail", "claim", "subsidy:claim-list")
_case = _to("support:case-detail", "case", "support:list")
_course = _to("course:intake-detail", "intake_id", "course:intake-list")

LINKS: dict[str, Link] = {
    # --- accounts
    "membership_added": Link(
        _to("core:organisation-detail", "organisation", "core:my-organisation"),
        _("Open your organisation"),
    ),
    "password_changed": Link(_to("password_change"), _("Open your password settings")),
    "email_confirm": Link(_personal("login"), _("Confirm your email address")),
    # --- recruitment
    "numbers_published": Link(_to("mofa:mission-workspace"), _("Open the acceptance numbers")),
    "application_submitted": Link(_application, _open_application),
    "reference_requested": Link(_personal("home"), _("Upload your letter of reference")),
    "document_correction": Link(
        _to("mofa:applicant-documents", "application", "mofa:applicant-workspace"),
        _("Open your application's documents"),
    ),
    "interview_invited": Link(
        _to("mofa:applicant-interview", "application", "mofa:applicant-workspace"),
        _("Choose an interview time"),
    ),
    "interview_booked": Link(_application, _open_application),
    "result_shortlisted": Link(_application, _open_application),
    "result_alternate": Link(_application, _open_application),
    "result_not_selected": Link(_application, _open_application),
    "alternate_upgraded": Link(_application, _open_application),
    "application_forwarded": Link(_application, _open_application),
    "place_freed": Link(
        _to("mofa:mission-application-detail", "application", "mofa:mission-applications"),
        _("Open the application"),
    ),
    "alternate_requested": Link(_to("mofa:mission-applications"), _("Open the applications")),
    "alternate_request_fulfilled": Link(
        _to("clair:alternate-requests"), _("Open the alternate requests")
    ),
    # --- placement and contracts
    "placement_offered": Link(_to("contracting:placements"), _("Open the placement")),
    "placement_declined": Link(_to("clair:board"), _("Open the placement board")),
    "placement_notice": Link(
        _by_kind({MISSION: _to("mofa:mission-placements")}, _to("participants:placement")),
        _("Open the placement"),
    ),
    "placement_accepted": Link(_contract_for_organisation, _("Open the contract")),
    "placement_withdrawn": Link(
        _by_kind({MISSION: _to("mofa:mission-placements")}, _to("contracting:placements")),
        _("Open the placements"),
    ),
    "contract_issued": Link(_contract_for_participant, _("Open the contract")),
    "contract_signed": Link(_contract_for_organisation, _("Open the contract")),
    "contract_in_force": Link(_contract_for_participant, _("Open the contract")),
    # --- events
    "event_changed": Link(_event, _("Open the event")),
    "event_waitlist_moved_up": Link(_event, _("Open the event")),
    "event_reminder_week": Link(_event, _("Open the event")),
    "event_reminder_day": Link(_event, _("Open the event")),
    # --- re-appointment
    "reappointment_organisation_answered": Link(
        _to("participants:reappointment"), _("Give your answer")
    ),
    "reappointment_confirmed": Link(
        _by_kind(
            {CONTRACTING: _to("contracting:reappointment")},
            _to("participants:reappointment"),
        ),
        _("Open the re-appointment"),
    ),
    "reappointment_leaving": Link(_to("events:schedule"), _("Open your schedule")),
    "reappointment_leaver": Link(_to("mofa:mission-placements"), _("Open the placements")),
    "reappointment_reminder_organisation": Link(
        _to("contracting:reappointment"), _("Open the re-appointment answers")
    ),
    "reappointment_reminder_participant": Link(
        _to("participants:reappointment"), _("Give your answer")
    ),
    # --- support and the counselling subsidy
    "support_case_opened": Link(_case, _("Open the support case")),
    "support_message_participant": Link(_case, _("Open the support case")),
    "support_case_assigned": Link(_case, _("Open the support case")),
    "support_reply": Link(_case, _("Read the reply")),
    "support_shared": Link(_case, _("Read the summary")),
    "subsidy_claim_submitted": Link(_claim, _("Open the claim")),
    "subsidy_claim_resubmitted": Link(_claim, _("Open the claim")),
    "subsidy_claim_forwarded": Link(_claim, _("Open the claim")),
    "subsidy_claim_approved": Link(_claim, _("Open the claim")),
    "subsidy_claim_returned": Link(_claim, _("Open the claim")),
    # --- learning and correspondence
    "course_submission_marked": Link(_course, _("Open the course")),
    "course_certificate_issued": Link(_course, _("Open the course")),
    "library_published": Link(
        _to("library:document-detail", "document_id", "library:document-list"),
        _("Open the document"),
    ),
    "correspondence_message": Link(
        _to("correspondence:thread-detail", "thread", "correspondence:thread-list"),
        _("Open the thread"),
    ),
    # --- safety
    "safety_check_started": Link(_personal("home"), _("Answer the safety check")),
    "safety_check_reminder": Link(_personal("home"), _("Answer the safety check")),
    "safety_need_help": Link(_safety_answer, _("Open the answer")),
    "safety_help_assigned": Link(_safety_answer, _("Open the answer")),
}


@dataclass(frozen=True)
class NoticeLink:
    url: str  # absolute
    label: str


def absolute(path_or_url: str) -> str:
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return settings.SITE_URL.rstrip("/") + path_or_url


def notice_link(notification, *, user=None, language: str | None = None) -> NoticeLink | None:
    """The page a notice is about, as an absolute URL from SITE_URL, with the words of
    its link in `language` (the active language by default). `user` is the recipient
    when the caller has them at hand (the inbox's reader): no query is made for them."""
    link = LINKS.get(notification.kind)
    if link is None:
        return None
    context = notification.context or {}
    recipient = user if user is not None else notification.recipient
    try:
        target = context.get("url") or link.resolve(context, recipient)
    except (NoReverseMatch, KeyError, TypeError, ValueError):
        target = None
    if not target:
        return None
    return NoticeLink(url=absolute(target), label=link.label(language))
