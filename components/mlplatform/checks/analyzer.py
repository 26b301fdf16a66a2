"""The policy pack run offline over its own gRPC analyzer protocol, the way the Pulumi CLI runs
it: start `python -m pulumi.policy <engine> policies/`, read the port it prints, ask for its
policies (GetAnalyzerInfo), configure them (Configure), send every captured resource (Analyze)
and the whole stack (AnalyzeStack), and collect the diagnostics.

Plan values go back on the wire as Pulumi sends them: "[unknown]" as the unknown sentinel and
"[secret]" as a secret whose value is unknown, so a rule that reads either is reported as not
evaluated (the pack's "can't run policy ... during preview" diagnostic), never as passed.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from mlplatform.engine.plan import Plan, PlannedResource
from mlplatform.engine.values import SECRET, SECRET_SIG, SIG_KEY, UNKNOWN, UNKNOWN_VALUE

NOT_EVALUATED_PREFIX = "can't run policy"
LEVEL = "enforcementLevel"
START_TIMEOUT_SECONDS = 60
CALL_TIMEOUT_SECONDS = 120
ENGINE_ADDRESS = "127.0.0.1:0"
"""The pack never calls the engine back; the CLI passes its address here."""


class PackError(RuntimeError):
    """The policy pack could not be started or answered wrongly."""


class PolicyConfigError(ValueError):
    """Policy config that names an unknown policy or level."""


LEVELS = ("mandatory", "advisory", "disabled")


@dataclass(frozen=True)
class PolicyInfo:
    """One policy as the pack describes itself."""

    name: str
    description: str
    enforcement: str
    severity: str
    kind: str
    tags: tuple[str, ...]
    remediation: str


@dataclass(frozen=True)
class Finding:
    """One diagnostic: a violation, or a rule that could not be evaluated."""

    policy: str
    urn: str
    message: str
    enforcement: str
    evaluated: bool


@dataclass
class Analysis:
    """Everything the pack said about one plan."""

    policies: list[PolicyInfo]
    findings: list[Finding] = field(default_factory=list)
    applied: set[str] = field(default_factory=set)
    """Policies that read at least one resource of the plan (the rest said not applicable)."""


def wire_value(value: Any) -> Any:
    """A plan value as Pulumi puts it on the wire."""
    if value == UNKNOWN:
        return UNKNOWN_VALUE
    if value == SECRET:
        return {SIG_KEY: SECRET_SIG, "value": UNKNOWN_VALUE}
    if isinstance(value, Mapping):
        return {key: wire_value(v) for key, v in value.items()}
    if isinstance(value, list):
        return [wire_value(v) for v in value]
    return value


@contextmanager
def running_pack(pack_dir: Path) -> Iterator[str]:
    """Start the pack the way the CLI does; yield its address; stop it."""
    pack_dir = pack_dir.resolve()
    if not (pack_dir / "__main__.py").is_file():
        raise PackError(f"no policy pack at {pack_dir} (expected __main__.py)")
    with tempfile.TemporaryFile(mode="w+") as errors:
        process = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.policy", ENGINE_ADDRESS, str(pack_dir)],
            cwd=pack_dir,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        try:
            assert process.stdout is not None
            ready, _, _ = select.select([process.stdout], [], [], START_TIMEOUT_SECONDS)
            line = process.stdout.readline().strip() if ready else ""
            if not line.isdigit():
                process.kill()
                process.wait(timeout=START_TIMEOUT_SECONDS)
                errors.seek(0)
                detail = line or errors.read().strip() or "no port within the start timeout"
                raise PackError(f"the policy pack at {pack_dir} did not start: {detail}")
            yield f"127.0.0.1:{line}"
        finally:
            process.kill()
            process.wait(timeout=START_TIMEOUT_SECONDS)


def validate_config(
    info: Any, config: Mapping[str, Mapping[str, Any]]
) -> dict[str, tuple[str, dict[str, Any]]]:
    """(level, settings) per configured policy, checked against the policy's own config
    schema the way the Pulumi CLI checks `--policy-pack-config`."""
    import jsonschema

    schemas = {p.name: p for p in info.policies}
    checked: dict[str, tuple[str, dict[str, Any]]] = {}
    for name, values in config.items():
        if name not in schemas:
            raise PolicyConfigError(f"policy config: {name!r} is not a policy of the pack")
        settings = {k: v for k, v in values.items() if k != LEVEL}
        level = str(values.get(LEVEL, _level_name(info, name))).lower()
        if level not in LEVELS:
            raise PolicyConfigError(
                f"policy config: {name}.{LEVEL} {level!r} is not one of {', '.join(LEVELS)}"
            )
        schema = {
            "type": "object",
            "properties": json_format.MessageToDict(schemas[name].configSchema.properties),
            "additionalProperties": False,
        }
        try:
            jsonschema.validate(settings, schema)
        except jsonschema.ValidationError as exc:
            where = ".".join(str(p) for p in exc.absolute_path) or "(settings)"
            raise PolicyConfigError(f"policy config: {name}.{where}: {exc.message}") from None
        checked[name] = (level, settings)
    return checked


@contextmanager
def pack_session(pack_dir: Path) -> Iterator[Any]:
    """The pack at `pack_dir` started and connected; yields its analyzer stub. One session can
    analyse several plans in turn: each analysis configures the pack afresh."""
    import grpc

    try:
        with running_pack(pack_dir) as address, grpc.insecure_channel(address) as channel:
            grpc.channel_ready_future(channel).result(timeout=START_TIMEOUT_SECONDS)
            yield analyzer_pb2_grpc.AnalyzerStub(channel)
    except grpc.FutureTimeoutError:
        raise PackError("the policy pack did not accept a connection") from None
    except grpc.RpcError as exc:
        raise PackError(f"the policy pack failed: {exc}") from None


def analyze(
    plan: Plan,
    pack_dir: Path,
    config: Mapping[str, Mapping[str, Any]] | None = None,
    optional: frozenset[str] = frozenset(),
    session: Any = None,
) -> Analysis:
    """Run the pack at `pack_dir` (or the running `session` of `pack_session`) over `plan` with
    per-policy `config`. Config of the policies named in `optional` (settings taken from the
    stack, not given by the user) is dropped when the pack has no such policy, as with an older
    or a team's own pack."""
    if session is not None:
        return _session(session, plan, config or {}, optional)
    with pack_session(pack_dir) as stub:
        return _session(stub, plan, config or {}, optional)


