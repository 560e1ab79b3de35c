"""Pages of safety confirmation (issue 8), mounted at /safety/.

- CLAIR starts a check, watches the live board (polled), reminds, assigns a participant
  who needs help to a staff member, closes the check and exports it;
- a contracting organisation sees its participants' answers and records one on a
  participant's behalf;
- a mission sees its nationals' answers; MOFA HQ the counts by country;
- the participant answers at their personal link, signed in or not, with one tap from
  the email's "safe" and "need help" links, or signed in on their own page (the banner on
  their home page leads there).
Every check and answer comes through `selectors_safety`, so one the reader may not see
is a 404; the services decide everything else.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from apps.core import access, disclosure, limits
from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.core.models import Kind, Prefecture, User
from apps.core.views import AccessRequiredMixin, KindRequiredMixin
from apps.safety import jobs, rules, selectors, services
from apps.safety.models import SafetyAnswer, SafetyCheck

ANSWER_CHOICES = [
    (SafetyAnswer.Status.SAFE, SafetyAnswer.Status.SAFE.label),
    (SafetyAnswer.Status.NEED_HELP, SafetyAnswer.Status.NEED_HELP.label),
]


class StartForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What happened"), choices=SafetyCheck.Kind.choices)
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=200)
    title_ja = forms.CharField(
        label=gettext_lazy("Title (Japanese)"), max_length=200, required=False
    )
    message_en = forms.CharField(
        label=gettext_lazy("Message to participants (English)"),
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    message_ja = forms.CharField(
        label=gettext_lazy("Message to participants (Japanese)"),
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    prefectures = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Prefectures struck"),
        queryset=Prefecture.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )
    remind_every_hours = forms.IntegerField(
        label=gettext_lazy("Remind those who have not answered every (hours)"),
        min_value=1,
        max_value=48,
        initial=3,
    )


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Are you safe?"), choices=ANSWER_CHOICES, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=rules.NOTE_MAX,
    )
    location = forms.CharField(
        label=gettext_lazy("Where you are now (optional)"),
        required=False,
        max_length=rules.LOCATION_MAX,
    )


class OnBehalfForm(AnswerForm):
    status = forms.ChoiceField(
        label=gettext_lazy("Is the participant safe?"),
        choices=ANSWER_CHOICES,
        widget=forms.RadioSelect,
    )
    location = forms.CharField(
        label=gettext_lazy("Where the participant is now (optional)"),
        required=False,
        max_length=rules.LOCATION_MAX,
    )


# --- the checks --------------------------------------------------------------------------


class SafetyMixin(AccessRequiredMixin):
    permission = ("view", SafetyCheck)

    def check_obj(self) -> SafetyCheck:
        return selectors.check_get(user=self.request.user, pk=self.kwargs["pk"])


class CheckListView(SafetyMixin, TemplateView):
    template_name = "safety/check_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        checks = list(selectors.check_list(user=self.request.user))
        selectors.counts_protect(checks, user=self.request.user)
        context["checks"] = checks
        context["explanation"] = (
            None if selectors.sees_names(self.request.user) else (disclosure.EXPLANATION)
        )
        context["can_start"] = access.allowed(self.request.user, "add", SafetyCheck)
        return context


def _prefecture_codes(values) -> list[str]:
    """The prefecture codes chosen on the start form, the unknown left out."""
    codes = [
        v for v in values if isinstance(v, str) and v.isascii() and v.isdigit() and len(v) <= 2
    ]
    return list(Prefecture.objects.filter(pk__in=codes).values_list("pk", flat=True))


class CheckStartView(AccessRequiredMixin, FormView):
    """The start form shows, before anything is sent, how many participants the check
    will ask (the count follows the prefectures chosen; without script, a button counts)."""

    permission = ("add", SafetyCheck)
    template_name = "safety/check_start.html"
    form_class = StartForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        codes = _prefecture_codes(self.request.POST.getlist("prefectures"))
        context["recipients"] = selectors.recipients(prefecture_codes=codes)
        context["counted"] = bool(codes)
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "count":
            # Count only: nothing is started, the form comes back as it was filled in.
            return self.render_to_response(self.get_context_data(form=self.get_form()))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            check = services.safety_check_start(by=self.request.user, **data)
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        count = check.answers.count()
        messages.success(
            self.request,
            ngettext(
                "The safety check is started: %(count)s participant is asked.",
                "The safety check is started: %(count)s participants are asked.",
                count,
            )
            % {"count": count},
        )
        return redirect("safety:check-detail", pk=check.pk)


class CheckRecipientsView(AccessRequiredMixin, TemplateView):
    """The count of participants a check would ask, for the start form as its
    prefectures are chosen (`?prefectures=28&prefectures=01`)."""

    permission = ("add", SafetyCheck)
    template_name = "safety/_recipients.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        codes = _prefecture_codes(self.request.GET.getlist("prefectures"))
        context["recipients"] = selectors.recipients(prefecture_codes=codes)
        context["counted"] = bool(codes)
        return context


def board_context(user: User, check: SafetyCheck) -> dict:
    """What the board shows this reader: names and answers, or counts only."""
    context = {
        "check": check,
        "sees_names": selectors.sees_names(user),
        "can_run": access.can(user, "change", check),
        "can_record": access.allowed(user, "record", SafetyAnswer),
        "counts_by_country": selectors.counts_by_country(user=user, check=check),
        "explanation": None if selectors.sees_names(user) else disclosure.EXPLANATION,
    }
    if context["sees_names"]:
        context["board"] = selectors.board(user=user, check=check)
    return context


class CheckDetailView(SafetyMixin, TemplateView):
    template_name = "safety/check_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(board_context(self.request.user, self.check_obj()))
        return context


class CheckBoardView(SafetyMixin, TemplateView):
    """The board alone, for the page's polling while the check is open."""

    template_name = "safety/_board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(board_context(self.request.user, self.check_obj()))
        return context


