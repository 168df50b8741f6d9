"""Fixtures for Gatehouse's end-to-end tests (helpers live in support.py)."""
from __future__ import annotations

import pytest

import acme_support
import support
from acme_support import AcmeLab, ListenerPKI
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


@pytest.fixture(scope="session")
def listener_pki(tmp_path_factory) -> ListenerPKI:
    """CA + localhost certificate for pebble's own HTTPS listeners (pebble 2.4 ships none)."""
    return ListenerPKI.create(tmp_path_factory.mktemp("pebble-listener-pki"))


@pytest.fixture
def acme_tools() -> None:
    """pebble, pebble-challtestsrv and openssl: a failure under CI=true when missing, else a skip."""
    for tool in ("pebble", "pebble-challtestsrv", "openssl"):
        support.require_tool(tool)


@pytest.fixture
def pebble_lab(acme_tools, tmp_path, listener_pki):
    """pebble + challtestsrv alone (no Gatehouse): for proving the fixtures with a plain ACME client."""
    lab = AcmeLab(tmp_path / "acme", listener_pki, None, None)
    yield lab
    lab.close()


@pytest.fixture
def acme_lab(acme_tools, tmp_path, listener_pki, launcher, backends):
    """pebble + challtestsrv + Gatehouse factory for one test; stops every process it started."""
    lab = AcmeLab(tmp_path / "acme", listener_pki, launcher, backends)
    yield lab
    launcher.close()  # gateways first: they must not see their CA vanish and log noise into a failure report
    lab.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.failed and call.when in ("call", "setup"):
        for gh in list(support.LIVE_INSTANCES):
            state = "running" if gh.alive() else f"exited {gh.proc.returncode}"
            tail = (gh.logs() + gh.stdout())[-3000:]
            rep.sections.append((f"gatehouse {gh.workdir.name} ({state}) stderr tail", tail))
        for pebble in list(acme_support.ACTIVE_PEBBLES):
            rep.sections.append((f"pebble {pebble.workdir.name} log tail", pebble.logs()[-3000:]))
