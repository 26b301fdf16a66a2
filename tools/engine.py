"""The real engine, built from pinned Go modules: `scripts/dev engine`.

Each folder under `tools/` with a `go.mod` pins one piece: the Pulumi CLI, the Python and YAML
language hosts, the Kubernetes provider, the `random` test stand-in (our own Go code), etcd,
the Kubernetes control plane, kwok, and the Prometheus operator, Kueue and KServe whose CRDs
the loopback cluster installs. Everything is fetched through the Go module proxy and checked
against the committed `go.sum`; nothing downloaded or built is kept in the checkout.

Each module is built into its own folder of a cache outside the checkout
(`$MLPLATFORM_ENGINE_CACHE`, default `~/.cache/mlplatform/engine`), named by a key over its
`go.mod`, `go.sum`, own sources, build recipe and the Go version: a fresh clone on the same
machine reuses it, and a changed pin rebuilds only its own module. The binaries are then linked
into one folder, `bin-<key>`, whose path is the command's last line on stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
RECIPE = "1"
"""Bumped when a build step changes in a way the pins do not show."""
GO_ENV = {
    "GOTOOLCHAIN": "local",
    "CGO_ENABLED": "0",
    "GOFLAGS": "-mod=readonly -buildvcs=false -trimpath",
}
KUBE_VERSION_PACKAGES = ("k8s.io/component-base/version", "k8s.io/client-go/pkg/version")
PULUMI_VERSION_VAR = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"
KWOK_STAGES = (
    "kustomize/stage/node/fast/node-initialize.yaml",
    "kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
    "kustomize/stage/pod/fast/pod-ready.yaml",
    "kustomize/stage/pod/fast/pod-complete.yaml",
    "kustomize/stage/pod/fast/pod-delete.yaml",
)
"""kwok's own stage definitions: nodes become Ready, pods Running, a Job's pods Succeeded."""
PROMETHEUS_OPERATOR = "github.com/prometheus-operator/prometheus-operator"
CRD_FOLDER = "example/prometheus-operator-crd"
KUEUE = "sigs.k8s.io/kueue"
KUEUE_CRD_FOLDER = "config/components/crd/bases"
"""Kueue's CRDs as its kustomize build starts from: no conversion webhook (the chart's copies,
charts/kueue/templates/crd, convert through the release's webhook Service)."""
KSERVE = "github.com/kserve/kserve"
KSERVE_CRD_FOLDER = "config/crd/full"
KSERVE_CRDS = (
    "serving.kserve.io_inferenceservices.yaml",
    "serving.kserve.io_servingruntimes.yaml",
    "serving.kserve.io_clusterservingruntimes.yaml",
    "clusterstoragecontainer/serving.kserve.io_clusterstoragecontainers.yaml",
)
"""The KServe CRDs of the kinds the platform creates or could (InferenceService,
ServingRuntime, ClusterServingRuntime, ClusterStorageContainer), under `KSERVE_CRD_FOLDER`: the
full ones with their schemas, as the kserve-crd chart installs them (not `config/crd/minimal`,
which validates nothing). None has a conversion webhook."""


