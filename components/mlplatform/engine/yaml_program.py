"""Pulumi YAML programs offline: a program using the mlplatform component package
(`type: mlplatform:index:<Component>`) runs under the same mocks as a Python one.

It does what the YAML runtime and the component provider do for such a program, and no
more: config with defaults, resources in dependency order, `${name}` and
`${resource.output}` interpolation, the `providers`, `dependsOn` and `protect` options, and
outputs. As in the engine, a component is registered depending on every resource its
properties refer to, its outputs depend on the component itself (they cross the package
boundary), and the package's provider is a default provider `pulumi:providers:mlplatform`
(with the built-in `pulumi` one, which the provider's SDK invokes `getResource` through to
rebuild the provider references a component is given). Component inputs are checked against
the package schema (unknown names, missing required inputs, an output given to a plain input)
and constructed by the SDK's own component provider, numbers sent as floats as they are over
the wire. Any other resource type or YAML feature is refused by name, never skipped.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterator, Mapping
from graphlib import CycleError, TopologicalSorter
from typing import Any

import pulumi

PACKAGE = "mlplatform"
KUBERNETES_PROVIDER = "pulumi:providers:kubernetes"
KUBERNETES_OBJECT = re.compile(r"kubernetes:(?P<group>[\w.-]+)/(?P<version>\w+):(?P<kind>\w+)")
"""A Kubernetes object's type token, e.g. kubernetes:core/v1:Namespace."""
REFERENCE = re.compile(r"\$\{([^}]+)\}")
PROJECT_KEYS = {
    "name",
    "runtime",
    "description",
    "author",
    "website",
    "license",
    "config",
    "packages",
    "stackConfigDir",
    "backend",
    "options",
    "template",
    "plugins",
}
"""The project file's attributes a YAML program may carry beside its own keys: metadata, the
project's config and packages, and settings of the CLI's own (the runner reads the stacks
from `stackConfigDir` for either runtime; this engine needs none of the others). `main` is not
among them: for YAML it moves the program, which this engine does not follow. Pulumi's project
file reference (https://www.pulumi.com/docs/iac/concepts/projects/project-file/) and the
schema the CLI validates it with (sdk/go/common/workspace/project.json, which adds `author`,
`website` and `license`)."""
TOP_LEVEL = PROJECT_KEYS | {"resources", "outputs"}
"""Keys of a YAML program's Pulumi.yaml this engine honours."""
RESOURCE_KEYS = {"type", "properties", "options"}
OPTIONS = {"providers", "dependsOn", "protect"}
CONFIG_TYPES: dict[str, Callable[[pulumi.Config, str], Any]] = {
    "string": lambda c, k: c.get(k),
    "integer": lambda c, k: c.get_int(k),
    "boolean": lambda c, k: c.get_bool(k),
}


class YamlProgramError(ValueError):
    """A YAML program this engine cannot run as written: the message names the place."""


def program(document: Mapping[str, Any], source: str) -> Callable[[], None]:
    """The Pulumi program function of a parsed `Pulumi.yaml` with `runtime: yaml`."""
    unknown = sorted(set(document) - TOP_LEVEL)
    if unknown:
        raise YamlProgramError(f"{source}: unsupported top-level keys {unknown}")
    resources: dict[str, Any] = dict(document.get("resources") or {})
    for name, spec in resources.items():
        extra = sorted(set(spec) - RESOURCE_KEYS)
        if extra:
            raise YamlProgramError(f"{source}: resources.{name}: unsupported keys {extra}")
        extra = sorted(set(spec.get("options") or {}) - OPTIONS)
        if extra:
            raise YamlProgramError(f"{source}: resources.{name}.options: unsupported {extra}")
    uses_package = any(_component(s.get("type", "")) for s in resources.values())
    if uses_package and PACKAGE not in (document.get("packages") or {}):
        raise YamlProgramError(f"{source}: packages has no {PACKAGE!r} entry")
    config: dict[str, Any] = dict(document.get("config") or {})
    order = _order(resources, set(config), source)
    for key, expression in (document.get("outputs") or {}).items():
        unknown = sorted(
            set(_references(expression, f"{source}: outputs.{key}")) - set(resources) - set(config)
        )
        if unknown:
            raise YamlProgramError(f"{source}: outputs.{key} refers to unknown {unknown}")

    def main() -> None:
        values: dict[str, Any] = {}
        settings = pulumi.Config()
        for key, spec in config.items():
            values[key] = _config_value(settings, key, spec, source)
        built = _Built()
        for name in order:
            values[name] = built.resource(name, resources[name], values, source)
        for key, expression in (document.get("outputs") or {}).items():
            pulumi.export(key, _evaluate(expression, values, f"outputs.{key}", wire=False))

    return main


