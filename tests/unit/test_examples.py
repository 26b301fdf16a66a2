"""The examples, planned offline: a Python program composing its own platform from the
components, and a Pulumi YAML program using the component package. Also what the YAML
engine refuses, and how it says so."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from mlplatform.cost import Assumptions, Monthly, estimate_plan
from mlplatform.engine import Plan, PlanError, run_stack
from tests.conftest import ROOT
from tests.helpers import KUBERNETES_YAML_COMPONENTS, depends_on, one

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
        "mlplatform:index:AwsWorkloadIdentity": 4,  # vpc-cni, EBS CSI driver, autoscaler, MLflow
        "mlplatform:index:MonitoringStack": 1,
        "mlplatform:index:MlflowServer": 1,
    }
    assert len(python_example.resources) == 82  # with the default aws and random providers
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
    monitor = one(
        python_example, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "mlflow-metrics"
    )
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


def test_python_example_is_costed_in_its_default_providers_region(python_example: Plan) -> None:
    # No explicit aws.Provider: resources go where `aws:region` in the stack config says.
    assert python_example.provider_config == {"aws:region": "us-east-1"}
    found = estimate_plan(python_example, Assumptions())
    assert found.regions == ("us-east-1",)
    assert found.unknown == ()
    # Expected: the L4 pool's 4 nodes above its minimum each run 160 h at the spot price.
    assert found.total == Monthly(280.61, 539.15, 1615.26)


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
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["mandatoryViolations"] == 0
    # Advice the example leaves to its owner; every resource is priced (default provider).
    failed = {p["name"] for p in report["policies"] if p["status"] == "failed"}
    assert failed == {"aws-s3-bucket-access-logging"}


def test_yaml_example_builds_the_platform_on_an_existing_cluster(yaml_example: Plan) -> None:
    types = Counter(r.type for r in yaml_example.resources)
    assert {
        t: n for t, n in types.items() if t.startswith("mlplatform:")
    } == KUBERNETES_YAML_COMPONENTS
    # With the default providers the engine makes: random, the package's own and the built-in one.
    assert len(yaml_example.resources) == 43
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
    # Numbers cross as doubles (config values too); the provider gives the components ints.
    quota = one(yaml_example, "kubernetes:core/v1:ResourceQuota")
    assert quota.inputs["spec"] == {"hard": {"requests.nvidia.com/gpu": "1"}}  # stack config
    claim = one(yaml_example, "kubernetes:core/v1:PersistentVolumeClaim")
    assert claim.inputs["spec"]["resources"] == {"requests": {"storage": "50Gi"}}
    database = one(yaml_example, "kubernetes:apps/v1:StatefulSet")
    [template] = database.inputs["spec"]["volumeClaimTemplates"]
    assert template["spec"]["resources"] == {"requests": {"storage": "20Gi"}}
    policy = one(yaml_example, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "mlflow-ingress")
    admitted = [
        peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
        for peer in policy.inputs["spec"]["ingress"][0]["from"][1:]
    ]
    assert admitted == ["research", "monitoring"]  # scraped: Prometheus is let in
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
    monitor = one(
        yaml_example, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "mlflow-metrics"
    )
    assert monitor.inputs["metadata"]["annotations"] == {
        "mlplatform.io/scraped-by": "kube-prometheus-stack"
    }
    # It waits for the operator's CRDs: through the package boundary, on the MonitoringStack
    # as a whole (the engine records the component, which is done once its release is).
    assert depends_on(monitor, one(yaml_example, "mlplatform:index:MonitoringStack"))
    # The database URI (a secret output of InClusterPostgres) carries the dependency on the
    # database component, which the engine finishes after its password and Service.
    credentials = one(yaml_example, "kubernetes:core/v1:Secret", "mlflow-credentials")
    assert depends_on(credentials, one(yaml_example, "mlplatform:index:InClusterPostgres"))


def _yaml_project(tmp_path: Path, resources: dict[str, Any], **extra: Any) -> Path:
    document = {
        "name": "p",
        "runtime": "yaml",
        "packages": {"mlplatform": "github.com/o/r/provider@v0.1.0"},
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
        (
            {"n": {"type": "kubernetes:core/v1:Namspace", "properties": {}}},
            {},
            "resources.n: kubernetes:core/v1:Namspace is not a Kubernetes kind this engine plans",
        ),
        (
            {"n": {"type": "kubernetes:core/v1:Namespace", "properties": {"metdata": {}}}},
            {},
            "resources.n: Namespace has no properties ['metdata']",
        ),
        (
            {"c": {"type": "kubernetes:helm.sh/v3:Chart", "properties": {}}},
            {},
            "resources.c: kubernetes:helm.sh/v3:Chart is not a Kubernetes kind this engine plans",
        ),
        (
            {"t": {**TEAM, "properties": {"namespace": {"fn::secret": "a"}, "maxGpus": 1}}},
            {},
            "resources.t.properties.namespace: fn::secret is not supported offline",
        ),
        (
            {"t": TEAM, "u": {**TEAM, "properties": {"namespace": "${t.tags[0]}", "maxGpus": 1}}},
            {},
            "${t.tags[0]}: only ${name} and ${name.output} are supported offline",
        ),
        (
            {"t": TEAM},
            {"config": {"a": {"type": "string", "default": "x", "value": "y"}}},
            "config.a: unsupported ['value']",
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


PROJECT_KEYS = {
    "description": "a team's platform",
    "author": "platform team",
    "website": "https://platform.example",
    "license": "Apache-2.0",
    "main": ".",
    "stackConfigDir": ".",
    "backend": {"url": "file://~"},
    "options": {"refresh": "always"},
    "template": {"description": "a template", "config": {}},
    "plugins": {"providers": [{"name": "random", "path": "/opt/random"}]},
}
"""Every project-file attribute beside the program's own keys, as Pulumi's reference and its
schema give them (https://www.pulumi.com/docs/iac/concepts/projects/project-file/,
sdk/go/common/workspace/project.json)."""


@pytest.mark.parametrize("key", sorted(PROJECT_KEYS))
def test_yaml_engine_takes_every_project_file_attribute(tmp_path: Path, key: str) -> None:
    project = _yaml_project(tmp_path, {"t": TEAM}, **{key: PROJECT_KEYS[key]})
    if key == "main":  # for YAML it moves the program, which this engine does not follow
        with pytest.raises(PlanError) as raised:
            run_stack("dev", project)
        assert str(raised.value) == (
            f"{project / 'Pulumi.yaml'}: unsupported top-level keys ['main']"
        )
        return
    plan = run_stack("dev", project)
    assert one(plan, "mlplatform:index:TeamNamespace", "t").name == "t"


def test_yaml_engine_lets_outputs_into_input_items_of_plain_lists(tmp_path: Path) -> None:
    # `webhooks` is a plain list whose items are Inputs: an interpolated output is fine there.
    project = _yaml_project(
        tmp_path,
        {
            "t": TEAM,
            "m": {
                "type": "mlplatform:index:MonitoringStack",
                "properties": {"webhooks": ["https://hooks.example/${t.namespace}"]},
            },
        },
        config={"hook": {"type": "string", "default": "s3cret", "secret": True}},
        outputs={"hook": "${hook}"},
    )
    plan = run_stack("dev", project)
    assert plan.outputs == {"hook": "[secret]"}
    assert (
        one(plan, "kubernetes:core/v1:Namespace", "t-namespace").inputs["metadata"]["name"] == "a"
    )
    assert len(plan.of_type("mlplatform:index:MonitoringStack")) == 1


def _local_spec() -> dict[str, Any]:
    """stacks/Pulumi.local.yaml's spec as a document: its `mlplatform:` keys, unprefixed."""
    stack = yaml.safe_load((ROOT / "stacks" / "Pulumi.local.yaml").read_text(encoding="utf-8"))
    return {k.removeprefix("mlplatform:"): v for k, v in stack["config"].items()}


