"""The loopback Kubernetes control plane: `scripts/dev cluster start|stop|status`.

etcd, kube-apiserver, kube-controller-manager and kube-scheduler (built by `scripts/dev engine`
from pinned Go modules) on 127.0.0.1, with certificates made here by openssl, and kwok, which
plays the kubelet of simulated nodes: a system node and a GPU node that carries a GPU pool's
labels, taint and `nvidia.com/gpu` capacity. kwok marks scheduled pods Running and Ready and a
Job's pods Succeeded, so Deployments, StatefulSets and Jobs become ready; no container runs.

What else `start` installs, each at a pinned version:

- the CRDs of the Prometheus operator whose custom resources the platform creates
  (ServiceMonitor, PrometheusRule, ...), read from the operator's own Go module, Kueue's
  (ResourceFlavor, Cohort, ClusterQueue, LocalQueue, Workload, ...) from Kueue's, and KServe's
  (InferenceService, ServingRuntime, ClusterServingRuntime, ClusterStorageContainer) from
  KServe's, none with a conversion webhook (no Kueue or KServe controller runs), so the API
  server validates those objects against their real schemas and CEL rules;
- a default StorageClass with Immediate binding and static PersistentVolumes, so claims bind
  (the controller manager's volume binder does it; nothing is provisioned on disk).

Everything lives in one folder (default `.engine/cluster`): certificates, the admin kubeconfig
(`kubeconfig`, JSON), etcd's data, each process's log and `state.json` (ports and pids). `start`
begins from an empty etcd every time; `stop` ends every process it started and waits until they
are gone.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import engine
from kubeapi import Api, ApiError
from workspace import LOOPBACK_CONTEXT, OFFLINE_ENVIRONMENT

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT / ".engine" / "cluster"
CONTEXT = LOOPBACK_CONTEXT
"""Name of the kubeconfig's only context."""
SERVICE_CIDR = "10.0.0.0/24"
SYSTEM_NODE = "mlplatform-system"
GPU_NODE = "mlplatform-gpu"
GPU_NODE_POOL = "gpu"
GPU_NODE_GPU = "T4"
GPU_NODE_GPUS = 4
NODE_GRACE = "10m"
"""How long a simulated node may miss its heartbeat before the controller manager marks it
NotReady (upstream's default is 50 s)."""
STORAGE_CLASS = "loopback"
VOLUMES = 12
VOLUME_SIZE = "100Gi"
OWN_STAGES = sorted((Path(__file__).resolve().parent / "kwok" / "stages").glob("*.yaml"))
"""Our own kwok stages (the simulated ingress controller), after kwok's."""
PROCESS_ORDER = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok")


@dataclass
class State:
    """What `start` recorded: the folder, ports and the pid of each process."""

    dir: str
    ports: dict[str, int] = field(default_factory=dict)
    pids: dict[str, int] = field(default_factory=dict)

    @property
    def kubeconfig(self) -> Path:
        return Path(self.dir) / "kubeconfig"

    def api(self) -> Api:
        pki = Path(self.dir) / "pki"
        return Api(
            server=f"https://127.0.0.1:{self.ports['apiserver']}",
            ca=pki / "ca.crt",
            cert=pki / "admin.crt",
            key=pki / "admin.key",
        )

    def save(self) -> None:
        (Path(self.dir) / "state.json").write_text(json.dumps(asdict(self), indent=1))

    @classmethod
    def load(cls, folder: Path) -> State | None:
        path = folder / "state.json"
        return cls(**json.loads(path.read_text())) if path.exists() else None


PORT_NAMES = ("etcd", "etcd_peer", "apiserver", "controller_manager", "scheduler", "kwok")
LOWEST_PORT = 10000
START_ATTEMPTS = 3
"""How many times `start` picks new ports when a process finds its port taken."""