def _component(token: str) -> str | None:
    """The component class name of `mlplatform:index:X` or `mlplatform:X`."""
    parts = token.split(":")
    if parts[0] != PACKAGE or len(parts) not in (2, 3):
        return None
    if len(parts) == 3 and parts[1] not in ("index", ""):
        return None
    return parts[-1]


def _config_value(settings: pulumi.Config, key: str, spec: Any, source: str) -> Any:
    spec = spec if isinstance(spec, dict) else {"type": "string", "default": spec}
    extra = sorted(set(spec) - {"type", "default", "secret", "description"})
    if extra:
        raise YamlProgramError(f"{source}: config.{key}: unsupported {extra}")
    kind = spec.get("type", "string")
    read = CONFIG_TYPES.get(kind)
    if read is None:
        raise YamlProgramError(f"{source}: config.{key}: type {kind!r} is not supported")
    value = read(settings, key)
    if value is None:
        if "default" not in spec:
            raise YamlProgramError(
                f"{source}: config.{key} has no value in the stack config and no default"
            )
        value = spec["default"]
    from pulumi.runtime.config import is_config_secret

    secret = spec.get("secret") or is_config_secret(f"{pulumi.get_project()}:{key}")
    return pulumi.Output.secret(value) if secret else value


def _references(value: Any, at: str) -> Iterator[str]:
    """The root names `${...}` expressions in `value` refer to. Built-in functions (`fn::`)
    and index access (`${a.b[0]}`) are refused by name: this engine does not evaluate them."""
    if isinstance(value, str):
        for found in REFERENCE.finditer(value):
            if not re.fullmatch(r"[A-Za-z_][\w-]*(\.[A-Za-z_]\w*)*", found.group(1)):
                raise YamlProgramError(
                    f"{at}: ${{{found.group(1)}}}: only ${{name}} and "
                    "${name.output} are supported offline"
                )
            yield found.group(1).split(".")[0]
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _references(item, f"{at}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            if str(key).startswith("fn::"):
                raise YamlProgramError(f"{at}: {key} is not supported offline")
            yield from _references(item, f"{at}.{key}")


def _order(resources: Mapping[str, Any], config: set[str], source: str) -> list[str]:
    graph: dict[str, set[str]] = {}
    for name, spec in resources.items():
        refs = set(_references(spec.get("properties"), f"{source}: resources.{name}.properties"))
        refs |= set(_references(spec.get("options"), f"{source}: resources.{name}.options"))
        unknown = sorted(refs - set(resources) - config)
        if unknown:
            raise YamlProgramError(f"{source}: resources.{name} refers to unknown {unknown}")
        graph[name] = refs & set(resources)
    try:
        return list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise YamlProgramError(f"{source}: resources refer to each other: {exc.args[1]}") from None


def _lookup(path: str, values: Mapping[str, Any], at: str) -> Any:
    root, *attributes = path.split(".")
    if root not in values:
        raise YamlProgramError(f"{at}: unknown name {root!r}")
    value = values[root]
    for attribute in attributes:
        if isinstance(value, _Component):
            value = value.output(attribute, at)
        elif isinstance(value, dict) and attribute in value:
            value = value[attribute]
        elif isinstance(value, pulumi.Output):
            value = value.apply(lambda v, a=attribute: v[a])
        elif isinstance(value, pulumi.Resource) and isinstance(
            getattr(value, attribute, None), pulumi.Output
        ):
            value = getattr(value, attribute)
        else:
            raise YamlProgramError(f"{at}: {path}: {type(value).__name__} has no {attribute!r}")
    return value.resource if isinstance(value, _Component) else value


def _evaluate(value: Any, values: Mapping[str, Any], at: str, wire: bool = True) -> Any:
    """A property value with `${...}` resolved; numbers as floats when `wire` (the protocol
    carries every number as a double)."""
    if isinstance(value, str):
        whole = REFERENCE.fullmatch(value)
        if whole:
            found = _lookup(whole.group(1), values, at)
            return _evaluate(found, {}, at, wire) if isinstance(found, int | float) else found
        parts: list[Any] = []
        position = 0
        for found in REFERENCE.finditer(value):
            part = _lookup(found.group(1), values, at)
            parts += [value[position : found.start()], part]
            if not isinstance(part, pulumi.Output | str):
                parts[-1] = str(part).lower() if isinstance(part, bool) else str(part)
            position = found.end()
        if not parts:
            return value
        if not any(isinstance(p, pulumi.Output) for p in parts):  # known now: plain text
            return "".join(parts) + value[position:]
        return pulumi.Output.concat(*parts, value[position:])
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value) if wire else value
    if isinstance(value, list):
        return [_evaluate(v, values, f"{at}[{i}]", wire) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: _evaluate(v, values, f"{at}.{k}", wire) for k, v in value.items()}
    raise YamlProgramError(f"{at}: unsupported value {value!r}")


