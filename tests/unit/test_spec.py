"""Environment spec: defaults, and every bad config named by field path, value and fix.

Pure config tests: no Pulumi runtime is involved.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from mlplatform.environment import ConfigError, parse
from mlplatform.environment.loader import namespace_values, stack_file_config
from mlplatform.environment.model import EndpointAccess, SharingMode, Target
from tests.unit.preflight.specs import AWS, AZURE, GCP, LOCAL


def pool(**overrides: Any) -> dict[str, Any]:
    return {"name": "gpu", "gpu": "T4", **overrides}


def issues(values: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse(values)
    return [str(issue) for issue in caught.value.issues]


def test_defaults_are_secure_and_documented() -> None:
    cfg = parse(AWS)
    assert cfg.target is Target.AWS
    assert cfg.protect is True
    assert cfg.cluster.endpoint_access is EndpointAccess.PRIVATE
    assert cfg.cluster.public_access_cidrs == []
    assert cfg.artifact_store.enabled and cfg.registry.enabled
    assert cfg.registry.immutable_tags is True
    assert cfg.artifact_store.noncurrent_version_days == 30
    assert cfg.gpu_pools == []
    assert cfg.mlflow.enabled is False


def test_camel_case_keys_map_to_fields() -> None:
    cfg = parse(
        {
            **AWS,
            "gpuPools": [
                pool(
                    gpusPerNode=4,
                    minNodes=1,
                    maxNodes=3,
                    spot=True,
                    sharing={"mode": "time-slicing", "replicas": 4},
                )
            ],
            # Above the always-on minimum (preflight.capacity): $1,177.56 with the warm pool.
            "budget": {"maxGpus": 12, "maxMonthlyUsd": 1900.5},
        }
    )
    p = cfg.gpu_pools[0]
    assert (p.gpus_per_node, p.min_nodes, p.max_nodes, p.spot) == (4, 1, 3, True)
    assert p.sharing.mode is SharingMode.TIME_SLICING and p.sharing.replicas == 4
    assert cfg.budget.max_gpus == 12 and cfg.budget.max_monthly_usd == 1900.5


def test_every_field_has_a_docstring() -> None:
    from mlplatform.environment import model

    for cls in (
        model.PlatformConfig,
        model.GpuPoolSpec,
        model.ArtifactStoreSpec,
        model.RegistrySpec,
        model.ClusterSpec,
        model.NetworkSpec,
        model.BudgetSpec,
    ):
        undocumented = [n for n, f in cls.model_fields.items() if not f.description]
        assert undocumented == [], f"{cls.__name__} fields without docstring: {undocumented}"


def test_descriptions_are_the_docstrings_under_the_fields_in_the_json_schema_too() -> None:
    from mlplatform.environment import model

    schema = model.PlatformConfig.model_json_schema()
    assert schema["properties"]["allowUnprotectedProd"]["description"] == (
        "Explicit override that lets a prod stack set protect: false. Default: off."
    )
    assert schema["$defs"]["GpuPoolSpec"]["properties"]["zones"]["description"] == (
        "Zones for the pool (GCP zone names such as us-central1-a, Azure zone numbers 1-3);\n"
        "pick zones that have the GPU. Default: the cluster's zones."
    )
    assert model.SystemPoolSpec.model_fields["min_nodes"].description == (
        "Lower bound; at least 1 because add-ons live here. Default: 2."
    )
    assert schema["properties"]["target"] == {
        "$ref": "#/$defs/Target",
        "description": "Where to build: aws, azure, gcp or kubernetes (an existing cluster).",
    }


def _ast_docstrings(path: str) -> dict[str, dict[str, str]]:
    """The docstring under each annotated attribute of each top-level class, found by `ast`."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    return {
        node.name: {
            statement.target.id: inspect.cleandoc(following.value.value)
            for statement, following in itertools.pairwise(node.body)
            if isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        }
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }


