"""A property marked `@reads` names columns of its own model: a name that is not one
would make every list that shows it fail, and a column it reads and does not name costs a
query per row (tests/api/test_list_queries.py)."""

from django.apps import apps

from apps.core.reads import columns_read


def test_every_marked_property_names_columns_of_its_own_model():
    marked = {}
    for model in apps.get_models():
        columns = {field.name for field in model._meta.concrete_fields}
        for name in dir(model):
            read = columns_read(model, name)
            if read is None:
                continue
            marked[f"{model.__name__}.{name}"] = read
            assert set(read) <= columns, f"{model.__name__}.{name} reads {read}"
    # The ones the lists show: if a mark were lost, its lists would read whole rows again.
    assert {"Application.full_name", "Organisation.name", "User.get_full_name"} <= set(marked)
    assert "Event.title" in marked


def test_a_marked_property_gives_what_it_gave_before():
    from apps.core.models import Organisation, User
    from apps.recruitment.models import Application

    user = User(first_name="Aiko", last_name="Sato")
    assert user.get_full_name() == "Aiko Sato"
    assert Application(given_names="Aiko", family_name="Sato").full_name == "Aiko Sato"
    from django.utils import translation

    organisation = Organisation(name_en="Hyogo", name_ja="兵庫県")
    with translation.override("ja"):
        assert organisation.name == "兵庫県"
    with translation.override("en"):
        assert organisation.name == "Hyogo"