def _outputs_in_plain(
    value: Any, prop: Mapping[str, Any], path: str, types: Mapping[str, Any]
) -> Iterator[str]:
    """Where `value` puts an output in a property the schema marks plain."""
    if isinstance(value, pulumi.Output | pulumi.Resource):
        if prop.get("plain"):
            yield path
        return
    ref = str(prop.get("$ref", ""))
    if ref.startswith("#/types/") and isinstance(value, dict):
        nested = types[ref.removeprefix("#/types/")].get("properties", {})
        for key, item in value.items():
            if key in nested:
                yield from _outputs_in_plain(item, nested[key], f"{path}.{key}", types)
    elif "items" in prop and isinstance(value, list):
        for i, item in enumerate(value):
            yield from _outputs_in_plain(item, prop["items"], f"{path}[{i}]", types)
    elif "additionalProperties" in prop and isinstance(value, dict):
        extra = prop["additionalProperties"]
        for key, item in value.items():
            yield from _outputs_in_plain(item, extra, f"{path}.{key}", types)


class _Component:
    """A constructed component and its outputs by schema name."""

    def __init__(
        self, resource: pulumi.Resource, state: Mapping[str, Any], token: str, names: set[str]
    ):
        self.resource, self.state, self.token, self.names = resource, state, token, names

    def output(self, name: str, at: str) -> Any:
        """The output, depending on the component alone, as one read through the package
        boundary does (not on the children that made it)."""
        if name not in self.names:
            raise YamlProgramError(
                f"{at}: {self.token} has no output {name!r}; it has {sorted(self.names)}"
            )
        if name not in self.state:
            return None  # an optional output left unset is absent from the state
        value = pulumi.Output.from_input(self.state[name])
        return pulumi.Output({self.resource}, value.future(), value.is_known(), value.is_secret())


