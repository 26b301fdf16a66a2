"""mlplatform as a user installs it, for the tests of the installed policy pack: the wheel built
from this checkout, installed into a fresh virtual environment, and a pack folder started the
way the Pulumi Python language host starts one.

`install_wheel` installs only the wheel (no dependencies, no index) and makes the development
environment's packages importable beside it through a `.pth` line. A `.pth` line adds a folder
to `sys.path` without reading the `.pth` files inside it, so the checkout's editable install
(`__editable__.mlplatform-*.pth` in .venv) is not seen: `mlplatform` and its shipped pack come
from the wheel, pulumi-policy and the rest from .venv. No network, a few seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2_grpc

START_TIMEOUT_SECONDS = 60


def run(
    *args: str,
    cwd: Path,
    timeout: int = 900,
    env: dict[str, str] | None = None,
    quiet: bool = False,
) -> str:
    """Run a command; fail with the end of its output unless it exits 0 (and, `quiet`, writes
    nothing on stderr); its stdout."""
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    if quiet:
        assert result.stderr == "", result.stderr[-3000:]
    return result.stdout


def build_wheel(source: Path, out: Path) -> Path:
    """The wheel of the project at `source`, built into `out` with this environment's setuptools.
    A git checkout is built from a copy of its files (tracked, and new ones not ignored), as a
    clean checkout would be: setuptools reuses a checkout's `build/lib`, which keeps modules
    since deleted or moved and would put them into the wheel."""
    if (source / ".git").exists():
        listed = run(
            "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=source
        )
        copy = out / "source"
        for name in filter(None, listed.split("\0")):
            if (source / name).is_file():
                (copy / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source / name, copy / name)
        source = copy
    pip = (sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet")
    run(*pip, "-w", str(out), str(source), cwd=source)
    [wheel] = out.glob("mlplatform-*.whl")
    return wheel


def install_wheel(wheel: Path, venv: Path) -> Path:
    """A fresh virtual environment at `venv` holding `wheel`, with this environment's packages
    importable after its own; returns `venv`."""
    run(sys.executable, "-m", "venv", "--without-pip", str(venv), cwd=venv.parent)
    python = str(venv / "bin" / "python")
    install = ("install", "--no-deps", "--no-index", "--quiet", str(wheel))
    run(sys.executable, "-m", "pip", "--python", python, *install, cwd=venv.parent)
    purelib = run(
        python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=venv
    )
    development = sysconfig.get_paths()["purelib"]
    Path(purelib.strip(), "development-packages.pth").write_text(development + "\n")
    return venv


@dataclass(frozen=True)
class PackInfo:
    """What a started pack says of itself (GetAnalyzerInfo), and where it was started from."""

    name: str
    policies: list[str]
    prefix: str
    """The `sys.prefix` of the interpreter the pack's environment runs."""


def activated(virtualenv: Path) -> dict[str, str]:
    """This process's environment with `virtualenv` activated as the Python host activates one
    (sdk/python/toolchain ActivateVirtualEnv, v3.188.0): its bin/ first on PATH, VIRTUAL_ENV
    set, PYTHONHOME unset."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONHOME", "VIRTUAL_ENV")}
    env["PATH"] = f"{virtualenv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(virtualenv)
    return env


def start_as_the_host_does(folder: Path, virtualenv: Path, cwd: Path) -> PackInfo:
    """Start the pack at `folder` as the Pulumi Python language host's RunPlugin does for a
    folder with a `__main__.py` (sdk/python/cmd/pulumi-language-python, v3.188.0):
    `<virtualenv>/bin/python <folder> <engine address>` in the activated environment; read the
    port it prints, ask it GetAnalyzerInfo, stop it."""
    python = virtualenv / "bin" / "python"
    prefix = run(
        str(python), "-c", "import sys; print(sys.prefix)", cwd=cwd, env=activated(virtualenv)
    )
    process = subprocess.Popen(
        [str(python), str(folder), "127.0.0.1:0"],
        cwd=cwd,
        env=activated(virtualenv),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        port = process.stdout.readline().strip()
        if not port.isdigit():
            process.kill()
            assert port.isdigit(), process.stderr.read()[-3000:]
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            grpc.channel_ready_future(channel).result(timeout=START_TIMEOUT_SECONDS)
            stub = analyzer_pb2_grpc.AnalyzerStub(channel)
            info = stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=START_TIMEOUT_SECONDS)
        return PackInfo(info.name, [p.name for p in info.policies], prefix.strip())
    finally:
        process.kill()
        process.wait(timeout=START_TIMEOUT_SECONDS)