def test_the_docstring_scan_finds_what_ast_finds_in_the_spec_model() -> None:
    from mlplatform.environment import model
    from mlplatform.environment.docstrings import module_docstrings

    found = module_docstrings(model.__name__)
    assert found == _ast_docstrings(model.__file__)
    assert sum(len(docs) for docs in found.values()) == sum(
        len(cls.model_fields)
        for cls in vars(model).values()
        if isinstance(cls, type) and issubclass(cls, model._Spec) and cls is not model._Spec
    )


def test_the_docstring_scan_skips_attributes_without_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    import types

    from mlplatform.environment.docstrings import module_docstrings

    source = tmp_path / "scanned.py"
    source.write_text(
        "class A:\n"
        '    """A class."""\n'
        "\n"
        "    bare: int = 1\n"
        "    wrapped: dict[str, int] = (\n"
        "        {}\n"
        "    )\n"
        '    """Wrapped, with a docstring\n'
        '    over two lines."""\n'
        "\n"
        "    def method(self) -> None:\n"
        '        """Not an attribute."""\n'
        "\n"
        "\n"
        "B = 1\n"
        '"""A module attribute."""\n'
        "\n"
        "\n"
        "class C:\n"
        "    name: str\n"
        '    """C\'s name."""\n',
        encoding="utf-8",
    )
    module = types.ModuleType("scanned_for_docstrings")
    module.__file__ = str(source)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    found = module_docstrings(module.__name__)
    assert found == _ast_docstrings(str(source))
    assert found == {
        "A": {"wrapped": "Wrapped, with a docstring\nover two lines."},
        "C": {"name": "C's name."},
    }


