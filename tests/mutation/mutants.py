"""The settings the mutation check lowers, one row each: where the setting is written, the
exact text and what it becomes, and the tests that judge it (which must fail once it is
lowered). Adding a setting is adding a row; tests/mutation/test_mutants.py runs them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

Kind = Literal[
    "encryption",
    "private endpoint",
    "taint",
    "protection",
    "deletion guard",
    "identity scope",
    "mlflow auth",
    "network policy",
    "alert for",
    "policy default",
    "edge",
]


@dataclass(frozen=True)
class Mutant:
    """One lowered setting."""

    KINDS: ClassVar[tuple[str, ...]] = Kind.__args__  # pyright: ignore[reportAttributeAccessIssue]

    id: str
    kind: Kind
    setting: str
    """What the mutant lowers, in words."""
    file: str
    """The file that writes the setting, from the repository's root."""
    find: str
    """Its exact text there (it must occur once)."""
    replace: str
    tests: tuple[str, ...]
    """The pytest node ids that judge the setting."""

    def apply(self, text: str) -> str:
        return text.replace(self.find, self.replace, 1)


AWS = "tests/unit/test_aws.py"
AWS_CLUSTER = "tests/unit/test_aws_cluster.py"
DEFAULTS = "tests/unit/test_component_defaults.py"
RULE_CASES = "tests/policy/test_rules.py"
POLICIES = "policies/mlplatform_policies"
EDGES = "tests/unit/test_edges.py::test_edge_holds"
ALERTS = "components/mlplatform/kubernetes/monitoring/rules.py"
BOUNDARIES = (
    "tests/contract/test_alert_rules.py::"
    "test_every_alert_is_silent_until_its_for_elapses_then_fires"
)

