"""The check every public component runs first: its args against its args TypedDict and the
environment spec's rules, every problem reported at once.

`check_args(self, name, FooArgs, args)`, the first line of each component's `__init__`:

1. refuses a key FooArgs does not have (naming the closest one it has) and names each
   required key that is missing, in nested TypedDicts (a GPU pool) too;
2. refuses a value of the wrong type: a bool, integer, string, list, mapping or enum member
   where the annotation says so. A `pulumi.Input[...]` field also takes an output (or any
   awaitable); any other field is read while the component is built, so it takes a plain
   value only;
3. applies the spec's own checks (`mlplatform.environment`) to the args the spec also has, in the
   spec's words: field constraints (pool names, ranges, patterns, CIDRs), the GPU pools' rules
   (min <= max, GPU offered on the component's cloud, sharing, zones, node images, unique
   names) and the cluster rules of `rules.COMPONENT_RULES`. `SPEC_PATHS` maps an arg to its
   spec field (`SPEC_PATHS_OF` where one args type's arg holds another), `POOL_KEYS` a pool's.
   A rule runs only when the args it reads are valid, so one bad value does not hide the
   others' problems; a rule that reads none of an args type's spec fields never runs for it.

Every problem is raised in one `ComponentArgsError`, a line each: the component, the resource,
the field path, the bad value and the fix, as in
`EksGpuCluster "gpu": gpu_pools[0].max_nodes: -3 is invalid: input should be greater than or
equal to 1`. It is a `ValueError` and a `pulumi.RunError`, which Pulumi's Python host (and the
offline engine) prints as its message alone, without a traceback.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import re
import types
import typing
from collections.abc import Awaitable, Collection, Iterable, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, ForwardRef, NamedTuple, NotRequired, Required, Union

import pulumi

from mlplatform.catalog import CLOUDS

if TYPE_CHECKING:
    from mlplatform.environment.errors import ConfigIssue
    from mlplatform.environment.model import PlatformConfig, Target
    from mlplatform.environment.rules import Rule

SPEC_PATHS: dict[str, str] = {
    "region": "region",
    "project": "gcp.project",
    "kubernetes_version": "cluster.kubernetesVersion",
    "public_access_cidrs": "cluster.publicAccessCidrs",
    "admins": "cluster.admins",
    "release_channel": "cluster.releaseChannel",
    "log_retention_days": "cluster.logRetentionDays",
    "system_instance_type": "cluster.systemPool.instanceType",
    "system_min_nodes": "cluster.systemPool.minNodes",
    "system_max_nodes": "cluster.systemPool.maxNodes",
    "cidr": "network.cidr",
    "zone_count": "network.zoneCount",
    "flow_log_retention_days": "network.flowLogRetentionDays",
    "network_watcher_resource_group": "azure.networkWatcherResourceGroup",
    "network_watcher_name": "azure.networkWatcherName",
    "deployer_principal_type": "azure.deployerPrincipalType",
    "noncurrent_version_days": "artifactStore.noncurrentVersionDays",
    "abort_incomplete_upload_days": "artifactStore.abortIncompleteUploadDays",
    "soft_delete_days": "artifactStore.softDeleteDays",
    "size_gi": "artifactStore.sizeGi",
    "untagged_expiry_days": "registry.untaggedExpiryDays",
    "keep_last_images": "registry.keepLastImages",
    "storage_gb": "mlflow.database.storageGb",
    "backup_retention_days": "mlflow.database.backupRetentionDays",
    "replicas": "mlflow.replicas",
    "allowed_namespaces": "mlflow.allowedNamespaces",
    "ingress": "mlflow.ingress",
    "retention_days": "monitoring.retentionDays",
    "storage_gi": "monitoring.storageGi",
    "prometheus_cpu": "monitoring.prometheusCpu",
    "prometheus_memory": "monitoring.prometheusMemory",
    "thresholds": "monitoring.alerts",
    "emails": "monitoring.notifications.emails",
    "charts": "charts",
}
"""An arg (of any component: one name means one thing, see `mlplatform.contracts`, but for
`SPEC_PATHS_OF`) and the spec field that holds the same fact. A nested TypedDict's keys are its
spec section's, in snake_case."""
SPEC_PATHS_OF: dict[tuple[str, str], str] = {
    ("InClusterPostgresArgs", "size_gi"): "mlflow.database.storageGb",
    ("InClusterRegistryArgs", "size_gi"): "registry.sizeGi",
}
"""(args type name, arg): the spec field of an arg that, on that args type, holds another fact
than `SPEC_PATHS` says (an in-cluster database's volume is the database's storage)."""
POOL_KEYS: dict[str, str] = {
    "name": "name",
    "gpu": "gpu",
    "gpus_per_node": "gpusPerNode",
    "min_nodes": "minNodes",
    "max_nodes": "maxNodes",
    "spot": "spot",
    "sharing_mode": "sharing.mode",
    "sharing_replicas": "sharing.replicas",
    "mig_profile": "sharing.migProfile",
    "node_image": "nodeImage",
    "disk_size_gb": "diskSizeGb",
    "zones": "zones",
}
"""A `GpuPoolArgs` field and its key in a spec GPU pool (`gpuPools[i]`)."""
POOL_PLACEHOLDERS = {"name": "pool", "gpu": "T4"}
"""Stand-ins for a pool's required key that failed, so the pool's other rules still run
(none of them reads the stand-in: `rules.POOL_RULES` says what each reads)."""
KINDS = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}


