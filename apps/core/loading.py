"""A row read from the database becomes a model instance without `Model.__init__`.

It imports Django alone, so that every app's models may use it, the notifications
outbox's too (pyproject.toml lets that one import past the layers).

Django's `from_db` hands each row to `Model.__init__`: it sends pre_init and post_init,
fills a list as long as the model's columns with DEFERRED where a column was not read
(testing each column's name against the list read), and sets the values one `setattr`
at a time. That took 5 to 13 us an instance here, and a page of 50 contracts makes some
300 (the contract, its placement, candidate, user, position and organisation): in one
process, alternating, CLAIR's placements 6.9 ms to 5.9 and its registrations 8.7 to 7.5
(bench/model_loading.py measures the instance alone). Here an instance read from the
database is given its state and its values directly, as `__init__` would have left it,
in about 1 us.

`__init__` is still used wherever it could do more than store the values: while any
receiver of pre_init or post_init is connected (an ImageField with dimension fields
connects one), and for a model any of whose columns' attributes does something of its
own when set (`_stores_plainly`). Instances made in code (`Model(...)`,
`objects.create`) never come here.
"""

import functools

from django.db import connections, router
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.signals import post_init, pre_init

# Setting these stores the value in the instance's __dict__ and nothing else (a foreign
# key's also drops a cached related object, which a new instance does not have). An
# ImageField's descriptor, a subclass, also sets its dimension fields: not among these.
_PLAIN_SETTERS = (ForeignKeyDeferredAttribute, FileDescriptor)

_new = object.__new__


class RowLoading:
    """Among a model's bases, before `models.Model`: its rows load without `__init__`."""

    @classmethod
    def from_db(cls, db, field_names, values):
        attnames = _attnames(cls)
        if attnames is None or pre_init.receivers or post_init.receivers:
            return super().from_db(db, field_names, values)
        new = _new(cls)
        state = ModelState()
        state.adding = False
        state.db = db
        stored = new.__dict__
        stored["_state"] = state
        # As Django's: a row of every column is in the model's order whatever the names
        # say; a narrower one pairs with the names read.
        stored.update(
            zip(attnames if len(values) == len(attnames) else field_names, values, strict=True)
        )
        return new


def _attnames(cls) -> tuple[str, ...] | None:
    """The model's column attributes in its order, or None where `__init__` must set them."""
    found = cls.__dict__.get("_row_loading_attnames", False)
    if found is False:
        attnames = tuple(field.attname for field in cls._meta.concrete_fields)
        found = attnames if _stores_plainly(cls, attnames) else None
        cls._row_loading_attnames = found
    return found


def _stores_plainly(cls, attnames) -> bool:
    for attname in attnames:
        for klass in cls.__mro__:
            if attname in klass.__dict__:
                attribute = klass.__dict__[attname]
                if hasattr(attribute, "__set__") and type(attribute) not in _PLAIN_SETTERS:
                    return False
                break
    return True


def linked_keys(relation, keys) -> dict:
    """For each of `keys`, the keys its many-to-many `relation` (the model's attribute,
    `Registration.sessions`) links it to, in no order, read from the link table alone by
    one query whose SQL is the same for any number of keys. A page that shows only the
    ids of a many-to-many paid, with Django's prefetch, for the related rows' join, a
    related manager per row and the ORM's compiling of a query over every key."""
    if relation.reverse:
        raise ValueError("linked_keys reads a many-to-many from the side that declares it")
    found = {key: [] for key in keys}
    if found:
        sql, using = _links_sql(relation.field)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [list(found)])
            for key, linked in cursor.fetchall():
                found[key].append(linked)
    return found


@functools.cache
def _links_sql(field) -> tuple[str, str]:
    through = field.remote_field.through
    using = router.db_for_read(through)
    quote = connections[using].ops.quote_name
    source, target = quote(field.m2m_column_name()), quote(field.m2m_reverse_name())
    return (
        # Names from the model's metadata, quoted; the keys are bound.
        f"SELECT {source}, {target} FROM {quote(through._meta.db_table)} "  # noqa: S608
        f"WHERE {source} = ANY(%s)",
        using,
    )
