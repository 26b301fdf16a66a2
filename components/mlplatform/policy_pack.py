"""Where the CrossGuard policy pack is. The pack's source is the repository's `policies/`; the
distribution ships those files as `mlplatform/policies/` (pyproject.toml maps the package to
that folder), so an installed mlplatform finds its pack with no checkout. `mlplatform check`,
`summary` and `review` use the project's own `policies/` when it holds a pack, else the shipped
one, or the folder `--policy-pack` names.

`runnable_pack` is the folder `mlplatform policy-pack path` prints for `pulumi preview
--policy-pack`. The Pulumi Python language host starts a pack as
`<virtualenv>/bin/python <pack folder> <engine>`, with `virtualenv` from the pack's
PulumiPolicy.yaml resolved against its folder (`venv` when unset; sdk/python/cmd/
pulumi-language-python RunPlugin and sdk/python/toolchain pip.go, v3.188.0). The shipped file
names `../.venv`, the checkout's environment, which is not there beside an installed package. So
unless that file already names the environment mlplatform runs in (this checkout), the command
writes a folder of its own to the user's cache (`$XDG_CACHE_HOME/mlplatform/policy-pack/` when
that is an absolute path, else `~/.cache/...`; never into site-packages), one per version and
environment: the shipped PulumiPolicy.yaml naming this environment, and a `__main__.py` that
runs the shipped pack.

Imports nothing beyond the standard library at import time (pyyaml when `runnable_pack` runs,
to read the shipped PulumiPolicy.yaml for the environment it names): `mlplatform policy-pack
path` runs it alone.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import sys
from pathlib import Path
from typing import Any

PROJECT_PACK = "policies"
"""A project's own pack, beside its Pulumi.yaml (this repository's is the shipped pack)."""
PACK_FILES = ("PulumiPolicy.yaml", "__main__.py")
"""What makes a folder a Python policy pack: its project file and its program."""
CACHE_FOLDER = Path("mlplatform") / "policy-pack"
"""Where, under the user's cache folder, `runnable_pack` writes its pack folders."""
HOST_DEFAULT_VIRTUALENV = "venv"
"""The virtualenv the Python host runs a plugin in when PulumiPolicy.yaml names none."""
ENVIRONMENT_SHIM = "python"
"""The folder, in a written pack, standing in for an environment with no `bin/python`."""


class PackNotFoundError(ValueError):
    """A policy pack folder that holds no pack."""


def is_pack(folder: Path) -> bool:
    return all((folder / name).is_file() for name in PACK_FILES)


def shipped_pack() -> Path:
    """The pack installed with mlplatform. In an editable install, whose package is a tree of
    links, the folder the links point to: the repository's `policies/`."""
    folder = Path(__file__).parent / PROJECT_PACK
    marker = folder / PACK_FILES[0]
    return marker.resolve().parent if marker.is_file() else folder


def find_pack(given: Path | None, project_dir: Path) -> Path:
    """The pack to run: `given`, else the project's own `policies/` when it holds a pack, else
    the shipped one. Raises `PackNotFoundError` naming the folder and what to do."""
    if given is not None:
        if not is_pack(given):
            raise PackNotFoundError(
                f"no policy pack at {given.absolute()}: a pack's folder holds "
                f"{' and '.join(PACK_FILES)}; give one, or leave --policy-pack out for the pack "
                "mlplatform ships (mlplatform policy-pack path)"
            )
        return given
    own = project_dir / PROJECT_PACK
    if is_pack(own):
        return own
    shipped = shipped_pack()
    if not is_pack(shipped):
        raise PackNotFoundError(
            f"the policy pack mlplatform ships is missing from {shipped}: reinstall mlplatform, "
            "or give a pack's folder with --policy-pack"
        )
    return shipped