class ComponentArgsError(pulumi.RunError, ValueError):
    """A component's args that cannot be built: every problem, before any resource exists."""

    def __init__(self, component: str, resource_name: str, issues: Sequence[ConfigIssue]) -> None:
        self.component, self.resource_name, self.issues = component, resource_name, list(issues)
        where = f'{component} "{resource_name}"'
        lines = "".join(f"\n  - {where}: {issue}" for issue in self.issues)
        super().__init__(f"invalid component args ({len(self.issues)} problem(s)):{lines}")

    def __reduce__(self) -> tuple[type[ComponentArgsError], tuple[str, str, list[ConfigIssue]]]:
        return ComponentArgsError, (self.component, self.resource_name, self.issues)


def check_args(
    component: object,
    name: str,
    args_type: type,
    args: object,
    checks_itself: Collection[str] = (),
) -> None:
    """Raise `ComponentArgsError` naming every problem of `args`, the args of `component`
    (the one being built, named `name`) typed `args_type`; see the module docstring. The
    values of `checks_itself` are the component's own to check (their keys are still ours)."""
    from mlplatform.environment.errors import ConfigIssue

    kind = type(component).__name__
    if not isinstance(args, Mapping):
        problem = f"must be a mapping of {args_type.__name__} (got {type(args).__name__})"
        raise ComponentArgsError(kind, name, [ConfigIssue("args", problem, args)])
    walk = _Walk(checks_itself)
    walk.fields(args_type, args, "")
    issues = walk.issues + _SpecCheck(_spec_of(args_type), args, walk.issues).issues()
    if issues:
        raise ComponentArgsError(kind, name, sorted(issues, key=walk.position))


