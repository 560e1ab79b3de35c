"""Which columns a model's property or method reads.

A list reads only the columns its serializer shows (apps/core/api/columns.py). A field
that shows a property, such as an application's `full_name`, otherwise costs every column
of its model: 48 of an application's, joined, for each placement on a page, to show two
of them. A property marked `@reads("given_names", "family_name")` costs those two.

The mark has to be complete: a column the property reads and does not name is deferred,
and Django then reads it with a query of its own for each row (tests/api/
test_list_queries.py holds each list's query count flat in the number of rows).
"""

from collections.abc import Callable

# The names marked per_value anywhere, so that a serializer knows which sources to look at.
MARKED_PER_VALUE: dict[str, bool] = {}


def reads(*columns: str, per_value: bool = False) -> Callable:
    """Mark a property's getter or a method with the model columns it reads (names of
    fields of its own model, none through a relation).

    `per_value`: the values of these columns decide its answer, with nothing else but the
    language, the time zone and the date it is asked in; a list then works it out once
    for each distinct value of them (apps/core/api/fields.py, _PerValue)."""

    def mark(function: Callable) -> Callable:
        function.reads_columns = columns
        if per_value:
            function.reads_per_value = True
            MARKED_PER_VALUE[function.__name__] = True
        return function

    return mark


def columns_read(model, name: str) -> tuple[str, ...] | None:
    """The columns the property or method `name` of `model` is marked as reading, or None
    when it is not marked."""
    for klass in model.__mro__:
        if name in vars(klass):
            attribute = vars(klass)[name]
            function = attribute.fget if isinstance(attribute, property) else attribute
            return getattr(function, "reads_columns", None)
    return None


def columns_per_value(model, name: str) -> tuple[str, ...] | None:
    """The columns of a property `name` of `model` marked `per_value`, or None."""
    for klass in model.__mro__:
        if name in vars(klass):
            attribute = vars(klass)[name]
            if not isinstance(attribute, property):
                return None
            function = attribute.fget
            if getattr(function, "reads_per_value", False):
                return function.reads_columns
            return None
    return None