def _struct(values: Mapping[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    json_format.ParseDict(wire_value(dict(values)), message)
    return message


def _options(resource: PlannedResource) -> Any:
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=resource.protect, parent=resource.parent or ""
    )


PROVIDER_TYPE_PREFIX = "pulumi:providers:"


def _providers(plan: Plan) -> dict[str, Any]:
    """Every provider of the plan as the engine describes one to the pack, by URN; built
    once, sent with each resource. A default provider (the engine makes one per package and
    version from the stack config, `default_<version>`) carries that config decoded as its
    provider reads it (the default tags among it); `default:<package>` stands for it in a
    plan that recorded none."""
    settings: dict[str, dict[str, Any]] = {}
    for key, value in plan.provider_config.items():
        package, setting = key.split(":", 1)
        settings.setdefault(package, {})[setting] = _config_value(value)
    found = {}
    for r in plan.resources:
        if not r.type.startswith(PROVIDER_TYPE_PREFIX):
            continue
        properties = r.inputs
        if r.parent is None and r.name.startswith("default"):
            package = r.type.removeprefix(PROVIDER_TYPE_PREFIX)
            properties = {
                **{k: _config_value(v) if isinstance(v, str) else v for k, v in r.inputs.items()},
                **settings.pop(package, {}),
            }
        found[r.urn] = analyzer_pb2.AnalyzerProviderResource(
            type=r.type, properties=_struct(properties), urn=r.urn, name=r.name
        )
    for package, properties in settings.items():
        kind = f"{PROVIDER_TYPE_PREFIX}{package}"
        found[f"default:{package}"] = analyzer_pb2.AnalyzerProviderResource(
            type=kind,
            properties=_struct(properties),
            urn=f"urn:pulumi:{plan.stack}::{plan.project}::{kind}::default",
            name="default",
        )
    return found


def _config_value(value: str) -> Any:
    """A config value as the provider reads it: structured ones arrive as JSON text."""
    if value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _provider(providers: Mapping[str, Any], resource: PlannedResource) -> Any:
    """The resource's provider; a reference is the provider's URN, or `URN::ID`; none is
    its package's default provider."""
    ref = resource.provider or ""
    if not ref:
        return providers.get(f"default:{resource.type.split(':')[0]}")
    return providers.get(ref) or providers.get(ref.rsplit("::", 1)[0])


def _session(
    stub: Any, plan: Plan, config: Mapping[str, Mapping[str, Any]], optional: frozenset[str]
) -> Analysis:
    """GetAnalyzerInfo, Configure, Analyze per custom resource, AnalyzeStack."""
    info = stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=CALL_TIMEOUT_SECONDS)
    present = {p.name for p in info.policies}
    config = {k: v for k, v in config.items() if k in present or k not in optional}
    checked = validate_config(info, config)
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for name, (level, settings) in checked.items():
        request.policyConfig[name].properties.update(settings)
        request.policyConfig[name].enforcementLevel = analyzer_pb2.EnforcementLevel.Value(
            level.upper()
        )
    stub.Configure(request, timeout=CALL_TIMEOUT_SECONDS)
    policies = [_policy_info(p) for p in info.policies]
    policies = [
        replace(p, enforcement=checked[p.name][0]) if p.name in checked else p for p in policies
    ]
    analysis = Analysis(policies)
    providers = _providers(plan)
    for resource in (r for r in plan.resources if r.custom):
        response = stub.Analyze(
            analyzer_pb2.AnalyzeRequest(
                type=resource.type,
                properties=_struct(resource.inputs),
                urn=resource.urn,
                name=resource.name,
                options=_options(resource),
                provider=_provider(providers, resource),
            ),
            timeout=CALL_TIMEOUT_SECONDS,
        )
        analysis.findings += [_finding(d, resource.urn) for d in response.diagnostics]
        skipped = {n.policy_name for n in response.not_applicable}
        analysis.applied |= {p.name for p in policies if p.kind == "resource"} - skipped
    stack = analyzer_pb2.AnalyzeStackRequest()
    for resource in plan.resources:  # the engine sends components too
        entry = stack.resources.add(
            type=resource.type,
            properties=_struct(resource.inputs),
            urn=resource.urn,
            name=resource.name,
            options=_options(resource),
            provider=_provider(providers, resource),
            parent=resource.parent or "",
            dependencies=resource.dependencies,
        )
        for prop, urns in resource.property_dependencies.items():
            if urns:  # as the engine does: no entry for a property without dependencies
                entry.propertyDependencies[prop].urns.extend(urns)
    response = stub.AnalyzeStack(stack, timeout=CALL_TIMEOUT_SECONDS)
    analysis.findings += [_finding(d, "") for d in response.diagnostics]
    skipped = {n.policy_name for n in response.not_applicable}
    analysis.applied |= {p.name for p in policies if p.kind == "stack"} - skipped
    return analysis


