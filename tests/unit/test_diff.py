"""`mlplatform diff` over two plans: adds, updates, replacements, deletions and renames, and
which of them block (data loss, a rename without an alias)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mlplatform.checks.diff import changed_paths, diff_plans
from mlplatform.checks.diff_views import to_markdown
from mlplatform.checks.replacements import replaces
from mlplatform.engine.plan import Plan, PlannedResource
from tests.conftest import PlanConfig
from tests.helpers import planned

CLI = Path(sys.executable).parent / "mlplatform"
BUCKET = "gcp:storage/bucket:Bucket"
POOL = "gcp:container/nodePool:NodePool"


def res(name: str, type_: str = POOL, protect: bool = False, **inputs: object) -> PlannedResource:
    return planned(name, type_, dict(inputs), protect=protect)


def plan(*resources: PlannedResource) -> Plan:
    return Plan("p", "s", "gcp", list(resources))


def test_changed_paths_name_the_leaves() -> None:
    old = {"a": {"b": 1, "c": [1, 2]}, "d": "[secret]", "e": "x", "g": "[unknown]"}
    new = {
        "a": {"b": 2, "c": [1, 3]},
        "d": "[secret]",
        "e": "[unknown]",
        "f": True,
        "g": "[unknown]",
    }
    assert list(changed_paths(old, new)) == ["a.b", "a.c[1]", "e", "f"]


def test_replacing_paths_include_nested_fields_and_the_resource_own_list() -> None:
    assert replaces(BUCKET, ["location", "labels.owner"]) == ["location"]
    assert replaces("azure-native:storage:StorageAccount", ["location", "tags.x"]) == ["location"]
    assert replaces(POOL, ["nodeConfig.labels.x"], own=["nodeConfig"]) == ["nodeConfig.labels.x"]


def test_identical_plans_have_no_changes() -> None:
    result = diff_plans(plan(res("a", size=1)), plan(res("a", size=1)))
    assert (result.changes, result.exit_code) == ([], 0)


def test_additions_and_updates_do_not_block() -> None:
    base = plan(res("pool", autoscaling={"totalMaxNodeCount": 2}))
    head = plan(res("pool", autoscaling={"totalMaxNodeCount": 4}), res("new-pool"))
    result = diff_plans(base, head)
    assert [(c.kind, c.urn.rsplit("::", 1)[1], c.fields, c.blocking) for c in result.changes] == [
        ("update", "pool", ["autoscaling.totalMaxNodeCount"], []),
        ("add", "new-pool", [], []),
    ]
    assert result.exit_code == 0


def test_replacing_or_deleting_data_blocks() -> None:
    base = plan(res("bucket", BUCKET, location="US"), res("old", BUCKET, protect=True))
    head = plan(res("bucket", BUCKET, location="EU"))
    result = diff_plans(base, head)
    assert [(c.kind, c.blocking) for c in result.changes] == [
        ("delete", ["deletion of a protected resource: its data would be lost"]),
        (
            "replace",
            [
                "replacement of a stateful resource: its data would be lost (location force "
                "replacement)"
            ],
        ),
    ]
    assert result.exit_code == 4


def test_a_rename_without_alias_blocks_and_says_how_to_alias() -> None:
    result = diff_plans(plan(res("pool-a", size=3)), plan(res("pool-b", size=3)))
    [change] = result.changes
    assert (change.kind, change.old_urn) == ("rename", "urn:pulumi:s::p::" + POOL + "::pool-a")
    assert "aliases=[pulumi.Alias(name='pool-a')]" in change.blocking[0]
    assert result.exit_code == 4


def test_an_aliased_rename_is_an_ordinary_change() -> None:
    renamed = res("pool-b", size=4)
    renamed = PlannedResource(**{**renamed.__dict__, "aliases": [res("pool-a").urn]})
    result = diff_plans(plan(res("pool-a", size=3)), plan(renamed))
    assert [(c.kind, c.fields, c.blocking) for c in result.changes] == [("update", ["size"], [])]


def test_a_real_stack_change_through_the_cli(plan_config: PlanConfig, tmp_path: Path) -> None:
    spec = {
        "target": "gcp",
        "environment": "dev",
        "region": "us-central1",
        "gcp": {"project": "my-ml-project"},
        "gpuPools": [{"name": "l4", "gpu": "L4", "maxNodes": 2}],
    }
    base = tmp_path / "base.json"
    head = tmp_path / "head.json"
    base.write_text(json.dumps(plan_config(spec).to_json()), encoding="utf-8")
    spec["gpuPools"] = [{"name": "l4", "gpu": "L4", "maxNodes": 6}]
    head.write_text(json.dumps(plan_config(spec).to_json()), encoding="utf-8")
    result = subprocess.run(
        [str(CLI), "diff", str(base), str(head), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["summary"] == {
        "add": 0,
        "update": 1,
        "replace": 0,
        "delete": 0,
        "rename": 0,
        "blocking": 0,
    }
    [change] = document["changes"]
    assert (change["type"], change["fields"]) == (POOL, ["autoscaling.totalMaxNodeCount"])


def test_blocking_exit_code_markdown_and_bad_input(tmp_path: Path) -> None:
    base, head, bad = tmp_path / "b.json", tmp_path / "h.json", tmp_path / "bad.json"
    base.write_text(json.dumps(plan(res("db", BUCKET, protect=True)).to_json()), encoding="utf-8")
    head.write_text(json.dumps(plan().to_json()), encoding="utf-8")
    bad.write_text("{}", encoding="utf-8")
    result = subprocess.run(
        [str(CLI), "diff", str(base), str(head), "-f", "markdown"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 4
    assert result.stdout == to_markdown(diff_plans(plan(res("db", BUCKET, protect=True)), plan()))
    assert "| **delete** | `db` |" in result.stdout
    invalid = subprocess.run(
        [str(CLI), "diff", str(bad), str(head)], capture_output=True, text=True, check=False
    )
    assert invalid.returncode == 2
    assert invalid.stderr.startswith(f"error: {bad} is not a plan JSON file")


def test_every_listed_type_is_a_real_type_with_a_source_and_camel_case_properties() -> None:
    import importlib.util

    from mlplatform.checks.replacements import REPLACES

    packages = {"aws": "pulumi_aws", "azure-native": "pulumi_azure_native", "gcp": "pulumi_gcp"}
    for type_, replacing in REPLACES.items():
        spec = importlib.util.find_spec(packages[type_.split(":")[0]])
        assert spec is not None and spec.origin is not None
        tokens = Path(spec.origin).read_text(encoding="utf-8")
        assert f'"{type_}"' in tokens, type_
        assert replacing.source and replacing.properties, type_
        assert all("_" not in p for p in replacing.properties), type_


def test_field_paths_are_written_as_the_engine_writes_them() -> None:
    """sdk/go/common/resource/properties_path.go `String`: a key with anything but letters,
    digits and `_` is quoted, so `pulumi preview --diff` and `mlplatform diff` name the same
    field the same way."""
    from mlplatform.checks.diff import changed_paths

    old = {"spec": {"hard": {"requests.nvidia.com/gpu": "1"}}, "items": [{"a_b": 1}], "x": 1}
    new = {"spec": {"hard": {"requests.nvidia.com/gpu": "2"}}, "items": [{"a_b": 2}], "x": 2}
    assert list(changed_paths(old, new)) == [
        "items[0].a_b",
        'spec.hard["requests.nvidia.com/gpu"]',
        "x",
    ]
    assert list(changed_paths({'say "hi"': 1}, {'say "hi"': 2})) == ['["say \\"hi\\""]']