class CheckCloseView(SafetyMixin, TemplateView):
    """Closing freezes every answer: the page says first how many people have not
    answered (and how many need help), and only a POST carrying its confirmation closes."""

    template_name = "safety/check_close.html"

    def _check(self) -> SafetyCheck:
        check = self.check_obj()
        access.require(self.request.user, "change", check, _("Only CLAIR runs safety checks."))
        return check

    def get(self, request, pk):
        check = self._check()
        if not check.is_open:
            return redirect("safety:check-detail", pk=check.pk)
        return self.render_to_response(
            self.get_context_data(check=check, unanswered=selectors.unanswered_count(check=check))
        )

    def post(self, request, pk):
        check = self._check()
        if request.POST.get("confirm") != "close":
            # Not confirmed (a bare POST, an old form): nothing changes; the page asks.
            return redirect("safety:check-close", pk=check.pk)
        try:
            services.safety_check_close(by=request.user, check=check)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The safety check is closed; its answers are frozen."))
        return redirect("safety:check-detail", pk=check.pk)


class CheckRemindView(SafetyMixin, View):
    def post(self, request, pk):
        check = self.check_obj()
        try:
            sent = services.safety_check_remind(by=request.user, check=check)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s reminder sent to those who have not answered.",
                    "%(count)s reminders sent to those who have not answered.",
                    sent,
                )
                % {"count": sent},
            )
        return redirect("safety:check-detail", pk=check.pk)