BAD_CONFIGS: list[tuple[str, dict[str, Any], str]] = [
    (
        "unknown top-level key",
        {**AWS, "regoin": "us-east-1"},
        "regoin: is not a known key; remove it or fix its spelling; "
        "use one of: allowUnprotectedProd, artifactStore, azure, budget, charts, cluster,",
    ),
    (
        "unknown nested key",
        {**AWS, "artifactStore": {"versioning": True}},
        "artifactStore.versioning: is not a known key; remove it or fix its spelling; "
        "use one of: abortIncompleteUploadDays, enabled, kmsKeyId, noncurrentVersionDays, "
        "sizeGi, softDeleteDays",
    ),
    (
        "unknown pool key",
        {**AWS, "gpuPools": [pool(gpuType="T4")]},
        "gpuPools[0].gpuType: is not a known key",
    ),
    (
        "unknown target",
        {**AWS, "target": "openstack"},
        "target: 'openstack' is invalid: input should be 'aws', 'azure', 'gcp' or 'kubernetes'",
    ),
    (
        "missing environment",
        {"target": "aws", "region": "us-east-1"},
        "environment: is required; add it to the stack config",
    ),
    (
        "unknown environment",
        {**AWS, "environment": "qa"},
        "environment: 'qa' is invalid: input should be 'dev', 'staging' or 'prod'",
    ),
    (
        "missing region on a cloud",
        {"target": "aws", "environment": "dev"},
        "region: is required on aws; add e.g. region: us-east-1",
    ),
    (
        "malformed aws region",
        {**AWS, "region": "useast1"},
        "region: 'useast1' is not a region of aws (per botocore partitions.json, 2026-12-02); "
        "use one of us-east-1, us-west-1, us-east-2",
    ),
    (
        "region on the kubernetes target",
        {**LOCAL, "region": "us-east-1"},
        "region: 'us-east-1' has no meaning on the kubernetes target; remove it",
    ),
    (
        "GPU a cloud lacks",
        {**AZURE, "gpuPools": [pool(gpu="L4")]},
        "gpuPools[0].gpu: 'L4' is not offered on azure; "
        "choose one of A10, A100-40GB, A100-80GB, H100, H200, T4",
    ),
    (
        "unknown GPU name",
        {**AWS, "gpuPools": [pool(gpu="V100")]},
        "gpuPools[0].gpu: 'V100' is invalid: input should be 'T4', 'L4', 'A10', 'A100-40GB', "
        "'A100-80GB', 'H100' or 'H200'",
    ),
    (
        "GPU count a cloud lacks",
        {**AWS, "gpuPools": [pool(), pool(name="big", gpu="H100", gpusPerNode=2)]},
        "gpuPools[1].gpusPerNode: 2 GPUs per node is not offered for H100 on aws; "
        "choose one of 1, 8",
    ),
    (
        "minNodes above maxNodes",
        {**AWS, "gpuPools": [pool(minNodes=3, maxNodes=2)]},
        "gpuPools[0].minNodes: 3 is greater than maxNodes (2); lower minNodes or raise maxNodes",
    ),
    (
        "negative minNodes",
        {**AWS, "gpuPools": [pool(minNodes=-1)]},
        "gpuPools[0].minNodes: -1 is invalid: input should be greater than or equal to 0",
    ),
    (
        "zero maxNodes",
        {**AWS, "gpuPools": [pool(maxNodes=0)]},
        "gpuPools[0].maxNodes: 0 is invalid: input should be greater than or equal to 1",
    ),
    (
        "too many GPUs per node",
        {**AWS, "gpuPools": [pool(gpusPerNode=16)]},
        "gpuPools[0].gpusPerNode: 16 is invalid: input should be less than or equal to 8",
    ),
    (
        "pool name with capitals",
        {**AWS, "gpuPools": [pool(name="GPU_Pool")]},
        "gpuPools[0].name: 'GPU_Pool' is invalid: string should match pattern",
    ),
    (
        "duplicate pool names",
        {**AWS, "gpuPools": [pool(), pool()]},
        "gpuPools[1].name: 'gpu' is used by another pool; pool names must be unique",
    ),
    (
        "spot not a boolean",
        {**AWS, "gpuPools": [pool(spot="maybe")]},
        "gpuPools[0].spot: 'maybe' is invalid: input should be a valid boolean",
    ),
    (
        "MIG where the pool API has no MIG",
        {
            **AWS,
            "gpuPools": [
                pool(gpu="H100", gpusPerNode=8, sharing={"mode": "mig", "migProfile": "1g.10gb"})
            ],
        },
        "gpuPools[0].sharing.mode: 'mig' is not set at pool creation on aws; "
        "use time-slicing or mps",
    ),
    (
        "MIG on a GPU without MIG",
        {**GCP, "gpuPools": [pool(sharing={"mode": "mig", "migProfile": "1g.5gb"})]},
        "gpuPools[0].sharing.mode: 'mig' needs a MIG-capable GPU "
        "(A100-40GB, A100-80GB, H100, H200)",
    ),
    (
        "MIG without a profile",
        {**GCP, "gpuPools": [pool(gpu="A100-40GB", sharing={"mode": "mig"})]},
        "gpuPools[0].sharing.migProfile: is required for mode mig; add e.g. migProfile: 1g.10gb",
    ),
    (
        "time-slicing with one replica",
        {**AWS, "gpuPools": [pool(sharing={"mode": "time-slicing"})]},
        "gpuPools[0].sharing.replicas: 1 must be at least 2 for time-slicing; set e.g. replicas: 4",
    ),
    (
        "pools over the GPU budget",
        {
            **AWS,
            "gpuPools": [pool(maxNodes=2), pool(name="b", gpusPerNode=4, maxNodes=2)],
            "budget": {"maxGpus": 4},
        },
        "gpuPools: can grow to 10 GPUs (maxNodes x gpusPerNode summed), over budget.maxGpus (4); "
        "lower maxNodes or raise budget.maxGpus",
    ),
    (
        "zero GPU budget",
        {**AWS, "budget": {"maxGpus": 0}},
        "budget.maxGpus: 0 is invalid: input should be greater than or equal to 1",
    ),
    (
        "more GPU hours than a month has",
        {**AWS, "budget": {"expectedGpuHours": 800}},
        "budget.expectedGpuHours: 800 is invalid: input should be less than or equal to 730",
    ),
    (
        "prod without protection",
        {**AWS, "environment": "prod", "protect": False},
        "protect: False turns off deletion protection in prod; keep protect: true, or also set "
        "allowUnprotectedProd: true to accept that data can be deleted",
    ),
    (
        "override outside prod",
        {**AWS, "allowUnprotectedProd": True},
        "allowUnprotectedProd: True only applies to prod stacks; remove it",
    ),
    (
        "public endpoint without CIDRs",
        {**AWS, "cluster": {"endpointAccess": "public"}},
        "cluster.publicAccessCidrs: is required with a public endpoint; "
        "list the CIDRs allowed to reach it",
    ),
    (
        "prod endpoint open to the internet",
        {
            **AWS,
            "environment": "prod",
            "cluster": {"endpointAccess": "public", "publicAccessCidrs": ["0.0.0.0/0"]},
        },
        "cluster.publicAccessCidrs[0]: '0.0.0.0/0' opens the prod API server to the whole internet",
    ),
    (
        "CIDRs with a private endpoint",
        {**AWS, "cluster": {"publicAccessCidrs": ["203.0.113.0/24"]}},
        "cluster.publicAccessCidrs: is set but endpointAccess is private",
    ),
    (
        "malformed CIDR",
        {**AWS, "cluster": {"endpointAccess": "public", "publicAccessCidrs": ["office"]}},
        "cluster.publicAccessCidrs: ['office'] 'office' is not a CIDR; use e.g. 203.0.113.0/24",
    ),
    (
        "public network range",
        {**AWS, "network": {"cidr": "8.8.0.0/16"}},
        "network.cidr: '8.8.0.0/16' must be a private (RFC 1918) range; use e.g. 10.0.0.0/16",
    ),
    (
        "network too small",
        {**AWS, "network": {"cidr": "10.0.0.0/24"}},
        "network.cidr: '10.0.0.0/24' is too small for a cluster network; use a /16 to /20",
    ),
    (
        "gcp without a project",
        {"target": "gcp", "environment": "dev", "region": "us-central1"},
        "gcp.project: is required on gcp; add gcp: {project: my-project}",
    ),
    (
        "another cloud's section",
        {**AWS, "gcp": {"project": "my-ml-project"}},
        "gcp: is only valid when target is gcp; remove it (target is aws)",
    ),
    (
        "label key GCP rejects",
        {**GCP, "tags": {"Owner": "ml"}},
        "tags.Owner: 'Owner' is not a valid key for GCP labels",
    ),
    (
        "customer key where unsupported",
        {**AZURE, "artifactStore": {"kmsKeyId": "https://vault/keys/k"}},
        "artifactStore.kmsKeyId: 'https://vault/keys/k' is not supported on azure",
    ),
    (
        "soft delete below the GCS minimum",
        {**GCP, "artifactStore": {"softDeleteDays": 3}},
        "artifactStore.softDeleteDays: 3 is invalid: input should be greater than or equal to 7",
    ),
    (
        "malformed Kubernetes version",
        {**AWS, "cluster": {"kubernetesVersion": "1.2"}},
        "cluster.kubernetesVersion: '1.2' is invalid: string should match pattern",
    ),
    (
        "GPU pools on an existing cluster",
        {**LOCAL, "gpuPools": [pool()]},
        "gpuPools: cannot be created on an existing cluster (kubernetes target)",
    ),
    (
        "MLflow on an existing Azure VNet without a database subnet",
        {
            **AZURE,
            "mlflow": {"enabled": True},
            "network": {"existing": {"networkId": "vnet", "subnetIds": ["nodes"]}},
        },
        "network.existing.databaseSubnetId: is required with mlflow on azure: give an empty "
        "subnet of this VNet delegated to Microsoft.DBforPostgreSQL/flexibleServers",
    ),
    (
        "database subnet outside Azure",
        {
            **AWS,
            "network": {
                "existing": {"networkId": "vpc-1", "subnetIds": ["a", "b"], "databaseSubnetId": "c"}
            },
        },
        "network.existing.databaseSubnetId: 'c' only applies on azure; remove it",
    ),
    (
        "another cloud's database class",
        {**GCP, "mlflow": {"enabled": True, "database": {"instanceClass": "db.m7g.large"}}},
        "mlflow.database.instanceClass: 'db.m7g.large' is not a gcp database class; name one "
        "starting with db-",
    ),
    (
        "shared-core Cloud SQL tier",
        {**GCP, "mlflow": {"enabled": True, "database": {"instanceClass": "db-f1-micro"}}},
        "mlflow.database.instanceClass: 'db-f1-micro' is not a custom machine tier "
        "(db-custom-<vCPUs>-<MiB>): Cloud SQL Enterprise, the edition the platform creates, "
        "takes only custom and shared-core tiers for PostgreSQL, and shared-core tiers "
        "(db-f1-micro, db-g1-small) carry no SLA; use e.g. db-custom-1-3840",
    ),
    (
        "Burstable Flexible Server with HA",
        {
            **AZURE,
            "environment": "prod",
            "mlflow": {"enabled": True, "database": {"instanceClass": "Standard_B2ms"}},
        },
        "mlflow.database.instanceClass: 'Standard_B2ms' is a Burstable SKU, which has no "
        "zone-redundant HA; use a General Purpose SKU such as Standard_D2ds_v5 or set "
        "mlflow.database.highAvailability: false",
    ),
    (
        "MLflow ingress host given as a URL",
        {
            **LOCAL,
            "mlflow": {
                "enabled": True,
                "replicas": 1,
                "ingress": {
                    "host": "https://mlflow.example.com",
                    "className": "traefik",
                    "controllerNamespace": "traefik",
                },
            },
        },
        "mlflow.ingress.host: 'https://mlflow.example.com' is invalid: string should match pattern",
    ),
    (
        "MLflow ingress without its controller's namespace",
        {**LOCAL, "mlflow": {"ingress": {"host": "mlflow.example.com", "className": "traefik"}}},
        "mlflow.ingress.controllerNamespace: is required; add it to the stack config",
    ),
    (
        "managed Prometheus on a bare Kubernetes cluster",
        {**LOCAL, "monitoring": {"enabled": True, "prometheus": "managed"}},
        "monitoring.prometheus: 'managed' has no managed Prometheus on the kubernetes target "
        "(only on aws, azure and gcp); use in-cluster",
    ),
    (
        "GKE log retention beyond Cloud Logging's limit",
        {**GCP, "cluster": {"logRetentionDays": 3653}},
        "cluster.logRetentionDays: 3653 must be at most 3650 days for a Cloud Logging bucket",
    ),
    (
        "plain-http alert webhook",
        {**AWS, "monitoring": {"notifications": {"webhooks": ["http://hooks.example.com/x"]}}},
        "monitoring.notifications.webhooks[0]: 'http://hooks.example.com/x' is invalid: string "
        "should match pattern",
    ),
    (
        "alert e-mail without a domain",
        {**AWS, "monitoring": {"notifications": {"emails": ["oncall"]}}},
        "monitoring.notifications.emails[0]: 'oncall' is invalid: string should match pattern",
    ),
    (
        "Prometheus memory that is not a quantity",
        {**AWS, "monitoring": {"prometheusMemory": "4 GB"}},
        "monitoring.prometheusMemory: '4 GB' is invalid: string should match pattern",
    ),
    (
        "idle threshold above 100%",
        {**AWS, "monitoring": {"alerts": {"gpuIdlePercent": 150}}},
        "monitoring.alerts.gpuIdlePercent: 150 is invalid: input should be less than or equal "
        "to 100",
    ),
    (
        "unknown alert threshold",
        {**AWS, "monitoring": {"alerts": {"gpuIdle": 5}}},
        "monitoring.alerts.gpuIdle: is not a known key; remove it or fix its spelling",
    ),
    (
        "a log retention CloudWatch does not offer",
        {**AWS, "cluster": {"logRetentionDays": 45}},
        "cluster.logRetentionDays: 45 is not a CloudWatch retention period; use one of 1, 3, 5, "
        "7, 14, 30, 60, 90",
    ),
    (
        "a log retention below the Log Analytics minimum",
        {**AZURE, "cluster": {"logRetentionDays": 7}},
        "cluster.logRetentionDays: 7 must be 30 to 730 days for a Log Analytics workspace",
    ),
    (
        "database class on the kubernetes target",
        {**LOCAL, "mlflow": {"enabled": True, "replicas": 1, "database": {"instanceClass": "x"}}},
        "mlflow.database.instanceClass: has no meaning on the kubernetes target (PostgreSQL "
        "runs in-cluster); remove it",
    ),
    (
        "AKS pool name with a dash",
        {**AZURE, "gpuPools": [pool(name="t4-spot")]},
        "gpuPools[0].name: 't4-spot' is not a valid AKS pool name (1-12 lowercase letters and "
        "digits); use e.g. t4spot",
    ),
    (
        "zones on aws",
        {**AWS, "gpuPools": [pool(zones=["us-east-1a"])]},
        "gpuPools[0].zones[0]: 'us-east-1a' cannot be set on aws",
    ),
    (
        "zone of another region on gcp",
        {**GCP, "gpuPools": [pool(gpu="L4", zones=["europe-west4-a"])]},
        "gpuPools[0].zones[0]: 'europe-west4-a' is not a zone of region us-central1",
    ),
    (
        "Azure zone that is not a number",
        {**AZURE, "gpuPools": [pool(zones=["westeurope-1"])]},
        "gpuPools[0].zones[0]: 'westeurope-1' is not an Azure zone number; use 1, 2 or 3",
    ),
    (
        "node image of another cloud",
        {**AWS, "gpuPools": [pool(nodeImage="COS_CONTAINERD")]},
        "gpuPools[0].nodeImage: 'COS_CONTAINERD' is not a GPU node image on aws; choose one of "
        "AL2023_x86_64_NVIDIA, BOTTLEROCKET_x86_64_NVIDIA",
    ),
    (
        "malformed MIG profile",
        {**GCP, "gpuPools": [pool(gpu="A100-40GB", sharing={"mode": "mig", "migProfile": "big"})]},
        "gpuPools[0].sharing.migProfile: 'big' is not a MIG profile; use the form 1g.10gb",
    ),
    (
        "EKS version without pinned add-ons",
        {**AWS, "cluster": {"kubernetesVersion": "1.33"}},
        "cluster.kubernetesVersion: '1.33' has no pinned EKS add-on versions in this release; "
        "choose one of 1.35, 1.36",
    ),
    (
        "one subnet for EKS",
        {**AWS, "network": {"existing": {"networkId": "vpc-1", "subnetIds": ["subnet-a"]}}},
        "network.existing.subnetIds: ['subnet-a'] needs at least 2 private subnets",
    ),
    (
        "GKE network without secondary ranges",
        {**GCP, "network": {"existing": {"networkId": "vpc", "subnetIds": ["nodes"]}}},
        "network.existing.podsRangeName: and servicesRangeName are required on gcp",
    ),
    (
        "system pool bounds inverted",
        {**AWS, "cluster": {"systemPool": {"minNodes": 5, "maxNodes": 3}}},
        "cluster.systemPool.minNodes: 5 is greater than maxNodes (3)",
    ),
    (
        "admin that is not an ARN",
        {**AWS, "cluster": {"admins": ["alice"]}},
        "cluster.admins[0]: 'alice' is not an IAM role or user ARN",
    ),
    (
        "admins on gcp",
        {**GCP, "cluster": {"admins": ["alice@example.com"]}},
        "cluster.admins[0]: 'alice@example.com' cannot be set on gcp",
    ),
    (
        "team in a system namespace",
        {**AWS, "teams": [{"name": "kube-system", "maxGpus": 1}]},
        "teams[0].name: 'kube-system' is a namespace Kubernetes keeps for itself",
    ),
    (
        "duplicate teams",
        {**AWS, "teams": [{"name": "a", "maxGpus": 1}, {"name": "a", "maxGpus": 2}]},
        "teams[1].name: 'a' is used by another team",
    ),
    (
        "team without a quota",
        {**AWS, "teams": [{"name": "a"}]},
        "teams[0].maxGpus: is required; add it to the stack config",
    ),
    (
        "previous team name that is not a namespace name",
        {**AWS, "teams": [{"name": "a", "maxGpus": 1, "previousNames": ["Research"]}]},
        "teams[0].previousNames[0]: 'Research' is invalid: string should match pattern "
        "'^[a-z]([-a-z0-9]{0,28}[a-z0-9])?$'; expected: Names the team had before (namespace "
        "names)",
    ),
    (
        "previous team name that is the current one",
        {**AWS, "teams": [{"name": "a", "maxGpus": 1, "previousNames": ["a"]}]},
        "teams[0].previousNames[0]: 'a' is the team's current name; remove it from previousNames",
    ),
    (
        "previous team name that another team has",
        {
            **AWS,
            "teams": [
                {"name": "a", "maxGpus": 1, "previousNames": ["b"]},
                {"name": "b", "maxGpus": 1},
            ],
        },
        "teams[0].previousNames[0]: 'b' is the name of teams[1]; a previous name must not be "
        "in use by another team",
    ),
    (
        "previous team name given twice",
        {
            **AWS,
            "teams": [
                {"name": "a", "maxGpus": 1, "previousNames": ["old"]},
                {"name": "b", "maxGpus": 1, "previousNames": ["old"]},
            ],
        },
        "teams[1].previousNames[0]: 'old' is also a previous name of teams[0]; give each old "
        "name to one team only",
    ),
    (
        "previous team name listed twice by one team",
        {**AWS, "teams": [{"name": "a", "maxGpus": 1, "previousNames": ["old", "old"]}]},
        "teams[0].previousNames[1]: 'old' is also a previous name of teams[0]; give each old "
        "name to one team only",
    ),
    (
        "sharing without a device plugin",
        {
            **AWS,
            "cluster": {"gpuEnablement": "none"},
            "gpuPools": [pool(sharing={"mode": "mps", "replicas": 2})],
        },
        "gpuPools[0].sharing.mode: 'mps' needs the NVIDIA device plugin",
    ),
    (
        "unknown deployer principal type",
        {**AZURE, "azure": {"deployerPrincipalType": "Robot"}},
        "azure.deployerPrincipalType: 'Robot' is invalid: input should be 'User' or "
        "'ServicePrincipal'",
    ),
    (
        "several MLflow replicas on one ReadWriteOnce volume",
        {**LOCAL, "mlflow": {"enabled": True}},
        "mlflow.replicas: 2 cannot share the in-cluster artifact volume (ReadWriteOnce)",
    ),
    (
        "unknown MLflow auth mode",
        {**LOCAL, "mlflow": {"enabled": True, "replicas": 1, "authMode": "oauth"}},
        "mlflow.authMode: 'oauth' is invalid: input should be 'basic'",
    ),
    (
        "MLflow without replicas",
        {**LOCAL, "mlflow": {"enabled": True, "replicas": 0}},
        "mlflow.replicas: 0 is invalid: input should be greater than or equal to 1",
    ),
    (
        "MLflow without an artifact store",
        {**LOCAL, "mlflow": {"enabled": True, "replicas": 1}, "artifactStore": {"enabled": False}},
        "artifactStore.enabled: False is false but MLflow needs an artifact store",
    ),
    (
        "backups kept less than a week",
        {**LOCAL, "mlflow": {"database": {"backupRetentionDays": 3}}},
        "mlflow.database.backupRetentionDays: 3 is invalid: input should be greater than or "
        "equal to 7",
    ),
    (
        "registry expiry of zero days",
        {**AWS, "registry": {"untaggedExpiryDays": 0}},
        "registry.untaggedExpiryDays: 0 is invalid: input should be greater than or equal to 1",
    ),
]