class _Walk:
    """Keys and types of args against their TypedDict, in the order the args give them."""

    def __init__(self, skipped: Collection[str]) -> None:
        self.skipped = skipped
        self.issues: list[ConfigIssue] = []
        self.order: dict[str, int] = {}
        """Each path walked, in walking order."""

    def position(self, issue: ConfigIssue) -> tuple[int, int]:
        """Where an issue's path came in the walk; a path not walked (a key left out) comes
        after everything walked inside its nearest walked parent."""
        path = issue.path
        if path in self.order:
            return self.order[path], 0
        while (cut := max(path.rfind("."), path.rfind("["))) > 0:
            path = path[:cut]
            if path in self.order:
                inside = [n for p, n in self.order.items() if _under(p, [path])]
                return max(inside), 1
        return len(self.order), 1

    def add(self, path: str, message: str, *value: object) -> None:
        from mlplatform.environment.errors import ConfigIssue

        self.order.setdefault(path, len(self.order))
        self.issues.append(ConfigIssue(path, message, *value))

    def fields(self, typed: type, given: Mapping[Any, Any], at: str) -> None:
        hints = _hints(typed)
        for key, value in given.items():
            path = f"{at}{key}"
            self.order.setdefault(path, len(self.order))
            if key not in hints:
                self.add(path, _unknown(str(key), sorted(hints)))
            elif at or key not in self.skipped:
                self.value(hints[key], value, path)
        for key in sorted(typed.__required_keys__ - set(given), key=list(hints).index):
            self.add(f"{at}{key}", "is required; add it")

    def value(self, annotation: Any, value: object, path: str) -> None:
        origin = typing.get_origin(annotation)
        if annotation is Any:
            return
        if origin in (Required, NotRequired):
            self.value(typing.get_args(annotation)[0], value, path)
        elif origin in (Union, types.UnionType):
            self.union(typing.get_args(annotation), value, path)
        elif isinstance(value, pulumi.Output | Awaitable):
            kind = _kind(annotation)
            self.add(
                path, f"must be {kind}, not an output: the component reads it when it is built"
            )
        elif typing.is_typeddict(annotation):
            if self.of_type(Mapping, f"a mapping of {annotation.__name__}", value, path):
                self.fields(annotation, typing.cast(Mapping[Any, Any], value), f"{path}.")
        elif isinstance(annotation, type) and issubclass(annotation, Enum):
            allowed = [str(m.value) for m in annotation]
            if not isinstance(value, str) or value not in allowed:
                self.add(path, f"is invalid; choose one of {', '.join(allowed)}", value)
        elif origin in (Sequence, list, tuple, Mapping, dict):
            self.collection(annotation, value, path)
        elif annotation in KINDS:
            self.scalar(annotation, value, path)
        elif isinstance(annotation, type):
            self.of_type(annotation, f"a {annotation.__name__}", value, path)

    def collection(self, annotation: Any, value: object, path: str) -> None:
        """A list (not a string) or a mapping, and each item or value in it."""
        members = typing.get_args(annotation) or (Any, Any)
        if typing.get_origin(annotation) in (Mapping, dict):
            if self.of_type(Mapping, "a mapping", value, path):
                for key, item in typing.cast(Mapping[Any, Any], value).items():
                    self.value(members[-1], item, f"{path}.{key}")
            return
        if isinstance(value, str | bytes) or not isinstance(value, Sequence):
            self.add(path, f"must be a list (got {type(value).__name__})", value)
            return
        for i, item in enumerate(typing.cast(Sequence[Any], value)):
            self.order.setdefault(f"{path}[{i}]", len(self.order))
            self.value(members[0], item, f"{path}[{i}]")

    def scalar(self, annotation: type, value: object, path: str) -> None:
        """A bool, an integer (not a bool), a number (an integer too) or a string."""
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if annotation is float:
            valid = number
        elif annotation is int:
            valid = number and isinstance(value, int)
        else:
            valid = isinstance(value, annotation)
        if not valid:
            self.add(path, f"must be {KINDS[annotation]} (got {type(value).__name__})", value)

    def union(self, members: tuple[Any, ...], value: object, path: str) -> None:
        """`X | None`, or `pulumi.Input[X]` (X, an awaitable of X or an output of X)."""
        if value is None and type(None) in members:
            return
        deferred = [m for m in members if _deferred(m)]
        if deferred and isinstance(value, pulumi.Output | Awaitable):
            return
        plain = [m for m in members if m is not type(None) and m not in deferred]
        self.value(plain[0] if len(plain) == 1 else Any, value, path)

    def of_type(self, expected: type, kind: str, value: object, path: str) -> bool:
        if isinstance(value, expected):
            return True
        self.add(path, f"must be {kind} (got {type(value).__name__})", value)
        return False


@functools.cache
def _hints(typed: type) -> dict[str, Any]:
    """A TypedDict's annotations, evaluated (a module with postponed annotations too); once
    per type, so the caller must not change the mapping."""
    raw: dict[str, Any] = dict(typed.__annotations__)
    if not any(isinstance(v, str) for v in raw.values()):
        return raw
    names = {"Output": pulumi.Output, "T": Any}
    return typing.get_type_hints(typed, localns=names, include_extras=True)


