"""Preflight, generated names: every physical name the platform creates, judged against its
cloud's or Kubernetes' rule before any resource exists.

`generated_names` writes the components' naming again as string work; the tests that plan the
shipped stacks and long-named platforms hold it equal to what the components really create
(explicit name inputs, or the logical name plus the provider's auto-name suffix), so it cannot
drift from them. Sources of the facts tested are each rule's `source` in
`mlplatform.catalog.limits.names.RULES` (read 2026-12-06); the auto-name suffixes are
pulumi/pulumi-terraform-bridge@59de6c66 pkg/tfbridge/info/autonaming.go ('-' and 7 hex, AWS and
GCP), pulumi/pulumi-aws@015d3438 provider/resource_overrides.go (the RDS identifier: 7 hex, no
separator; S3 lowercased, at most 63; IAM roles at most 64; SNS topics at most 80),
pulumi/pulumi-azure-native autonaming_test.go (8 hex, no separator) and
pulumi/pulumi-kubernetes@94977969 provider/pkg/metadata/naming.go ('-' and 8).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from mlplatform import MlPlatform
from mlplatform.catalog.limits.names import AZURE_RANDOM, LABEL_FIELD, NAMED, RULES
from mlplatform.engine import Plan, PlannedResource, run_program
from mlplatform.engine.mocks import PlatformMocks, physical_name
from mlplatform.environment import ConfigError, ConfigIssue, PlatformConfig, from_stack_file
from mlplatform.environment.preflight import errors, for_platform, names, warnings
from mlplatform.environment.preflight.names import Driver, GeneratedName, generated_names, judge
from tests.conftest import ROOT, SHIPPED_STACKS
from tests.unit.preflight.specs import AWS, AZURE, GCP, LOCAL, TODAY, found, spec

EVERYTHING = {
    "mlflow": {"enabled": True},
    "monitoring": {"enabled": True},
    "teams": [
        {"name": "research", "maxGpus": 2},
        {"name": "computer-vision-research-group", "maxGpus": 1},
    ],
}

# --- the table holds what the components create -------------------------------------------

Named = tuple[str, str, str]
"""(resource type, field, physical name with its random characters as x's)."""


def _input(inputs: dict[str, Any], field: str) -> Any:
    value: Any = inputs
    for part in field.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _masker(plan: Plan) -> Callable[[str], str]:
    """Writes the mocks' stand-ins for random characters as x's: their auto names (logical
    name, '-' and 7) as the provider's suffix, `random.RandomString` results as x's."""
    masks: dict[str, str] = {}
    randoms: list[str] = []
    mocks = PlatformMocks()
    for r in plan.resources:
        auto = NAMED[r.type][0].auto if r.custom and r.type in NAMED else None
        if auto is not None:
            base = r.name.lower() if auto.lowercase else r.name
            masks[physical_name(r.name)] = base + auto.suffix
        if r.custom and r.type == "random:index/randomString:RandomString":
            args = pulumi.runtime.MockResourceArgs(r.type, r.name, dict(r.inputs), custom=True)
            randoms.append(mocks.new_resource(args)[1]["result"])

    def mask(value: str) -> str:
        for mocked in sorted(masks, key=len, reverse=True):
            value = value.replace(mocked, masks[mocked])
        for random in randoms:
            if value.endswith(random):
                value = value[: -len(random)] + "x" * len(random)
        return value

    return mask


def _resource_names(r: PlannedResource, mask: Callable[[str], str]) -> Iterator[Named]:
    """Each name input of `r`, or for an auto-named one its logical name and the suffix."""
    for entry in NAMED.get(r.type, ()):
        value = _input(r.inputs, entry.field)
        if value is None and entry.field == "nodeResourceGroup":  # AKS makes it
            cluster = r.name + AZURE_RANDOM.suffix
            value = f"MC_{r.inputs['resourceGroupName']}_{cluster}_{r.inputs['location']}"
        elif value is None and entry.auto is not None:
            base = r.name.lower() if entry.auto.lowercase else r.name
            value = base + entry.auto.suffix
        if value is not None:
            yield (r.type, entry.field, mask(value))


def planned_names(plan: Plan, platform: str) -> set[Named]:
    """The names a plan creates for the types `NAMED` covers, and the label values made from
    the platform's name."""
    mask = _masker(plan)
    planned: set[Named] = set()
    for r in plan.resources:
        if not r.custom:
            continue
        planned.update(_resource_names(r, mask))
        if r.type.startswith("kubernetes:"):
            for label in (_input(r.inputs, LABEL_FIELD) or {}).values():
                if isinstance(label, str) and platform in label:
                    planned.add(("label", LABEL_FIELD, label))
    return planned


def generated(cfg: PlatformConfig, platform: str) -> set[Named]:
    return {
        ("label" if g.field == LABEL_FIELD else g.resource, g.field, g.name)
        for g in generated_names(cfg, platform)
    }


def _difference(planned: set[Named], made: set[Named]) -> str:
    return "\n".join(
        [f"  planned, not generated: {n}" for n in sorted(planned - made)]
        + [f"  generated, not planned: {n}" for n in sorted(made - planned)]
    )


@pytest.mark.parametrize("stack", SHIPPED_STACKS)
def test_the_names_are_what_each_shipped_stack_creates(
    stack: str, shipped_plans: dict[str, Plan]
) -> None:
    """The table against the real program (stacks/__main__.py names the platform ml-<stack>)
    for every shipped stack."""
    cfg = from_stack_file(ROOT / "stacks" / f"Pulumi.{stack}.yaml")
    planned = planned_names(shipped_plans[stack], f"ml-{stack}")
    made = generated(cfg, f"ml-{stack}")
    assert planned == made, _difference(planned, made)
    assert len(made) > 30


LONG = "ml-research-platform-production-west-europe-01"
"""A platform name long enough to break names on every target."""
PLATFORMS = {
    "aws-everything": (
        {
            **AWS,
            **EVERYTHING,
            "gpuPools": [
                {"name": "t4-spot", "gpu": "T4", "spot": True},
                {"name": "h100", "gpu": "H100", "nodeImage": "BOTTLEROCKET_x86_64_NVIDIA"},
            ],
            "monitoring": {"enabled": True, "prometheus": "managed", "grafana": False},
        },
        LONG,
    ),
    "aws-existing-network": (
        {
            **AWS,
            **EVERYTHING,
            "network": {"existing": {"networkId": "vpc-1", "subnetIds": ["subnet-1", "s-2"]}},
            "registry": {"enabled": False},
            "gpuPools": [{"name": "t4", "gpu": "T4"}],
            "cluster": {"gpuEnablement": "gpu-operator"},
        },
        LONG,
    ),
    "azure-everything": (
        {
            **AZURE,
            **EVERYTHING,
            "gpuPools": [{"name": "t4spot", "gpu": "T4"}],
            "monitoring": {"enabled": True, "prometheus": "managed"},
        },
        LONG,
    ),
    "azure-existing-group-and-network": (
        {
            **AZURE,
            **EVERYTHING,
            "azure": {"existingResourceGroup": "rg-ml"},
            "network": {
                "existing": {
                    "networkId": "/vnet",
                    "subnetIds": ["/vnet/nodes"],
                    "databaseSubnetId": "/vnet/db",
                }
            },
            "registry": {"enabled": False},
        },
        LONG,
    ),
    "gcp-everything": (
        {
            **GCP,
            **EVERYTHING,
            "gpuPools": [{"name": "l4", "gpu": "L4"}],
            "cluster": {"gpuEnablement": "device-plugin"},
            "monitoring": {"enabled": True, "prometheus": "managed"},
        },
        LONG,
    ),
    "gcp-existing-network": (
        {
            **GCP,
            **EVERYTHING,
            "network": {
                "existing": {
                    "networkId": "vpc",
                    "subnetIds": ["nodes"],
                    "podsRangeName": "pods",
                    "servicesRangeName": "services",
                }
            },
        },
        LONG,
    ),
    "kubernetes-everything": (
        {
            **LOCAL,
            **EVERYTHING,
            "kubernetes": {"namespace": "ml-platform-services"},
            "mlflow": {
                "enabled": True,
                "replicas": 1,
                "ingress": {
                    "host": "mlflow.example.com",
                    "className": "nginx",
                    "controllerNamespace": "ingress-nginx",
                },
            },
            "cluster": {"gpuEnablement": "device-plugin"},
        },
        LONG,
    ),
    "kubernetes-without-registry": (
        {**LOCAL, "registry": {"enabled": False}, "mlflow": {"enabled": True, "replicas": 1}},
        "ml-dev",
    ),
}


def build(name: str, cfg: PlatformConfig) -> None:
    """The program of a platform named `name` (as stacks/__main__.py builds one)."""
    MlPlatform.from_config(name, cfg, "s")


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_the_names_are_what_a_platform_creates(
    platform: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table against the components for long platform names and the spec's switches
    (existing networks and resource group, disabled registry, managed Prometheus, ingress,
    GPU operator); the names check is off so the too long names still plan."""
    monkeypatch.setattr(names, "ERRORS", ())
    values, name = PLATFORMS[platform]
    cfg = spec(values)
    plan = run_program(lambda: build(name, cfg), stack="s")
    planned, made = planned_names(plan, name), generated(cfg, name)
    assert planned == made, _difference(planned, made)


@pytest.mark.parametrize(
    ("choice", "pools", "image_lacks_plugin", "mode"),
    [
        ("auto", True, True, "device-plugin"),
        ("auto", True, False, None),
        ("auto", False, True, None),
        ("device-plugin", False, False, "device-plugin"),
        ("gpu-operator", False, False, "gpu-operator"),
        ("none", True, True, None),
    ],
)
def test_gpu_enablement_is_decided_once_for_the_components_and_the_names(
    choice: str, pools: bool, image_lacks_plugin: bool, mode: str | None
) -> None:
    """`compose/gpus.py` installs, and the names above name, what this one decision gives: on
    auto the device plugin only where GPU pools' image lacks it; an explicit choice always
    (also on an existing cluster's own GPU nodes); none never."""
    from mlplatform.environment.gpus import gpu_enablement_mode

    gpu_pools = [{"name": "gpu", "gpu": "T4"}] if pools else []
    cfg = spec({**AWS, "cluster": {"gpuEnablement": choice}, "gpuPools": gpu_pools})
    assert gpu_enablement_mode(cfg, image_lacks_plugin) == mode


@pytest.mark.parametrize("stack", SHIPPED_STACKS)
def test_every_name_of_a_shipped_stack_fits(stack: str) -> None:
    """Each shipped stack's names meet every rule: no error and no warning."""
    cfg = from_stack_file(ROOT / "stacks" / f"Pulumi.{stack}.yaml")
    at = TODAY._replace(platform_name=f"ml-{stack}")
    assert [issue for check in names.ERRORS for issue in check(cfg, at)] == []
    assert [issue for check in names.WARNINGS for issue in check(cfg, at)] == []


# --- each rule ----------------------------------------------------------------------------

P = "ml-plat"
STACK_FIX = "use a stack name of at most 3 characters (the platform name ml-<stack> at most 6)"
GROUP_FIX = " or an existing resource group with a shorter name (azure.existingResourceGroup)"
CHARACTERS_FIX = (
    "; use a stack name of lowercase letters and digits with single hyphens between them"
)

# (rule, a name that fits, a name of refused characters, what and who the message names,
# where the rule was read)
CASES = [
    ("aws-iam-role", "ml-plat-eks-node-role-a1b2c3d", "ml-plat-node role",
     "IAM role name", "AWS IAM", "iam CreateRole.RoleName"),
    ("aws-iam-inline-policy", "ml-plat-mlflow-artifacts-rw-a1b2c3d", "ml-plat/rw",
     "IAM inline policy name", "AWS IAM", "iam PutRolePolicy.PolicyName"),
    ("aws-eks-cluster", "ml-plat-eks-cluster", "ml-plat.eks",
     "EKS cluster name", "Amazon EKS", "eks CreateCluster.name"),
    ("aws-eks-node-group", "ml-plat-eks-system-a1b2c3d", "ml-plat.system",
     "EKS node group name", "Amazon EKS", "create-managed-node-group.adoc"),
    ("aws-launch-template", "ml-plat-eks-system-lt-a1b2c3d", "ml-plat lt",
     "launch template name", "Amazon EC2", "ec2 LaunchTemplateName"),
    ("aws-security-group", "ml-plat-mlflow-db-sg-a1b2c3d", "sg-ml-plat",
     "security group name", "Amazon EC2", "ec2 CreateSecurityGroup.GroupName"),
    ("aws-s3-bucket", "ml-plat-artifacts-bucket-a1b2c3d", "ml-plat-artifacts-s3alias",
     "S3 bucket name", "Amazon S3", "bucketnamingrules.html"),
    ("aws-ecr-repository", "ml-plat-registry-repo-a1b2c3d", "ml-plat-Registry",
     "ECR repository name", "Amazon ECR", "ecr CreateRepository.repositoryName"),
    ("aws-rds-instance", "ml-plat-mlflow-db-instancea1b2c3d", "ml-plat--db",
     "RDS instance identifier", "Amazon RDS", "rds CreateDBInstance.DBInstanceIdentifier"),
    ("aws-rds-snapshot", "ml-plat-mlflow-db-final", "ml-plat-final-",
     "RDS final snapshot identifier", "Amazon RDS", "FinalDBSnapshotIdentifier"),
    ("aws-rds-subnet-group", "ml-plat-mlflow-db-subnets-a1b2c3d", "ml-plat/subnets",
     "RDS subnet group name", "Amazon RDS", "rds CreateDBSubnetGroup.DBSubnetGroupName"),
    ("aws-rds-parameter-group", "ml-plat-mlflow-db-params-a1b2c3d", "ml-plat_params",
     "RDS parameter group name", "Amazon RDS", "DBParameterGroupName"),
    ("aws-log-group", "/aws/eks/ml-plat-eks-cluster/cluster", "/aws/eks/ml-plat cluster",
     "CloudWatch log group name", "CloudWatch Logs", "logs CreateLogGroup.logGroupName"),
    ("aws-cloudwatch-alarm", "ml-plat-alarms-failed-nodes-a1b2c3d", "ml-plat\x07alarm",
     "CloudWatch alarm name", "CloudWatch", "cloudwatch PutMetricAlarm.AlarmName"),
    ("aws-sns-topic", "ml-plat-alarms-topic-a1b2c3d", "ml-plat.topic",
     "SNS topic name", "Amazon SNS", "sns CreateTopic.Name"),
    ("aws-amp-workspace-alias", "ml-plat-prometheus", "ml-plat\nprometheus",
     "Managed Prometheus workspace alias", "Amazon Managed Service for Prometheus",
     "amp CreateWorkspace.alias"),
    ("aws-amp-rule-namespace", "mlplatform", "-/-",
     "Managed Prometheus rule groups namespace name", "Amazon Managed Service for Prometheus",
     "amp CreateRuleGroupsNamespace.name"),
    ("azure-resource-group", "ml-plat-rga1b2c3d4", "ml-plat-rg.",
     "resource group name", "Azure Resource Manager", "resourcegroups | subscription | 1-90"),
    ("azure-aks-cluster", "ml-plat-aks-clustera1b2c3d4", "ml-plat-aks-cluster-",
     "AKS cluster name", "AKS", "managedClusters | resource group | 1-63"),
    ("azure-aks-dns-prefix", "ml-plat-aks", "ml-plat_aks",
     "AKS DNS prefix", "AKS", "KubernetesDNSPrefix"),
    ("azure-aks-node-resource-group", "MC_ml-plat-rga1b2c3d4_ml-plat-aks-clustera1b2c3d4_eu",
     "MC_ml-plat/rg", "AKS node resource group name", "AKS", "The maximum length is 80"),
    ("azure-aks-agent-pool", "t4spot", "T4-spot",
     "AKS node pool name", "AKS", "create-node-pools.md"),
    ("azure-storage-account", "mlplatartifactsa1b2c3", "ml-plat-artifacts",
     "storage account name", "Azure Storage", "storageAccounts | global | 3-24"),
    ("azure-blob-container", "artifacts", "ml-plat--artifacts",
     "blob container name", "Azure Storage", "containers | storage account | 3-63"),
    ("azure-container-registry", "mlplatregistrya1b2c3", "ml-plat-registry",
     "container registry name", "ACR", "registries | global | 5-50"),
    ("azure-postgres-flexible-server", "ml-plat-mlflow-db-servera1b2c3d4", "ml-plat-Server",
     "PostgreSQL flexible server name", "Azure Database for PostgreSQL",
     "flexible_server_name.go"),
    ("azure-managed-identity", "ml-plat-mlflow-identitya1b2c3d4", "ml-plat.identity",
     "managed identity name", "Azure Resource Manager", "userAssignedIdentities"),
    ("azure-log-analytics-workspace", "ml-plat-aks-logsa1b2c3d4", "ml-plat_logs",
     "Log Analytics workspace name", "Azure Monitor", "workspaces | resource group | 4-63"),
    ("azure-virtual-network", "ml-plat-network-vneta1b2c3d4", "ml-plat-vnet-",
     "virtual network name", "Azure Resource Manager", "virtualNetworks | resource group"),
    ("azure-subnet", "ml-plat-network-nodes", "ml-plat nodes",
     "subnet name", "Azure Resource Manager", "virtualNetworks / subnets"),
    ("azure-private-endpoint", "ml-plat-blob-pea1b2c3d4", "ml-plat-pe.",
     "private endpoint name", "Azure Resource Manager", "privateEndpoints | resource group"),
    ("azure-private-dns-zone", "ml-plat-mlflow-db.private.postgres.database.azure.com", P,
     "private DNS zone name", "Azure DNS", "privateDnsZones | resource group"),
    ("gcp-gke-cluster", "ml-plat-gke-cluster-a1b2c3d", "ml-plat-GKE",
     "GKE cluster name", "GKE", "container_v1 Cluster.name"),
    ("gcp-gke-node-pool", "ml-plat-gke-system-a1b2c3d", "ml-plat_pool",
     "GKE node pool name", "GKE", "pulumi-gcp/issues/1510"),
    ("gcp-storage-bucket", "ml-plat-artifacts-bucket-a1b2c3d", "ml-plat-google-bucket",
     "Cloud Storage bucket name", "Cloud Storage", "storage/docs/buckets#naming"),
    ("gcp-artifact-registry-repository", "ml-plat-registry", "ml-plat-Registry",
     "Artifact Registry repository id", "Artifact Registry", "Repository.name"),
    ("gcp-cloud-sql-instance", "ml-plat-mlflow-db-instance-a1b2c3d", "ml-plat_db",
     "Cloud SQL instance id", "Cloud SQL", "The total length must be 98 characters or less"),
    ("gcp-service-account-id", "ml-plat-mlflow", "ml-plat-SA",
     "service account id", "Google Cloud IAM", "CreateServiceAccountRequest.account_id"),
    ("gcp-kms-key-ring", "ml-plat-gke-keyring-a1b2c3d", "ml-plat.keyring",
     "KMS key ring id", "Cloud KMS", "CreateKeyRingRequest.key_ring_id"),
    ("gcp-kms-crypto-key", "ml-plat-gke-secrets-key-a1b2c3d", "ml-plat key",
     "KMS key id", "Cloud KMS", "CreateCryptoKeyRequest.crypto_key_id"),
    ("gcp-compute-name", "ml-plat-network-vpc-a1b2c3d", "ml-plat-vpc-",
     "Compute Engine name", "Compute Engine", "compute_network.html.markdown"),
    ("gcp-log-bucket", "ml-plat-gke-cluster-a1b2c3d-logs", "ml-plat/logs",
     "Cloud Logging bucket id", "Cloud Logging", "CreateBucketRequest.BucketId"),
    ("gcp-log-sink", "ml-plat-gke-logs-a1b2c3d", "ml-plat logs",
     "Cloud Logging sink name", "Cloud Logging", "LogSink.name"),
    ("gcp-log-exclusion", "ml-plat-gke-logs-a1b2c3d", "ml-plat:logs",
     "Cloud Logging exclusion name", "Cloud Logging", "LogExclusion.name"),
    ("k8s-namespace", "research", "ml-plat.ns",
     "Kubernetes namespace name", "Kubernetes", "ValidateNamespaceName = NameIsDNSLabel"),
    ("k8s-service", "ml-plat-mlflow", "9ml-plat",
     "Kubernetes Service name", "Kubernetes", "dns1035LabelFmt"),
    ("k8s-job", "ml-plat-mlflow-migrate-a1b2c3d4", "ml-plat_migrate",
     "Kubernetes Job name", "Kubernetes", "no longer than 63 characters"),
    ("k8s-statefulset", "ml-plat-postgres", "ml-plat-Postgres",
     "Kubernetes StatefulSet name", "Kubernetes", "kubernetes/kubernetes/issues/64023"),
    ("k8s-object", "ml-plat-mlflow-credentials", "ml-plat-mlflow-",
     "Kubernetes object name", "Kubernetes", "DNS1123SubdomainMaxLength = 253"),
    ("k8s-label-value", "ml-plat-registry", "ml-plat-registry-",
     "Kubernetes label value", "Kubernetes", "LabelValueMaxLength = 63"),
    ("helm-release", "kube-prometheus-stack", "ml-plat_release",
     "Helm release name", "Helm", "releaseNameMaxLen = 53"),
]  # fmt: skip
VERIFIED = [case for case in CASES if RULES[case[0]].verified]


def as_generated(rule: str, name: str, *drivers: Driver) -> GeneratedName:
    """`name` as a generated name of `rule`'s first resource type, made from `P`."""
    if rule == "k8s-label-value":
        resource, field = "kubernetes:apps/v1:Deployment", LABEL_FIELD
    else:
        resource, field = next(
            (t, n.field) for t, entries in NAMED.items() for n in entries if n.rule == rule
        )
    return GeneratedName(name, resource, field, "logical", (Driver("stack", P), *drivers))


def too_long(rule: str) -> str:
    """A name of `rule`'s characters one longer than its limit, `P` first where the rule
    takes a hyphen."""
    limit = RULES[rule].max_length
    if rule == "azure-private-dns-zone":  # labels of at most 63
        return f"{P}." + ".".join(["a" * 61] * 3) + "." + "a" * 60
    if rule in ("azure-aks-agent-pool", "azure-storage-account", "azure-container-registry"):
        return "mlplat" + "a" * (limit - 5)
    return f"{P}-" + "a" * (limit - len(P))


def test_every_rule_has_cases() -> None:
    assert (
        sorted(case[0] for case in CASES)
        == sorted(RULES)
        == sorted({n.rule for entries in NAMED.values() for n in entries} | {"k8s-label-value"})
    )


@pytest.mark.parametrize(("rule", "good", "cite"), [(c[0], c[1], c[5]) for c in CASES])
def test_a_name_that_fits_its_rule_passes(rule: str, good: str, cite: str) -> None:
    """Each case cites its rule's source (`cite` is in `RULES[rule].source`)."""
    assert cite in RULES[rule].source
    assert list(judge([as_generated(rule, good)], RULES[rule].verified)) == []


@pytest.mark.parametrize(
    ("rule", "what", "authority", "cite"), [(c[0], c[3], c[4], c[5]) for c in VERIFIED]
)
def test_a_name_one_character_too_long_is_refused(
    rule: str, what: str, authority: str, cite: str
) -> None:
    """Each case cites its rule's source (`cite` is in `RULES[rule].source`)."""
    assert cite in RULES[rule].source
    name = too_long(rule)
    limit = RULES[rule].max_length
    group = GROUP_FIX if rule in ("azure-resource-group", "azure-aks-node-resource-group") else ""
    assert list(judge([as_generated(rule, name)])) == [
        ConfigIssue(
            "stack",
            f"the platform name 'ml-plat' makes the {what} {name!r} {limit + 1} characters long "
            f"(at most {limit} per {authority}); {STACK_FIX}{group}",
        )
    ]


@pytest.mark.parametrize(
    ("rule", "bad", "what", "authority", "cite"),
    [(c[0], c[2], c[3], c[4], c[5]) for c in VERIFIED],
)
def test_a_name_of_refused_characters_is_refused(
    rule: str, bad: str, what: str, authority: str, cite: str
) -> None:
    """Each case cites its rule's source (`cite` is in `RULES[rule].source`)."""
    assert cite in RULES[rule].source
    (issue,) = judge([as_generated(rule, bad)])
    assert issue.path == "stack"
    assert issue.message == (
        f"the platform name 'ml-plat' makes the {what} {bad!r} invalid ({RULES[rule].says} "
        f"per {authority}){CHARACTERS_FIX}"
    )


def test_a_rule_says_in_words_what_it_refuses() -> None:
    """Kubernetes' DNS-1035 label for Services (kubernetes/apimachinery@eed236ce
    pkg/util/validation/validation.go dns1035LabelFmt): a Service name starts with a
    letter."""
    assert list(judge([as_generated("k8s-service", "9ml-plat")])) == [
        ConfigIssue(
            "stack",
            "the platform name 'ml-plat' makes the Kubernetes Service name '9ml-plat' invalid "
            "(lowercase letters, digits and hyphens, starting with a letter per Kubernetes); use "
            "a stack name of lowercase letters and digits with single hyphens between them",
        )
    ]


def test_a_service_account_id_shorter_than_6_is_refused() -> None:
    """IAM v1 CreateServiceAccountRequest.account_id (2026-05-09): 'must be 6-30
    characters long'."""
    assert list(judge([as_generated("gcp-service-account-id", "ml-pl")])) == [
        ConfigIssue(
            "stack",
            "the platform name 'ml-plat' makes the service account id 'ml-pl' 5 characters "
            "long (at least 6 per Google Cloud IAM); use a longer stack name",
        )
    ]


def test_a_name_whose_own_part_is_too_long_has_no_stack_to_shorten() -> None:
    """AWS IAM (botocore iam CreateRole.RoleName max 64): the platform's own part alone
    breaks it, whatever the stack."""
    name = f"{P}-{'r' * 60}"
    assert list(judge([as_generated("aws-iam-role", name)])) == [
        ConfigIssue(
            "stack",
            f"the platform name 'ml-plat' makes the IAM role name {name!r} 68 characters long "
            "(at most 64 per AWS IAM); no stack name is short enough: the rest of the name is "
            "already too long",
        )
    ]


def test_an_unconfirmed_rule_is_a_warning_with_its_source() -> None:
    """Artifact Registry's repository id has no rule in Google's API or docs
    (google-cloud-artifact-registry 1.23.0 Repository.name): a breach of the platform's own
    RFC 1035 rule is a warning, never an error."""
    name = as_generated("gcp-artifact-registry-repository", "ml-plat-Registry")
    assert list(judge([name])) == []
    assert list(judge([name], verified=False)) == [
        ConfigIssue(
            "stack",
            "the platform name 'ml-plat' makes the Artifact Registry repository id "
            "'ml-plat-Registry' invalid (lowercase letters, digits and hyphens, starting with a "
            "letter per Artifact Registry); no primary source confirms this rule ("
            f"{RULES['gcp-artifact-registry-repository'].source}); use a stack name of "
            "lowercase letters and digits with single hyphens between them",
        )
    ]


# --- the check on specs -------------------------------------------------------------------


def name_issues(values: dict[str, Any], platform: str) -> list[ConfigIssue]:
    return found(names.ERRORS, values, TODAY._replace(platform_name=platform))


def test_a_long_stack_name_makes_an_iam_role_too_long() -> None:
    """AWS IAM (botocore iam CreateRole.RoleName max 64) and pulumi-aws's auto-name
    (resource_overrides.go aws_iam_role: AutoName('name', 64, '-')): the autoscaler's role,
    the longest, is the one named."""
    values = {**AWS, "gpuPools": [{"name": "t4", "gpu": "T4"}]}
    assert name_issues(values, "ml-aws-research-platform-prod-eu1") == [
        ConfigIssue(
            "stack",
            "the platform name 'ml-aws-research-platform-prod-eu1' makes the IAM role name "
            "'ml-aws-research-platform-prod-eu1-autoscaler-identity-role-xxxxxxx' 66 characters "
            "long (at most 64 per AWS IAM); use a stack name of at most 28 characters (the "
            "platform name ml-<stack> at most 31)",
        )
    ]
    assert name_issues(values, "ml-aws-research-platform-prod-e") == []


def test_names_too_long_for_one_rule_are_one_issue_naming_the_worst() -> None:
    """AWS IAM (botocore iam CreateRole.RoleName max 64), Amazon S3 (bucketnamingrules.html,
    3-63), Amazon EKS (create-managed-node-group.adoc, 63) and pulumi-aws's SNS topic
    auto-name (resource_overrides.go aws_sns_topic: Maxlen 80; SNS itself allows 256)."""
    platform = "ml-" + "a" * 58
    assert name_issues({**AWS, "monitoring": {"enabled": True}}, platform) == [
        ConfigIssue(
            "stack",
            f"the platform name '{platform}' makes the S3 bucket name "
            f"'{platform}-artifacts-bucket-xxxxxxx' 86 characters long (at most 63 per Amazon "
            "S3); use a stack name of at most 35 characters (the platform name ml-<stack> at "
            "most 38)",
        ),
        ConfigIssue(
            "stack",
            f"the platform name '{platform}' makes 6 IAM role names too long, the worst "
            f"'{platform}-network-flow-logs-role-xxxxxxx' at 92 characters (at most 64 per AWS "
            "IAM); use a stack name of at most 30 characters (the platform name ml-<stack> at "
            "most 33)",
        ),
        ConfigIssue(
            "stack",
            f"the platform name '{platform}' makes the EKS node group name "
            f"'{platform}-eks-system-xxxxxxx' 80 characters long (at most 63 per Amazon EKS); "
            "use a stack name of at most 41 characters (the platform name ml-<stack> at most "
            "44)",
        ),
        ConfigIssue(
            "stack",
            f"the platform name '{platform}' makes the SNS topic name "
            f"'{platform}-alarms-topic-xxxxxxx' 82 characters long (at most 80 per pulumi-aws "
            "auto-naming); use a stack name of at most 56 characters (the platform name "
            "ml-<stack> at most 59)",
        ),
    ]


def test_a_pool_name_that_makes_a_gke_node_pool_too_long_is_the_pools_issue() -> None:
    """GKE node pool names are at most 40 characters (the GKE API's refusal quoted in
    pulumi/pulumi-gcp#1510, 2024-01-05), Pulumi adding '-' and 7 characters."""
    values = {**GCP, "gpuPools": [{"name": "l4-spot-interactive", "gpu": "L4"}]}
    assert name_issues(values, "ml-gcp-dev") == [
        ConfigIssue(
            "gpuPools[0].name",
            "makes the GKE node pool name 'ml-gcp-dev-gke-l4-spot-interactive-xxxxxxx' 42 "
            "characters long (at most 40 per GKE); use a pool name of at most 17 characters or "
            "a stack name of at most 5 characters (the platform name ml-<stack> at most 8)",
            "l4-spot-interactive",
        )
    ]
    values["gpuPools"][0]["name"] = "l4-spot-interacti"
    assert name_issues(values, "ml-gcp-dev") == []


def test_a_team_name_that_makes_its_role_too_long_is_the_teams_issue() -> None:
    """AWS IAM (botocore iam CreateRole.RoleName max 64): a team's IRSA role is
    <platform>-team-<team>-role plus Pulumi's 8."""
    values = {**AWS, "teams": [{"name": "computer-vision-research-group", "maxGpus": 1}]}
    assert name_issues(values, "ml-aws-staging-east") == [
        ConfigIssue(
            "teams[0].name",
            "makes the IAM role name "
            "'ml-aws-staging-east-team-computer-vision-research-group-role-xxxxxxx' 68 "
            "characters long (at most 64 per AWS IAM); use a team name of at most 26 "
            "characters or a stack name of at most 12 characters (the platform name "
            "ml-<stack> at most 15)",
            "computer-vision-research-group",
        )
    ]


def test_the_aks_node_resource_group_names_the_resource_group_override() -> None:
    """AKS refuses a node resource group name over 80 characters ('The maximum length is 80',
    the API's error in Azure-Terraform/terraform-azurerm-kubernetes#33, 2021-03-03), by
    default MC_<resource group>_<cluster>_<region>; azure-native names both with 8 random
    characters (autonaming_test.go)."""
    assert name_issues(AZURE, "ml-azure-staging-west") == [
        ConfigIssue(
            "stack",
            "the platform name 'ml-azure-staging-west' makes the AKS node resource group name "
            "'MC_ml-azure-staging-west-rgxxxxxxxx_ml-azure-staging-west-aks-clusterxxxxxxxx_"
            "westeurope' 88 characters long (at most 80 per AKS); use a stack name of at most "
            "14 characters (the platform name ml-<stack> at most 17) or an existing resource "
            "group with a shorter name (azure.existingResourceGroup)",
        )
    ]
    assert name_issues(AZURE, "ml-azure-staging1") == []


def test_an_existing_resource_group_too_long_for_the_node_resource_group() -> None:
    """AKS (the API's 'The maximum length is 80', terraform-azurerm-kubernetes#33): with
    azure.existingResourceGroup the node resource group is MC_<that group>_..."""
    group = "rg-ml-platform-shared-services-west-europe-001"
    values = {**AZURE, "azure": {"existingResourceGroup": group}}
    assert name_issues(values, "ml-azure-dev") == [
        ConfigIssue(
            "azure.existingResourceGroup",
            f"makes the AKS node resource group name 'MC_{group}_ml-azure-dev-aks-clusterxxxxxxxx"
            "_westeurope' 93 characters long (at most 80 per AKS); use a resource group name of "
            "at most 33 characters",
            group,
        )
    ]


def test_a_stack_name_with_capitals_breaks_gcp_names() -> None:
    """GKE (container_v1 Cluster.name: 'Lowercase letters, numbers, and hyphens only'),
    node pools (pulumi/pulumi-gcp#1510), Cloud Storage (storage/docs/buckets#naming) and
    Compute Engine (terraform-provider-google compute_network: [a-z]([-a-z0-9]*[a-z0-9])?);
    a stack may be named with capitals (Pulumi allows them)."""
    fix = "use a stack name of lowercase letters and digits with single hyphens between them"
    gce = (
        "lowercase letters, digits and hyphens, starting with a letter, ending with a letter or "
        "digit"
    )
    assert name_issues(GCP, "ml-Dev") == [
        ConfigIssue(
            "stack",
            "the platform name 'ml-Dev' makes the Cloud Storage bucket name "
            "'ml-Dev-artifacts-bucket-xxxxxxx' invalid (lowercase letters, digits, _ . and -, "
            "starting and ending with a letter or digit, without goog or google per Cloud "
            f"Storage); {fix}",
        ),
        ConfigIssue(
            "stack",
            "the platform name 'ml-Dev' makes 4 Compute Engine names invalid, such as "
            f"'ml-Dev-network-vpc-xxxxxxx' ({gce} per Compute Engine); {fix}",
        ),
        ConfigIssue(
            "stack",
            "the platform name 'ml-Dev' makes the GKE cluster name 'ml-Dev-gke-cluster-xxxxxxx' "
            f"invalid ({gce} per GKE); {fix}",
        ),
        ConfigIssue(
            "stack",
            "the platform name 'ml-Dev' makes the GKE node pool name "
            f"'ml-Dev-gke-system-xxxxxxx' invalid ({gce} per GKE); {fix}",
        ),
    ]


def test_an_in_cluster_postgres_statefulset_name_over_52() -> None:
    """kubernetes/kubernetes#64023: a StatefulSet's pods carry '<name>-<10-character hash>'
    as a label (at most 63), so a name over 52 creates no pods; the migration Job is a DNS
    subdomain of at most 63 (kubernetes.io/docs/concepts/workloads/controllers/job)."""
    platform = "ml-on-prem-cluster-for-the-research-group-a1"
    values = {**LOCAL, "mlflow": {"enabled": True, "replicas": 1}}
    assert name_issues(values, platform) == [
        ConfigIssue(
            "stack",
            f"the platform name '{platform}' makes the Kubernetes StatefulSet name "
            f"'{platform}-postgres' 53 characters long (at most 52 per Kubernetes); use a "
            "stack name of at most 40 characters (the platform name ml-<stack> at most 43)",
        ),
        ConfigIssue(
            "stack",
            f"the platform name '{platform}' makes the Kubernetes Job name "
            f"'{platform}-mlflow-migrate-xxxxxxxx' 68 characters long (at most 63 per "
            "Kubernetes); use a stack name of at most 36 characters (the platform name "
            "ml-<stack> at most 39)",
        ),
    ]


def test_a_platform_not_named_by_the_program_is_told_its_own_limit() -> None:
    """GKE cluster names are at most 40 (container_v1 Cluster.name): a platform composed in
    Python with its own name (not ml-<stack>) is told the platform name's limit."""
    assert name_issues(GCP, "research-platform-production") == [
        ConfigIssue(
            "stack",
            "the platform name 'research-platform-production' makes the GKE cluster name "
            "'research-platform-production-gke-cluster-xxxxxxx' 48 characters long (at most 40 "
            "per GKE); use a platform name of at most 20 characters",
        ),
        ConfigIssue(
            "stack",
            "the platform name 'research-platform-production' makes the GKE node pool name "
            "'research-platform-production-gke-system-xxxxxxx' 47 characters long (at most 40 "
            "per GKE); use a platform name of at most 21 characters",
        ),
    ]


# --- wiring -------------------------------------------------------------------------------


def test_names_are_judged_only_when_the_platform_is_named() -> None:
    """GKE cluster names are at most 40 (container_v1 Cluster.name): the spec alone (no
    platform name) is not judged; `for_platform` judges it."""
    cfg = spec(GCP)
    long = "ml-gcp-research-staging-west"
    assert [i for i in errors(cfg, TODAY) if i.path == "stack"] == []
    judged, _ = for_platform(cfg, long, TODAY.today)
    assert [i.message.split(" makes the ")[1].split(" '")[0] for i in judged] == [
        "GKE cluster name",
        "GKE node pool name",
    ]
    named = TODAY._replace(platform_name=long)
    assert [i for i in errors(cfg, named) if i.path == "stack"] == judged
    assert [i for i in warnings(cfg, named) if i.path == "stack"] == []


def test_the_platform_refuses_a_too_long_name_before_any_resource() -> None:
    """GKE cluster names are at most 40 (container_v1 Cluster.name): `MlPlatform` raises
    every generated name's problem at once."""
    cfg = spec(GCP)
    with pytest.raises(ConfigError) as caught:
        run_program(lambda: build("ml-gcp-research-staging-west", cfg))
    assert [issue.path for issue in caught.value.issues] == ["stack", "stack"]
    assert "makes the GKE cluster name 'ml-gcp-research-staging-west-gke-cluster-xxxxxxx'" in (
        str(caught.value)
    )


def test_plan_exits_2_for_a_too_long_stack_name(tmp_path: Path) -> None:
    """GKE cluster and node pool names are at most 40 (container_v1 Cluster.name; the GKE
    API's refusal in pulumi/pulumi-gcp#1510): `mlplatform plan` of a stack named
    gcp-research-staging-west exits 2 with both, and plans nothing."""
    from click.testing import CliRunner

    from mlplatform.cli import app

    path = tmp_path / "Pulumi.gcp-research-staging-west.yaml"
    config = {f"mlplatform:{key}": value for key, value in GCP.items()}
    path.write_text(yaml.safe_dump({"config": config}), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["plan", str(path), "--project-dir", str(ROOT), "-f", "json"], prog_name="mlplatform"
    )
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    platform = "ml-gcp-research-staging-west"
    assert (
        f"  - stack: the platform name '{platform}' makes the GKE cluster name "
        f"'{platform}-gke-cluster-xxxxxxx' 48 characters long (at most 40 per GKE); use a stack "
        "name of at most 17 characters (the platform name ml-<stack> at most 20)\n"
        f"  - stack: the platform name '{platform}' makes the GKE node pool name "
        f"'{platform}-gke-system-xxxxxxx' 47 characters long (at most 40 per GKE); use a stack "
        "name of at most 18 characters (the platform name ml-<stack> at most 21)\n"
    ) in result.stderr