@pytest.mark.parametrize(
    ("values", "expected"),
    [(v, e) for _, v, e in BAD_CONFIGS],
    ids=[name for name, _, _ in BAD_CONFIGS],
)
def test_bad_config_names_path_value_and_fix(values: dict[str, Any], expected: str) -> None:
    found = issues(values)
    assert any(issue.startswith(expected) for issue in found), found


def test_every_problem_is_reported_at_once() -> None:
    found = issues(
        {
            **AZURE,
            "gpuPools": [pool(gpu="L4", minNodes=2, maxNodes=1)],
            "protect": False,
            "environment": "prod",
        }
    )
    assert [i.split(":")[0] for i in found] == [
        "gpuPools[0].minNodes",
        "gpuPools[0].gpu",
        "protect",
    ]


def test_error_message_lists_the_problems() -> None:
    with pytest.raises(ConfigError) as caught:
        parse({**AZURE, "gpuPools": [pool(gpu="L4")]}, source="stacks/Pulumi.x.yaml")
    assert str(caught.value) == (
        "invalid stacks/Pulumi.x.yaml (1 problem(s)):\n"
        "  - gpuPools[0].gpu: 'L4' is not offered on azure; "
        "choose one of A10, A100-40GB, A100-80GB, H100, H200, T4"
    )


