"""The guidance and curriculum libraries: CLAIR's guidance for contracting organisations
and participants, MEXT's curriculum, standards and teaching texts.

Every document comes through `selectors_library.document_get`, so one the user may not
read is a 404; one they read but did not publish is a 403 on the editing pages (who may
do what is the access policy). Files are streamed by `VersionFileView` after the same
check, never from MEDIA_URL. Writes go through `services_library`.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from apps.core import access, limits
from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.core.views import AccessRequiredMixin
from apps.learning import selectors_library as selectors
from apps.learning import services_library as services
from apps.learning.models import LibraryDocument

PER_PAGE = 25


def _texts(document: LibraryDocument) -> LibraryDocument:
    """The title and summary in the reader's language (English when none), for templates."""
    document.text_title = document.text("title")
    document.text_summary = document.text("summary")
    return document


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"))
    audience = forms.ChoiceField(label=_("Who it is for"), choices=LibraryDocument.Audience.choices)
    title_en = forms.CharField(label=_("Title"), max_length=200)
    summary_en = forms.CharField(
        label=_("Summary"),
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    title_ja = forms.CharField(label=_("Title"), max_length=200, required=False)
    summary_ja = forms.CharField(
        label=_("Summary"),
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, publisher, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = services.document_kinds(publisher)
        self.fields["kind"].choices = [(k.value, k.label) for k in allowed]
        self.fields["title_ja"].widget.attrs["lang"] = "ja"
        self.fields["summary_ja"].widget.attrs["lang"] = "ja"

    @property
    def pairs(self):
        return [(self["title_en"], self["title_ja"]), (self["summary_en"], self["summary_ja"])]


class NewDocumentForm(DocumentForm):
    file = forms.FileField(
        label=_("First version (PDF)"),
        required=False,
        help_text=_("You may add the file later; readers see the document once it has one."),
    )
    note = forms.CharField(label=_("Note on this version"), max_length=limits.NOTE, required=False)


class VersionForm(forms.Form):
    file = forms.FileField(label=_("New version (PDF)"))
    note = forms.CharField(
        label=_("What changed"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class LibraryListView(LoginRequiredMixin, TemplateView):
    """Search and browse what the user may read; publishers also see their drafts."""

    template_name = "library/document_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        filters = {
            "q": params.get("q", "").strip(),
            "audience": params.get("audience", ""),
            "kind": params.get("kind", ""),
            "publisher": params.get("publisher", ""),
        }
        if filters["audience"] not in LibraryDocument.Audience.values:
            filters["audience"] = ""
        if filters["kind"] not in LibraryDocument.Kind.values:
            filters["kind"] = ""
        documents = selectors.document_list(user=self.request.user, **filters)
        page = Paginator(documents, PER_PAGE).get_page(params.get("page"))
        context.update(
            page_obj=page,
            documents=[_texts(d) for d in page.object_list],
            filters=filters,
            query=urlencode({k: v for k, v in filters.items() if v}),
            audiences=LibraryDocument.Audience.choices,
            kinds=LibraryDocument.Kind.choices,
            publishers=selectors.publishers(),
            can_publish=selectors.can_publish(self.request.user),
            organisation=self.request.user.organisation,
        )
        return context


class DocumentCreateView(AccessRequiredMixin, FormView):
    permission = ("add", LibraryDocument)
    template_name = "library/document_form.html"
    form_class = NewDocumentForm

    def get_form_kwargs(self):
        # The new document is the acting user's organisation's.
        return {**super().get_form_kwargs(), "publisher": self.request.user.organisation}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            document = services.document_publish(
                by=self.request.user,
                kind=data["kind"],
                audience=data["audience"],
                title_en=data["title_en"],
                title_ja=data["title_ja"],
                summary_en=data["summary_en"],
                summary_ja=data["summary_ja"],
                file=data.get("file"),
                note=data.get("note", ""),
            )
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The document is published."))
        return redirect("library:document-detail", pk=document.pk)


class _OwnDocumentMixin(LoginRequiredMixin):
    """A document the user reads (else 404) and publishes (else 403)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.document = selectors.document_get(user=request.user, pk=kwargs["pk"])
        access.require(request.user, "change", self.document)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "document": _texts(self.document)}


class DocumentEditView(_OwnDocumentMixin, FormView):
    template_name = "library/document_form.html"
    form_class = DocumentForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "publisher": self.document.publisher}

    def get_initial(self):
        d = self.document
        return {
            "kind": d.kind,
            "audience": d.audience,
            "title_en": d.title_en,
            "title_ja": d.title_ja,
            "summary_en": d.summary_en,
            "summary_ja": d.summary_ja,
        }

    def form_valid(self, form):
        try:
            services.document_update(
                by=self.request.user, document=self.document, **form.cleaned_data
            )
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The document is changed."))
        return redirect("library:document-detail", pk=self.document.pk)


class VersionAddView(_OwnDocumentMixin, FormView):
    template_name = "library/version_form.html"
    form_class = VersionForm

    def form_valid(self, form):
        try:
            version = services.version_add(
                by=self.request.user,
                document=self.document,
                file=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Version %(number)s is published; the older ones are kept.")
            % {"number": version.number},
        )
        return redirect("library:document-detail", pk=self.document.pk)


class DocumentDetailView(LoginRequiredMixin, TemplateView):
    template_name = "library/document_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        document = selectors.document_get(user=user, pk=kwargs["pk"])
        all_versions = list(selectors.versions(document=document))
        context.update(
            document=_texts(document),
            current=all_versions[0] if all_versions else None,
            older=all_versions[1:],
            can_edit=selectors.can_edit(user, document),
            version_form=VersionForm(),
        )
        return context


class VersionFileView(LoginRequiredMixin, View):
    """The PDF of one version, for those who may read its document (else 404)."""

    def get(self, request, pk):
        version = selectors.version_get(user=request.user, pk=pk)
        try:
            handle = version.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        return FileResponse(
            handle, as_attachment=True, filename=version.filename, content_type="application/pdf"
        )