def ephemeral_range() -> tuple[int, int]:
    """The kernel's range for outgoing connections' local ports (Linux's default if unread)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_ports(names: tuple[str, ...] = PORT_NAMES) -> dict[str, int]:
    """A free port on 127.0.0.1 for each name, distinct, drawn below the ephemeral range.

    A port the kernel hands out for `bind(0)` lies in the ephemeral range, where any outgoing
    connection made between choosing it and the server binding it (etcd's clients, another
    cluster's components) may take it first; below that range only a listener can."""
    low = ephemeral_range()[0]
    pool = range(LOWEST_PORT, low) if low - LOWEST_PORT >= 100 * len(names) else range(0)
    chosen: dict[str, int] = {}
    candidates = iter(random.sample(pool, len(pool)))
    for name in names:
        for port in candidates:
            if port not in chosen.values() and bindable(port):
                chosen[name] = port
                break
        else:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                chosen[name] = s.getsockname()[1]
    return chosen


def bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_pki(pki: Path) -> None:
    """A CA, the API server's serving certificate, the admin client certificate (group
    system:masters) and the service-account signing key pair."""
    if shutil.which("openssl") is None:
        raise SystemExit("error: the loopback cluster needs openssl: sudo apt-get install openssl")
    pki.mkdir(parents=True, exist_ok=True)
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "30",
        "-subj",
        "/CN=mlplatform-loopback-ca",
        cwd=pki,
    )
    sans = (
        "subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,"
        "DNS:kubernetes.default,DNS:kubernetes.default.svc,"
        "DNS:kubernetes.default.svc.cluster.local"
    )
    for name, subject, extensions in (
        ("apiserver", "/CN=kube-apiserver", f"{sans}\nextendedKeyUsage=serverAuth"),
        (
            "admin",
            "/O=system:masters/CN=mlplatform-admin",
            "extendedKeyUsage=clientAuth,serverAuth\nsubjectAltName=IP:127.0.0.1",
        ),
    ):
        (pki / f"{name}.ext").write_text(extensions + "\n")
        _openssl(
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            f"{name}.key",
            "-out",
            f"{name}.csr",
            "-subj",
            subject,
            cwd=pki,
        )
        _openssl(
            "x509",
            "-req",
            "-in",
            f"{name}.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "30",
            "-out",
            f"{name}.crt",
            "-extfile",
            f"{name}.ext",
            cwd=pki,
        )
    _openssl("genrsa", "-out", "sa.key", "2048", cwd=pki)
    _openssl("rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub", cwd=pki)


def write_kubeconfig(state: State) -> None:
    """The admin kubeconfig, JSON, with one context named CONTEXT."""
    pki = Path(state.dir) / "pki"
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": CONTEXT,
                "cluster": {
                    "server": f"https://127.0.0.1:{state.ports['apiserver']}",
                    "certificate-authority": str(pki / "ca.crt"),
                },
            }
        ],
        "users": [
            {
                "name": CONTEXT,
                "user": {
                    "client-certificate": str(pki / "admin.crt"),
                    "client-key": str(pki / "admin.key"),
                },
            }
        ],
        "contexts": [{"name": CONTEXT, "context": {"cluster": CONTEXT, "user": CONTEXT}}],
        "current-context": CONTEXT,
    }
    state.kubeconfig.write_text(json.dumps(config, indent=1))
    state.kubeconfig.chmod(0o600)