MUTANTS: tuple[Mutant, ...] = (
    Mutant(
        "s3-sse-aes256",
        "encryption",
        "the artifact bucket is encrypted with SSE-S3 instead of its KMS key",
        "components/mlplatform/aws/storage.py",
        '"sse_algorithm": "aws:kms",',
        '"sse_algorithm": "AES256",',
        (
            f"{DEFAULTS}::test_an_artifact_bucket_is_kms_encrypted_and_protected",
            f"{AWS}::test_sse_kms_with_a_dedicated_rotating_protected_key",
        ),
    ),
    Mutant(
        "eks-secrets-unencrypted",
        "encryption",
        "EKS stores Kubernetes secrets without envelope encryption",
        "components/mlplatform/aws/cluster.py",
        'encryption_config={"provider": {"key_arn": secrets_key.arn}, "resources": ["secrets"]},',
        "",
        (f"{AWS_CLUSTER}::test_control_plane_is_private_encrypted_and_audited",),
    ),
    Mutant(
        "rds-storage-unencrypted",
        "encryption",
        "MLflow's RDS storage is not encrypted",
        "components/mlplatform/aws/database.py",
        "storage_encrypted=True,",
        "storage_encrypted=False,",
        (
            f"{DEFAULTS}::test_a_database_is_private_encrypted_and_deletion_protected",
            f"{AWS_CLUSTER}::test_mlflow_database_is_private_encrypted_tls_only_and_protected",
        ),
    ),
    Mutant(
        "eks-public-by-default",
        "private endpoint",
        "the EKS API endpoint is public unless asked otherwise",
        "components/mlplatform/aws/cluster.py",
        'public = args.get("public_endpoint", False)',
        'public = args.get("public_endpoint", True)',
        (f"{DEFAULTS}::test_an_eks_cluster_is_private_protected_and_its_gpus_tainted",),
    ),
    Mutant(
        "aks-public-by-default",
        "private endpoint",
        "the AKS API server is public when no public endpoint is asked for",
        "components/mlplatform/azure/cluster.py",
        'else {"enable_private_cluster": True}',
        'else {"enable_private_cluster": False}',
        (f"{DEFAULTS}::test_an_aks_cluster_is_private_protected_and_its_gpus_tainted",),
    ),
    Mutant(
        "gke-public-endpoint",
        "private endpoint",
        "the GKE control plane keeps a public endpoint",
        "components/mlplatform/gcp/cluster.py",
        '"enable_private_endpoint": not public,',
        '"enable_private_endpoint": public,',
        (f"{DEFAULTS}::test_a_gke_cluster_is_private_protected_and_its_gpus_tainted",),
    ),
    Mutant(
        "rds-publicly-accessible",
        "private endpoint",
        "MLflow's RDS instance is publicly accessible",
        "components/mlplatform/aws/database.py",
        "publicly_accessible=False,",
        "publicly_accessible=True,",
        (
            f"{DEFAULTS}::test_a_database_is_private_encrypted_and_deletion_protected",
            f"{AWS_CLUSTER}::test_mlflow_database_is_private_encrypted_tls_only_and_protected",
        ),
    ),
    Mutant(
        "eks-gpu-taint-prefer",
        "taint",
        "EKS GPU nodes only prefer not to schedule other pods",
        "components/mlplatform/aws/cluster.py",
        'taints=[{"key": taint["key"], "value": taint["value"], "effect": "NO_SCHEDULE"}],',
        'taints=[{"key": taint["key"], "value": taint["value"], "effect": "PREFER_NO_SCHEDULE"}],',
        (
            f"{DEFAULTS}::test_an_eks_cluster_is_private_protected_and_its_gpus_tainted",
            f"{AWS_CLUSTER}::test_gpu_node_group_from_the_catalog",
        ),
    ),
    Mutant(
        "gke-gpu-taint-prefer",
        "taint",
        "GKE GPU nodes only prefer not to schedule other pods",
        "components/mlplatform/gcp/cluster.py",
        '"value": taint["value"], "effect": "NO_SCHEDULE"}]',
        '"value": taint["value"], "effect": "PREFER_NO_SCHEDULE"}]',
        (f"{DEFAULTS}::test_a_gke_cluster_is_private_protected_and_its_gpus_tainted",),
    ),
    Mutant(
        "bucket-unprotected",
        "protection",
        "the artifact bucket is not protected",
        "components/mlplatform/aws/storage.py",
        "force_destroy=False, tags=tags, opts=child(self, protect=protect)",
        "force_destroy=False, tags=tags, opts=child(self, protect=False)",
        (
            f"{DEFAULTS}::test_an_artifact_bucket_is_kms_encrypted_and_protected",
            f"{AWS}::test_bucket_is_protected_tagged_and_never_force_destroyed",
        ),
    ),
    Mutant(
        "rds-deletable",
        "deletion guard",
        "MLflow's RDS instance has no deletion protection",
        "components/mlplatform/aws/database.py",
        "deletion_protection=protect,",
        "deletion_protection=False,",
        (
            f"{DEFAULTS}::test_a_database_is_private_encrypted_and_deletion_protected",
            f"{AWS_CLUSTER}::test_mlflow_database_is_private_encrypted_tls_only_and_protected",
        ),
    ),
    Mutant(
        "irsa-any-account",
        "identity scope",
        "an IRSA role trusts every service account of the namespace",
        "components/mlplatform/aws/iam.py",
        'f"{host}:sub": f"system:serviceaccount:{namespace}:{account}",',
        'f"{host}:sub": f"system:serviceaccount:{namespace}:*",',
        (f"{AWS_CLUSTER}::test_team_namespace_quota_and_workload_identity",),
    ),
    Mutant(
        "mlflow-without-auth",
        "mlflow auth",
        "the tracking server runs without its basic-auth app",
        "components/mlplatform/kubernetes/mlflow_config.py",
        '"--app-name",\n        "basic-auth",\n',
        "",
        ("tests/unit/test_mlflow_objects.py",),
    ),
    Mutant(
        "mlflow-network-policy-open",
        "network policy",
        "MLflow's NetworkPolicy admits traffic from anywhere",
        "components/mlplatform/kubernetes/mlflow.py",
        '"from_": [{"pod_selector": {}}, *allowed],',
        '"from_": [],',
        ("tests/unit/test_mlflow_objects.py",),
    ),
    Mutant(
        "cloud-sql-ip-default-private",
        "policy default",
        "a Cloud SQL instance that leaves ipv4Enabled out is read as private",
        f"{POLICIES}/databases.py",
        'if get(ip, "ipv4Enabled", True) is True:',
        'if get(ip, "ipv4Enabled", False) is True:',
        (RULE_CASES,),
    ),
    Mutant(
        "eks-endpoint-default-private",
        "policy default",
        "an EKS cluster that leaves endpointPublicAccess out is read as private",
        f"{POLICIES}/clusters.py",
        'get(resource.props, "vpcConfig.endpointPublicAccess", True)',
        'get(resource.props, "vpcConfig.endpointPublicAccess", False)',
        (RULE_CASES,),
    ),
    Mutant(
        "gke-google-cloud-default-closed",
        "policy default",
        "a GKE cluster that leaves gcpPublicCidrsAccessEnabled out is read as closed",
        f"{POLICIES}/clusters.py",
        "elif google_cloud is None:",
        "elif google_cloud == 'unset':",
        (RULE_CASES,),
    ),
    Mutant(
        "firewall-without-source-closed",
        "policy default",
        "a GCP ingress rule naming no source is read as admitting nobody",
        f"{POLICIES}/network.py",
        "if sources else [NO_SOURCE]",
        "if sources else []",
        (RULE_CASES,),
    ),
    Mutant(
        "aks-pool-count-default-zero",
        "policy default",
        "an AKS pool that leaves count out is read as empty",
        f"{POLICIES}/gpu.py",
        'count = int(get(props, "count", AKS_DEFAULT_COUNT))',
        'count = int(get(props, "count", 0))',
        (RULE_CASES,),
    ),
    Mutant(
        "shared-key-default-off",
        "policy default",
        "a storage account that leaves allowSharedKeyAccess out is read as keyless",
        f"{POLICIES}/storage.py",
        'if get(resource.props, "allowSharedKeyAccess") is not False:',
        'if get(resource.props, "allowSharedKeyAccess", False) is not False:',
        (RULE_CASES,),
    ),
    Mutant(
        "mlflow-down-waits-twice",
        "alert for",
        "MlflowDown waits 10 minutes while its description promises 5",
        ALERTS,
        """MLFLOW_JOB}"}}) or vector(0)) == 0',
        for_="5m",""",
        """MLFLOW_JOB}"}}) or vector(0)) == 0',
        for_="10m",""",
        (BOUNDARIES,),
    ),
    Mutant(
        "model-down-waits-half",
        "alert for",
        "ModelServingDown fires after 5 minutes while its description says 10",
        ALERTS,
        """for_="10m",
        severity="critical",
        summary="Model""",
        """for_="5m",
        severity="critical",
        summary="Model""",
        (BOUNDARIES,),
    ),
    Mutant(
        "cohort-exhausted-waits-twice",
        "alert for",
        "GpuCohortExhausted waits an hour while its description promises 30 minutes",
        ALERTS,
        """for_="30m",""",
        """for_="60m",""",
        (BOUNDARIES,),
    ),
    Mutant(
        "mlflow-before-migration",
        "edge",
        "the MLflow Deployment no longer waits for its migration Job",
        "components/mlplatform/kubernetes/mlflow.py",
        "opts=child(self, depends_on=[migrate]),",
        "opts=child(self),",
        (f"{EDGES}[mlflow-waits-for-its-migration-local]",),
    ),
    Mutant(
        "aks-provider-before-pools",
        "edge",
        "the AKS cluster's Kubernetes provider no longer waits for the GPU pools",
        "components/mlplatform/azure/cluster.py",
        "depends_on=[self.cluster, deployer, *pools]",
        "depends_on=[self.cluster, deployer]",
        (f"{EDGES}[provider-waits-for-node-pools-azure-dev]",),
    ),
    Mutant(
        "dcgm-monitor-before-crds",
        "edge",
        "the DCGM exporter's ServiceMonitor no longer waits for the operator's CRDs",
        "components/mlplatform/kubernetes/monitoring/stack.py",
        "opts=child(parent, depends_on=[operator]),",
        "opts=child(parent),",
        (f"{EDGES}[monitors-and-rules-wait-for-prometheus-crds-aws-dev]",),
    ),
    Mutant(
        "gke-deletable",
        "deletion guard",
        "the GKE cluster has no deletion protection",
        "components/mlplatform/gcp/cluster.py",
        "deletion_protection=protect,",
        "deletion_protection=False,",
        (f"{DEFAULTS}::test_a_gke_cluster_is_private_protected_and_its_gpus_tainted",),
    ),
    Mutant(
        "eks-unprotected",
        "protection",
        "the EKS cluster is not protected",
        "components/mlplatform/aws/cluster.py",
        "opts=child(self, protect=protect, depends_on=[*cluster_role.ready, logs]),",
        "opts=child(self, protect=False, depends_on=[*cluster_role.ready, logs]),",
        (f"{DEFAULTS}::test_an_eks_cluster_is_private_protected_and_its_gpus_tainted",),
    ),
    Mutant(
        "gke-identity-any-account",
        "identity scope",
        "a team's Google service account trusts every Kubernetes account of its namespace",
        "components/mlplatform/gcp/identity.py",
        """"/",
                args["service_account"],""",
        """"/",
                "*",""",
        ("tests/unit/test_gcp_cluster.py::test_team_workload_identity_and_scoped_grants",),
    ),
    Mutant(
        "azure-identity-any-account",
        "identity scope",
        "a team's Entra identity federates every Kubernetes account of its namespace",
        "components/mlplatform/azure/identity.py",
        """subject=f"system:serviceaccount:{args['namespace']}:{args['service_account']}",""",
        """subject=f"system:serviceaccount:{args['namespace']}:*",""",
        ("tests/unit/test_azure_cluster.py::test_team_identity_is_federated_and_scoped",),
    ),
    Mutant(
        "postgres-open-to-all-pods",
        "network policy",
        "the in-cluster PostgreSQL admits every pod, not only MLflow's",
        "components/mlplatform/kubernetes/postgres.py",
        """"from_": [{"pod_selector": {"match_labels": dict(args["client_labels"])}}],""",
        """"from_": [],""",
        (
            "tests/unit/test_kubernetes.py::"
            "test_database_is_official_postgres_reachable_only_from_mlflow",
        ),
    ),
    Mutant(
        "mlflow-users-may-edit",
        "mlflow auth",
        "every MLflow user may edit every experiment and model without a grant",
        "components/mlplatform/kubernetes/mlflow_config.py",
        'DEFAULT_PERMISSION = "READ"',
        'DEFAULT_PERMISSION = "EDIT"',
        (
            "tests/unit/test_mlflow_objects.py::"
            "test_basic_auth_keeps_users_in_postgresql_and_grants_only_read_by_default",
        ),
    ),
)
