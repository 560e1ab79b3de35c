"""gunicorn as production runs it (jetadmin/gunicorn_conf.py), read by gunicorn itself: the
objects a worker keeps for its life are frozen out of Python's cycle collector (issue 17),
in the master before each fork and in a worker once it has served its first requests."""

import gc
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.app.base import Application

CONF = Path(__file__).resolve().parents[2] / "jetadmin" / "gunicorn_conf.py"


class _Served(Application):
    """gunicorn's own reading of the configuration file, without a command line."""

    def load_config(self):
        self.load_config_from_file(str(CONF))

    def init(self, parser, opts, args):
        return None

    def load(self):
        raise AssertionError("only the configuration is read")


@pytest.fixture
def served(monkeypatch):
    gc.unfreeze()
    yield lambda **env: (
        [monkeypatch.setenv(name, value) for name, value in env.items()],
        _Served().cfg,
    )[1]
    gc.unfreeze()  # the test process's objects back to the collector


def test_the_master_freezes_what_the_preload_made_before_each_fork(served):
    cfg = served()
    assert cfg.preload_app
    assert gc.get_freeze_count() == 0
    cfg.pre_fork(None, SimpleNamespace(nr=0))
    assert gc.get_freeze_count() > 10_000  # Django, the apps, their URLs and settings


def test_a_worker_freezes_what_it_built_once_it_has_served_its_first_requests(served):
    cfg = served()
    worker = SimpleNamespace(nr=0)
    for worker.nr in range(1, 200):
        cfg.post_request(worker, None, {}, None)
    assert gc.get_freeze_count() == 0
    worker.nr = 200
    cfg.post_request(worker, None, {}, None)
    frozen = gc.get_freeze_count()
    assert frozen > 10_000
    worker.nr = 201
    built_since = [[] for _ in range(10)]  # tracked by the collector, alive past the freeze
    cfg.post_request(worker, None, {}, None)
    # Once, not after every request: what was built since is still the collector's. The
    # frozen count itself may drop (a frozen object can die, as one did in CI), never grow.
    assert gc.get_freeze_count() <= frozen
    collected = {id(obj) for obj in gc.get_objects()}
    assert id(built_since) in collected
    assert all(id(one) in collected for one in built_since)


def test_the_freeze_is_turned_off_with_zero(served):
    cfg = served(GUNICORN_GC_FREEZE_AFTER="0")
    cfg.pre_fork(None, SimpleNamespace(nr=0))
    cfg.post_request(SimpleNamespace(nr=0), None, {}, None)
    cfg.post_request(SimpleNamespace(nr=200), None, {}, None)
    assert gc.get_freeze_count() == 0
