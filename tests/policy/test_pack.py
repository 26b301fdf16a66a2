"""The CrossGuard pack as the CLI runs it: started as a process, driven over its gRPC analyzer
protocol. Every shipped stack passes every mandatory rule; a deliberately bad program fails
with exit 3 naming each rule; unknown and secret values leave a rule not evaluated."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from mlplatform_policies import PACK_NAME, RULES

from mlplatform.checks import pack_config
from mlplatform.checks.analyzer import analyze, running_pack
from mlplatform.checks.report import NOT_EVALUATED, build_report
from mlplatform.engine import Plan
from mlplatform.engine.plan import PlannedResource
from mlplatform.engine.runner import resolve_stack_file
from mlplatform.environment.loader import from_stack_file
from tests.conftest import ROOT, SHIPPED_STACKS
from tests.helpers import planned

PACK = ROOT / "policies"
CLI = Path(sys.executable).parent / "mlplatform"


def test_the_pack_starts_and_describes_every_rule() -> None:
    import grpc
    from google.protobuf import empty_pb2
    from pulumi.runtime.proto import analyzer_pb2_grpc

    with running_pack(PACK) as address, grpc.insecure_channel(address) as channel:
        info = analyzer_pb2_grpc.AnalyzerStub(channel).GetAnalyzerInfo(
            empty_pb2.Empty(), timeout=60
        )
    assert info.name == PACK_NAME
    described = {p.name: p for p in info.policies}
    assert list(described) == [r.name for r in RULES]
    for rule in RULES:
        policy = described[rule.name]
        assert policy.description == rule.description
        assert policy.enforcementLevel == (1 if rule.enforcement == "mandatory" else 0)
        assert policy.policy_type == (2 if rule.kind == "stack" else 1)
        assert next(iter(policy.tags)) == rule.id
        assert policy.remediation_steps == rule.remediation
        assert dict(policy.configSchema.properties).keys() == rule.config.keys()


EXPOSURE_AND_TOKEN_RULES = {
    "aws": {
        "aws-s3-public-access-block-all-on",
        "platform-network-no-ingress-from-internet",
        "kubernetes-no-unneeded-api-token",
    },
    "azure": {"azure-storage-public-network-disabled", "kubernetes-no-unneeded-api-token"},
    "gcp": {"gcp-storage-bucket-iam-not-public", "kubernetes-no-unneeded-api-token"},
    "local": {"kubernetes-no-unneeded-api-token"},
}
"""Rules each stack has resources for, so its pass is a judgement, not "not applicable"."""


@pytest.mark.parametrize("stack", SHIPPED_STACKS)
def test_every_shipped_stack_passes_every_mandatory_rule(
    stack: str, shipped_plans: dict[str, Plan]
) -> None:
    spec = from_stack_file(resolve_stack_file(stack, ROOT)[1])
    report = build_report(stack, analyze(shipped_plans[stack], PACK, pack_config(spec)))
    assert report.mandatory_violations == []
    assert report.exit_code == 0
    assert not [r.policy.name for r in report.results if r.status == NOT_EVALUATED]
    status = {r.policy.name: r.status for r in report.results}
    applies = EXPOSURE_AND_TOKEN_RULES[stack.split("-")[0]]
    assert {name: status.get(name) for name in applies} == dict.fromkeys(applies, "passed")


BAD_PROGRAM = """
import pulumi_aws as aws