def _commands(state: State, binaries: Path, kwok_config: Path) -> dict[str, list[str]]:
    d, p = Path(state.dir), state.ports
    pki, kubeconfig = d / "pki", str(state.kubeconfig)
    etcd_url = f"http://127.0.0.1:{p['etcd']}"
    peer_url = f"http://127.0.0.1:{p['etcd_peer']}"
    component = [
        f"--kubeconfig={kubeconfig}",
        f"--authentication-kubeconfig={kubeconfig}",
        f"--authorization-kubeconfig={kubeconfig}",
        "--bind-address=127.0.0.1",
        "--leader-elect=false",
    ]
    return {
        "etcd": [
            str(binaries / "etcd"),
            "--name=loopback",
            f"--data-dir={d / 'etcd'}",
            f"--listen-client-urls={etcd_url}",
            f"--advertise-client-urls={etcd_url}",
            f"--listen-peer-urls={peer_url}",
            f"--initial-advertise-peer-urls={peer_url}",
            f"--initial-cluster=loopback={peer_url}",
            "--unsafe-no-fsync",
            "--listen-metrics-urls=",
            "--log-level=warn",
        ],
        "kube-apiserver": [
            str(binaries / "kube-apiserver"),
            f"--etcd-servers={etcd_url}",
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            f"--secure-port={p['apiserver']}",
            f"--tls-cert-file={pki / 'apiserver.crt'}",
            f"--tls-private-key-file={pki / 'apiserver.key'}",
            f"--client-ca-file={pki / 'ca.crt'}",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            f"--service-account-key-file={pki / 'sa.pub'}",
            f"--service-account-signing-key-file={pki / 'sa.key'}",
            f"--service-cluster-ip-range={SERVICE_CIDR}",
            "--authorization-mode=Node,RBAC",
            "--allow-privileged=true",
            "--endpoint-reconciler-type=none",
            "--enable-priority-and-fairness=false",
            "--profiling=false",
        ],
        "kube-controller-manager": [
            str(binaries / "kube-controller-manager"),
            *component,
            f"--secure-port={p['controller_manager']}",
            f"--service-account-private-key-file={pki / 'sa.key'}",
            f"--root-ca-file={pki / 'ca.crt'}",
            "--use-service-account-credentials=false",
            f"--service-cluster-ip-range={SERVICE_CIDR}",
            # kwok renews the simulated nodes' leases; on a loaded 2-core machine a renewal
            # can come late, and a node marked NotReady makes its pods unready for good.
            f"--node-monitor-grace-period={NODE_GRACE}",
        ],
        "kube-scheduler": [
            str(binaries / "kube-scheduler"),
            *component,
            f"--secure-port={p['scheduler']}",
        ],
        "kwok": [
            str(binaries / "kwok"),
            f"--kubeconfig={kubeconfig}",
            f"--config={kwok_config}",
            "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
            f"--server-address=127.0.0.1:{p['kwok']}",
            f"--node-port={p['kwok']}",
            "--node-ip=127.0.0.1",
            f"--tls-cert-file={pki / 'admin.crt'}",
            f"--tls-private-key-file={pki / 'admin.key'}",
        ],
    }


def _spawn(state: State, name: str, command: list[str]) -> None:
    log = (Path(state.dir) / "logs" / f"{name}.log").open("ab")
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        cwd=state.dir,
    )
    state.pids[name] = process.pid
    state.save()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped) is not alive.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _wait_etcd(state: State, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", state.ports["etcd"])) == 0:
                return
        _check_running(state, "etcd")
        time.sleep(0.2)
    raise SystemExit(
        f"error: etcd did not listen in {timeout:.0f} s; see {state.dir}/logs/etcd.log"
    )


def _check_running(state: State, name: str) -> None:
    if not _alive(state.pids[name]):
        log = Path(state.dir) / "logs" / f"{name}.log"
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        raise SystemExit(f"error: {name} exited at start; the end of {log}:\n{tail}")


def _wait(predicate: Any, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise SystemExit(f"error: {what} did not happen in {timeout:.0f} s")


def kwok_config(stages: list[Path], target: Path) -> None:
    """kwok's stage definitions (copied from its module by the engine build), joined as one
    multi-document YAML file."""
    target.write_text("\n---\n".join(stage.read_text() for stage in [*stages, *OWN_STAGES]))


def node(
    name: str, labels: dict[str, str], capacity: dict[str, str], taints: list[dict[str, str]]
) -> dict[str, Any]:
    """A simulated node kwok manages (its annotation selects it)."""
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "annotations": {"kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0"},
            "labels": {
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/os": "linux",
                "kubernetes.io/hostname": name,
                "type": "kwok",
                **labels,
            },
        },
        "spec": {"taints": taints},
        "status": {
            "allocatable": capacity,
            "capacity": capacity,
            "nodeInfo": {
                "architecture": "amd64",
                "operatingSystem": "linux",
                "kubeletVersion": "v1.36.3-kwok",
            },
        },
    }


def nodes() -> list[dict[str, Any]]:
    """The system node and one GPU node labelled and tainted as a GPU pool's nodes are."""
    from mlplatform import defaults

    base = {"cpu": "16", "memory": "64Gi", "pods": "110"}
    return [
        node(SYSTEM_NODE, {"node-role.kubernetes.io/system": ""}, base, []),
        node(
            GPU_NODE,
            {
                defaults.GPU_LABEL: GPU_NODE_GPU,
                defaults.POOL_LABEL: GPU_NODE_POOL,
                defaults.GPU_PRESENT_LABEL: "true",
            },
            {**base, "nvidia.com/gpu": str(GPU_NODE_GPUS)},
            [dict(defaults.GPU_TAINT)],
        ),
    ]