def _deferred(member: Any) -> bool:
    """A member of `pulumi.Input[X]` that is not X: `Awaitable[X]` or `Output[X]`."""
    origin = typing.get_origin(member)
    return isinstance(member, ForwardRef) or origin is Awaitable or origin is pulumi.Output


def _kind(annotation: Any) -> str:
    """An annotation in words, for a plain value's place."""
    while typing.get_origin(annotation) in (Required, NotRequired):
        annotation = typing.get_args(annotation)[0]
    if annotation in KINDS:
        return KINDS[annotation]
    if typing.get_origin(annotation) in (Sequence, list, tuple):
        return "a list"
    if typing.get_origin(annotation) in (Mapping, dict) or typing.is_typeddict(annotation):
        return "a mapping"
    return "a plain value"


def _unknown(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    if close:
        return f"is not a known key; did you mean {close[0]}?"
    return f"is not a known key; remove it or use one of: {', '.join(known)}"


def _under(path: str, prefixes: Iterable[str]) -> bool:
    """`path` is one of `prefixes` or inside one (`a.b` and `a[0]` are inside `a`)."""
    return any(path == p or path.startswith((f"{p}.", f"{p}[")) for p in prefixes)


class _ArgsSpec(NamedTuple):
    """What the spec's checks need of one args type, worked out once (`_spec_of`)."""

    hints: dict[str, Any]
    target: Target
    """The component's target: its cloud (from its module, `mlplatform.aws.cluster`), else
    kubernetes."""
    pool_target: Target | None
    """The cloud a pool's rules judge it for: none for a component of any cluster."""
    pools_field: str
    """The field holding a list of `GpuPoolArgs`, or ""."""
    spec_paths: dict[str, str]
    """Each arg of the type the spec also has, and its spec field."""
    words: dict[str, str]
    """The args' names for the spec's fields: the type's own, then every other arg's."""
    args: dict[str, str]
    """Every spec field an arg of the type stands for, and that arg (the pools' aside)."""
    rules: tuple[tuple[Rule, frozenset[str]], ...]
    """The `rules.COMPONENT_RULES` that read a spec field of the type's args (the others can
    only find problems at fields the args do not have)."""


@functools.cache
def _spec_of(args_type: type) -> _ArgsSpec:
    from mlplatform.environment import rules
    from mlplatform.environment.model import Target

    hints = _hints(args_type)
    layer = args_type.__module__.split(".")[1] if "." in args_type.__module__ else ""
    target = Target(layer) if layer in CLOUDS else Target.KUBERNETES
    own = {
        arg: SPEC_PATHS_OF.get((args_type.__name__, arg), spec)
        for arg, spec in SPEC_PATHS.items()
        if arg in hints
    }
    read = [
        (rule, reads)
        for rule, reads in rules.COMPONENT_RULES
        if any(_under(p, reads) for p in own.values())
        or any(_under(r, own.values()) for r in reads)
    ]
    return _ArgsSpec(
        hints=hints,
        target=target,
        pool_target=target if layer in CLOUDS else None,
        pools_field=next((k for k, a in hints.items() if _pools(a)), ""),
        spec_paths=own,
        words=own | {arg: spec for arg, spec in SPEC_PATHS.items() if arg not in own},
        args={spec: arg for arg, spec in own.items()},
        rules=tuple(read),
    )


class _SpecCheck:
    """The spec's checks on the args the spec also has, their type problems aside: the spec's
    field constraints on the values given, then its rules on a config of the valid ones."""

    def __init__(self, spec: _ArgsSpec, args: Mapping[str, Any], known: list[ConfigIssue]):
        self.spec = spec
        self.bad = {issue.path for issue in known}
        """The args' paths with a problem of their own (left out of the spec's checks)."""
        self.pools_field = spec.pools_field
        self.document: dict[str, Any] = {"target": spec.target.value, "environment": "dev"}
        self.given: dict[str, str] = {}
        """Each spec path given a value, and the arg that gave it."""
        for key, value in args.items():
            if key in self.bad:
                continue
            if key == self.pools_field:
                self.document["gpuPools"] = [self._pool(i, p) for i, p in enumerate(value)]
            elif key not in spec.spec_paths:
                continue
            elif _typeddict(spec.hints[key]) is not None:
                self._section(key, value)
            elif self._clean(key, value):
                self.given[spec.spec_paths[key]] = key
                _set(self.document, spec.spec_paths[key], value)

    def _clean(self, path: str, value: object) -> bool:
        """Given, plain (no output in it), and of the right type throughout."""
        return value is not None and _plain(value) and not any(_under(b, [path]) for b in self.bad)

    def _section(self, key: str, value: Mapping[str, Any]) -> None:
        """A nested TypedDict: its keys are its spec section's, in snake_case."""
        section: dict[str, Any] = {}
        for field, item in value.items():
            if self._clean(f"{key}.{field}", item):
                section[_camel(field)] = item
                self.given[f"{self.spec.spec_paths[key]}.{_camel(field)}"] = f"{key}.{field}"
        _set(self.document, self.spec.spec_paths[key], section)

    def _pool(self, i: int, pool: object) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if not isinstance(pool, Mapping):
            return found
        for key, value in typing.cast(Mapping[str, Any], pool).items():
            if key in POOL_KEYS and self._clean(f"{self.pools_field}[{i}].{key}", value):
                _set(found, POOL_KEYS[key], value)
                self.given[f"gpuPools[{i}].{POOL_KEYS[key]}"] = f"{self.pools_field}[{i}].{key}"
        return found

    def issues(self) -> list[ConfigIssue]:
        from pydantic import ValidationError

        from mlplatform.environment.errors import from_validation_error
        from mlplatform.environment.model import PlatformConfig

        found: list[ConfigIssue] = []
        if not self.given and "gpuPools" not in self.document:
            return found  # no arg the spec has: nothing of the spec's to check
        cfg: PlatformConfig | None = None
        try:
            cfg = PlatformConfig.model_validate(self.document)
        except ValidationError as exc:
            found = from_validation_error(PlatformConfig, exc).issues
        failed = {issue.path for issue in found} | self._bad_in_spec()
        # A field error is kept where the args gave the value (not, say, a key the spec
        # requires that this component has no arg for); a rule's at any arg it names.
        told = self._told(found, self.given)
        if self.spec.rules or self.pools_field:
            told += self._told(self._rules(cfg, failed), self._args())
        return told

    def _bad_in_spec(self) -> set[str]:
        """The spec paths of the args that have a problem of their own (or are missing)."""
        found = set()
        for path in self.bad:
            pool = re.match(rf"{re.escape(self.pools_field)}\[(\d+)\](?:\.(\w+))?", path)
            if self.pools_field and pool is not None:
                keys = [POOL_KEYS[pool[2]]] if pool[2] in POOL_KEYS else list(POOL_KEYS.values())
                found |= {f"gpuPools[{pool[1]}].{key}" for key in keys}
            elif (key := re.split(r"[.\[]", path)[0]) in self.spec.words:
                found.add(self.spec.words[key])
        return found

    def _args(self) -> dict[str, str]:
        """Every spec path an arg of this component stands for, and that arg."""
        found = dict(self.spec.args)
        for i in range(len(self.document.get("gpuPools", []))):
            for arg, key in POOL_KEYS.items():
                found[f"gpuPools[{i}].{key}"] = f"{self.pools_field}[{i}].{arg}"
        return found

    def _told(self, issues: Iterable[ConfigIssue], paths: Mapping[str, str]) -> list[ConfigIssue]:
        """The issues at the spec paths of `paths`, in the args' names."""
        told = []
        for issue in issues:
            within = [p for p in paths if _under(issue.path, [p])]
            if within:
                spec = max(within, key=len)
                path = paths[spec] + issue.path[len(spec) :]
                words = _words(issue.path, issue.message, self.spec.words)
                told.append(issue._replace(path=path, message=words))
        return told

    def _rules(self, cfg: PlatformConfig | None, failed: set[str]) -> list[ConfigIssue]:
        """The spec's cross-field rules on a config of the args' valid values: `cfg`, the
        args' config, when nothing in it failed."""
        from mlplatform.environment import rules

        if cfg is None or failed:
            cfg = self._valid_config(failed)
        found = [
            issue
            for rule, reads in self.spec.rules
            if not any(_under(path, reads) for path in failed)
            for issue in rule(cfg)
        ]
        region = None if "region" in failed else cfg.region
        seen: set[str] = set()
        for i, pool in enumerate(cfg.gpu_pools):
            at = f"gpuPools[{i}]"
            bad = {m[1] for p in failed if (m := re.match(rf"{re.escape(at)}\.(\w+)", p))}
            if "name" not in bad:
                found += rules.pool_name_repeated(at, pool.name, seen)
                seen.add(pool.name)
            for rule, reads in (*rules.POOL_RULES, *rules.PLACEMENT_RULES):
                if not reads & bad:
                    found += rule(self.spec.pool_target, region, at, pool)
        return found

    def _valid_config(self, failed: set[str]) -> PlatformConfig:
        """The config of the sections the rules read, without the `failed` fields and with a
        stand-in for each pool's failed required key. It changes `self.document`'s own
        sections and pools in place (built here from the args, never the args' mappings):
        after it, only the pools' count is read."""
        from mlplatform.environment.model import PlatformConfig

        kept = {"target", "environment", "region", "cluster", "network", "gpuPools"}
        document = {k: v for k, v in self.document.items() if k in kept}
        for path in failed:
            _drop(document, path)
        for pool in document.get("gpuPools", []):
            for key, stand_in in POOL_PLACEHOLDERS.items():
                pool.setdefault(key, stand_in)
        return PlatformConfig.model_validate(document)


def _words(spec_path: str, message: str, spec_paths: Mapping[str, str]) -> str:
    """The spec's field names in a message (`lower minNodes`) as the args name them (a pool's
    by `POOL_KEYS`, the others' by `spec_paths`)."""
    pool = re.match(r"gpuPools\[\d+\]\.", spec_path)
    table = POOL_KEYS if pool else spec_paths
    parent = (spec_path[pool.end() :] if pool else spec_path).rpartition(".")[0]
    for arg, spec in table.items():
        above, _, leaf = spec.rpartition(".")
        if above == parent:
            message = re.sub(rf"\b{re.escape(leaf)}\b", arg, message)
    return message


def _pools(annotation: Any) -> bool:
    """A list of `GpuPoolArgs`."""
    from mlplatform.contracts import GpuPoolArgs

    while typing.get_origin(annotation) in (Required, NotRequired):
        annotation = typing.get_args(annotation)[0]
    return typing.get_origin(annotation) in (Sequence, list) and typing.get_args(annotation) == (
        GpuPoolArgs,
    )


def _typeddict(annotation: Any) -> type | None:
    while typing.get_origin(annotation) in (Required, NotRequired):
        annotation = typing.get_args(annotation)[0]
    return annotation if typing.is_typeddict(annotation) else None


def _plain(value: object) -> bool:
    """No output or awaitable anywhere in `value`."""
    if isinstance(value, pulumi.Output | Awaitable) or inspect.isawaitable(value):
        return False
    if isinstance(value, Mapping):
        return all(_plain(v) for v in typing.cast(Mapping[Any, Any], value).values())
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in typing.cast(Sequence[Any], value))
    return True


def _set(document: dict[str, Any], path: str, value: object) -> None:
    *sections, leaf = path.split(".")
    for section in sections:
        document = document.setdefault(section, {})
    document[leaf] = list(value) if isinstance(value, tuple) else value


def _drop(document: dict[str, Any], path: str) -> None:
    """Remove the field `path` names: a pool's key whole (`gpuPools[0].sharing.mode` drops the
    pool's `sharing`, which the pool rules read whole), elsewhere the field an item or key of
    it is in (`cluster.admins[1]` drops `cluster.admins`)."""
    pool = re.match(r"gpuPools\[(\d+)\]\.(\w+)", path)
    if pool is not None:
        pools = document.get("gpuPools", [])
        if int(pool[1]) < len(pools):
            pools[int(pool[1])].pop(pool[2], None)
        return
    *sections, leaf = path.split("[")[0].split(".")
    for section in sections:
        document = document.get(section, {})
    document.pop(leaf, None)


def _camel(snake: str) -> str:
    from pydantic.alias_generators import to_camel

    return to_camel(snake)