TAGS = {"owner": "x", "environment": "dev", "cost-center": "c"}
bucket = aws.s3.Bucket("public-bucket", tags=TAGS)
aws.s3.BucketPublicAccessBlock(
    "public-bucket-pab",
    bucket=bucket.id,
    block_public_acls=False,
    block_public_policy=False,
    ignore_public_acls=False,
    restrict_public_buckets=False,
)
cluster = aws.eks.Cluster(
    "open-cluster",
    role_arn="arn:aws:iam::123456789012:role/eks",
    vpc_config={"subnet_ids": ["subnet-1"], "endpoint_public_access": True},
    tags=TAGS,
)
aws.eks.NodeGroup(
    "untainted-gpus",
    cluster_name=cluster.name,
    node_role_arn="arn:aws:iam::123456789012:role/nodes",
    subnet_ids=["subnet-1"],
    ami_type="AL2023_x86_64_NVIDIA",
    instance_types=["g4dn.xlarge"],
    scaling_config={"min_size": 0, "max_size": 1, "desired_size": 0},
    tags=TAGS,
)
"""


def test_a_bad_program_fails_the_check_naming_each_rule(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: bad\nruntime: python\n", encoding="utf-8")
    (tmp_path / "Pulumi.bad.yaml").write_text("config: {}\n", encoding="utf-8")
    (tmp_path / "__main__.py").write_text(textwrap.dedent(BAD_PROGRAM), encoding="utf-8")
    result = subprocess.run(
        [
            *(str(CLI), "check", "bad", "--format", "json"),
            *("--project-dir", str(tmp_path), "--policy-pack", str(PACK)),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 3, result.stderr
    document = json.loads(result.stdout)
    failed = {p["name"]: p["violations"] for p in document["policies"] if p["status"] == "failed"}
    mandatory = {
        p["name"]
        for p in document["policies"]
        if p["status"] == "failed" and p["enforcement"] == "mandatory"
    }
    assert {
        "aws-s3-public-access-block-all-on",
        "aws-eks-cluster-no-public-endpoint",
        "platform-gpu-pool-tainted",
        "platform-stateful-resources-protected",
    } <= mandatory
    assert [v["message"] for v in failed["aws-eks-cluster-no-public-endpoint"]] == [
        "the public API endpoint is on and open to 0.0.0.0/0 (no publicAccessCidrs)"
    ]
    assert failed["platform-gpu-pool-tainted"][0]["urn"].endswith("::untainted-gpus")
    assert len(failed["aws-s3-public-access-block-all-on"]) == 4
    assert "aws-s3-bucket-public-access-blocked" not in failed  # the bucket has its block
    assert document["mandatoryViolations"] == sum(len(failed[name]) for name in mandatory)


def resource(name: str, type_: str, inputs: dict, provider: str | None = None) -> PlannedResource:
    return planned(name, type_, inputs, protect=True, provider=provider)


def test_provider_default_tags_count_and_relative_pack_paths_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tags = {"owner": "ml", "environment": "prod", "cost-center": "cc"}
    provider = resource("aws", "pulumi:providers:aws", {"defaultTags": {"tags": tags}})
    untagged = resource("untagged", "aws:s3/bucket:Bucket", {}, provider=provider.urn)
    plan = Plan(
        "p",
        "t",
        "aws",
        [provider, untagged, resource("bare", "aws:ecr/repository:Repository", {})],
        {},
    )
    monkeypatch.chdir(ROOT)
    report = build_report("t", analyze(plan, Path("policies")))
    [tagged] = [r for r in report.results if r.policy.name == "platform-required-tags"]
    assert [(v.urn, v.message) for v in tagged.violations] == [
        (
            "urn:pulumi:s::p::aws:ecr/repository:Repository::bare",
            "missing required tags/labels: owner, environment, cost-center",
        )
    ]


def test_unknown_and_secret_values_leave_a_rule_not_evaluated() -> None:
    plan = Plan(
        project="p",
        stack="t",
        target="aws",
        resources=[
            resource(
                "eks",
                "aws:eks/cluster:Cluster",
                {"vpcConfig": {"endpointPublicAccess": "[unknown]"}},
            ),
            resource("db", "aws:rds/instance:Instance", {"storageEncrypted": "[secret]"}),
        ],
        outputs={},
    )
    report = build_report("t", analyze(plan, PACK))
    status = {r.policy.name: r.status for r in report.results}
    assert status["aws-eks-cluster-no-public-endpoint"] == NOT_EVALUATED
    assert status["aws-rds-storage-encrypted"] == NOT_EVALUATED
    assert status["aws-eks-cluster-secrets-kms-encrypted"] == "failed"
    [unknown] = next(
        r for r in report.results if r.policy.name == "aws-eks-cluster-no-public-endpoint"
    ).not_evaluated
    assert unknown.urn == "urn:pulumi:s::p::aws:eks/cluster:Cluster::eks"
    assert "vpcConfig.endpointPublicAccess can't be known during preview" in unknown.message


def test_policy_config_sets_levels_and_settings(shipped_plans: dict[str, Plan]) -> None:
    given = {
        "platform-required-tags": {"requiredKeys": ["owner", "team"]},
        "aws-s3-bucket-access-logging": "disabled",
        "aws-ecr-scan-on-push": {"enforcementLevel": "advisory"},
    }
    spec = from_stack_file(resolve_stack_file("aws-dev", ROOT)[1])
    report = build_report(
        "aws-dev", analyze(shipped_plans["aws-dev"], PACK, pack_config(spec, given))
    )
    by_name = {r.policy.name: r for r in report.results}
    tags = by_name["platform-required-tags"]
    assert (tags.status, {v.message for v in tags.violations}) == (
        "failed",
        {"missing required tags/labels: team"},
    )
    assert len(tags.violations) == 6
    assert by_name["aws-s3-bucket-access-logging"].status == "disabled"
    assert by_name["aws-ecr-scan-on-push"].policy.enforcement == "advisory"
    assert report.exit_code == 3


@pytest.mark.parametrize(
    ("config", "error"),
    [
        ({"no-such-policy": "advisory"}, "'no-such-policy' is not a policy of the pack"),
        (
            {"aws-ecr-scan-on-push": "loud"},
            "aws-ecr-scan-on-push.enforcementLevel 'loud' is not one of mandatory, advisory, "
            "disabled",
        ),
    ],
)
def test_invalid_policy_config_exits_2(config: dict, error: str, tmp_path: Path) -> None:
    path = tmp_path / "policy-config.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    result = subprocess.run(
        [str(CLI), "check", "local", "--policy-config", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == f"error: policy config: {error}\n"


def test_the_rules_table_is_current() -> None:
    from mlplatform_policies import docs

    assert docs.DOC.read_text(encoding="utf-8") == docs.render(), "run scripts/dev docs"


def test_azure_stacks_flag_the_unpriced_database_as_advice(shipped_plans: dict[str, Plan]) -> None:
    spec = from_stack_file(resolve_stack_file("azure-prod", ROOT)[1])
    report = build_report(
        "azure-prod", analyze(shipped_plans["azure-prod"], PACK, pack_config(spec))
    )
    by_name = {r.policy.name: r for r in report.results}
    assert by_name["platform-monthly-cost-under-budget"].status == "passed"
    priced = by_name["platform-cost-fully-priced"]
    assert (priced.status, priced.policy.enforcement, report.exit_code) == ("failed", "advisory", 0)
    assert [v.message for v in priced.violations] == [
        "ml-azure-prod-mlflow-db-server: Standard_D2ds_v5 compute (primary and standby) is not "
        "priced (no price for postgres:Standard_D2ds_v5 in westeurope in the azure price "
        "table); the cost estimate is a floor without it"
    ]


def test_check_fails_a_stack_over_its_monthly_budget(tmp_path: Path) -> None:
    config = yaml.safe_load((ROOT / "stacks" / "Pulumi.aws-dev.yaml").read_text("utf-8"))
    config["config"]["mlplatform:budget"] = {"maxGpus": 4, "maxMonthlyUsd": 300}
    path = tmp_path / "Pulumi.tight.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = subprocess.run(
        [str(CLI), "check", str(path), "-f", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    assert result.returncode == 3, result.stderr
    document = json.loads(result.stdout)
    [budget] = [
        p for p in document["policies"] if p["name"] == "platform-monthly-cost-under-budget"
    ]
    # aws-dev's expected cost (mlplatform cost aws-dev) is $397.77.
    assert [v["message"] for v in budget["violations"]] == [
        "expected monthly cost $397.77 is over budget.maxMonthlyUsd ($300.00); lower "
        "gpuPools[].maxNodes or budget.expectedGpuHours, use spot capacity, or raise "
        "budget.maxMonthlyUsd deliberately"
    ]
