"""Teams in `mlplatform diff`: deleting a team's namespace (its workloads and volumes go with
it) blocks, and a team renamed in YAML keeps its resources' identity with `previousNames`
(Pulumi aliases on the team's components, inherited by their children), which the rename
message offers instead of Python code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mlplatform.checks.diff import diff_plans
from mlplatform.checks.replacements import replaces
from mlplatform.engine import Plan, run_stack
from mlplatform.engine.plan import PlannedResource
from tests.conftest import ROOT

NAMESPACE = "kubernetes:core/v1:Namespace"
TEAM = "mlplatform:index:TeamNamespace"
DELETED = "deletion of a namespace: every workload and volume in it is deleted with it"
REPLACED = (
    "replacement of a namespace: every workload and volume in it is deleted with it "
    "(metadata.name force replacement)"
)


def renamed_team(stack: str, tmp_path: Path, previous: bool) -> Path:
    """The shipped `stack` with its team `research` renamed `nlp` (with `previousNames:
    [research]` when `previous`)."""
    document = yaml.safe_load((ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text("utf-8"))
    team: dict[str, Any] = {"name": "nlp", "maxGpus": 1}
    if previous:
        team["previousNames"] = ["research"]
    document["config"]["mlplatform:teams"] = [team]
    path = tmp_path / f"{stack}-{previous}" / f"Pulumi.{stack}.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def short(urn: str) -> str:
    return urn.rsplit("::", 1)[1]


def resource(
    name: str, type_: str, parent: PlannedResource | None = None, custom: bool = True, **inputs: Any
) -> PlannedResource:
    qualified = f"{parent.urn.split('::')[2]}${type_}" if parent else type_
    return PlannedResource(
        urn=f"urn:pulumi:s::p::{qualified}::{name}",
        type=type_,
        name=name,
        parent=parent.urn if parent else None,
        custom=custom,
        protect=False,
        dependencies=[],
        property_dependencies={},
        provider=None,
        inputs=inputs,
    )


def team(name: str, identity_inputs: dict[str, Any]) -> list[PlannedResource]:
    """A team as the platform builds it: the component, its namespace, and the workload
    identity named like the component (on Azure a managed identity under it)."""
    component = resource(f"ml-team-{name}", TEAM, custom=False)
    namespace = resource(f"ml-team-{name}-namespace", NAMESPACE, component, metadata={"name": name})
    identity = resource(f"ml-team-{name}", "mlplatform:index:AzureWorkloadIdentity", custom=False)
    managed = resource(
        f"ml-team-{name}-identity",
        "azure-native:managedidentity:UserAssignedIdentity",
        identity,
        **identity_inputs,
    )
    return [component, namespace, identity, managed]


def test_metadata_name_and_namespace_force_replacement_of_kubernetes_objects() -> None:
    """pulumi-kubernetes provider/pkg/provider/diff.go: `.metadata.name` and
    `.metadata.namespace` force a new object of every kind."""
    assert replaces(NAMESPACE, ["metadata.name", "metadata.labels.x"]) == ["metadata.name"]
    assert replaces("kubernetes:core/v1:ResourceQuota", ["metadata.namespace", "spec.hard"]) == [
        "metadata.namespace"
    ]
    assert replaces("kubernetes:helm.sh/v3:Release", ["name", "values.x"]) == []


def test_a_renamed_gcp_workload_identity_still_replaces_its_service_account() -> None:
    """Its account id is the identity's name (pulumi-gcp serviceaccount.Account: "Changing
    this forces a new service account to be created"): an alias keeps the URN, not the
    account."""
    account = "gcp:serviceaccount/account:Account"
    assert replaces(account, ["accountId", "displayName"]) == ["accountId"]


def test_deleting_or_replacing_a_namespace_blocks() -> None:
    gone = diff_plans(Plan("p", "s", "kubernetes", team("a", {})), Plan("p", "s", "kubernetes", []))
    assert {short(c.urn): c.blocking for c in gone.changes if c.blocking} == {
        "ml-team-a-namespace": [DELETED]
    }
    namespace = resource("ns", NAMESPACE, metadata={"name": "a"})
    renamed = resource("ns", NAMESPACE, metadata={"name": "b"})
    result = diff_plans(
        Plan("p", "s", "kubernetes", [namespace]), Plan("p", "s", "kubernetes", [renamed])
    )
    assert [(c.kind, c.blocking) for c in result.changes] == [("replace", [REPLACED])]


def test_removing_a_team_blocks_on_its_namespace(tmp_path: Path) -> None:
    document = yaml.safe_load((ROOT / "stacks" / "Pulumi.local.yaml").read_text("utf-8"))
    del document["config"]["mlplatform:teams"]
    path = tmp_path / "Pulumi.local.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    result = diff_plans(run_stack("local", ROOT), run_stack(str(path), ROOT))
    assert {short(c.urn): c.blocking for c in result.changes if c.blocking} == {
        "ml-local-team-research-namespace": [DELETED]
    }
    assert result.exit_code == 4


def test_a_renamed_team_without_previous_names_is_told_to_add_them() -> None:
    """The team-level rename, and a resource of the team whose inputs did not change (the
    Azure managed identity): both offer the `previousNames` config, not Python code."""
    base = Plan("p", "s", "azure", team("research", {"location": "westeurope"}))
    head = Plan("p", "s", "azure", team("nlp", {"location": "westeurope"}))
    result = diff_plans(base, head)
    advice = (
        "add previousNames: [research] to team 'nlp' in mlplatform:teams: its resources keep "
        "their identity (Kubernetes still replaces the namespace: it cannot rename one)"
    )
    renames = {
        (short(c.old_urn or ""), short(c.urn)): c.blocking
        for c in result.changes
        if c.kind == "rename"
    }
    assert renames == {
        ("ml-team-research", "ml-team-nlp"): [
            f"team 'research' renamed to 'nlp' without previousNames: Pulumi would delete "
            f"every resource of the team and create it anew; {advice}"
        ],
        ("ml-team-research-identity", "ml-team-nlp-identity"): [
            "renamed from urn:pulumi:s::p::mlplatform:index:AzureWorkloadIdentity$azure-native"
            ":managedidentity:UserAssignedIdentity::ml-team-research-identity without an "
            f"alias: Pulumi would delete and recreate it; {advice}"
        ],
    }
    assert "pulumi.Alias" not in str(result.changes)


def test_previous_names_alias_the_team_components_and_their_children(tmp_path: Path) -> None:
    """End to end in the offline engine: the renamed team's resources carry aliases to the
    URNs of the team's resources at the base, so nothing of the team is added or deleted;
    only the namespace is replaced (Kubernetes cannot rename one), and that still blocks."""
    base = run_stack("local", ROOT)
    head = run_stack(str(renamed_team("local", tmp_path, previous=True)), ROOT)
    prefix = "urn:pulumi:local::ml-platform::mlplatform:index:MlPlatform$"
    [component] = head.of_type(TEAM)
    assert component.aliases == [f"{prefix}{TEAM}::ml-local-team-research"]
    namespace = next(r for r in head.of_type(NAMESPACE) if r.parent == component.urn)
    assert namespace.aliases == [f"{prefix}{TEAM}${NAMESPACE}::ml-local-team-research-namespace"]
    team_urns = {r.urn for r in base.resources if "team-research" in r.urn}
    aliased = {alias for r in head.resources for alias in r.aliases}
    assert len(team_urns) == 6 and team_urns <= aliased  # with its ClusterQueue, LocalQueue
    result = diff_plans(base, head)
    assert {c.kind for c in result.changes} == {"replace", "update"}
    assert {short(c.urn): c.blocking for c in result.changes if c.blocking} == {
        "ml-local-team-nlp-namespace": [REPLACED]
    }


def test_previous_names_alias_the_team_cloud_identity(tmp_path: Path) -> None:
    base = run_stack("aws-dev", ROOT)
    head = run_stack(str(renamed_team("aws-dev", tmp_path, previous=True)), ROOT)
    team_urns = {r.urn for r in base.resources if "team-research" in r.urn}
    aliased = {alias for r in head.resources for alias in r.aliases}
    assert sorted(short(u) for u in team_urns - aliased) == []
    assert {short(u) for u in team_urns} >= {
        "ml-aws-dev-team-research",
        "ml-aws-dev-team-research-role",
    }
    result = diff_plans(base, head)
    assert not [c for c in result.changes if c.kind in ("add", "delete", "rename")]
    assert [short(c.urn) for c in result.changes if c.blocking] == ["ml-aws-dev-team-nlp-namespace"]