def runnable_pack() -> Path:
    """The shipped pack's folder as `pulumi preview --policy-pack` can run it with this Python
    environment: the folder itself when its PulumiPolicy.yaml names this environment (this
    checkout), else one written to the user's cache (see the module's docstring). Raises
    `PackNotFoundError` when the shipped pack is missing and `OSError` when the cache folder
    cannot be written."""
    import yaml

    pack = shipped_pack()
    if not is_pack(pack):
        raise PackNotFoundError(f"no policy pack at {pack}: reinstall mlplatform")
    document = yaml.safe_load((pack / PACK_FILES[0]).read_text(encoding="utf-8"))
    named = named_environment(pack, document)
    prefix = Path(sys.prefix)
    if named is not None and _python(named).is_file() and named.resolve() == prefix.resolve():
        return pack
    return write_pack(pack, document, cache_folder(), prefix, Path(sys.executable))


def named_environment(pack: Path, document: Any) -> Path | None:
    """The environment the Python host runs the pack at `pack` in, from its PulumiPolicy.yaml
    `document`; None when the pack uses another toolchain (poetry, uv) or runtime."""
    runtime = document.get("runtime") if isinstance(document, dict) else None
    options = runtime.get("options") if isinstance(runtime, dict) else None
    options = options if isinstance(options, dict) else {}
    if options.get("toolchain", "pip") != "pip":
        return None
    return pack / str(options.get("virtualenv") or HOST_DEFAULT_VIRTUALENV)


def cache_folder() -> Path:
    """$XDG_CACHE_HOME/mlplatform/policy-pack, else ~/.cache/mlplatform/policy-pack. A relative
    XDG_CACHE_HOME is ignored: the XDG Base Directory spec has these paths absolute and a
    relative one invalid (https://specifications.freedesktop.org/basedir-spec/latest/
    ar01s02.html), and the folder printed for `pulumi preview` must mean the same from any
    directory."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    given = Path(base)
    return (given if base and given.is_absolute() else Path.home() / ".cache") / CACHE_FOLDER


def write_pack(pack: Path, document: Any, cache: Path, prefix: Path, executable: Path) -> Path:
    """A pack folder under `cache` that runs the pack at `pack` with the interpreter
    `executable` of the environment `prefix`: `document` (the pack's PulumiPolicy.yaml) naming
    `prefix` as its virtualenv, or a shim environment whose `bin/python` runs `executable` when
    `prefix` has no `bin/python` that is it (a system Python with only `python3`). Files are
    written only when their content changes, each atomically."""
    import yaml

    from mlplatform import __version__

    key = hashlib.sha256(f"{pack}\0{prefix}\0{executable}".encode()).hexdigest()[:12]
    folder = cache / f"{__version__}-{key}"
    environment = prefix
    python = _python(prefix)
    if not (python.is_file() and os.path.samefile(python, executable)):
        environment = folder / ENVIRONMENT_SHIM
        shim = f'#!/bin/sh\nexec {shlex.quote(str(executable))} "$@"\n'
        _write(_python(environment), shim, mode=0o755)
    runner = (
        f'"""Written by `mlplatform policy-pack path`: runs the policy pack installed with\n'
        f'mlplatform {__version__}, in the folder below."""\n\n'
        "import runpy\n\n"
        f'runpy.run_path({str(pack)!r}, run_name="__main__")\n'
    )
    _write(folder / PACK_FILES[1], runner)
    runtime = {"name": "python", "options": {"virtualenv": str(environment)}}
    header = (
        f"# Written by `mlplatform policy-pack path`: the policy pack mlplatform {__version__}\n"
        f"# installed at {pack},\n# run with the Python environment mlplatform is installed in.\n"
    )
    body = yaml.safe_dump({**document, "runtime": runtime}, sort_keys=False)
    _write(folder / PACK_FILES[0], header + body)
    return folder


def _python(environment: Path) -> Path:
    return environment / "bin" / "python"


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    """Write `text` to `path` unless it already holds it: to a temporary file beside it, then
    renamed over it, so a concurrent reader sees the old file or the new one."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    temporary.chmod(mode)
    os.replace(temporary, path)
