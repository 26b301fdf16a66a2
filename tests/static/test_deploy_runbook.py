"""The first-deploy runbook (README, "Deploying for real") and the cloud workflows agree: the
same repository variables and secret, the same commands, the stacks the workflows find."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from mlplatform.engine.stacks import list_stacks, to_table
from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
CLOUD_WORKFLOWS = ("deploy.yml", "preview.yml", "pulumi-up.yml")


def runbook() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n## Deploying for real\n")
    end = readme.index("\n## ", start + 1)
    return readme[start:end]


def workflows_text() -> str:
    return "\n".join((WORKFLOWS / name).read_text(encoding="utf-8") for name in CLOUD_WORKFLOWS)


def read_by_workflows(kind: str) -> set[str]:
    return set(re.findall(rf"\b{kind}\.([A-Z][A-Z0-9_]*)", workflows_text()))


def runbook_table(kind: str) -> set[str]:
    return set(re.findall(rf"^\| `([A-Z][A-Z0-9_]*)` \| {kind} \|", runbook(), re.M))


def test_the_runbook_lists_exactly_the_variables_the_workflows_read() -> None:
    assert runbook_table("variable") == read_by_workflows("vars")
    assert "MLPLATFORM_RUNNER" in runbook_table("variable")


def test_the_runbook_lists_exactly_the_secrets_the_workflows_read() -> None:
    assert runbook_table("secret") == read_by_workflows("secrets") == {"PULUMI_CONFIG_PASSPHRASE"}


def test_every_setting_the_runbook_sets_is_one_the_workflows_read() -> None:
    text = runbook()
    assert set(re.findall(r"gh variable set (\w+)", text)) <= read_by_workflows("vars")
    assert set(re.findall(r"gh secret set (\w+)", text)) <= read_by_workflows("secrets")
    assert "gh variable set MLPLATFORM_RUNNER" in text


def test_the_runner_examples_are_forms_runs_on_takes() -> None:
    bodies = re.findall(r"gh variable set MLPLATFORM_RUNNER --body '([^']+)'", runbook())
    assert [json.loads(body) for body in bodies] == [["self-hosted", "linux", "x64", "mlplatform"]]
    assert "(--body mlplatform)" in runbook() and """'{"group": "mlplatform"}'""" in runbook()


def test_the_runbook_shows_the_stacks_the_workflows_find() -> None:
    block = re.search(
        r"```console\n\$ scripts/dev run mlplatform stacks\n(.*?)```", runbook(), re.S
    )
    assert block is not None
    assert block.group(1) == to_table(list_stacks(ROOT))


def test_the_workflows_find_their_stacks_with_the_runbooks_command() -> None:
    listing = re.findall(
        r"scripts/dev run mlplatform stacks --format json[^\"\n]*", workflows_text()
    )
    assert len(listing) == 3
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "scripts/dev run mlplatform stacks --format json" in readme
    assert "scripts/dev run mlplatform stacks" in runbook()


@pytest.mark.parametrize("name", CLOUD_WORKFLOWS)
def test_the_workflows_set_up_as_the_runbook_does(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    steps = [
        step.get("run", "")
        for job in yaml.safe_load(text)["jobs"].values()
        for step in job.get("steps", [])
    ]
    assert "scripts/dev run mlplatform version" in steps
    assert "scripts/dev setup" not in text  # the tests' set-up installs servers with apt-get
    assert "scripts/dev run mlplatform version     # creates .venv" in runbook()


def test_the_runbook_deploys_as_the_workflows_do() -> None:
    up = yaml.safe_load((WORKFLOWS / "pulumi-up.yml").read_text(encoding="utf-8"))["jobs"]["up"]
    [action] = [s for s in up["steps"] if s.get("uses", "").startswith("pulumi/actions@")]
    assert (action["with"]["command"], action["with"]["policyPacks"]) == ("up", "policies")
    assert up["environment"] == "${{ matrix.stack }}"
    text = runbook()
    assert "pulumi up -s aws-dev --policy-pack policies" in text
    assert "pulumi preview -s aws-dev --policy-pack policies" in text
    assert "`repo:OWNER/REPO:environment:<stack>`" in text
    assert "`repo:OWNER/REPO:pull_request`" in text


def test_the_runbook_names_the_review_comments_marker() -> None:
    from mlplatform.checks.review import MARKER

    assert f"`{MARKER}`" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_runbook_has_the_network_watcher_made_before_the_flow_log_needs_it() -> None:
    from mlplatform import defaults
    from mlplatform.environment.model import AzureSpec

    group = defaults.NETWORK_WATCHER_RESOURCE_GROUP
    block = re.search(r"```bash\n(az network watcher list .*?)```", runbook(), re.S)
    assert block is not None
    assert block.group(1).splitlines() == [
        "az network watcher list --query \"[?location=='westeurope'].{name: name, group: "
        'resourceGroup}" -o table',
        "# none listed: create it where Azure would",
        f"az group create --name {group} --location westeurope",
        f"az network watcher configure --resource-group {group} --locations westeurope "
        "--enabled true",
    ]
    keys = AzureSpec.model_json_schema(by_alias=True)["properties"]
    assert {"networkWatcherResourceGroup", "networkWatcherName"} <= set(keys)
    assert (
        "`mlplatform:azure: {networkWatcherResourceGroup: <group>, networkWatcherName: <name>}`"
        in runbook()
    )
    assert f"`{defaults.NETWORK_WATCHER_NAME.format(location='<region>')}`" in runbook()