class CheckExportView(SafetyMixin, View):
    def post(self, request, pk):
        check = self.check_obj()
        try:
            job = jobs.safety_export_start(
                by=request.user, check=check, file_format=request.POST.get("format", "csv")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("safety:check-detail", pk=check.pk)
        return redirect(job.get_absolute_url())


# --- one answer --------------------------------------------------------------------------


class AnswerDetailView(AccessRequiredMixin, TemplateView):
    """One participant's answer with its history; the organisation records an answer on
    their behalf here, CLAIR assigns a participant who needs help."""

    permission = ("view", SafetyAnswer)
    template_name = "safety/answer_detail.html"

    def answer(self) -> SafetyAnswer:
        return selectors.answer_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        answer = kwargs.get("answer_obj") or self.answer()
        user = self.request.user
        is_open = answer.safety_check.is_open
        context.update(
            answer=answer,
            check=answer.safety_check,
            history=answer.history.select_related("history_user", "recorded_by", "assigned_to")
            .exclude(history_type="+")
            .order_by("-history_date"),
            can_record=is_open and access.can(user, "record", answer),
            can_assign=is_open and access.can(user, "assign", answer),
        )
        context["staff"] = selectors.clair_staff() if context["can_assign"] else []
        context.update()
        if context["can_record"]:
            context["form"] = kwargs.get("form") or OnBehalfForm(
                prefix="record",
                initial={"note": answer.note, "location": answer.location},
            )
        return context

    def post(self, request, pk):
        answer = self.answer()
        action = request.POST.get("action")
        if action == "record":
            access.require(request.user, "record", answer)
            form = OnBehalfForm(request.POST, prefix="record")
            if form.is_valid():
                try:
                    services.safety_answer_record(
                        by=request.user, answer=answer, **form.cleaned_data
                    )
                except DomainError as exc:
                    form_error(form, exc)
                else:
                    messages.success(
                        request,
                        _("The answer for %(name)s is recorded.")
                        % {"name": answer.participant.get_full_name()},
                    )
                    return redirect("safety:answer-detail", pk=answer.pk)
            return self.render_to_response(
                self.get_context_data(answer_obj=answer, form=form), status=400
            )
        if action == "assign":
            access.require(request.user, "assign", answer)
            assignee = None
            if request.POST.get("assignee"):
                assignee = selectors.clair_staff().filter(pk=request.POST["assignee"]).first()
                if assignee is None:
                    messages.error(request, _("Assign to a member of CLAIR's staff."))
                    return redirect("safety:answer-detail", pk=answer.pk)
            try:
                services.safety_answer_assign(by=request.user, answer=answer, assignee=assignee)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The assignment is saved."))
            return redirect("safety:answer-detail", pk=answer.pk)
        raise PermissionDenied


# --- the participant's own answers, signed in --------------------------------------------


def _tap_or_form(request, answer: SafetyAnswer, prefix: str | None = None) -> AnswerForm:
    """The answer a POST gives, as a bound form: a one-tap button (`tap`) changes the
    status only and keeps the note and location given before; the full form gives all
    three."""
    data = request.POST.copy()
    name = (lambda field: f"{prefix}-{field}") if prefix else (lambda field: field)
    if data.get(name("tap")):
        data[name("note")], data[name("location")] = answer.note, answer.location
    return AnswerForm(data, prefix=prefix)


def own_prefix(answer: SafetyAnswer) -> str:
    """The fields of one answer's form on the participant's page (and the home's banner)."""
    return f"a{answer.pk}"


class OwnAnswersView(KindRequiredMixin, TemplateView):
    """The participant's safety checks, signed in: each open check waiting for them,
    answered with one tap ("I am safe", "I need help"), then the optional note and
    location. Their own answers only; anyone else's is a 404."""

    kinds = (Kind.PARTICIPANT,)
    template_name = "safety/own_answers.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bound = kwargs.get("bound")  # (answer pk, the form that was refused)
        answers = list(selectors.own_answers(user=self.request.user))
        for answer in answers:
            if bound and bound[0] == answer.pk:
                answer.form = bound[1]
            else:
                answer.form = AnswerForm(
                    prefix=own_prefix(answer),
                    initial={
                        "status": answer.status,
                        "note": answer.note,
                        "location": answer.location,
                    },
                )
        context["answers"] = answers
        return context

    def get(self, request, pk=None):
        if pk is not None:
            # One answer's address: its place on the page, if it is the person's own.
            answer = selectors.own_answer_get(user=request.user, pk=pk)
            return redirect(reverse("safety:own-answers") + f"#answer-{answer.pk}")
        return super().get(request)

    def post(self, request, pk=None):
        if pk is None:
            return redirect("safety:own-answers")
        answer = selectors.own_answer_get(user=request.user, pk=pk)
        form = _tap_or_form(request, answer, prefix=own_prefix(answer))
        if form.is_valid():
            try:
                services.safety_answer_own(by=request.user, answer=answer, **form.cleaned_data)
            except rules.CheckClosedError as exc:
                # Closed meanwhile: the page no longer lists it; say why nothing was kept.
                messages.error(request, exc.message)
                return redirect("safety:own-answers")
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Thank you. Your answer is recorded."))
                return redirect(reverse("safety:own-answers") + f"#answer-{answer.pk}")
        return self.render_to_response(self.get_context_data(bound=(answer.pk, form)), status=400)


# --- the personal link -------------------------------------------------------------------


def _link_language(request, answer: SafetyAnswer) -> None:
    """The participant's own language, unless this browser picked one (the switch)."""
    if request.user.is_authenticated or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return
    translation.activate(answer.participant.language)
    request.LANGUAGE_CODE = answer.participant.language


class PersonalAnswerView(View):
    """The participant's answer, signed in or not: the token in the link is the key."""

    template_name = "safety/answer_link.html"

    def _render(self, request, answer, form, status=200):
        check = answer.safety_check
        return render(
            request,
            self.template_name,
            {"answer": answer, "check": check, "form": form, "is_open": check.is_open},
            status=status,
        )

    def _answer(self, request, token) -> SafetyAnswer | None:
        try:
            answer = rules.answer_for_token(token)
        except Http404:
            return None
        _link_language(request, answer)
        return answer

    def get(self, request, token):
        answer = self._answer(request, token)
        if answer is None:
            return render(request, "safety/answer_link_unknown.html", status=404)
        status = 200 if answer.safety_check.is_open else 410
        initial = {"note": answer.note, "location": answer.location}
        return self._render(request, answer, AnswerForm(initial=initial), status)

    def post(self, request, token):
        answer = self._answer(request, token)
        if answer is None:
            return render(request, "safety/answer_link_unknown.html", status=404)
        if not answer.safety_check.is_open:
            return self._render(request, answer, AnswerForm(), 410)
        form = _tap_or_form(request, answer)
        if form.is_valid():
            try:
                rules.answer_by_link(token=token, **form.cleaned_data)
            except rules.CheckClosedError:
                answer.safety_check.refresh_from_db()
                return self._render(request, answer, AnswerForm(), 410)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Thank you. Your answer is recorded."))
                return redirect(reverse("safety:answer", kwargs={"token": token}) + "#details")
        return self._render(request, answer, form, 400)


@method_decorator(never_cache, name="dispatch")
class OneTapAnswerView(View):
    """A one-tap link of the email ("I am safe", "I need help"). Mail scanners open the
    links in a message, so a GET changes nothing: its page sends the answer by POST at
    once (a script of our own, which waits for a person's browser), or with one button
    where no script runs. The POST records the answer, keeping the note and location
    given before, and the answer page then offers them."""

    template_name = "safety/one_tap.html"

    def _answer(self, request, token, choice) -> SafetyAnswer | None:
        if choice not in rules.TAP_CHOICES:
            return None
        try:
            answer = rules.answer_for_token(token)
        except Http404:
            return None
        _link_language(request, answer)
        return answer

    def _closed(self, request, answer):
        return PersonalAnswerView()._render(request, answer, AnswerForm(), 410)

    def get(self, request, token, choice):
        answer = self._answer(request, token, choice)
        if answer is None:
            return render(request, "safety/answer_link_unknown.html", status=404)
        if not answer.safety_check.is_open:
            return self._closed(request, answer)
        status = rules.TAP_CHOICES[choice]
        return render(
            request,
            self.template_name,
            {
                "answer": answer,
                "check": answer.safety_check,
                "status": status,
                "label": SafetyAnswer.Status(status).label,
                "choice": choice,
            },
        )

    def post(self, request, token, choice):
        answer = self._answer(request, token, choice)
        if answer is None:
            return render(request, "safety/answer_link_unknown.html", status=404)
        if not answer.safety_check.is_open:
            return self._closed(request, answer)
        try:
            rules.answer_by_link(
                token=token,
                status=rules.TAP_CHOICES[choice],
                note=answer.note,
                location=answer.location,
            )
        except rules.CheckClosedError:
            answer.safety_check.refresh_from_db()
            return self._closed(request, answer)
        messages.success(request, _("Thank you. Your answer is recorded."))
        return redirect(reverse("safety:answer", kwargs={"token": token}) + "#details")
