"""Reading the environment spec: from a stack YAML file or from the running Pulumi program.

Both paths reduce to the same thing: the `mlplatform:` keys of the stack's
config, namespace stripped, validated into a `PlatformConfig`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from mlplatform.environment.errors import ConfigError, ConfigIssue, from_validation_error
from mlplatform.environment.model import PlatformConfig
from mlplatform.environment.rules import check

NAMESPACE = "mlplatform"
SECRET_PLACEHOLDER = "[secret]"


def parse(
    values: dict[str, Any],
    source: str = "stack config",
    root: Path | None = None,
    platform_name: str | None = None,
) -> PlatformConfig:
    """Validate namespace-stripped config values; raise `ConfigError` listing every problem.
    `root`, the folder of Pulumi.yaml, is where local chart paths are checked; with
    `platform_name`, the name the program gives `MlPlatform`, the names it generates are
    judged too (`MlPlatform` judges them anyway; here they join every other problem)."""
    try:
        cfg = PlatformConfig.model_validate(values)
    except ValidationError as exc:
        raise from_validation_error(PlatformConfig, exc, source) from None
    issues = check(cfg, root, platform_name=platform_name)
    if issues:
        raise ConfigError(issues, source)
    return cfg


def namespace_values(config: dict[str, Any]) -> dict[str, Any]:
    """The `mlplatform:` keys of a flat Pulumi config map, namespace stripped, JSON decoded."""
    prefix = f"{NAMESPACE}:"
    return {
        key.removeprefix(prefix): _decode(value)
        for key, value in config.items()
        if key.startswith(prefix)
    }


def _decode(value: Any) -> Any:
    # The Pulumi engine hands structured config to programs as JSON strings.
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def from_pulumi(platform_name: str | None = None) -> PlatformConfig:
    """The spec of the running Pulumi program (inside `pulumi up` or the offline engine); with
    `platform_name`, the name the program will give `MlPlatform`, its generated names are
    judged with every other problem."""
    from pulumi.runtime import config as runtime_config
    from pulumi.runtime import settings

    flat = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    root = settings.get_root_directory()
    return parse(
        namespace_values(flat),
        root=Path(root) if root else Path.cwd(),
        platform_name=platform_name,
    )


def load_yaml(text: str) -> Any:
    """`yaml.safe_load`, with libyaml's parser where PyYAML was built with it (its wheels
    are): the same documents, seven times faster."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def stack_file_config(path: Path) -> dict[str, Any]:
    """The flat `config:` map of a `Pulumi.<stack>.yaml`, in the form the engine gives a program.

    Objects and lists become JSON strings, scalars strings, and `secure:` values
    a placeholder (they cannot be decrypted offline).
    """
    try:
        document = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(
            [ConfigIssue(str(path), f"is not valid YAML: {exc}")], str(path)
        ) from None
    raw = document.get("config") or {}
    if not isinstance(raw, dict):
        raise ConfigError([ConfigIssue("config", "must be a mapping of key: value")], str(path))
    return {key: _engine_form(value) for key, value in raw.items()}


def _engine_form(value: Any) -> str:
    if isinstance(value, dict) and set(value) == {"secure"}:
        return SECRET_PLACEHOLDER
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def from_stack_file(path: Path) -> PlatformConfig:
    """Validate the spec in a stack config file without running any Pulumi code."""
    return parse(namespace_values(stack_file_config(path)), source=str(path))
