"""How fast does a row read from the database become a model instance, Django's way
(`Model.from_db` through `Model.__init__`) against `apps.core.loading.RowLoading`?

    make bench        # or: .venv/bin/python bench/model_loading.py [rows]

Times making ROWS instances (default 300, a page of 50 contracts with the placement,
candidate, user, position and organisation of each) of the models a contracts page
makes, every column read and a narrowed read, then a real query of organisations, each
both ways in the same run, and prints the medians and their ratio.
"""

import sys
from contextlib import contextmanager

from _setup import django_on_bench_db, median_ms

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 300


@contextmanager
def djangos_way():
    from apps.core.loading import RowLoading

    ours = RowLoading.__dict__["from_db"]
    RowLoading.from_db = classmethod(
        lambda cls, db, names, values: super(RowLoading, cls).from_db(db, names, values)
    )
    try:
        yield
    finally:
        RowLoading.from_db = ours


def both(label: str, fn) -> None:
    with djangos_way():
        baseline = median_ms(fn)
    ours = median_ms(fn)
    print(
        f"{label:44} Django {baseline:7.3f} ms   RowLoading {ours:7.3f} ms   "
        f"ratio {ours / baseline:.2f}",
        flush=True,
    )


def main():
    django_on_bench_db()
    from apps.core.models import Organisation, User
    from apps.placement.models import Contract, Placement, PositionRequest
    from apps.recruitment.models import Application

    print(f"{ROWS} instances a measurement, median of 30")
    for model in (Contract, Placement, Application, User, PositionRequest, Organisation):
        names = [field.attname for field in model._meta.concrete_fields]
        every = tuple(range(len(names)))
        narrow = names[:5]

        def make_every(model=model, names=names, every=every):
            for _ in range(ROWS):
                model.from_db("default", names, every)

        def make_narrow(model=model, narrow=narrow):
            for _ in range(ROWS):
                model.from_db("default", narrow, (1, 2, 3, 4, 5))

        both(f"{model.__name__}, {len(names)} columns read", make_every)
        both(f"{model.__name__}, 5 of {len(names)} columns read", make_narrow)

    if not Organisation.objects.exists():
        print("no organisations in the bench database: the query was not timed")
        return
    both(
        f"a query of up to {ROWS} organisations",
        lambda: list(Organisation.objects.select_related("prefecture")[:ROWS]),
    )


if __name__ == "__main__":
    main()
