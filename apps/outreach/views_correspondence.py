"""Correspondence pages: the threads of the reader's organisation, a thread with its
messages and the reply form, a new thread (CLAIR and the ministries), and a message's
file, streamed only to member organisations.

Every thread comes through `selectors_correspondence.thread_get`, so a thread of which
the reader's organisation is not a member is a 404, like one that does not exist. Writes
go through `services_correspondence`, which asks the access rule.
"""

from django import forms
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView

from apps.core import access
from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.core.models import Kind
from apps.core.uploads import sniff
from apps.core.views import AccessRequiredMixin
from apps.outreach import selectors_correspondence as selectors
from apps.outreach import services_correspondence as services
from apps.outreach.models import Thread
from apps.outreach.services_correspondence import BODY_MAX, MEMBER_KINDS, SUBJECT_MAX


class MessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachment = forms.FileField(
        label=gettext_lazy("Attachment (optional)"),
        required=False,
        help_text=gettext_lazy("A PDF, JPEG or PNG file of at most 10 MB."),
    )


class ThreadForm(MessageForm):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=SUBJECT_MAX)
    members = forms.MultipleChoiceField(
        label=gettext_lazy("Write to"),
        help_text=gettext_lazy(
            "Your organisation is a member. Choose the others: at least CLAIR or a ministry."
        ),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    field_order = ["subject", "members", "body", "attachment"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        labels = dict(Kind.choices)
        groups: dict[str, list] = {}
        for organisation in organisations:
            groups.setdefault(organisation.kind, []).append(
                (str(organisation.pk), organisation.name)
            )
        self.fields["members"].choices = [
            (labels[kind], groups[kind]) for kind in MEMBER_KINDS if kind in groups
        ]

    def chosen(self):
        return [self.organisations[pk] for pk in self.cleaned_data["members"]]


class ThreadListView(AccessRequiredMixin, ListView):
    permission = ("view", Thread)
    template_name = "correspondence/thread_list.html"
    context_object_name = "threads"
    paginate_by = 50

    def get_queryset(self):
        return selectors.thread_list(
            user=self.request.user,
            unread_only=self.request.GET.get("unread") == "1",
            q=self.request.GET.get("q", "")[:200],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_start"] = access.allowed(self.request.user, "add", Thread)
        context["unread_only"] = self.request.GET.get("unread") == "1"
        context["q"] = self.request.GET.get("q", "")[:200]
        context["unread_threads"] = selectors.unread_thread_count(user=self.request.user)
        return context


class ThreadCreateView(AccessRequiredMixin, FormView):
    permission = ("add", Thread)
    template_name = "correspondence/thread_form.html"
    form_class = ThreadForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisations"] = list(selectors.member_choices(user=self.request.user))
        return kwargs

    def form_valid(self, form):
        try:
            thread = services.thread_start(
                by=self.request.user,
                subject=form.cleaned_data["subject"],
                members=form.chosen(),
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data.get("attachment"),
            )
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The thread was started."))
        return redirect("correspondence:thread-detail", pk=thread.pk)


class ThreadDetailView(AccessRequiredMixin, View):
    """The thread with its messages; opening it marks it read for the reader's
    organisation only. A reply is posted to the same address."""

    permission = ("view", Thread)
    template_name = "correspondence/thread_detail.html"

    def _render(self, request, thread: Thread, form, status=200):
        from django.shortcuts import render

        return render(
            request,
            self.template_name,
            {
                "thread": thread,
                "members": [m.organisation for m in thread.memberships.all()],
                "thread_messages": selectors.thread_messages(thread=thread),
                "last_read_at": thread.last_read_at,
                "form": form,
            },
            status=status,
        )

    def get(self, request, pk):
        thread = selectors.thread_get(user=request.user, pk=pk)
        services.thread_read(by=request.user, thread=thread)
        return self._render(request, thread, MessageForm())

    def post(self, request, pk):
        thread = selectors.thread_get(user=request.user, pk=pk)
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.message_post(
                    by=request.user,
                    thread=thread,
                    body=form.cleaned_data["body"],
                    attachment=form.cleaned_data.get("attachment"),
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Your message was sent."))
                return redirect("correspondence:thread-detail", pk=thread.pk)
        return self._render(request, thread, form, status=400)


def attachment_response(message) -> FileResponse:
    """A message's file, as an attachment, with the type its content shows."""
    handle = message.attachment.open("rb")
    content_type = sniff(handle.read(16)) or "application/octet-stream"
    handle.seek(0)
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=True,
        filename=message.attachment_name or "attachment",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class AttachmentView(AccessRequiredMixin, View):
    permission = ("view", Thread)

    def get(self, request, pk, message_pk):
        message = selectors.message_with_attachment_get(
            user=request.user, thread_pk=pk, message_pk=message_pk
        )
        return attachment_response(message)
