"""Fixtures of the engine tier: the built engine, one loopback cluster for the session, and
Pulumi projects in temporary folders run by the real CLI.

Every run uses a file backend and a Pulumi home of its own in a temporary folder, a fixed
passphrase for secrets, and the environment that turns off what would reach a network: the
update check, plugin downloads, the registry lookup of packages, and credential helpers. The
binaries come first on PATH, so the engine finds the providers and language hosts there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cluster
import engine
import pytest
import yaml
from kubeapi import Api

from tests.conftest import ROOT

PASSPHRASE = "engine-tier"
OFFLINE_ENVIRONMENT = {
    "PULUMI_SKIP_UPDATE_CHECK": "true",
    "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    "PULUMI_DISABLE_REGISTRY_RESOLVE": "true",
    "PULUMI_CREDENTIAL_STORE": "plaintext",
    "PULUMI_SKIP_CONFIRMATIONS": "true",
    "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
    "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
}
"""What each run sets: no update check, no plugin download, no registry resolution, no
keyring, no prompt (pkg/cmd/pulumi and sdk/go/common/env, v3.276.0)."""
REMOVED_ENVIRONMENT = ("PULUMI_ACCESS_TOKEN", "PULUMI_IGNORE_AMBIENT_PLUGINS", "PULUMI_BACKEND_URL")
STAND_IN_CHARTS = Path(__file__).resolve().parent / "charts"


@dataclass(frozen=True)
class Result:
    """One finished `pulumi` command."""

    command: list[str]
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def __str__(self) -> str:
        return (
            f"pulumi {' '.join(self.command)} exited {self.returncode}\n"
            f"--- stdout\n{self.stdout[-6000:]}\n--- stderr\n{self.stderr[-6000:]}"
        )


@dataclass(frozen=True)
class Workspace:
    """A Pulumi project folder and the environment the real CLI runs in for it."""

    project: Path
    env: dict[str, str]

    def pulumi(
        self,
        *args: str,
        check: bool = True,
        timeout: float = 900,
        env: dict[str, str] | None = None,
    ) -> Result:
        """Run `pulumi ARGS` in the project (with `env` added to the environment); with
        `check`, fail the test on a non-zero exit."""
        completed = subprocess.run(
            ["pulumi", *args, "--non-interactive"],
            cwd=self.project,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        result = Result(list(args), completed.returncode, completed.stdout, completed.stderr)
        if check and result.returncode != 0:
            pytest.fail(str(result), pytrace=False)
        return result

    def export(self, stack: str) -> dict[str, Any]:
        """`pulumi stack export`: the state, secrets as ciphertext."""
        return self.pulumi("stack", "export", "--stack", stack).json()

    def mlplatform(self, *args: str, project: bool = True) -> subprocess.CompletedProcess[str]:
        """The offline `mlplatform` command (on this project, with `project`), with the same
        environment."""
        where = ["--project-dir", str(self.project)] if project else []
        return subprocess.run(
            [str(ROOT / ".venv" / "bin" / "mlplatform"), *args, *where],
            cwd=self.project,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )


@pytest.fixture(scope="session")
def built() -> engine.Built:
    """The engine `scripts/dev engine` built; a missing one fails the tier with that command."""
    try:
        return engine.require()
    except SystemExit as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="module")
def loopback(
    built: engine.Built, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[cluster.State]:
    """A fresh loopback control plane for each test module (no module sees another's objects);
    stopped at the module's end, every process gone."""
    folder = tmp_path_factory.mktemp("loopback")
    try:
        state = cluster.start(folder, built.bin, built.kwok_stages, built.crd_files)
    except SystemExit as error:
        pytest.fail(str(error), pytrace=False)
    yield state
    cluster.stop(folder)
    assert not any(cluster.running(folder).values()), "a control-plane process outlived stop"


@pytest.fixture(scope="module")
def api(loopback: cluster.State) -> Api:
    """The loopback API server, as its admin."""
    return loopback.api()


def environment(built: engine.Built, home: Path, kubeconfig: Path) -> dict[str, str]:
    """The CLI's environment: the engine's binaries first on PATH, a Pulumi home and a file
    backend of the test's own, the offline switches, the loopback kubeconfig."""
    env = {k: v for k, v in os.environ.items() if k not in REMOVED_ENVIRONMENT}
    env.update(OFFLINE_ENVIRONMENT)
    (home / "state").mkdir(parents=True, exist_ok=True)
    env.update(
        PATH=f"{built.bin}{os.pathsep}{ROOT / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        PULUMI_HOME=str(home / "pulumi-home"),
        PULUMI_BACKEND_URL=f"file://{home / 'state'}",
        KUBECONFIG=str(kubeconfig),
    )
    return env


def local_project(folder: Path, config: dict[str, Any] | None = None) -> Path:
    """A copy of the repository's Pulumi project with only the `local` stack, made to run
    here. What differs from the shipped project, and why:

    - Pulumi.yaml's `runtime.options.virtualenv` is the repository's `.venv` (absolute): the
      copy lives in a temporary folder, and the program needs mlplatform installed;
    - `mlplatform:kubernetes.context` is the loopback cluster's context, `mlplatform-loopback`
      (the shipped stack names a kind cluster's);
    - `mlplatform:charts.paths` points every chart the stack installs at the test stand-ins,
      copied into `charts/` (no chart can be downloaded here; see charts/README.md);
    - `config` adds or replaces `mlplatform:` keys (a test's own change, named by the test).
    """
    folder.mkdir(parents=True, exist_ok=True)
    document = yaml.safe_load((ROOT / "Pulumi.yaml").read_text(encoding="utf-8"))
    document["runtime"]["options"]["virtualenv"] = str(ROOT / ".venv")
    (folder / "Pulumi.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    (folder / "stacks").mkdir(exist_ok=True)
    shutil.copyfile(ROOT / "stacks" / "__main__.py", folder / "stacks" / "__main__.py")
    shutil.copytree(STAND_IN_CHARTS, folder / "charts", dirs_exist_ok=True)
    write_local_config(folder, config)
    return folder


def write_local_config(folder: Path, config: dict[str, Any] | None = None) -> None:
    """The shipped `local` stack's config with the loopback differences (see `local_project`)
    and `config` applied; the encryption salt the CLI wrote is kept."""
    shipped = yaml.safe_load((ROOT / "stacks" / "Pulumi.local.yaml").read_text(encoding="utf-8"))
    target = folder / "stacks" / "Pulumi.local.yaml"
    salt = None
    if target.exists():
        salt = (yaml.safe_load(target.read_text(encoding="utf-8")) or {}).get("encryptionsalt")
    values = shipped["config"]
    values["mlplatform:kubernetes"] = {
        **values.get("mlplatform:kubernetes", {}),
        "context": cluster.CONTEXT,
    }
    values["mlplatform:charts"] = {
        "paths": {
            chart.name: f"./charts/{chart.name}"
            for chart in sorted(STAND_IN_CHARTS.iterdir())
            if chart.is_dir()
        }
    }
    for key, value in (config or {}).items():
        values[f"mlplatform:{key}"] = value
    document: dict[str, Any] = {"config": values}
    if salt:
        document["encryptionsalt"] = salt
    target.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