def test_prod_can_turn_protection_off_only_with_the_override() -> None:
    cfg = parse({**AWS, "environment": "prod", "protect": False, "allowUnprotectedProd": True})
    assert cfg.protect is False


def test_dev_may_open_the_endpoint_to_the_internet_but_prod_may_not() -> None:
    public = {"endpointAccess": "public", "publicAccessCidrs": ["0.0.0.0/0"]}
    assert parse({**AWS, "cluster": public}).cluster.public_access_cidrs == ["0.0.0.0/0"]
    assert issues({**AWS, "environment": "prod", "cluster": public})


def test_stack_file_is_read_as_the_engine_gives_it(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.x.yaml"
    path.write_text(
        "config:\n"
        "  aws:region: us-east-1\n"
        "  mlplatform:target: aws\n"
        "  mlplatform:protect: false\n"
        "  mlplatform:gpuPools:\n    - {name: a, gpu: T4}\n"
        "  mlplatform:token:\n    secure: AAABAJ0x\n",
        encoding="utf-8",
    )
    flat = stack_file_config(path)
    assert flat == {
        "aws:region": "us-east-1",
        "mlplatform:target": "aws",
        "mlplatform:protect": "false",
        "mlplatform:gpuPools": json.dumps([{"name": "a", "gpu": "T4"}]),
        "mlplatform:token": "[secret]",
    }
    assert namespace_values(flat) == {
        "target": "aws",
        "protect": "false",
        "gpuPools": [{"name": "a", "gpu": "T4"}],
        "token": "[secret]",
    }


def test_invalid_yaml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.x.yaml"
    path.write_text("config: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="is not valid YAML"):
        stack_file_config(path)


def test_a_pattern_mismatch_says_what_a_valid_value_looks_like() -> None:
    [host] = issues(
        {
            **LOCAL,
            "mlflow": {
                "ingress": {
                    "host": "MLflow",
                    "className": "traefik",
                    "controllerNamespace": "traefik",
                }
            },
        }
    )
    assert host.endswith(
        "; expected: Fully qualified host name users reach MLflow at (e.g. mlflow.ml.example.com)"
    )
    [namespace] = issues({**AWS, "mlflow": {"allowedNamespaces": ["ok", "Not_OK"]}})
    assert namespace.startswith("mlflow.allowedNamespaces[1]: 'Not_OK' is invalid")
    assert namespace.endswith(
        "; expected: Namespaces whose pods may reach MLflow besides the teams' and the ingress "
        "controller's"
    )


@pytest.mark.parametrize("base", [AWS, AZURE, GCP], ids=["aws", "azure", "gcp"])
def test_a_gpu_pool_cannot_take_the_system_pools_name(base: dict[str, Any]) -> None:
    """The platform creates the cluster's system pool (AKS agent pool `system`, node group and
    node pool `<cluster>-system`): a GPU pool of that name would resize it on AKS and register
    the same URN twice elsewhere, which the Pulumi engine refuses."""
    assert issues({**base, "gpuPools": [pool(name="system")]}) == [
        "gpuPools[0].name: 'system' is the name of the cluster's system pool, which the "
        "platform creates; choose another name, e.g. gpu"
    ]
    parse({**base, "gpuPools": [pool(name="systems")]})
