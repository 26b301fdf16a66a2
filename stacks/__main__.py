"""The ml-platform Pulumi program: read the stack's spec, build the platform, export outputs."""

import pulumi

from mlplatform import MlPlatform, spec

stack = pulumi.get_stack()
name = f"ml-{stack}"
try:
    config = spec.from_pulumi(platform_name=name)
except spec.ConfigError as error:
    raise pulumi.RunError(str(error)) from error

platform = MlPlatform.from_config(name, config, stack)

pulumi.export("target", config.target.value)
pulumi.export("environment", config.environment.value)
pulumi.export("region", config.region)
pulumi.export("artifactUri", platform.artifact_uri)
pulumi.export("registryUrl", platform.registry_url)
pulumi.export("clusterName", platform.cluster_name)
pulumi.export("kubeconfig", platform.kubeconfig)
pulumi.export("teamNamespaces", platform.team_namespaces)
pulumi.export("mlflowTrackingUri", platform.tracking_uri)
pulumi.export("mlflowExternalUri", platform.mlflow_external_uri)
pulumi.export("mlflowAdminPassword", platform.mlflow_admin_password)
pulumi.export("mlflowCredentialsSecret", platform.mlflow_credentials_secret)
pulumi.export("grafanaAdminPassword", platform.grafana_admin_password)
