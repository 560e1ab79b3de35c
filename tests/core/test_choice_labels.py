"""`get_<field>_display` (apps/core/choice_labels.py): the label of the value, in the
language active when it is asked for, and the value itself when it has no label."""

from django.utils import translation

from apps.recruitment.models import Application
from tests.factories import ApplicationFactory


def test_a_label_is_shown_in_the_language_active_when_asked(db):
    application = ApplicationFactory.build(status=Application.Status.SUBMITTED)
    with translation.override("en"):
        english = application.get_status_display()
    with translation.override("ja"):
        japanese = application.get_status_display()
    assert english == "Submitted"
    assert japanese not in ("", english)
    assert not japanese.isascii()
    with translation.override("en"):
        assert application.get_status_display() == english  # the labels stay lazy


def test_a_value_with_no_label_is_shown_as_it_is(db):
    application = ApplicationFactory.build(status="NO_SUCH_STATUS")
    assert application.get_status_display() == "NO_SUCH_STATUS"
    application.status = None
    assert application.get_status_display() is None


def test_every_choice_of_a_field_is_labelled_as_django_would(db):
    application = ApplicationFactory.build()
    for language in ("en", "ja"):
        with translation.override(language):
            for value, label in Application.Status.choices:
                application.status = value
                assert application.get_status_display() == str(label)


def test_a_label_is_translated_once_per_language_and_kept(db, monkeypatch):
    from apps.core import choice_labels

    translated = []
    real = choice_labels.force_str
    monkeypatch.setattr(
        choice_labels,
        "force_str",
        lambda value, **kw: translated.append(value) or real(value, **kw),
    )
    Application._meta.get_field("eligibility").__dict__.pop("_translated_labels", None)
    rows = [
        ApplicationFactory.build(eligibility=Application.Eligibility.ELIGIBLE) for _ in range(3)
    ]
    with translation.override("en"):
        english = [row.get_eligibility_display() for row in rows]
    with translation.override("ja"):
        japanese = [row.get_eligibility_display() for row in rows]
    with translation.override("en"):
        again = rows[0].get_eligibility_display()
    assert english == [str(Application.Eligibility.ELIGIBLE.label)] * 3
    assert japanese[0] != english[0]
    assert again == english[0]
    assert len(translated) == 2  # once in English, once in Japanese
