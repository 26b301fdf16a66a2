"""`mlplatform review` in a team's own repository: its Pulumi.yaml's `main` and `stackConfigDir`
(not this repository's stacks/ and components/), a module of its own beside the program, no
`policies/` of its own. Only the stacks a change touches are planned; a stack that fails to plan
gets its row and the report is still written; bad input is one line on stderr and exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlplatform.checks.review import MARKER
from tests.conftest import ROOT

CLI = Path(sys.executable).parent / "mlplatform"
PACK = ROOT / "policies"

PROJECT = "name: team-ml\nruntime: python\nmain: infra/\nstackConfigDir: config\n"
PROGRAM = """\
import pulumi
from mlplatform import MlPlatform, spec
from outputs import export_all

stack = pulumi.get_stack()
export_all(MlPlatform.from_config(f"ml-{stack}", spec.from_pulumi(), stack))
"""
OUTPUTS = """\
import pulumi


def export_all(platform):
    pulumi.export("clusterName", platform.cluster_name)
"""
STACK = """\
config:
  mlplatform:target: kubernetes
  mlplatform:environment: dev
  mlplatform:kubernetes:
    context: kind-{stack}
  mlplatform:tags:
    owner: team
  mlplatform:teams:
    - {{name: research, maxGpus: 1}}
