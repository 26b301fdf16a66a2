"""The examples, planned offline: a Python program composing its own platform from the
components, and a Pulumi YAML program using the component package. Also what the YAML
engine refuses, and how it says so."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from mlplatform.engine import Plan, PlanError, run_stack
from tests.conftest import ROOT
from tests.helpers import depends_on, one

EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def python_example() -> Plan:
    return run_stack("dev", EXAMPLES / "aws-gpu-mlflow")


@pytest.fixture(scope="module")
def yaml_example() -> Plan:
    return run_stack("dev", EXAMPLES / "kubernetes-yaml")


def test_python_example_builds_only_what_it_asks_for(python_example: Plan) -> None:
    components = Counter(r.type for r in python_example.resources if not r.custom)
    assert components == {
        "pulumi:pulumi:Stack": 1,
        "mlplatform:index:EksGpuCluster": 1,
        "mlplatform:index:EksClusterAutoscaler": 1,
        "mlplatform:index:NvidiaGpuEnablement": 1,
        "mlplatform:index:S3ArtifactStore": 1,
        "mlplatform:index:RdsPostgres": 1,
        "mlplatform:index:AwsWorkloadIdentity": 3,  # EBS CSI driver, autoscaler, MLflow
        "mlplatform:index:MonitoringStack": 1,
        "mlplatform:index:MlflowServer": 1,
    }
    assert len(python_example.resources) == 77
    # The VPC is the team's own: nothing of a network is created.
    network = {
        "vpc:Vpc",
        "subnet:Subnet",
        "natGateway:NatGateway",
        "internetGateway:InternetGateway",
    }
    assert not [r for r in python_example.resources if r.type.split("/")[-1] in network]
    cluster = one(python_example, "aws:eks/cluster:Cluster")
    assert cluster.inputs["vpcConfig"]["subnetIds"] == [
        "subnet-0a1b2c3d4e5f60001",
        "subnet-0a1b2c3d4e5f60002",
    ]
    assert cluster.inputs["vpcConfig"]["endpointPublicAccess"] is False
    assert one(python_example, "aws:rds/subnetGroup:SubnetGroup").inputs["subnetIds"] == [
        "subnet-0a1b2c3d4e5f60001",
        "subnet-0a1b2c3d4e5f60002",
    ]
    pool = one(python_example, "aws:eks/nodeGroup:NodeGroup", "l4-spot")
    assert pool.inputs["capacityType"] == "SPOT"
    assert pool.inputs["scalingConfig"] == {"desiredSize": 0.0, "maxSize": 4.0, "minSize": 0.0}


def test_python_example_wires_mlflow_to_its_identity_and_monitoring(
    python_example: Plan,
) -> None:
    role = one(python_example, "aws:iam/role:Role", "mlflow-identity-role")
    assert '"system:serviceaccount:mlflow:mlflow"' in role.inputs["assumeRolePolicy"]
    account = one(python_example, "kubernetes:core/v1:ServiceAccount", "mlflow-sa")
    assert account.inputs["metadata"]["name"] == "mlflow"
    assert depends_on(account, role)
    monitor = one(python_example, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor")
    release = one(python_example, "kubernetes:helm.sh/v3:Release", "monitoring-prometheus")
    assert depends_on(monitor, release)
    autoscaler = one(python_example, "kubernetes:helm.sh/v3:Release", "autoscaler-release")
    assert autoscaler.provider == one(python_example, "pulumi:providers:kubernetes").urn
    assert set(python_example.outputs) == {
        "artifactUri",
        "clusterName",
        "grafanaAdminPassword",
        "kubeconfig",
        "mlflowAdminPassword",
        "mlflowTrackingUri",
    }


def test_python_example_passes_every_mandatory_rule() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlplatform",
            "check",
            "dev",
            "--project-dir",
            str(EXAMPLES / "aws-gpu-mlflow"),
            "--policy-pack",
            str(ROOT / "policies"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 mandatory violation(s)" in result.stdout


def test_yaml_example_builds_the_platform_on_an_existing_cluster(yaml_example: Plan) -> None:
    types = Counter(r.type for r in yaml_example.resources)
    assert {t: n for t, n in types.items() if t.startswith("mlplatform:")} == {
        "mlplatform:index:PvcArtifactStore": 1,
        "mlplatform:index:InClusterPostgres": 1,
        "mlplatform:index:MonitoringStack": 1,
        "mlplatform:index:MlflowServer": 1,
        "mlplatform:index:NvidiaGpuEnablement": 1,
        "mlplatform:index:TeamNamespace": 1,
    }
    assert len(yaml_example.resources) == 39
    provider = one(yaml_example, "pulumi:providers:kubernetes")
    assert provider.inputs["context"] == "kind-ml"
    kubernetes = [r for r in yaml_example.resources if r.type.startswith("kubernetes:")]
    assert {r.provider for r in kubernetes} == {provider.urn}
    namespace = one(yaml_example, "kubernetes:core/v1:Namespace", "mlNamespace")
    assert namespace.protect is True
    assert namespace.inputs == {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": "ml",
            "labels": {"pod-security.kubernetes.io/enforce": "restricted"},
        },
    }
    assert yaml_example.outputs["researchNamespace"] == "research"
    assert yaml_example.outputs["mlflowTrackingUri"] == "http://mlflow.ml.svc.cluster.local"
    assert yaml_example.outputs["mlflowAdminPassword"] == "[secret]"


def test_yaml_example_values_reach_the_objects(yaml_example: Plan) -> None:
    quota = one(yaml_example, "kubernetes:core/v1:ResourceQuota")
    assert quota.inputs["spec"] == {"hard": {"requests.nvidia.com/gpu": "1"}}  # stack config
    rules = one(yaml_example, "kubernetes:monitoring.coreos.com/v1:PrometheusRule")
    idle = next(
        rule
        for group in rules.inputs["spec"]["groups"]
        for rule in group["rules"]
        if rule["alert"] == "GpuIdleWhileAllocated"
    )
    assert idle["for"] == "45m"
    assert "< 15" in idle["expr"]
    deployment = one(yaml_example, "kubernetes:apps/v1:Deployment", "mlflow-deployment")
    volumes = deployment.inputs["spec"]["template"]["spec"]["volumes"]
    assert {"name": "artifacts", "persistentVolumeClaim": {"claimName": "artifacts-artifacts"}} in (
        volumes
    )
    monitor = one(yaml_example, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor")
    assert monitor.inputs["metadata"]["annotations"] == {
        "mlplatform.io/scraped-by": "kube-prometheus-stack"
    }
    assert depends_on(monitor, one(yaml_example, "kubernetes:helm.sh/v3:Release", "prometheus"))
    # The database URI (a secret output of InClusterPostgres) carries its password's dependency.
    credentials = one(yaml_example, "kubernetes:core/v1:Secret", "mlflow-credentials")
    password = one(yaml_example, "random:index/randomPassword:RandomPassword", "database-password")
    assert depends_on(credentials, password)


def _yaml_project(tmp_path: Path, resources: dict[str, Any], **extra: Any) -> Path:
    document = {
        "name": "p",
        "runtime": "yaml",
        "packages": {"mlplatform": "github.com/o/r/provider@v0.2.0"},
        "resources": resources,
        **extra,
    }
    (tmp_path / "Pulumi.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n", encoding="utf-8")
    return tmp_path


TEAM = {"type": "mlplatform:index:TeamNamespace", "properties": {"namespace": "a", "maxGpus": 1}}


@pytest.mark.parametrize(
    ("resources", "extra", "message"),
    [
        (
            {"t": {**TEAM, "properties": {"namespace": "a", "maxGpus": 1, "gpus": 2}}},
            {},
            "resources.t: mlplatform:index:TeamNamespace has no inputs ['gpus']; it takes "
            "['maxGpus', 'namespace', 'serviceAccountAnnotations', 'serviceAccountLabels', 'tags']",
        ),
        (
            {"t": {**TEAM, "properties": {"namespace": "a"}}},
            {},
            "resources.t: Missing required input 'maxGpus' on 'TeamNamespace'",
        ),
        (
            {
                "t": TEAM,
                "u": {**TEAM, "properties": {"namespace": "${t.namespace}", "maxGpus": 1}},
            },
            {},
            "resources.u: ['namespace'] take a value known when the program runs, not another "
            "resource's output",
        ),
        (
            {"b": {"type": "aws:s3/bucket:Bucket"}},
            {},
            "resources.b: type 'aws:s3/bucket:Bucket' is not supported offline",
        ),
        ({"t": {"type": "mlplatform:index:Nope"}}, {}, "resources.t: mlplatform has no component"),
        (
            {
                "t": {**TEAM, "properties": {"namespace": "${u.namespace}", "maxGpus": 1}},
                "u": {**TEAM, "properties": {"namespace": "${t.namespace}", "maxGpus": 1}},
            },
            {},
            "resources refer to each other",
        ),
        (
            {"t": {**TEAM, "properties": {"namespace": "${missing}", "maxGpus": 1}}},
            {},
            "resources.t refers to unknown ['missing']",
        ),
        ({"t": TEAM}, {"packages": {}}, "packages has no 'mlplatform' entry"),
        ({"t": TEAM}, {"variables": {"a": 1}}, "unsupported top-level keys ['variables']"),
        (
            {"t": {**TEAM, "options": {"parent": "${x}"}}},
            {},
            "resources.t.options: unsupported ['parent']",
        ),
    ],
)
def test_yaml_engine_refuses_what_it_cannot_run_faithfully(
    tmp_path: Path, resources: dict[str, Any], extra: dict[str, Any], message: str
) -> None:
    project = _yaml_project(tmp_path, resources, **extra)
    with pytest.raises(PlanError) as raised:
        run_stack("dev", project)
    assert message in str(raised.value)
