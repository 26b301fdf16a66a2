"""Pulumi projects and environments for the real engine on the loopback cluster: what the
engine tests, the engine benchmark and `scripts/dev cluster start` share.

`environment` is the CLI's environment with every network-reaching feature off: the update
check, plugin downloads, the registry lookup of packages, credential helpers and prompts.
`local_project` is a copy of the repository's project with only the `local` stack, made to run
on the loopback cluster (its docstring lists each difference from the shipped stack).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK_CONTEXT = "mlplatform-loopback"
"""The context of the loopback cluster's kubeconfig (tools/cluster.py writes it)."""
STAND_IN_CHARTS = ROOT / "tests" / "engine" / "charts"
"""The engine tests' stand-in charts (see their README)."""
PASSPHRASE = "loopback"
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


def environment(binaries: Path, home: Path, kubeconfig: Path) -> dict[str, str]:
    """The CLI's environment: the engine's `binaries` first on PATH (then the project's
    .venv), a Pulumi home and a file backend of its own under `home`, the offline switches,
    the loopback `kubeconfig`."""
    env = {k: v for k, v in os.environ.items() if k not in REMOVED_ENVIRONMENT}
    env.update(OFFLINE_ENVIRONMENT)
    (home / "state").mkdir(parents=True, exist_ok=True)
    env.update(
        PATH=f"{binaries}{os.pathsep}{ROOT / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}",
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
      copied into `charts/` (no chart can be downloaded here; see their README.md);
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
        "context": LOOPBACK_CONTEXT,
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