def test_yaml_program_builds_the_whole_platform_with_a_secret_webhook(tmp_path: Path) -> None:
    # The same spec document as stacks/Pulumi.local.yaml, plus a webhook from secret config:
    # the document crosses as plain values, the token-bearing URL as a secret of its own.
    document = _local_spec()
    project = _yaml_project(
        tmp_path,
        {
            "platform": {
                "type": "mlplatform:index:MlPlatform",
                "properties": {
                    "config": document,
                    "stack": "local",
                    "notificationWebhooks": ["${alerts}"],
                },
            }
        },
        config={
            "alerts": {
                "type": "string",
                "secret": True,
                "default": "https://hooks.example.com/services/T0/B0/token",
            }
        },
        outputs={"trackingUri": "${platform.trackingUri}"},
    )
    plan = run_stack("dev", project)
    assert plan.outputs == {"trackingUri": "http://platform-mlflow.mlplatform.svc.cluster.local"}
    release = one(plan, "kubernetes:helm.sh/v3:Release", "monitoring-prometheus")
    assert release.inputs["values"]["alertmanager"]["config"] == "[secret]"
    assert "hooks.example.com" not in json.dumps([r.inputs for r in plan.resources])


def test_platform_refuses_a_webhook_that_is_not_https(tmp_path: Path) -> None:
    project = _yaml_project(
        tmp_path,
        {
            "platform": {
                "type": "mlplatform:index:MlPlatform",
                "properties": {
                    "config": {"target": "kubernetes", "environment": "dev"},
                    "notificationWebhooks": ["http://hooks.example.com/x"],
                },
            }
        },
    )
    with pytest.raises(PlanError, match="notification_webhooks take https:// URLs") as raised:
        run_stack("dev", project)
    assert "hooks.example.com" not in str(raised.value)