def cache_root() -> Path:
    """Where built modules live: $MLPLATFORM_ENGINE_CACHE, else ~/.cache/mlplatform/engine."""
    configured = os.environ.get("MLPLATFORM_ENGINE_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mlplatform" / "engine"


class BuildError(RuntimeError):
    """A step failed; the message names the command and its output's end."""


def _go(module: Path, *args: str, capture: bool = True, offline: bool = False) -> str:
    """Run `go ARGS` in the module's folder with the pinned build environment; `offline`
    fetches nothing (GOPROXY=off: only the module cache answers)."""
    go = shutil.which("go")
    if go is None:
        raise BuildError(
            "the engine build needs Go 1.26.8 on PATH: https://go.dev/dl/ "
            "(or the machine's package manager)"
        )
    env = {**os.environ, **GO_ENV, **({"GOPROXY": "off"} if offline else {})}
    result = subprocess.run(
        [go, *args], cwd=module, env=env, text=True, capture_output=capture, check=False
    )
    if result.returncode != 0:
        # `go mod download -json` reports a module's error on stdout.
        tail = "\n".join((result.stderr.strip() or result.stdout or "").splitlines()[-25:])
        raise BuildError(f"(cd {module} && go {' '.join(args)}) failed:\n{tail}")
    return result.stdout or ""


def module_dir(module: Path, path: str, offline: bool = False) -> Path:
    """The module cache folder of `path` at the version the tools module pins, downloaded
    (and checked against go.sum) first: `go list -m` alone names no folder for a module not
    in the cache yet. With `offline`, only a module already in the cache is found."""
    found = json.loads(_go(module, "mod", "download", "-json", path, offline=offline))
    if found.get("Error") or not found.get("Dir"):
        raise BuildError(f"{module}: go mod download {path}: {found.get('Error', 'no folder')}")
    return Path(found["Dir"])


def module_version(module: Path, path: str) -> str:
    """The version of `path` the tools module pins."""
    return _go(module, "list", "-m", "-f", "{{.Version}}", path).strip()


def _build(module: Path, target: Path, package: str, ldflags: str = "-s -w") -> None:
    """`go build` of `package` into the file `target`."""
    _go(module, "build", "-ldflags", ldflags, "-o", str(target), package)


def _stamped(module: Path, target: Path, package: str, version_of: str, variable: str) -> None:
    """Build `package`, its `variable` set to the version the module pins of `version_of`."""
    version = module_version(module, version_of)
    _build(module, target, package, f"-s -w -X {variable}={version}")


def _pulumi(module: Path, out: Path) -> None:
    _stamped(
        module,
        out / "pulumi",
        "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
        "github.com/pulumi/pulumi/pkg/v3",
        PULUMI_VERSION_VAR,
    )


def _python_host(module: Path, out: Path) -> None:
    _stamped(
        module,
        out / "pulumi-language-python",
        "github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3",
        "github.com/pulumi/pulumi/sdk/v3",
        PULUMI_VERSION_VAR,
    )
    # The host runs programs through this script, which must sit beside its executable.
    sdk = module_dir(module, "github.com/pulumi/pulumi/sdk/v3")
    script = out / "pulumi-language-python-exec"
    shutil.copyfile(sdk / "python" / "cmd" / "pulumi-language-python-exec", script)
    script.chmod(0o755)


def _yaml_host(module: Path, out: Path) -> None:
    _stamped(
        module,
        out / "pulumi-language-yaml",
        "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml",
        "github.com/pulumi/pulumi-yaml",
        "github.com/pulumi/pulumi-yaml/pkg/version.Version",
    )


def _kubernetes_provider(module: Path, out: Path) -> None:
    """The provider's main package embeds a schema its own generator writes (the generated
    files are not in the module zip): run that generator on the module's schema, then build
    the unchanged main.go in a scratch module that carries our go.mod and go.sum."""
    path = "github.com/pulumi/pulumi-kubernetes/provider/v4"
    source = module_dir(module, path) / "cmd" / "pulumi-resource-kubernetes"
    version = _provider_version(module)
    scratch = out / "build"
    main = scratch / "cmd" / "pulumi-resource-kubernetes"
    main.mkdir(parents=True)
    for name in ("go.mod", "go.sum"):
        shutil.copyfile(module / name, scratch / name)
    shutil.copyfile(source / "main.go", main / "main.go")
    for name in ("schema.json", "terraform-mapping.json"):
        (main / name).symlink_to(source / name)
    _go(scratch, "build", "-o", str(scratch / "generate"), str(source / "generate.go"))
    subprocess.run(
        [str(scratch / "generate")],
        cwd=main,
        env={**os.environ, "VERSION": version},
        check=True,
        capture_output=True,
    )
    for name in ("schema.json", "terraform-mapping.json"):
        (main / name).unlink()
    _build(
        scratch,
        out / "pulumi-resource-kubernetes",
        "./cmd/pulumi-resource-kubernetes",
        f"-s -w -X {path}/pkg/version.Version={version}",
    )
    shutil.rmtree(scratch)


def _provider_version(module: Path) -> str:
    """The provider's release, from the `release vX.Y.Z` note beside its pseudo-version (the
    version the provider reports; its module has no tags of its own)."""
    for line in (module / "go.mod").read_text().splitlines():
        if "provider/v4 " in line and "release v" in line:
            return line.split("release v", 1)[1].split()[0]
    raise BuildError(f"{module}/go.mod: the provider/v4 line needs a `release vX.Y.Z` note")


def _random(module: Path, out: Path) -> None:
    _build(module, out / "pulumi-resource-random", ".", f"-s -w -X main.version={RANDOM_VERSION}")


RANDOM_VERSION = "4.21.4"
"""The pulumi-random release whose resources the stand-in serves (its PyPI SDK's version)."""


def _etcd(module: Path, out: Path) -> None:
    _build(module, out / "etcd", "go.etcd.io/etcd/server/v3")


def _kube(module: Path, out: Path) -> None:
    version = module_version(module, "k8s.io/kubernetes")
    major, minor = version.lstrip("v").split(".")[:2]
    flags = ["-s", "-w"]
    for package in KUBE_VERSION_PACKAGES:
        flags += [
            f"-X {package}.gitVersion={version}",
            f"-X {package}.gitMajor={major}",
            f"-X {package}.gitMinor={minor}",
        ]
    flags.append("-X k8s.io/component-base/version.gitTreeState=clean")
    for command in ("kube-apiserver", "kube-controller-manager", "kube-scheduler"):
        _build(module, out / command, f"k8s.io/kubernetes/cmd/{command}", " ".join(flags))


def _kwok(module: Path, out: Path) -> None:
    _build(module, out / "kwok", "sigs.k8s.io/kwok/cmd/kwok")
    source = module_dir(module, "sigs.k8s.io/kwok")
    stages = out / "stages"
    stages.mkdir()
    for stage in KWOK_STAGES:
        shutil.copyfile(source / stage, stages / Path(stage).name)


def _copy_crds(source: Path, out: Path) -> None:
    target = out / "crds"
    target.mkdir()
    for crd in sorted(source.glob("*.yaml")):
        shutil.copyfile(crd, target / crd.name)


def _crds(module: Path, out: Path) -> None:
    _copy_crds(module_dir(module, PROMETHEUS_OPERATOR) / CRD_FOLDER, out)


def _kueue_crds(module: Path, out: Path) -> None:
    _copy_crds(module_dir(module, KUEUE) / KUEUE_CRD_FOLDER, out)


def _kserve_crds(module: Path, out: Path) -> None:
    target = out / "crds"
    target.mkdir()
    source = module_dir(module, KSERVE) / KSERVE_CRD_FOLDER
    for crd in KSERVE_CRDS:
        shutil.copyfile(source / crd, target / Path(crd).name)


def _cached(what: str, folder: str, path: str) -> Path:
    """The Go module cache folder of `path` at the version `tools/<folder>` pins, found
    offline (checked against the committed go.sum, never downloaded here); or SystemExit
    naming the command that downloads it."""
    try:
        return module_dir(TOOLS / folder, path, offline=True)
    except BuildError as error:
        raise SystemExit(
            f"error: the {what} CRDs ({path}, pinned in tools/{folder}) are not in the Go "
            "module cache; download them with: scripts/dev engine (or only them: cd "
            f"tools/{folder} && go mod download {path})\n{error}"
        ) from None


def kueue_crd_files() -> list[Path]:
    """The CRDs of the Kueue module `tools/kueue-crds` pins, read where the build reads them
    (the Go module cache, checked against the committed go.sum), never downloaded here; or
    SystemExit naming the command that downloads them."""
    files = sorted((_cached("Kueue", "kueue-crds", KUEUE) / KUEUE_CRD_FOLDER).glob("*.yaml"))
    if not files:
        raise SystemExit(f"error: {KUEUE} in the Go module cache has no {KUEUE_CRD_FOLDER}/*.yaml")
    return files


def kserve_crd_files() -> list[Path]:
    """The CRDs `KSERVE_CRDS` of the KServe module `tools/kserve-crds` pins, read where the
    build reads them (the Go module cache, checked against the committed go.sum), never
    downloaded here; or SystemExit naming the command that downloads them."""
    folder = _cached("KServe", "kserve-crds", KSERVE) / KSERVE_CRD_FOLDER
    files = [folder / crd for crd in KSERVE_CRDS]
    missing = [crd for crd, file in zip(KSERVE_CRDS, files, strict=True) if not file.is_file()]
    if missing:
        raise SystemExit(
            f"error: {KSERVE} in the Go module cache has no {KSERVE_CRD_FOLDER}/"
            f"{', '.join(missing)}"
        )
    return files


@dataclass(frozen=True)
class Module:
    """One tools module: its folder, what it builds and the files its key covers."""

    name: str
    build: Callable[[Path, Path], None]
    binaries: tuple[str, ...] = ()
    own_sources: tuple[str, ...] = field(default=())

    @property
    def folder(self) -> Path:
        return TOOLS / self.name

    def key(self, go_version: str) -> str:
        digest = hashlib.sha256(f"{RECIPE}\n{go_version}\n{self.name}\n".encode())
        names = [
            "go.mod",
            "go.sum",
            *sorted(
                str(p.relative_to(self.folder))
                for pattern in self.own_sources
                for p in self.folder.glob(pattern)
            ),
        ]
        for name in names:
            digest.update(name.encode() + b"\0" + (self.folder / name).read_bytes() + b"\0")
        return digest.hexdigest()[:16]


MODULES = (
    Module("pulumi", _pulumi, ("pulumi",)),
    Module(
        "pulumi-language-python",
        _python_host,
        ("pulumi-language-python", "pulumi-language-python-exec"),
    ),
    Module("pulumi-language-yaml", _yaml_host, ("pulumi-language-yaml",)),
    Module("pulumi-kubernetes", _kubernetes_provider, ("pulumi-resource-kubernetes",)),
    Module("pulumi-resource-random", _random, ("pulumi-resource-random",), ("*.go",)),
    Module("etcd", _etcd, ("etcd",)),
    Module("kube", _kube, ("kube-apiserver", "kube-controller-manager", "kube-scheduler")),
    Module("kwok", _kwok, ("kwok",)),
    Module("crds", _crds),
    Module("kueue-crds", _kueue_crds),
    Module("kserve-crds", _kserve_crds),
)


@dataclass(frozen=True)
class Built:
    """Where the built engine is."""

    bin: Path
    """One folder holding every binary (put it first on PATH)."""
    kwok_stages: list[Path]
    """kwok's stage definitions."""
    crd_files: list[Path]
    """The CRDs the loopback cluster installs: the Prometheus operator's, then Kueue's, then
    KServe's, at the pinned versions."""


def go_version() -> str:
    go = shutil.which("go")
    if go is None:
        raise BuildError("the engine build needs Go 1.26.8 on PATH")
    return subprocess.run(
        [go, "env", "GOVERSION"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **GO_ENV},
    ).stdout.strip()


def _outputs(version: str) -> dict[str, Path]:
    root = cache_root()
    return {m.name: root / f"{m.name}-{m.key(version)}" for m in MODULES}


def _bin_folder(outputs: dict[str, Path]) -> Path:
    key = hashlib.sha256("\n".join(str(p) for p in outputs.values()).encode()).hexdigest()[:16]
    return cache_root() / f"bin-{key}"


def _complete(folder: Path) -> bool:
    return (folder / ".complete").exists()


def _built(outputs: dict[str, Path]) -> Built:
    return Built(
        bin=_bin_folder(outputs),
        kwok_stages=[outputs["kwok"] / "stages" / Path(s).name for s in KWOK_STAGES],
        crd_files=[
            *sorted((outputs["crds"] / "crds").glob("*.yaml")),
            *sorted((outputs["kueue-crds"] / "crds").glob("*.yaml")),
            *sorted((outputs["kserve-crds"] / "crds").glob("*.yaml")),
        ],
    )


def ensure(log: Callable[[str], None] = lambda line: print(line, file=sys.stderr)) -> Built:
    """Build every module whose folder is missing, link the binaries, and say where."""
    version = go_version()
    outputs = _outputs(version)
    for module in MODULES:
        out = outputs[module.name]
        if _complete(out):
            log(f"engine: {module.name} cached ({out.name})")
            continue
        log(f"engine: building {module.name} ...")
        started = time.monotonic()
        partial = out.with_name(out.name + ".partial")
        if partial.exists():
            shutil.rmtree(partial)
        partial.mkdir(parents=True)
        module.build(module.folder, partial)
        for binary in module.binaries:
            if not (partial / binary).is_file():
                raise BuildError(f"{module.name}: the build made no {binary}")
        (partial / ".complete").write_text(json.dumps({"seconds": time.monotonic() - started}))
        if out.exists():
            shutil.rmtree(out)
        partial.rename(out)
        log(f"engine: built {module.name} in {time.monotonic() - started:.0f} s")
    folder = _bin_folder(outputs)
    if not _complete(folder):
        partial = folder.with_name(folder.name + ".partial")
        if partial.exists():
            shutil.rmtree(partial)
        partial.mkdir(parents=True)
        for module in MODULES:
            for binary in module.binaries:
                _link(outputs[module.name] / binary, partial / binary)
        (partial / ".complete").write_text("")
        if folder.exists():
            shutil.rmtree(folder)
        partial.rename(folder)
    return _built(outputs)


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def require() -> Built:
    """The built engine, or SystemExit naming the command that builds it."""
    try:
        outputs = _outputs(go_version())
    except BuildError as error:
        raise SystemExit(f"error: {error}") from None
    missing = [name for name, out in outputs.items() if not _complete(out)]
    if missing or not _complete(_bin_folder(outputs)):
        raise SystemExit(
            f"error: the engine is not built ({', '.join(missing) or 'bin folder'} missing); "
            "build it with: scripts/dev engine"
        )
    return _built(outputs)


def build_times() -> dict[str, float]:
    """Seconds each cached module took to build, as recorded when it was built."""
    outputs = _outputs(go_version())
    return {
        name: json.loads((out / ".complete").read_text())["seconds"]
        for name, out in outputs.items()
        if _complete(out)
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/dev engine", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="only say whether the engine is built (exit 1 when not)",
    )
    args = parser.parse_args(argv)
    if args.check:
        print(require().bin)
        return 0
    try:
        built = ensure()
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(built.bin)
    return 0


if __name__ == "__main__":
    sys.exit(main())
