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


def reads(*columns: str) -> Callable:
    """Mark a property's getter or a method with the model columns it reads (names of
    fields of its own model, none through a relation)."""

    def mark(function: Callable) -> Callable:
        function.reads_columns = columns
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