"""


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def team_repo(tmp_path: Path) -> Path:
    """The team's repository, one commit: the project in infra/ with its own helper module, two
    stacks (dev, staging) in config/."""
    repo = tmp_path / "repo"
    (repo / "infra").mkdir(parents=True)
    (repo / "config").mkdir()
    (repo / "Pulumi.yaml").write_text(PROJECT, encoding="utf-8")
    (repo / "infra" / "__main__.py").write_text(PROGRAM, encoding="utf-8")
    (repo / "infra" / "outputs.py").write_text(OUTPUTS, encoding="utf-8")
    for stack in ("dev", "staging"):
        config = repo / "config" / f"Pulumi.{stack}.yaml"
        config.write_text(STACK.format(stack=stack), encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "platform")
    return repo


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def review(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), "review", *args],
        cwd=cwd,
        env={k: v for k, v in os.environ.items() if k != "COLUMNS"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


HEADER = (
    "| stack | adds | changes | replaces | deletes | blocking | mandatory violations "
    "| cost a month (expected, change) | critical path |"
)


def test_a_one_stack_change_plans_that_stack_alone(tmp_path: Path) -> None:
    repo = team_repo(tmp_path)
    edit(repo / "config" / "Pulumi.dev.yaml", "maxGpus: 1", "maxGpus: 2")
    git(repo, "commit", "-qam", "more GPUs for research")
    report = tmp_path / "review.md"
    result = review(repo, "HEAD~1", "--output", str(report), "--policy-pack", str(PACK))
    assert result.returncode == 0, result.stderr
    assert sorted(result.stderr.splitlines()) == [
        "review: 1 of 2 stacks touched by the change since HEAD~1: dev",
        "review: dev checked: 0 mandatory violations",
        "review: dev planned (17 resources)",
        "review: dev planned at HEAD~1 (17 resources)",
    ]
    text = report.read_text(encoding="utf-8")
    assert text.startswith(MARKER + "\n## mlplatform review against `HEAD~1`\n")
    assert "| ✅ `dev` | 0 | 1 | 0 | 0 | 0 | 0 | ≥ $0.00 ($0.00) | 1.3 min (+0) |\n\n" in text
    assert "\nUnchanged since `HEAD~1`, not planned: `staging`.\n" in text
    quota = "`ml-dev-team-research-gpu-quota` | `kubernetes:core/v1:ResourceQuota`"
    assert f"| update | {quota} | " in text
    assert text.count("<details>") == 1


def test_stacks_that_fail_to_plan_get_their_rows_and_the_report_is_written(
    tmp_path: Path,
) -> None:
    repo = team_repo(tmp_path)
    staging = repo / "config" / "Pulumi.staging.yaml"
    edit(staging, "owner: team", "owner: team\n  mlplatform:protekt: true")
    git(repo, "commit", "-qam", "a typo at the base")
    edit(staging, "\n  mlplatform:protekt: true", "")
    edit(repo / "config" / "Pulumi.dev.yaml", "maxGpus: 1", "maxGpus: -1")  # not committed
    report = tmp_path / "review.md"
    result = review(repo, "HEAD", "--output", str(report), "--policy-pack", str(PACK))
    assert result.returncode == 5, result.stderr
    assert "Traceback" not in result.stderr
    text = report.read_text(encoding="utf-8")
    keys = (
        "allowUnprotectedProd, artifactStore, azure, budget, charts, cluster, environment, gcp, "
        "gpuPools, kubernetes, mlflow, monitoring, network, protect, region, registry, scheduling, "
        "serving, tags, target, teams"
    )
    assert (
        "| ❌ `dev` | failed to plan: invalid config/Pulumi.dev.yaml (1 problem(s)): "
        "- teams[0].maxGpus: -1 is invalid: input should be greater than or equal to 0 "
        "| | | | | | | |\n"
    ) in text
    assert (
        "| ❌ `staging` | failed to plan at `HEAD`: invalid config/Pulumi.staging.yaml "
        "(1 problem(s)): - protekt: is not a known key; remove it or fix its spelling; use one "
        f"of: {keys} | | | | | | | |\n"
    ) in text
    assert (
        "Failed to plan:\n\n```text\ninvalid config/Pulumi.dev.yaml (1 problem(s)):\n"
        "  - teams[0].maxGpus: -1 is invalid: input should be greater than or equal to 0\n```\n"
    ) in text
    assert "review: dev failed to plan: invalid config/Pulumi.dev.yaml" in result.stderr


def test_a_renamed_project_is_a_row_per_stack_not_a_traceback(tmp_path: Path) -> None:
    repo = team_repo(tmp_path)
    edit(repo / "Pulumi.yaml", "name: team-ml", "name: team-platform")
    report = tmp_path / "review.md"
    result = review(repo, "HEAD", "--output", str(report), "--policy-pack", str(PACK))
    assert result.returncode == 5, result.stderr
    assert "Traceback" not in result.stderr
    text = report.read_text(encoding="utf-8")
    for stack in ("dev", "staging"):  # Pulumi.yaml changed: every stack is planned
        assert (
            f"| ❌ `{stack}` | cannot compare with `HEAD`: the base plan is of stack '{stack}' of "
            f"project 'team-ml' but the head plan is of stack '{stack}' of project "
            "'team-platform'; diff two plans of one stack (mlplatform plan STACK -f json at each "
            "revision) | | | | | | | |\n"
        ) in text


def test_bad_input_is_one_line_and_exit_2_before_anything_is_planned(tmp_path: Path) -> None:
    repo = team_repo(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    no_git = tmp_path / "no-git"
    no_git.mkdir()
    (no_git / "Pulumi.yaml").write_text(PROJECT, encoding="utf-8")
    cases = [
        (
            outside,
            ("HEAD",),
            f"error: no Pulumi.yaml found in {outside} or above; run from the project directory",
        ),
        (
            no_git,
            ("HEAD",),
            f"error: {no_git} is not in a git repository: mlplatform review compares the working "
            "tree with a git ref of its repository",
        ),
        (
            repo,
            ("orgin/main",),
            f"error: base ref 'orgin/main' is not a commit of the repository at {repo}: give a "
            "branch, tag or commit it has (in CI, fetch the base branch first: git fetch origin "
            "main)",
        ),
        (
            repo,
            ("HEAD", "dve"),
            f"error: no stack 'dve' ({repo}/config/Pulumi.dve.yaml not found); stacks: dev, "
            "staging",
        ),
        (
            repo,
            ("HEAD", "--policy-pack", "pack"),
            f"error: no policy pack at {repo / 'pack'}: a pack's folder holds PulumiPolicy.yaml "
            "and __main__.py; give one, or leave --policy-pack out for the pack mlplatform ships "
            "(mlplatform policy-pack path)",
        ),
    ]
    for cwd, args, message in cases:
        result = review(cwd, *args)
        assert (result.returncode, result.stderr) == (2, message + "\n"), args


@pytest.mark.parametrize(
    ("changed", "touched"),
    [
        (["config/Pulumi.dev.yaml"], ["dev"]),
        (["config/Pulumi.dev.yaml", "README.md", "docs/platform.md"], ["dev"]),
        (["README.md"], []),
        (["config/Pulumi.old.yaml"], []),  # a stack removed: nothing left to plan
        (["config/Pulumi.dev.yaml", "infra/outputs.py"], ["dev", "staging"]),
        (["Pulumi.yaml"], ["dev", "staging"]),
        (["policies/__main__.py"], ["dev", "staging"]),
        (["requirements.txt"], ["dev", "staging"]),
    ],
)
def test_a_stack_is_touched_by_its_config_and_every_stack_by_anything_else(
    changed: list[str], touched: list[str]
) -> None:
    from mlplatform.checks.review_git import touched_stacks

    files = {"config/Pulumi.dev.yaml": "dev", "config/Pulumi.staging.yaml": "staging"}
    assert touched_stacks(changed, files) == touched


def test_the_base_plans_with_its_own_library_only_when_the_change_touches_it(
    tmp_path: Path,
) -> None:
    from mlplatform.checks.base_plans import library_folder

    # This checkout's editable install: the library is components/mlplatform/ of the repository.
    assert library_folder(ROOT, ["stacks/Pulumi.gcp-dev.yaml", "README.md"]) is None
    assert library_folder(ROOT, ["components/mlplatform/defaults.py"]) == "components/mlplatform"
    # A team's repository: the library is installed, the same at the base and now.
    assert library_folder(tmp_path, ["components/mlplatform/defaults.py"]) is None


def test_a_change_that_touches_no_stack_plans_nothing(tmp_path: Path) -> None:
    repo = team_repo(tmp_path)
    (repo / "README.md").write_text("# the team's platform\n", encoding="utf-8")
    result = review(repo, "HEAD")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "review: 0 of 2 stacks touched by the change since HEAD: none\n"
    assert result.stdout == (
        f"{MARKER}\n## mlplatform review against `HEAD`\n\nNo stack is touched by this change.\n"
        "\nUnchanged since `HEAD`, not planned: `dev`, `staging`.\n\n"
    )


def test_each_revision_plans_with_its_own_modules_beside_the_program(tmp_path: Path) -> None:
    repo = team_repo(tmp_path)
    outputs = repo / "infra" / "outputs.py"
    edit(outputs, "import pulumi\n", "import pulumi\nimport pulumi_random\n")
    pet = '    pulumi_random.RandomPet("team-pet")\n'
    edit(outputs, "    pulumi.export(", pet + "    pulumi.export(")
    report = tmp_path / "review.md"
    result = review(repo, "HEAD", "--output", str(report))  # the pack mlplatform ships
    assert result.returncode == 0, result.stderr
    text = report.read_text(encoding="utf-8")
    # The change is the program's: both stacks are planned, each at the base with the base's
    # outputs.py (this process imported the new one first, for the plan now).
    for stack in ("dev", "staging"):
        assert f"| ✅ `{stack}` | 1 | 0 | 0 | 0 | 0 | 0 | " in text
    assert text.count("| add | `team-pet` | `random:index/randomPet:RandomPet` |") == 2


DELETED_SECTION = (
    "Deleted since `HEAD~1`: `config/Pulumi.staging.yaml` is gone, so mlplatform no longer "
    "plans stack `staging`, nor does a deploy that takes its stacks from the stack files "
    "(`mlplatform stacks`). Deleting the file destroys nothing: the stack and every resource "
    "it manages keep running, and billing, in its Pulumi backend.\n\n"
    "To take the environment down, do it before the file goes, since the command reads it: "
    "`pulumi destroy --stack staging --remove` destroys every resource, then removes the stack "
    "and its config file (stateful resources are protected: see Teardown in mlplatform's "
    "README). `pulumi stack rm staging` alone refuses while the stack has resources, and "
    "`--force` forgets them without deleting them.\n"
)


def test_a_deleted_stack_is_a_blocking_row_of_its_own(tmp_path: Path) -> None:
    repo = team_repo(tmp_path)
    git(repo, "rm", "-q", "config/Pulumi.staging.yaml")
    git(repo, "commit", "-qm", "no more staging")
    result = review(repo, "HEAD~1")
    assert result.returncode == 5, result.stderr
    assert result.stderr == (
        "review: 0 of 1 stacks touched by the change since HEAD~1: none\n"
        "review: staging deleted since HEAD~1: config/Pulumi.staging.yaml is gone\n"
    )
    assert result.stdout == (
        f"{MARKER}\n## mlplatform review against `HEAD~1`\n\n{HEADER}\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        "| ❌ `staging` | deleted: config/Pulumi.staging.yaml is gone, the stack and its "
        "resources are not: `pulumi destroy --stack staging --remove` takes them down "
        "| | | | | | | |\n\n"
        "Unchanged since `HEAD~1`, not planned: `dev`.\n\n"
        f"<details><summary><code>staging</code></summary>\n\n{DELETED_SECTION}\n</details>\n"
    )


def test_a_stack_left_behind_when_its_config_folder_moves_is_deleted(tmp_path: Path) -> None:
    from mlplatform.checks.review_git import changed_paths, deleted_stacks

    repo = team_repo(tmp_path)
    edit(repo / "Pulumi.yaml", "stackConfigDir: config", "stackConfigDir: envs")
    (repo / "envs").mkdir()
    git(repo, "mv", "config/Pulumi.dev.yaml", "envs/Pulumi.dev.yaml")
    git(repo, "rm", "-q", "config/Pulumi.staging.yaml")
    changed = changed_paths(repo, "HEAD")
    # The base's stackConfigDir (config) is read at the base: Pulumi.yaml is in the change.
    assert deleted_stacks(repo, "HEAD", repo, repo / "envs", changed, {"dev"}) == {
        "staging": "config/Pulumi.staging.yaml"
    }
    # A project new in the change has no stack at the base to delete.
    (repo / "infra" / "Pulumi.yaml").write_text(PROJECT, encoding="utf-8")
    changed = changed_paths(repo, "HEAD")
    assert "infra/Pulumi.yaml" in changed
    assert (
        deleted_stacks(repo, "HEAD", repo / "infra", repo / "infra" / "config", changed, set())
        == {}
    )


def test_deleted_stacks_filter_the_change_when_pulumi_yaml_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With Pulumi.yaml unchanged the stack config folder is the current one: the deleted
    stacks are the change's stack files in it that are gone, with no git and no YAML read."""
    from mlplatform.checks import review_git

    def no_git(*args: object) -> None:
        raise AssertionError(f"git run: {args}")

    monkeypatch.setattr(review_git, "_git", no_git)
    config = tmp_path / "config"
    config.mkdir()
    for name in ("Pulumi.dev.yaml", "Pulumi.qa.yml"):  # still there: not deleted
        (config / name).write_text("config: {}\n", encoding="utf-8")
    changed = [
        "README.md",
        "config/Pulumi.dev.yaml",
        "config/Pulumi.qa.yml",
        "config/Pulumi.staging.yaml",
        "config/Pulumi.test.yml",
        "config/notes.yaml",
        "infra/Pulumi.old.yaml",
    ]
    assert review_git.deleted_stacks(tmp_path, "HEAD", tmp_path, config, changed, {"dev"}) == {
        "staging": "config/Pulumi.staging.yaml",
        "test": "config/Pulumi.test.yml",
    }
