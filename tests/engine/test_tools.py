"""The engine build itself: cache keys follow the pins, a missing build names the command that
makes it, the binaries report the pinned versions, and the random stand-in's own Go tests."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
from pathlib import Path

import engine
import pytest


def test_a_module_key_follows_its_pins_and_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "TOOLS", tmp_path)
    folder = tmp_path / "stand-in"
    folder.mkdir()
    for name in ("go.mod", "go.sum", "main.go", "README.md"):
        (folder / name).write_text(f"{name} 1\n")
    module = engine.Module("stand-in", lambda _m, _o: None, own_sources=("*.go",))
    first = module.key("go1.26.8")
    (folder / "README.md").write_text("changed\n")
    assert module.key("go1.26.8") == first  # not a pin, not a source
    assert module.key("go1.27.0") != first
    for name in ("go.sum", "main.go"):
        (folder / name).write_text(f"{name} 2\n")
        assert module.key("go1.26.8") != first
        first = module.key("go1.26.8")


def test_a_missing_build_names_the_command_that_makes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("go") is None:
        pytest.fail("the engine tier needs Go 1.26.8 on PATH (https://go.dev/dl/)")
    monkeypatch.setenv("MLPLATFORM_ENGINE_CACHE", str(tmp_path))
    with pytest.raises(SystemExit) as missing:
        engine.require()
    assert str(missing.value).startswith("error: the engine is not built (pulumi, ")
    assert str(missing.value).endswith("build it with: scripts/dev engine")


def version_of(binary: Path, *args: str) -> str:
    return subprocess.run(
        [str(binary), *args], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()


def test_the_binaries_report_the_pinned_versions(built: engine.Built) -> None:
    cli = version_of(built.bin / "pulumi", "version")
    assert cli == "v3.276.0"
    # The CLI is on the release line of the Python SDK the project installs, and not older.
    sdk = importlib.metadata.version("pulumi")
    assert cli.lstrip("v").split(".")[0] == sdk.split(".")[0]
    assert tuple(map(int, cli.lstrip("v").split("."))) >= tuple(map(int, sdk.split(".")))
    assert version_of(built.bin / "kube-apiserver", "--version") == "Kubernetes v1.36.3"
    assert version_of(built.bin / "etcd", "--version").splitlines()[0] == "etcd Version: 3.6.16"


def test_the_random_stand_in_passes_its_own_tests() -> None:
    go = shutil.which("go")
    if go is None:
        pytest.fail("the engine tier needs Go 1.26.8 on PATH (https://go.dev/dl/)")
    result = subprocess.run(
        [go, "test", "-count=1", "./..."],
        cwd=engine.TOOLS / "pulumi-resource-random",
        env={**os.environ, **engine.GO_ENV},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok  \tmlplatform.local/tools/pulumi-resource-random")


def test_a_module_not_in_the_cache_is_downloaded_for_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a fresh machine nothing is in the module cache; `go list -m` alone would name no
    folder (a cold build once copied from the relative path that gave)."""
    if shutil.which("go") is None:
        pytest.fail("the engine tier needs Go 1.26.8 on PATH (https://go.dev/dl/)")
    monkeypatch.setenv("GOMODCACHE", str(tmp_path / "mod"))
    folder = engine.module_dir(engine.TOOLS / "kwok", "sigs.k8s.io/kwok")
    assert folder == tmp_path / "mod" / "sigs.k8s.io" / "kwok@v0.8.0"
    assert (folder / engine.KWOK_STAGES[0]).is_file()
    subprocess.run(["chmod", "-R", "u+w", str(tmp_path / "mod")], check=True)  # Go's is read-only
