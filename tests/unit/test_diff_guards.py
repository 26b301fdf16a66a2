"""`mlplatform diff` and `review` on the guards against deleting data: removing `protect`, or
turning a cloud's own deletion guard off, blocks and says which guard went from what to what;
every changed field shows before → after with secrets masked; plans of two stacks are refused.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

from mlplatform.checks.diff import PlanDiff, diff_plans
from mlplatform.checks.diff_views import to_json, to_markdown, to_table
from mlplatform.checks.report import CheckReport
from mlplatform.checks.review import Review, StackReview
from mlplatform.checks.review import to_markdown as review_markdown
from mlplatform.cost import Assumptions, Estimate
from mlplatform.engine import Plan, run_stack
from mlplatform.engine.plan import PlannedResource
from tests.conftest import ROOT
from tests.helpers import planned

CLI = Path(sys.executable).parent / "mlplatform"
PROTECTION = "protection removed: protect true → false (Pulumi no longer refuses to delete it)"
RDS = "aws:rds/instance:Instance"


def unprotected(stack: str, tmp_path: Path) -> Path:
    """The shipped `stack` with `protect: false` (and the prod override), under its own name."""
    document = yaml.safe_load((ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text("utf-8"))
    document["config"]["mlplatform:protect"] = False
    if stack.endswith("prod"):
        document["config"]["mlplatform:allowUnprotectedProd"] = True
    path = tmp_path / stack / f"Pulumi.{stack}.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def blocking(result: PlanDiff) -> dict[str, list[str]]:
    return {c.urn.rsplit("::", 1)[1]: c.blocking for c in result.changes if c.blocking}


def plan(*resources: PlannedResource, stack: str = "s", project: str = "p") -> Plan:
    return Plan(project, stack, "aws", list(resources))


def protected(plan: Plan) -> dict[str, list[str]]:
    """Each resource the plan protects, expected to block with the protection removed."""
    return {r.name: [PROTECTION] for r in plan.resources if r.protect}


def test_turning_protection_off_on_aws_blocks_every_protected_resource(tmp_path: Path) -> None:
    """The issue's case: the 9 protected resources of aws-dev (bucket, registry, database,
    cluster, KMS keys; more if the stack protects more) each block, and the two with a cloud
    deletion guard name it too."""
    base = run_stack("aws-dev", ROOT)
    head = run_stack(str(unprotected("aws-dev", tmp_path)), ROOT)
    result = diff_plans(base, head)
    issue = {
        "ml-aws-dev-alarms-topic-key",
        "ml-aws-dev-artifacts-bucket",
        "ml-aws-dev-artifacts-key",
        "ml-aws-dev-eks-cluster",
        "ml-aws-dev-eks-secrets-key",
        "ml-aws-dev-mlflow-db-instance",
        "ml-aws-dev-mlflow-db-storage-key",
        "ml-aws-dev-registry-key",
        "ml-aws-dev-registry-repo",
    }
    assert issue <= set(protected(base))
    assert blocking(result) == protected(base) | {
        "ml-aws-dev-eks-cluster": [
            PROTECTION,
            "deletion guard weakened: deletionProtection true → false (EKS no longer refuses "
            "to delete the cluster)",
        ],
        "ml-aws-dev-mlflow-db-instance": [
            PROTECTION,
            "deletion guard weakened: deletionProtection true → false (RDS no longer refuses "
            "to delete the instance)",
        ],
    }
    assert {c.kind for c in result.changes} == {"update"}
    assert result.exit_code == 4
    [rds] = [c for c in result.changes if c.type == RDS]
    assert rds.fields == ["deletionProtection", "opts.protect"]
    assert rds.values == {"deletionProtection": (True, False), "opts.protect": (True, False)}


def test_turning_protection_off_on_gcp_names_each_cloud_guard(tmp_path: Path) -> None:
    base = run_stack("gcp-dev", ROOT)
    head = run_stack(str(unprotected("gcp-dev", tmp_path)), ROOT)
    policy = (
        "(PREVENT refuses deletion, ABANDON leaves the resource in the cloud, DELETE deletes it)"
    )
    assert {"ml-gcp-dev-gke-keyring", "ml-gcp-dev-gke-secrets-key"} <= set(protected(base))
    assert blocking(diff_plans(base, head)) == protected(base) | {
        "ml-gcp-dev-artifacts-bucket": [
            PROTECTION,
            f'deletion guard weakened: deletionPolicy "PREVENT" → "DELETE" {policy}',
        ],
        "ml-gcp-dev-gke-cluster": [
            PROTECTION,
            "deletion guard weakened: deletionProtection true → false (Pulumi no longer refuses "
            "to delete the cluster)",
        ],
        "ml-gcp-dev-mlflow-db-database": [
            PROTECTION,
            f'deletion guard weakened: deletionPolicy "PREVENT" → "ABANDON" {policy}',
        ],
        "ml-gcp-dev-mlflow-db-instance": [
            PROTECTION,
            "deletion guard weakened: deletionProtection true → false (Pulumi no longer refuses "
            "to delete the instance)",
            "deletion guard weakened: settings.deletionProtectionEnabled true → false (the "
            "Cloud SQL API no longer refuses to delete the instance)",
        ],
        "ml-gcp-dev-registry-repo": [
            PROTECTION,
            f'deletion guard weakened: deletionPolicy "PREVENT" → "DELETE" {policy}',
        ],
    }


def test_turning_protection_off_on_azure_and_kubernetes_blocks(tmp_path: Path) -> None:
    for stack, names in {
        "azure-dev": {
            "ml-azure-dev-artifacts-account",
            "ml-azure-dev-artifacts-container",
            "ml-azure-dev-aks-cluster",
            "ml-azure-dev-mlflow-db-database",
            "ml-azure-dev-mlflow-db-server",
            "ml-azure-dev-registry-registry",
            "ml-azure-dev-rg",
        },
        "local": {
            "ml-local-artifacts-pvc",
            "ml-local-namespace",
            "ml-local-postgres-statefulset",
            "ml-local-registry-pvc",
        },
    }.items():
        base = run_stack(stack, ROOT)
        head = run_stack(str(unprotected(stack, tmp_path)), ROOT)
        assert names <= set(protected(base))
        assert blocking(diff_plans(base, head)) == protected(base)


def nested(path: str, value: object) -> dict[str, object]:
    """`{"a": {"b": value}}` for the path `a.b`."""
    *parents, leaf = path.split(".")
    inputs: dict[str, object] = {leaf: value}
    for key in reversed(parents):
        inputs = {key: inputs}
    return inputs


def test_every_cloud_guard_turned_off_or_shortened_blocks() -> None:
    """The guards the shipped plans set, and the soft-delete ones of Key Vault and ACR."""
    cases = [
        ("aws:s3/bucket:Bucket", "forceDestroy", False, True),
        ("aws:ecr/repository:Repository", "forceDelete", False, True),
        (RDS, "skipFinalSnapshot", False, True),
        ("aws:kms/key:Key", "deletionWindowInDays", 30, 7),
        (
            "aws:s3/bucketVersioning:BucketVersioning",
            "versioningConfiguration.status",
            "Enabled",
            "Suspended",
        ),
        ("gcp:storage/bucket:Bucket", "forceDestroy", False, True),
        ("gcp:storage/bucket:Bucket", "softDeletePolicy.retentionDurationSeconds", 604800, 0),
        ("gcp:storage/bucket:Bucket", "versioning.enabled", True, False),
        (
            "gcp:sql/databaseInstance:DatabaseInstance",
            "settings.retainBackupsOnDelete",
            True,
            False,
        ),
        (
            "azure-native:storage:BlobServiceProperties",
            "deleteRetentionPolicy.enabled",
            True,
            False,
        ),
        ("azure-native:storage:BlobServiceProperties", "deleteRetentionPolicy.days", 30, 7),
        ("azure-native:storage:BlobServiceProperties", "containerDeleteRetentionPolicy.days", 7, 1),
        ("azure-native:storage:BlobServiceProperties", "isVersioningEnabled", True, False),
        ("azure-native:keyvault:Vault", "properties.enableSoftDelete", True, False),
        ("azure-native:keyvault:Vault", "properties.softDeleteRetentionInDays", 90, 7),
        ("azure-native:keyvault:Vault", "properties.enablePurgeProtection", True, False),
        (
            "azure-native:containerregistry:Registry",
            "policies.softDeletePolicy.status",
            "enabled",
            "disabled",
        ),
        (
            "kubernetes:apps/v1:StatefulSet",
            "spec.persistentVolumeClaimRetentionPolicy.whenDeleted",
            "Retain",
            "Delete",
        ),
    ]
    for type_, path, before, after in cases:
        result = diff_plans(
            plan(planned("r", type_, nested(path, before))),
            plan(planned("r", type_, nested(path, after))),
        )
        [change] = result.changes
        shown = f"{json.dumps(before)} → {json.dumps(after)}"
        assert change.blocking[0].startswith(f"deletion guard weakened: {path} {shown} ("), (
            type_,
            path,
        )
        # Strengthening a guard, or leaving it as it is, never blocks.
        stronger = diff_plans(
            plan(planned("r", type_, nested(path, after))),
            plan(planned("r", type_, nested(path, before))),
        )
        assert [c.blocking for c in stronger.changes] == [[]], (type_, path)


def test_an_unset_guard_compares_as_the_provider_default() -> None:
    """RDS deletionProtection defaults to false: dropping `true` turns it off; a Key Vault's
    soft delete defaults to on: dropping `enableSoftDelete: true` changes nothing."""
    gone = diff_plans(
        plan(planned("db", RDS, {"deletionProtection": True})), plan(planned("db", RDS, {}))
    )
    assert gone.changes[0].blocking == [
        "deletion guard weakened: deletionProtection true → unset (RDS no longer refuses to "
        "delete the instance)"
    ]
    vault = "azure-native:keyvault:Vault"
    kept = diff_plans(
        plan(planned("kv", vault, {"properties": {"enableSoftDelete": True, "sku": "a"}})),
        plan(planned("kv", vault, {"properties": {"sku": "b"}})),
    )
    assert [c.blocking for c in kept.changes] == [[]]


def test_every_changed_field_shows_before_and_after() -> None:
    pool = "gcp:container/nodePool:NodePool"
    base = plan(planned("pool", pool, {"autoscaling": {"max": 2}, "labels": {"a": "x"}}))
    head = plan(planned("pool", pool, {"autoscaling": {"max": 6}, "labels": {"a": "y", "b": "z"}}))
    result = diff_plans(base, head)
    [change] = result.changes
    assert change.values == {
        "autoscaling.max": (2, 6),
        "labels.a": ("x", "y"),
        "labels.b": (None, "z"),
    }
    assert json.loads(to_json(result))["changes"][0]["values"] == {
        "autoscaling.max": {"before": 2, "after": 6},
        "labels.a": {"before": "x", "after": "y"},
        "labels.b": {"before": None, "after": "z"},
    }
    assert (
        "| update | `pool` | `gcp:container/nodePool:NodePool` | `autoscaling.max`: `2` → `6`<br>"
        '`labels.a`: `"x"` → `"y"`<br>`labels.b`: unset → `"z"` |  |'
    ) in to_markdown(result)
    table = to_table(result, width=200)
    assert "autoscaling.max: 2 → 6" in table
    assert 'labels.b: unset → "z"' in table


def test_a_secret_value_is_never_printed() -> None:
    """A value opposite a secret may be that secret (made secret now, or no longer secret):
    it is hidden too, and so is everything beside a secret in a changed list or map."""
    base = plan(
        planned(
            "db",
            RDS,
            {"password": "hunter2", "port": 5432, "env": [{"name": "A", "value": "hunter3"}]},
        )
    )
    head = plan(
        planned(
            "db",
            RDS,
            {
                "password": "[secret]",
                "port": 5433,
                "env": [{"name": "A", "value": "[secret]"}, {"name": "B", "value": "hunter4"}],
            },
        )
    )
    result = diff_plans(base, head)
    [change] = result.changes
    assert change.values == {
        "env": (
            [{"name": "[hidden]", "value": "[hidden]"}],
            [{"name": "[hidden]", "value": "[secret]"}, {"name": "[hidden]", "value": "[hidden]"}],
        ),
        "password": ("[hidden]", "[secret]"),
        "port": (5432, 5433),
    }
    back = diff_plans(head, base)
    assert back.changes[0].values["password"] == ("[secret]", "[hidden]")
    for render in (to_json, to_markdown, to_table):
        for diff in (result, back):
            text = render(diff)
            assert "hunter" not in text
            assert "[secret]" in text  # escaped, never read as rich markup


def test_a_blocking_guard_fails_the_review() -> None:
    bucket = "aws:s3/bucket:Bucket"
    diff = diff_plans(
        plan(planned("b", bucket, {"forceDestroy": False}, protect=True)),
        plan(planned("b", bucket, {"forceDestroy": True}, protect=True)),
    )
    cost = Estimate("s", "aws", (), Assumptions(), (), 0)
    review = Review("main", [StackReview("s", diff, CheckReport("s", []), 1, 1, cost, cost, "")])
    assert review.exit_code == 5
    assert "| ❌ `s` | 0 | 1 | 0 | 0 | 1 | 0 |" in review_markdown(review)
    assert diff.changes[0].blocking == [
        "deletion guard weakened: forceDestroy false → true (destroying the bucket deletes "
        "every object in it)"
    ]


def test_the_cli_refuses_plans_of_two_stacks_or_projects(tmp_path: Path) -> None:
    base, other_stack, other_project = (tmp_path / f"{n}.json" for n in ("a", "b", "c"))
    base.write_text(json.dumps(plan(stack="dev").to_json()), encoding="utf-8")
    other_stack.write_text(json.dumps(plan(stack="prod").to_json()), encoding="utf-8")
    other_project.write_text(json.dumps(plan(stack="dev", project="q").to_json()), encoding="utf-8")
    for head, what in (
        (other_stack, "stack 'prod' of project 'p'"),
        (other_project, "stack 'dev' of project 'q'"),
    ):
        result = subprocess.run(
            [str(CLI), "diff", str(base), str(head)], capture_output=True, text=True, check=False
        )
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == (
            f"error: the base plan is of stack 'dev' of project 'p' but the head plan is of "
            f"{what}; diff two plans of one stack (mlplatform plan STACK -f json at each "
            "revision)\n"
        )


def test_the_cli_shows_a_removed_guard_with_before_and_after(tmp_path: Path) -> None:
    base, head = tmp_path / "base.json", tmp_path / "head.json"
    base.write_text(
        json.dumps(plan(planned("db", RDS, {"deletionProtection": True}, protect=True)).to_json()),
        encoding="utf-8",
    )
    head.write_text(
        json.dumps(plan(planned("db", RDS, {"deletionProtection": False})).to_json()),
        encoding="utf-8",
    )
    result = subprocess.run(
        [str(CLI), "diff", str(base), str(head), "-f", "markdown"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 4
    assert (
        "| **update** | `db` | `aws:rds/instance:Instance` | `deletionProtection`: `true` → "
        f"`false`<br>`opts.protect`: `true` → `false` | {PROTECTION}<br>deletion guard "
        "weakened: deletionProtection true → false (RDS no longer refuses to delete the "
        "instance) |"
    ) in result.stdout


def mandatory_failures(*args: str) -> set[str]:
    """The mandatory policies `mlplatform check ARGS` finds violated."""
    result = subprocess.run(
        [str(CLI), "check", *args, "-f", "json", "--project-dir", str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 3), result.stderr
    return {
        p["name"]
        for p in json.loads(result.stdout)["policies"]
        if p["status"] == "failed" and p["enforcement"] == "mandatory"
    }


def test_the_teardown_runbook_names_the_policy_override_it_needs(tmp_path: Path) -> None:
    """The README's teardown states a `--policy-pack-config` that lets `protect: false` through
    the pack's mandatory rules: gcp-dev unprotected fails exactly those (beside whatever the
    shipped stack fails), and with the override none of them."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    teardown = readme[readme.index("### Teardown") :]
    override = re.search(r"echo '(\{.*?\})' > teardown-policy\.json", teardown)
    assert override is not None
    lowered = set(json.loads(override.group(1)))
    config = tmp_path / "teardown-policy.json"
    config.write_text(override.group(1), encoding="utf-8")
    stack = str(unprotected("gcp-dev", tmp_path))
    refused = mandatory_failures(stack)
    assert lowered == {
        "platform-stateful-resources-protected",
        "platform-database-deletion-protected",
    }
    assert refused - mandatory_failures("gcp-dev") == lowered
    assert mandatory_failures(stack, "--policy-config", str(config)) == refused - lowered