def test_yaml_interpolation_of_known_values_stays_plain(tmp_path: Path) -> None:
    # "${...}" of config values is known when the program runs, so it fits a plain input.
    project = _yaml_project(
        tmp_path,
        {"t": {**TEAM, "properties": {"namespace": "team-${n}-${flag}", "maxGpus": "${n}"}}},
        config={
            "n": {"type": "integer", "default": 2},
            "flag": {"type": "boolean", "default": True},
        },
    )
    plan = run_stack("dev", project)
    namespace = one(plan, "kubernetes:core/v1:Namespace", "t-namespace")
    assert namespace.inputs["metadata"]["name"] == "team-2-true"
    quota = one(plan, "kubernetes:core/v1:ResourceQuota")
    assert quota.inputs["spec"] == {"hard": {"requests.nvidia.com/gpu": "2"}}


def test_yaml_secure_config_stays_secret_through_the_platform(tmp_path: Path) -> None:
    # A `secure:` stack value (unknowable offline) as a notification webhook, and a Secret
    # object: neither shows in the plan.
    document = _local_spec()
    project = _yaml_project(
        tmp_path,
        {
            "platform": {
                "type": "mlplatform:index:MlPlatform",
                "properties": {"config": document, "notificationWebhooks": ["${alerts}"]},
            },
            "token": {
                "type": "kubernetes:core/v1:Secret",
                "properties": {"metadata": {"name": "t"}, "stringData": {"token": "hunter2"}},
            },
        },
        config={"alerts": {"type": "string"}},
    )
    (project / "Pulumi.dev.yaml").write_text(
        "config:\n  p:alerts:\n    secure: AAABAGtleQ==\n", encoding="utf-8"
    )
    plan = run_stack("dev", project)
    release = one(plan, "kubernetes:helm.sh/v3:Release", "monitoring-prometheus")
    assert release.inputs["values"]["alertmanager"]["config"] == "[secret]"
    secret = one(plan, "kubernetes:core/v1:Secret", "token")
    assert secret.inputs["stringData"] == "[secret]"
    assert secret.inputs["apiVersion"] == "v1" and secret.inputs["kind"] == "Secret"
    assert "hunter2" not in json.dumps([r.inputs for r in plan.resources])


def test_the_pack_gets_the_default_provider_the_engine_would_make() -> None:
    from google.protobuf import json_format

    from mlplatform.checks.analyzer import _provider, _providers

    plan = run_stack("dev", EXAMPLES / "aws-gpu-mlflow")
    plan.provider_config["aws:defaultTags"] = '{"tags": {"owner": "ml-platform"}}'
    bucket = one(plan, "aws:s3/bucket:Bucket")
    given = _provider(_providers(plan), bucket)
    assert given.type == "pulumi:providers:aws"
    version = importlib.metadata.version("pulumi_aws")
    assert given.urn == (
        f"urn:pulumi:dev::aws-gpu-mlflow::pulumi:providers:aws::default_{version.replace('.', '_')}"
    )
    assert json_format.MessageToDict(given.properties) == {
        "region": "us-east-1",
        "defaultTags": {"tags": {"owner": "ml-platform"}},
        "version": version,
    }
    cluster_object = one(plan, "kubernetes:core/v1:Namespace", "mlflow-namespace")
    assert _provider(_providers(plan), cluster_object).type == "pulumi:providers:kubernetes"
