"""The policy pack ships inside the mlplatform package: `mlplatform check` finds it in a project
with no `policies/` of its own, and `mlplatform policy-pack path` prints its folder (in this
editable install, the repository's `policies/`, the pack's one source). A pack folder that holds
no pack, a stack that does not exist and no project at all are one line on stderr and exit 2.

Installed from a wheel, the shipped pack's own PulumiPolicy.yaml names `../.venv`, which is not
there beside an installed package: `policy-pack path` prints a folder of its own instead (in the
user's cache), whose PulumiPolicy.yaml names the environment mlplatform is installed in, and
which the Python language host starts as it would. The installed wheel's plan and check are
tested in tests/integration/test_wheel_install.py, its pack in the real engine in
tests/engine/test_policy_pack.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mlplatform_policies import RULES

from mlplatform import __version__
from mlplatform.policy_pack import cache_folder, write_pack
from tests.conftest import ROOT
from tests.wheel import run, start_as_the_host_does

STACK = """\
config:
  mlplatform:target: kubernetes
  mlplatform:environment: dev
  mlplatform:kubernetes:
    context: kind-team
  mlplatform:tags:
    owner: team
"""
PROGRAM = """\
import pulumi
from mlplatform import MlPlatform, spec

MlPlatform.from_config("ml", spec.from_pulumi(), pulumi.get_stack())
"""


def mlplatform(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlplatform", *args],
        cwd=cwd,
        env={k: v for k, v in os.environ.items() if k != "COLUMNS"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def project(folder: Path) -> Path:
    """A project of a team's own layout, with no policy pack."""
    (folder / "infra").mkdir(parents=True)
    (folder / "config").mkdir()
    (folder / "Pulumi.yaml").write_text(
        "name: team-ml\nruntime: python\nmain: infra/\nstackConfigDir: config\n", encoding="utf-8"
    )
    (folder / "infra" / "__main__.py").write_text(PROGRAM, encoding="utf-8")
    (folder / "config" / "Pulumi.dev.yaml").write_text(STACK, encoding="utf-8")
    return folder


def test_policy_pack_path_prints_the_shipped_pack() -> None:
    result = mlplatform("policy-pack", "path", cwd=Path("/"))
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{ROOT / 'policies'}\n", "")


def written(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file under `folder` by its path there: its inode and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_pack_an_installed_wheel_prints_runs_in_its_environment(
    wheel_venv: Path, tmp_path: Path
) -> None:
    venv = wheel_venv
    cache = tmp_path / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    command = (str(venv / "bin" / "mlplatform"), "policy-pack", "path")
    printed = run(*command, cwd=tmp_path, env=env, quiet=True)
    folder = Path(printed.rstrip("\n"))
    files = written(folder)
    assert sorted(files) == ["PulumiPolicy.yaml", "__main__.py"]
    # The same folder again, its files left as they were: not written twice.
    assert run(*command, cwd=tmp_path, env=env, quiet=True) == printed
    assert written(folder) == files
    document = yaml.safe_load((folder / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
    shipped = yaml.safe_load((ROOT / "policies" / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
    assert document == {
        **shipped,
        "runtime": {"name": "python", "options": {"virtualenv": str(venv)}},
    }
    virtualenv = Path(document["runtime"]["options"]["virtualenv"])
    info = start_as_the_host_does(folder, virtualenv, cwd=tmp_path)
    assert info.name == "mlplatform"
    assert info.policies == [rule.name for rule in RULES]
    assert info.prefix == str(venv)
    # In the user's cache, not in site-packages, one folder per version and environment.
    assert folder.parent == cache / "mlplatform" / "policy-pack"
    assert folder.name.startswith(f"{__version__}-")
    # A cache folder that cannot be written is one line and exit 1.
    blocked = tmp_path / "file"
    blocked.write_text("")
    result = subprocess.run(
        command,
        cwd=tmp_path,
        env={**env, "XDG_CACHE_HOME": str(blocked)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        f"error: cannot write the policy pack's folder in {blocked}/mlplatform/policy-pack: "
        "Not a directory; set XDG_CACHE_HOME to a folder you can write\n",
    )


def test_a_relative_xdg_cache_home_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The XDG Base Directory spec: these variables hold absolute paths, and a relative one is
    invalid and ignored (a folder relative to one directory, printed for `pulumi preview`,
    means another from the next)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    default = tmp_path / "home" / ".cache" / "mlplatform" / "policy-pack"
    for given, folder in [
        ("relative/cache", default),
        ("", default),
        (str(tmp_path / "xdg"), tmp_path / "xdg" / "mlplatform" / "policy-pack"),
    ]:
        monkeypatch.setenv("XDG_CACHE_HOME", given)
        assert cache_folder() == folder, given
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_folder() == default


def test_an_environment_without_bin_python_runs_the_pack_through_a_shim(tmp_path: Path) -> None:
    """A system Python's prefix (Debian's /usr) may have `python3` and no `python`, the name
    the host runs: the written pack names a shim environment whose `bin/python` runs it."""
    pack = ROOT / "policies"
    document = yaml.safe_load((pack / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
    system = tmp_path / "usr"
    (system / "bin").mkdir(parents=True)
    (system / "bin" / "python3").symlink_to(sys.executable)
    folder = write_pack(pack, document, tmp_path / "cache", system, Path(sys.executable))
    written = yaml.safe_load((folder / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
    shim = folder / "python"
    assert written["runtime"] == {"name": "python", "options": {"virtualenv": str(shim)}}
    info = start_as_the_host_does(folder, shim, cwd=tmp_path)
    assert (info.name, info.policies, info.prefix) == (
        "mlplatform",
        [rule.name for rule in RULES],
        sys.prefix,
    )


def test_check_of_a_project_without_a_pack_runs_the_shipped_one(tmp_path: Path) -> None:
    folder = project(tmp_path / "team")
    result = mlplatform("check", "dev", "--format", "json", cwd=folder)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["mandatoryViolations"] == 0
    assert sorted(p["name"] for p in document["policies"]) == sorted(r.name for r in RULES)


def test_bad_input_to_check_and_summary_is_one_line_and_exit_2(tmp_path: Path) -> None:
    folder = project(tmp_path / "team")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    missing = f"{folder}/config/Pulumi.dve.yaml"
    no_pack = (
        f"error: no policy pack at {folder / 'pack'}: a pack's folder holds PulumiPolicy.yaml "
        "and __main__.py; give one, or leave --policy-pack out for the pack mlplatform ships "
        "(mlplatform policy-pack path)"
    )
    no_project = (
        f"error: no Pulumi.yaml found in {outside} or above; run from the project directory"
    )
    cases = [
        (folder, ("check", "dve"), f"error: no stack 'dve' ({missing} not found); stacks: dev"),
        (folder, ("summary", "dve"), f"error: no stack 'dve' ({missing} not found); stacks: dev"),
        (folder, ("check", "dev", "--policy-pack", "pack"), no_pack),
        (outside, ("check", "dev"), no_project),
        (outside, ("summary",), no_project),
    ]
    for cwd, args, message in cases:
        result = mlplatform(*args, cwd=cwd)
        assert (result.returncode, result.stderr) == (2, message + "\n"), args
