"""Layer 5, composition: `MlPlatform` turns a `PlatformConfig` into the target's components.

Each target's builder imports only its own cloud's SDK modules, so a
single-cloud stack never loads another cloud's provider classes.
"""

from collections.abc import Sequence
from typing import Any, Required, TypedDict, cast

import pulumi

from mlplatform.component_args import check_args
from mlplatform.compose.scope import Builder, Scope
from mlplatform.environment import ConfigError, PlatformConfig, Target, parse, preflight

MANAGED_BY = "mlplatform"


def _builder(target: Target) -> Builder:
    """The target's builder, imported only when that target is built: each builder imports
    only its own cloud's SDK modules."""
    match target:
        case Target.AWS:
            from mlplatform.compose import aws

            return aws.build
        case Target.AZURE:
            from mlplatform.compose import azure

            return azure.build
        case Target.GCP:
            from mlplatform.compose import gcp

            return gcp.build
        case Target.KUBERNETES:
            from mlplatform.compose import kubernetes

            return kubernetes.build


class MlPlatformArgs(TypedDict, total=False):
    """Args of `MlPlatform`."""

    config: Required[dict[str, Any]]
    """The environment spec: the keys of a stack's `mlplatform:` config, camelCase, as in
    `stacks/Pulumi.<stack>.yaml`. Every rule is checked before any resource exists, and every
    problem is reported with its path and fix. From Python, `MlPlatform.from_config` takes a
    validated `PlatformConfig` instead."""
    stack: str
    """Stack name, put in every resource's tags. Default: the running Pulumi stack."""
    notification_webhooks: Sequence[pulumi.Input[str]]
    """More https webhooks that receive the alerts, after the spec's
    `monitoring.notifications.webhooks`: give the ones that embed a token here, from secret
    config, since `config` crosses as plain values. They stay secrets. Default: none."""


def platform_tags(cfg: PlatformConfig, stack: str) -> dict[str, str]:
    """User tags plus the tags every resource carries (environment, stack, managed-by)."""
    return {
        **cfg.tags,
        "environment": cfg.environment.value,
        "stack": stack,
        "managed-by": MANAGED_BY,
    }


class MlPlatform(pulumi.ComponentResource):
    """The whole ML platform of one environment, on the target named in its config."""

    artifact_uri: pulumi.Output[str] | None
    """Where MLflow stores artifacts (s3://, wasbs://, gs:// or file:// on the kubernetes target);
    None when the artifact store is disabled."""
    registry_url: pulumi.Output[str] | None
    """Where images are pushed; None when the registry is disabled."""
    cluster_name: pulumi.Output[str] | None
    """The created cluster's name; None on the kubernetes target."""
    kubeconfig: pulumi.Output[str] | None
    """Kubeconfig of the created cluster (secret); None on the kubernetes target."""
    team_namespaces: list[pulumi.Output[str]]
    """Namespaces created for the configured teams."""
    tracking_uri: pulumi.Output[str] | None
    """In-cluster MLflow tracking URI; None when MLflow is off."""
    mlflow_external_uri: pulumi.Output[str] | None
    """MLflow's https:// URI through its Ingress; None without one."""
    mlflow_admin_password: pulumi.Output[str] | None
    """Password of MLflow's `admin` user (secret); None when MLflow is off."""
    mlflow_credentials_secret: pulumi.Output[str] | None
    """`namespace/name` of the Kubernetes Secret holding MLflow's credentials (database URI,
    admin password, Flask key); None when MLflow is off."""
    grafana_admin_password: pulumi.Output[str] | None
    """Password of Grafana's `admin` user (secret); None without monitoring or Grafana."""

    def __init__(
        self, name: str, args: MlPlatformArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_args(self, name, MlPlatformArgs, args, checks_itself=("config",))
        cfg = _spec_of(name, args["config"])
        _preflight(name, cfg)
        extra = [_https(name, url) for url in args.get("notification_webhooks", [])]
        super().__init__("mlplatform:index:MlPlatform", name, None, opts)
        tags = platform_tags(cfg, args.get("stack") or pulumi.get_stack())
        webhooks = [*cfg.monitoring.notifications.webhooks, *extra]
        built = _builder(cfg.target)(Scope(self, name, cfg, tags, webhooks))
        self.artifact_uri = built.artifact_uri
        self.registry_url = built.registry_url
        self.cluster_name = built.cluster_name
        self.kubeconfig = built.kubeconfig
        self.team_namespaces = built.team_namespaces
        self.tracking_uri = built.tracking_uri
        self.mlflow_external_uri = built.mlflow_external_uri
        self.mlflow_admin_password = built.mlflow_admin_password
        self.mlflow_credentials_secret = built.mlflow_credentials_secret
        self.grafana_admin_password = built.grafana_admin_password
        self.register_outputs(
            {
                "artifact_uri": self.artifact_uri,
                "registry_url": self.registry_url,
                "cluster_name": self.cluster_name,
                "kubeconfig": self.kubeconfig,
                "team_namespaces": self.team_namespaces,
                "tracking_uri": self.tracking_uri,
                "mlflow_external_uri": self.mlflow_external_uri,
                "mlflow_admin_password": self.mlflow_admin_password,
                "mlflow_credentials_secret": self.mlflow_credentials_secret,
                "grafana_admin_password": self.grafana_admin_password,
            }
        )

    @classmethod
    def from_config(
        cls,
        name: str,
        config: PlatformConfig,
        stack: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
        notification_webhooks: Sequence[pulumi.Input[str]] = (),
    ) -> "MlPlatform":
        """The platform of an already validated spec (`mlplatform.environment.from_pulumi()`,
        `parse(...)` or a `PlatformConfig` built in Python)."""
        args: dict[str, Any] = {"config": config, "notification_webhooks": notification_webhooks}
        if stack is not None:
            args["stack"] = stack
        return cls(name, cast(MlPlatformArgs, args), opts)  # a PlatformConfig passes as is


def _preflight(name: str, cfg: PlatformConfig) -> None:
    """What the spec's validation could not judge without the platform's name: the names it
    generates (raises `ConfigError`, every one at once); then every preflight warning, on the
    engine's warning channel (stderr offline)."""
    found, warned = preflight.for_platform(cfg, name)
    if found:
        raise ConfigError(found, f"MlPlatform {name!r}: generated names")
    for issue in warned:
        pulumi.log.warn(f"preflight: {issue}")


def _https(name: str, url: pulumi.Input[str]) -> pulumi.Output[str]:
    """A webhook URL as a secret. Text is checked like the spec's own URLs, before any
    resource exists; an output (a secret from config) is the cloud's to refuse, since its
    value is not known to a preview everywhere (offline it never is)."""
    if isinstance(url, str) and (not url.startswith("https://") or any(c.isspace() for c in url)):
        raise ValueError(f"MlPlatform {name!r}: notification_webhooks take https:// URLs")
    return pulumi.Output.secret(url)


def _spec_of(name: str, given: object) -> PlatformConfig:
    """The validated spec from a `PlatformConfig` or a config document."""
    if isinstance(given, PlatformConfig):
        return given
    if not isinstance(given, dict):
        raise TypeError(
            f"MlPlatform {name!r}: config must be a plain object of spec keys (as under "
            f"`mlplatform:` in a stack file), not {type(given).__name__}; keep secrets out of it"
        )
    return parse(given, f"MlPlatform {name!r} config")