class _Built:
    """Creates each resource of the program, one component provider per component type."""

    def __init__(self) -> None:
        self._providers: dict[str, Any] = {}

    def _provider(self, component: type) -> Any:
        """The package's component provider for `component`, made once per type."""
        import mlplatform
        from mlplatform.provider import Provider

        name = component.__name__
        if name not in self._providers:
            self._providers[name] = Provider([component], PACKAGE, None, mlplatform.__version__)
        return self._providers[name]

    def resource(
        self, name: str, spec: Mapping[str, Any], values: Mapping[str, Any], source: str
    ) -> Any:
        at = f"{source}: resources.{name}"
        token = str(spec.get("type", ""))
        opts = self._options(spec.get("options") or {}, values, at)
        # Components get what the protocol carries (numbers as doubles); SDK classes, values.
        class_name = _component(token)
        wire = class_name is not None
        properties = _evaluate(spec.get("properties") or {}, values, f"{at}.properties", wire)
        if token == KUBERNETES_PROVIDER:
            import pulumi_kubernetes as k8s

            _known_properties(k8s.Provider, properties, at)
            # The YAML runtime registers the properties as written: no SDK adds a version or
            # reads KUBECONFIG, as the Python class does.
            return pulumi.ProviderResource("kubernetes", name, properties, opts)
        if (kind := KUBERNETES_OBJECT.fullmatch(token)) is not None:
            return _kubernetes_object(name, kind, properties, opts, at)
        if class_name is None:
            raise YamlProgramError(
                f"{at}: type {token!r} is not supported offline (only {PACKAGE} components, "
                f"Kubernetes objects and {KUBERNETES_PROVIDER})"
            )
        import mlplatform

        component = getattr(mlplatform, class_name, None)
        if not (isinstance(component, type) and issubclass(component, pulumi.ComponentResource)):
            raise YamlProgramError(f"{at}: {PACKAGE} has no component {class_name!r}")
        references = {
            values[r].resource if isinstance(values[r], _Component) else values[r]
            for r in _references(spec.get("properties") or {}, at)
            if isinstance(values.get(r), pulumi.Resource | _Component)
        }
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[*references]))
        _package_providers(bool(opts.providers))
        return self._construct(name, component, properties, opts, at)

    def _construct(
        self,
        name: str,
        component: type,
        properties: dict[str, Any],
        opts: pulumi.ResourceOptions,
        at: str,
    ) -> _Component:
        from pulumi.errors import InputPropertyError

        provider = self._provider(component)
        definition = provider.definition(component.__name__)
        token = f"{PACKAGE}:index:{component.__name__}"
        schema = provider.document["resources"][token]
        inputs = schema.get("inputProperties", {})
        unknown = sorted(set(properties) - set(inputs))
        if unknown:
            raise YamlProgramError(
                f"{at}: {token} has no inputs {unknown}; it takes {sorted(inputs)}"
            )
        types = provider.document.get("types", {})
        plain = [
            p for k, v in properties.items() for p in _outputs_in_plain(v, inputs[k], k, types)
        ]
        if plain:
            raise YamlProgramError(
                f"{at}: {plain} take a value known when the program runs, not another "
                "resource's output"
            )
        # What the provider's Construct does: schema names to Python names (required inputs
        # checked, integers restored by mlplatform.provider.Provider), the component built,
        # its outputs by schema name.
        try:
            mapped = provider.map_inputs(properties, definition)
        except InputPropertyError as exc:
            raise YamlProgramError(f"{at}: {exc.reason}") from None
        resource = component(name, mapped, opts)
        # To the program, a component of the package is remote: depending on it is depending
        # on it, not on its children (the SDK expands only local components).
        resource._remote = True
        state = provider.get_state(resource, definition)
        return _Component(resource, state, token, set(schema.get("properties", {})))

    @staticmethod
    def _options(
        options: Mapping[str, Any], values: Mapping[str, Any], at: str
    ) -> pulumi.ResourceOptions:
        evaluated = _evaluate(dict(options), values, f"{at}.options", wire=False)
        providers = evaluated.get("providers", [])
        if not isinstance(providers, list) or not all(
            isinstance(p, pulumi.ProviderResource) for p in providers
        ):
            raise YamlProgramError(f"{at}.options.providers must be a list of providers")
        depends_on = evaluated.get("dependsOn", [])
        if not isinstance(depends_on, list):
            raise YamlProgramError(f"{at}.options.dependsOn must be a list of resources")
        return pulumi.ResourceOptions(
            providers=providers,
            depends_on=depends_on,
            protect=evaluated.get("protect"),
        )


def _package_providers(given_providers: bool) -> None:
    """The default providers the engine registers for a component of the package: its own
    (no version: the package comes from a path) and, when the component is given providers,
    the built-in `pulumi` one."""
    from pulumi.runtime import settings

    from mlplatform.engine.capture import RecordingMonitor

    monitor = settings.get_monitor()
    if isinstance(monitor, RecordingMonitor):
        monitor.default_provider(PACKAGE)
        if given_providers:
            monitor.default_provider("pulumi")


def _known_properties(sdk_class: type, properties: Mapping[str, Any], at: str) -> None:
    """Refuse a property the SDK class does not take (its keyword arguments, camelCase)."""
    init = getattr(sdk_class, "_internal_init", sdk_class.__init__)  # generated SDK classes
    taken = set(inspect.signature(init).parameters) - {"__self__", "resource_name", "opts"}
    unknown = sorted(k for k in properties if _snake(k) not in taken)
    if unknown:
        raise YamlProgramError(f"{at}: {sdk_class.__name__} has no properties {unknown}")


def _kubernetes_object(
    name: str,
    kind: re.Match[str],
    properties: dict[str, Any],
    opts: pulumi.ResourceOptions,
    at: str,
) -> pulumi.CustomResource:
    """A Kubernetes object made by the kubernetes SDK's own class for the type token (nested
    values keep their schema camelCase keys). Only kinds the SDK has as resources (not its
    Helm and YAML components, nor custom resources)."""
    module = f"pulumi_kubernetes.{kind['group'].split('.')[0]}.{kind['version']}"
    try:
        sdk_class = getattr(importlib.import_module(module), kind["kind"])
    except (ImportError, AttributeError):
        sdk_class = None
    if not (isinstance(sdk_class, type) and issubclass(sdk_class, pulumi.CustomResource)):
        raise YamlProgramError(f"{at}: {kind.string} is not a Kubernetes kind this engine plans")
    _known_properties(sdk_class, properties, at)
    # The SDK class itself: it fills in apiVersion and kind and keeps Secret data secret.
    return sdk_class(name, opts=opts, **{_snake(k): v for k, v in properties.items()})


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