def install_nodes(api: Api) -> None:
    """Create the simulated nodes and wait until kwok reports them Ready."""
    for spec in nodes():
        status = spec.pop("status")
        api.apply(f"/api/v1/nodes/{spec['metadata']['name']}", spec)
        api.request(
            "PATCH",
            f"/api/v1/nodes/{spec['metadata']['name']}/status",
            {"status": status},
            "application/merge-patch+json",
        )

    def ready() -> bool:
        items = api.get("/api/v1/nodes")["items"]
        return len(items) == len(nodes()) and all(
            any(
                c["type"] == "Ready" and c["status"] == "True"
                for c in n.get("status", {}).get("conditions", [])
            )
            for n in items
        )

    _wait(ready, "kwok marking the simulated nodes Ready")


def storage_class() -> dict[str, Any]:
    """The default StorageClass: static volumes, bound as soon as a claim exists."""
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {
            "name": STORAGE_CLASS,
            "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
        },
        "provisioner": "kubernetes.io/no-provisioner",
        "volumeBindingMode": "Immediate",
        "reclaimPolicy": "Retain",
    }


def volume(index: int) -> dict[str, Any]:
    """A static volume the claims of the platform bind to (a path no container uses)."""
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": f"loopback-{index:02d}", "labels": {"mlplatform.io/loopback": "true"}},
        "spec": {
            "capacity": {"storage": VOLUME_SIZE},
            "accessModes": ["ReadWriteOnce", "ReadWriteMany", "ReadOnlyMany"],
            "persistentVolumeReclaimPolicy": "Retain",
            "storageClassName": STORAGE_CLASS,
            "hostPath": {"path": f"/var/lib/mlplatform-loopback/{index:02d}"},
        },
    }


def ensure_volumes(api: Api) -> None:
    """The StorageClass, and VOLUMES volumes free to bind: a volume whose claim was deleted
    (Released) is made again, as a fresh one."""
    api.apply(f"/apis/storage.k8s.io/v1/storageclasses/{STORAGE_CLASS}", storage_class())
    for index in range(VOLUMES):
        path = f"/api/v1/persistentvolumes/loopback-{index:02d}"
        try:
            phase = api.get(path).get("status", {}).get("phase")
        except ApiError as error:
            if error.status != 404:
                raise
            phase = None
        if phase in ("Released", "Failed"):
            api.delete(path)
            _wait(lambda p=path: not api.exists(p), f"volume {path} deleted", 30)
            phase = None
        if phase is None:
            api.apply(path, volume(index))


def established(crd: dict[str, Any]) -> bool:
    """Whether the API server serves `crd` (its Established condition is True); just after
    it is created, a CRD's `status.conditions` may be null."""
    conditions = (crd.get("status") or {}).get("conditions") or []
    return any(c["type"] == "Established" and c["status"] == "True" for c in conditions)