LEVEL_NAMES = {0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate"}
SEVERITY_NAMES = {0: "unspecified", 1: "low", 2: "medium", 3: "high", 4: "critical"}


def _level_name(info: Any, name: str) -> str:
    level = next((p.enforcementLevel for p in info.policies if p.name == name), 0)
    return LEVEL_NAMES.get(level, "advisory").upper()


def _policy_info(policy: Any) -> PolicyInfo:
    return PolicyInfo(
        name=policy.name,
        description=policy.description,
        enforcement=LEVEL_NAMES.get(policy.enforcementLevel, "advisory"),
        severity=SEVERITY_NAMES.get(policy.severity, "unspecified"),
        kind="stack" if policy.policy_type == 2 else "resource",
        tags=tuple(policy.tags),
        remediation=policy.remediation_steps,
    )


def _finding(diagnostic: Any, resource_urn: str) -> Finding:
    evaluated = not diagnostic.message.startswith(NOT_EVALUATED_PREFIX)
    message = diagnostic.message
    if evaluated and message.startswith(diagnostic.description):
        message = message.removeprefix(diagnostic.description).strip()
    return Finding(
        policy=diagnostic.policyName,
        urn=diagnostic.urn or resource_urn,
        message=message,
        enforcement=LEVEL_NAMES.get(diagnostic.enforcementLevel, "advisory"),
        evaluated=evaluated,
    )
