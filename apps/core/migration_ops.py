"""Operations for migrations that move models between apps without touching their rows.

A model that moves keeps its table (an explicit `db_table`), and its content type keeps
its id: the row is relabelled, not replaced. So its permissions, every object
permission granted on it (django-guardian rows point at those permissions) and its
admin log stay valid; a new content type would orphan them all.
"""

from django.db import migrations


class StateOnly(migrations.SeparateDatabaseAndState):
    """State operations only, applied to the migration state before it is rendered.

    On a rendered state each operation re-renders every model related to the one it
    touches; for the hundreds of operations of a move that took a minute and a half of a
    two-second `migrate`. Unrendered, they are bookkeeping, and the state is rendered once
    when it is next needed."""

    def __init__(self, state_operations):
        super().__init__(state_operations=state_operations)

    def state_forwards(self, app_label, state):
        state.__dict__.pop("apps", None)  # `apps` is a cached property
        super().state_forwards(app_label, state)


def content_types_move(old_label: str, moves: dict[str, list[str]]) -> migrations.RunPython:
    """Relabel the content types of the models (lowercase names) that moved from
    `old_label` to each app of `moves`; reversible. On a new database there is nothing to
    relabel yet (content types are made after migrating), so it does nothing there."""

    def _move(apps, schema_editor, pairs) -> None:
        content_type = apps.get_model("contenttypes", "ContentType")
        rows = content_type.objects.using(schema_editor.connection.alias)
        for source, target, model in pairs:
            if not rows.filter(app_label=source, model=model).exists():
                continue
            # A content type already made under the new label (a migrate interrupted
            # before this step) holds nothing yet: the old one, with its grants, wins.
            rows.filter(app_label=target, model=model).delete()
            rows.filter(app_label=source, model=model).update(app_label=target)

    pairs = [(old_label, app, model) for app, models in moves.items() for model in models]

    def forwards(apps, schema_editor):
        _move(apps, schema_editor, pairs)

    def backwards(apps, schema_editor):
        _move(apps, schema_editor, [(target, source, model) for source, target, model in pairs])

    return migrations.RunPython(forwards, backwards, elidable=False)