def install_crds(api: Api, crd_files: list[Path]) -> None:
    """Apply each CRD (YAML read with PyYAML, through libyaml when PyYAML has it: ten times
    faster on Kueue's 1.4 MB Workload CRD) and wait until the API server serves it. The apply
    is server-side: no client-side `last-applied-configuration` annotation, whose 256 KiB
    limit KServe's 1.96 MB InferenceService CRD would break."""
    import yaml

    reader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # without libyaml: Python's

    class Loader(reader):
        """PyYAML reads a bare `=` as YAML 1.1's value key; in these files it is a string."""

    Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: node.value)
    names = []
    for path in crd_files:
        crd = yaml.load(path.read_text(), Loader=Loader)
        name = crd["metadata"]["name"]
        names.append(name)
        api.apply(f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}", crd)

    def all_established() -> bool:
        return all(
            established(api.get(f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{n}"))
            for n in names
        )

    _wait(all_established, "the CRDs becoming Established")


def start(folder: Path, binaries: Path, kwok_stages: list[Path], crd_files: list[Path]) -> State:
    """Start a fresh control plane in `folder` (anything running there is stopped first).

    When a process finds its port taken (something bound it after the ports were chosen),
    start again on new ports, at most `START_ATTEMPTS` times."""
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            return _start(folder, binaries, kwok_stages, crd_files, free_ports())
        except SystemExit as error:
            if attempt == START_ATTEMPTS or "address already in use" not in str(error):
                raise
            print(f"loopback cluster: a port was taken ({error}); new ports", file=sys.stderr)
    raise AssertionError("unreachable")


def _start(
    folder: Path,
    binaries: Path,
    kwok_stages: list[Path],
    crd_files: list[Path],
    ports: dict[str, int],
) -> State:
    stop(folder)
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "logs").mkdir(parents=True)
    state = State(dir=str(folder))
    state.ports = ports
    make_pki(folder / "pki")
    write_kubeconfig(state)
    kwok_config(kwok_stages, folder / "kwok.yaml")
    state.save()
    commands = _commands(state, binaries, folder / "kwok.yaml")
    try:
        _spawn(state, "etcd", commands["etcd"])
        _wait_etcd(state)
        _spawn(state, "kube-apiserver", commands["kube-apiserver"])
        api = state.api()
        try:
            api.wait_ready(90, alive=lambda: _check_running(state, "kube-apiserver"))
        except TimeoutError as error:
            _check_running(state, "kube-apiserver")
            raise SystemExit(f"error: {error}; see {folder}/logs/kube-apiserver.log") from None
        for name in ("kube-controller-manager", "kube-scheduler", "kwok"):
            _spawn(state, name, commands[name])
        time.sleep(0.5)
        for name in PROCESS_ORDER:
            _check_running(state, name)
        install_crds(api, crd_files)
        ensure_volumes(api)
        install_nodes(api)
        _wait(
            lambda: api.exists("/api/v1/namespaces/default/serviceaccounts/default"),
            "the default ServiceAccount (the controller manager) appearing",
        )
    except BaseException:
        stop(folder)
        raise
    return state


def stop(folder: Path, timeout: float = 20) -> list[str]:
    """End every process `start` recorded in `folder` (TERM, then KILL after `timeout`), wait
    until none is left, and return the names of those that were running."""
    state = State.load(folder)
    if state is None:
        return []
    stopped = []
    for name in reversed(PROCESS_ORDER):
        pid = state.pids.get(name)
        if pid is None or not _alive(pid):
            continue
        stopped.append(name)
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        deadline = time.monotonic() + timeout
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.1)
    state.pids = {}
    state.save()
    return stopped


def running(folder: Path) -> dict[str, bool]:
    """Each recorded process and whether it is alive."""
    state = State.load(folder)
    if state is None:
        return {}
    return {name: _alive(pid) for name, pid in state.pids.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/dev cluster", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("action", choices=("start", "stop", "status"))
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="state folder")
    args = parser.parse_args(argv)
    folder = args.dir.resolve()
    if args.action == "stop":
        stopped = stop(folder)
        print(f"stopped: {', '.join(stopped) or 'nothing was running'}")
        return 0
    if args.action == "status":
        alive = running(folder)
        for name, up in alive.items():
            print(f"{name}: {'running' if up else 'stopped'}")
        return 0 if alive and all(alive.values()) else 1
    built = engine.require()
    started = time.monotonic()
    state = start(folder, built.bin, built.kwok_stages, built.crd_files)
    print(
        f"loopback cluster up in {time.monotonic() - started:.1f} s: "
        f"https://127.0.0.1:{state.ports['apiserver']} (context {CONTEXT})",
        file=sys.stderr,
    )
    for line in exports(built.bin, folder, state.kubeconfig):
        print(line)
    return 0


def exports(binaries: Path, folder: Path, kubeconfig: Path) -> list[str]:
    """Shell lines that point `pulumi` at the engine, the cluster and a file backend beside it
    (`eval "$(scripts/dev cluster start)"`); the passphrase only if none is set."""
    state = folder.parent / "state"
    state.mkdir(parents=True, exist_ok=True)
    lines = [
        f"export PATH={binaries}:$PATH",
        f"export KUBECONFIG={kubeconfig}",
        f"export PULUMI_BACKEND_URL=file://{state}",
    ]
    for key, value in OFFLINE_ENVIRONMENT.items():
        if key == "PULUMI_CONFIG_PASSPHRASE":
            lines.append(f'export {key}="${{{key}:-{value}}}"')
        else:
            lines.append(f"export {key}={value}")
    return lines


if __name__ == "__main__":
    sys.exit(main())
