"""Fixtures for Gatehouse's end-to-end tests (helpers live in support.py)."""
from __future__ import annotations

import pytest

import support
from support import BackendPool, CertFactory, GatehouseLauncher


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: big transfers (1 GiB)")


@pytest.fixture(scope="session")
def gatehouse_bin() -> str:
    return support.gatehouse_binary()


@pytest.fixture(scope="session")
def certs(tmp_path_factory) -> CertFactory:
    """Test PKI: root CA -> intermediate -> leaves (full-chain PEMs)."""
    return CertFactory(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def backends():
    pool = BackendPool()
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def module_backends():
    pool = BackendPool()
    yield pool
    pool.close()


@pytest.fixture
def launcher(tmp_path, gatehouse_bin):
    la = GatehouseLauncher(tmp_path)
    yield la
    la.close()


@pytest.fixture(scope="module")
def module_launcher(tmp_path_factory, gatehouse_bin):
    la = GatehouseLauncher(tmp_path_factory.mktemp("gatehouse"))
    yield la
    la.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.failed and call.when in ("call", "setup"):
        for gh in list(support.LIVE_INSTANCES):
            state = "running" if gh.alive() else f"exited {gh.proc.returncode}"
            tail = (gh.logs() + gh.stdout())[-3000:]
            rep.sections.append((f"gatehouse {gh.workdir.name} ({state}) stderr tail", tail))
