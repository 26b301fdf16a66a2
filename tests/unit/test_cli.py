"""The `mlplatform` command as a user runs it: a separate process with no `pulumi` on PATH."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHIPPED_STACKS, write_stack

NO_PULUMI_PATH = os.pathsep.join(
    d
    for d in os.environ.get("PATH", "").split(os.pathsep)
    if d and not (Path(d) / "pulumi").exists()
)


def mlplatform(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own; no terminal and no COLUMNS (unless in `env`), so
    the tables have their fixed width whatever terminal runs the tests."""
    inherited = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    return subprocess.run(
        [sys.executable, "-m", "mlplatform", *args],
        cwd=cwd,
        env={**inherited, "PATH": NO_PULUMI_PATH, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_no_pulumi_binary_is_reachable() -> None:
    assert shutil.which("pulumi", path=NO_PULUMI_PATH) is None


RESOURCE_COUNTS = {
    "aws-dev": 140,
    "aws-prod": 187,
    "azure-dev": 111,
    "azure-prod": 158,
    "gcp-dev": 84,
    "gcp-prod": 149,
    "local": 54,
}


def test_counts_cover_every_shipped_stack() -> None:
    assert sorted(RESOURCE_COUNTS) == SHIPPED_STACKS


@pytest.mark.parametrize("stack", SHIPPED_STACKS)
def test_every_shipped_stack_plans_offline(stack: str) -> None:
    result = mlplatform("plan", stack, "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["stack"] == stack
    assert document["project"] == "ml-platform"
    assert len(document["resources"]) == RESOURCE_COUNTS[stack]


def test_table_is_a_tree_with_counts() -> None:
    result = mlplatform("plan", "aws-dev")
    assert result.returncode == 0, result.stderr
    assert "ml-platform / aws-dev (target: aws)" in result.stdout
    assert "├── pulumi:pulumi:Stack ml-platform-aws-dev (component)" in result.stdout
    # The default provider of random, a root of its own as in the engine's state.
    assert "└── pulumi:providers:random default_" in result.stdout
    assert "aws:s3/bucket:Bucket ml-aws-dev-artifacts-bucket (protected)" in result.stdout
    assert "140 resources" in result.stdout


def test_default_stack_is_aws_dev() -> None:
    result = mlplatform("plan", "-f", "json")
    assert json.loads(result.stdout)["stack"] == "aws-dev"


def test_markdown_mermaid_and_output_file(tmp_path: Path) -> None:
    markdown = mlplatform("plan", "local", "-f", "markdown")
    assert markdown.stdout.startswith("## Plan: `ml-platform` / `local` (target `kubernetes`)")
    mermaid = mlplatform("plan", "local", "-f", "mermaid")
    lines = mermaid.stdout.splitlines()
    assert lines[0] == "graph TD"
    assert sum(" --> " in line for line in lines) >= 4
    out = tmp_path / "plan.json"
    written = mlplatform("plan", "gcp-dev", "-f", "json", "-o", str(out))
    assert written.returncode == 0 and written.stdout == ""
    assert json.loads(out.read_text())["target"] == "gcp"


def test_plan_from_any_directory_by_path(tmp_path: Path) -> None:
    path = write_stack(tmp_path, {"target": "kubernetes", "environment": "dev"}, "mine")
    result = mlplatform("plan", str(path), "-f", "json", "--project-dir", str(ROOT), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["stack"] == "mine"


def test_invalid_config_exits_2_with_path_value_and_fix(tmp_path: Path) -> None:
    path = write_stack(
        tmp_path,
        {
            "target": "azure",
            "environment": "dev",
            "region": "westeurope",
            "gpuPools": [{"name": "l4", "gpu": "L4"}],
        },
    )
    result = mlplatform("plan", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert (
        "gpuPools[0].gpu: 'L4' is not offered on azure; choose one of A10, A100-40GB, "
        "A100-80GB, H100, H200, T4" in result.stderr
    )


def test_unknown_key_exits_2(tmp_path: Path) -> None:
    path = write_stack(
        tmp_path, {"target": "aws", "environment": "dev", "region": "us-east-1", "protekt": True}
    )
    result = mlplatform("plan", str(path))
    assert result.returncode == 2
    assert "protekt: is not a known key" in result.stderr


@pytest.mark.parametrize("command", ["plan", "cost", "critical-path"])
def test_an_unknown_stack_exits_2_naming_it_and_the_known_stacks(command: str) -> None:
    result = mlplatform(command, "nope")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: no stack 'nope' ({ROOT}/stacks/Pulumi.nope.yaml not found); stacks: "
        f"{', '.join(SHIPPED_STACKS)}\n"
    )


def test_a_plan_reads_the_project_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """`plan` finds the project and the stack in the same pass that plans it: one read of
    Pulumi.yaml, a stack that is not there still exit 2 (`StackNotFoundError`)."""
    from click.testing import CliRunner

    from mlplatform.cli import app
    from mlplatform.engine import runner

    read: list[Path] = []
    document = runner._document

    def counted(project_dir: Path) -> dict[str, object]:
        read.append(project_dir)
        return document(project_dir)

    monkeypatch.setattr(runner, "_document", counted)
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["plan", "local", "-f", "urns"], prog_name="mlplatform")
    assert result.exit_code == 0, result.output
    assert read == [ROOT]
    with pytest.raises(runner.StackNotFoundError) as raised:
        runner.run_stack("nope", ROOT)
    assert str(raised.value) == (
        f"no stack 'nope' ({ROOT}/stacks/Pulumi.nope.yaml not found); stacks: "
        f"{', '.join(SHIPPED_STACKS)}"
    )


def test_version() -> None:
    from mlplatform import __version__

    assert mlplatform("version").stdout.strip() == __version__


CLUSTER_BAD_CONFIGS = [
    (
        {
            "target": "gcp",
            "environment": "dev",
            "region": "us-central1",
            "gcp": {"project": "my-project"},
            "gpuPools": [{"name": "a10", "gpu": "A10"}],
        },
        "gpuPools[0].gpu: 'A10' is not offered on gcp",
    ),
    (
        {
            "target": "aws",
            "environment": "dev",
            "region": "us-east-1",
            "gpuPools": [{"name": "t4", "gpu": "T4", "minNodes": 3, "maxNodes": 1}],
        },
        "gpuPools[0].minNodes: 3 is greater than maxNodes (1)",
    ),
    (
        {
            "target": "azure",
            "environment": "dev",
            "region": "westeurope",
            "budget": {"maxGpus": 8},
            "gpuPools": [{"name": "h100", "gpu": "H100", "gpusPerNode": 8, "maxNodes": 2}],
        },
        "gpuPools: can grow to 16 GPUs (maxNodes x gpusPerNode summed), over budget.maxGpus (8)",
    ),
    (
        {
            "target": "aws",
            "environment": "prod",
            "region": "us-east-1",
            "cluster": {"endpointAccess": "public", "publicAccessCidrs": ["0.0.0.0/0"]},
        },
        "cluster.publicAccessCidrs[0]: '0.0.0.0/0' opens the prod API server to the whole internet",
    ),
]


@pytest.mark.parametrize(("values", "expected"), CLUSTER_BAD_CONFIGS)
def test_bad_cluster_configs_exit_2_before_any_resource(
    tmp_path: Path, values: dict, expected: str
) -> None:
    result = mlplatform("plan", str(write_stack(tmp_path, values)), "-f", "json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert expected in result.stderr


K8S_EXAMPLE = ROOT / "examples" / "kubernetes-yaml"


def copy_example(tmp_path: Path) -> Path:
    """The kubernetes-yaml example as a project of its own; the path to its stack config."""
    project = tmp_path / "project"
    shutil.copytree(K8S_EXAMPLE, project)
    return project / "Pulumi.dev.yaml"


def test_a_stack_file_plans_with_the_project_beside_it(tmp_path: Path) -> None:
    """Not the Pulumi.yaml of the current directory (here this repository's own project)."""
    result = mlplatform("plan", str(copy_example(tmp_path)), "-f", "json", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["project"], document["stack"]) == ("ml-on-kubernetes", "dev")
    assert document["outputs"]["researchNamespace"] == "research"


def test_a_stack_file_plans_with_the_project_above_it(tmp_path: Path) -> None:
    project = tmp_path / "mine"
    (project / "stacks").mkdir(parents=True)
    (project / "Pulumi.yaml").write_text(
        "name: mine\nruntime: python\nstackConfigDir: stacks\n", encoding="utf-8"
    )
    (project / "__main__.py").write_text(
        'import pulumi\n\npulumi.export("team", pulumi.Config().require("team"))\n',
        encoding="utf-8",
    )
    stack_file = project / "stacks" / "Pulumi.dev.yaml"
    stack_file.write_text("config:\n  mine:team: research\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = mlplatform("plan", str(stack_file), "-f", "json", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["project"], document["stack"]) == ("mine", "dev")
    assert document["outputs"] == {"team": "research"}


CONFIG_DIR_PROGRAMS = {
    "python": (
        "name: mine\nruntime: python\nstackConfigDir: config\n",
        'import pulumi\n\npulumi.export("team", pulumi.Config().require("team"))\n',
    ),
    "yaml": (
        "name: mine\nruntime: yaml\nstackConfigDir: config\n"
        "config:\n  team:\n    type: string\noutputs:\n  team: ${team}\n",
        None,
    ),
}


@pytest.mark.parametrize("runtime", sorted(CONFIG_DIR_PROGRAMS))
@pytest.mark.parametrize("stack", ["dev", "config/Pulumi.dev.yaml"])
def test_stack_config_dir_holds_the_stacks_of_either_runtime(
    tmp_path: Path, runtime: str, stack: str
) -> None:
    """Pulumi.yaml's `stackConfigDir`, relative to the project folder, for a Python program
    and a YAML one alike."""
    project, program = CONFIG_DIR_PROGRAMS[runtime]
    (tmp_path / "config").mkdir()
    (tmp_path / "Pulumi.yaml").write_text(project, encoding="utf-8")
    if program is not None:
        (tmp_path / "__main__.py").write_text(program, encoding="utf-8")
    stack_file = tmp_path / "config" / "Pulumi.dev.yaml"
    stack_file.write_text("config:\n  mine:team: research\n", encoding="utf-8")
    result = mlplatform("plan", stack, "-f", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["project"], document["stack"]) == ("mine", "dev")
    assert document["outputs"] == {"team": "research"}


def test_the_table_shows_secret_outputs_at_the_terminal_width(tmp_path: Path) -> None:
    stack_file = copy_example(tmp_path)
    env = {"COLUMNS": "60"}
    result = mlplatform("plan", str(stack_file), cwd=stack_file.parent, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert '│ mlflowAdminPassword  │ "[secret]"                        │' in lines
    # A value too long for the terminal wraps; it is never cut.
    at = lines.index('│ mlflowTrackingUri    │ "http://mlflow.ml.svc.cluster.loc │')
    assert lines[at + 1] == '│                      │ al"                               │'
    assert max(len(line) for line in lines) == 60


PROGRAM_WITH_A_TYPO = """import pulumi


def bucket_name(environment):
    return "ml-" + environment + suffix


pulumi.export("bucket", bucket_name("dev"))
"""


def python_project(tmp_path: Path, program: str) -> Path:
    (tmp_path / "Pulumi.yaml").write_text("name: mine\nruntime: python\n", encoding="utf-8")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n", encoding="utf-8")
    main = tmp_path / "__main__.py"
    main.write_text(program, encoding="utf-8")
    return main


def test_an_error_in_the_program_shows_its_file_line_and_traceback(tmp_path: Path) -> None:
    main = python_project(tmp_path, PROGRAM_WITH_A_TYPO)
    result = mlplatform("plan", "dev", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {main}:5: NameError: name 'suffix' is not defined\n"
        "Traceback of your program (most recent call last):\n"
        f'  File "{main}", line 8, in <module>\n'
        '    pulumi.export("bucket", bucket_name("dev"))\n'
        "                            ^^^^^^^^^^^^^^^^^^\n"
        f'  File "{main}", line 5, in bucket_name\n'
        '    return "ml-" + environment + suffix\n'
        "                                 ^^^^^^\n"
    )


PROGRAM_THAT_REFUSES = """import pulumi


def region(name):
    if name != "eu-west-1":
        raise pulumi.RunError(f"region {name!r} is not allowed; use eu-west-1")
    return name


pulumi.export("region", region("us-east-1"))
"""


def test_a_run_error_in_the_program_shows_its_message_file_and_line(tmp_path: Path) -> None:
    """`pulumi.RunError` is the SDK's error for an expected failure: its message, where the
    program raised it, and no traceback (the SDK's own host prints none for it)."""
    main = python_project(tmp_path, PROGRAM_THAT_REFUSES)
    result = mlplatform("plan", "dev", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"error: {main}:6: region 'us-east-1' is not allowed; use eu-west-1\n"


def test_missing_required_config_shows_the_line_that_requires_it(tmp_path: Path) -> None:
    main = python_project(tmp_path, 'import pulumi\n\npulumi.Config().require("team")\n')
    result = mlplatform("plan", "dev", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: {main}:3: Missing required configuration variable 'mine:team'\n"
        "\tplease set a value using the command `pulumi config set mine:team <value>`\n"
    )


COMPOSED_BY_HAND = """from mlplatform import AksGpuCluster

AksGpuCluster(
    "gpu",
    {
        "kubernetes_version": "1.33",
        "resource_group_name": "rg",
        "location": "westeurope",
        "node_subnet_id": "subnet",
        "gpu_pools": [{"name": "t4", "gpu": "T4"}, {"name": "l4", "gpu": "L4"}],
    },
)
"""


def test_a_component_composed_by_hand_names_the_pool_it_cannot_place(tmp_path: Path) -> None:
    main = python_project(tmp_path, COMPOSED_BY_HAND)
    result = mlplatform("plan", "dev", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: {main}:3: invalid component args (1 problem(s)):\n"
        "  - AksGpuCluster \"gpu\": gpu_pools[1].gpu: 'L4' is not offered on azure; choose one "
        "of A10, A100-40GB, A100-80GB, H100, H200, T4\n"
    )


BAD_ARGS_BY_HAND = """from mlplatform import EksGpuCluster

pool = {"name": "Bad Name!", "gpu": "T4", "min_nodes": 3, "max_nodes": 1, "sharing_mode": "bogus"}
EksGpuCluster(
    "gpu",
    {"kubernetes_version": "1.36", "private_subnet_ids": ["a", "b"], "gpu_pools": [pool]},
)
"""


def test_bad_component_args_exit_2_naming_every_problem_without_a_traceback(
    tmp_path: Path,
) -> None:
    # Issue 21 item 9: the pool was built as given, and a missing region was a KeyError.
    main = python_project(tmp_path, BAD_ARGS_BY_HAND)
    result = mlplatform("plan", "dev", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    where = '  - EksGpuCluster "gpu": '
    assert result.stderr == (
        f"error: {main}:4: invalid component args (4 problem(s)):\n"
        f"{where}gpu_pools[0].name: 'Bad Name!' is invalid: string should match pattern "
        "'^[a-z][a-z0-9-]{0,19}$'; expected: Pool name: lowercase letters, digits and dashes, "
        "at most 20 characters\n"
        f"{where}gpu_pools[0].min_nodes: 3 is greater than max_nodes (1); lower min_nodes or "
        "raise max_nodes\n"
        f"{where}gpu_pools[0].sharing_mode: 'bogus' is invalid; choose one of none, "
        "time-slicing, mps, mig\n"
        f"{where}region: is required; add it\n"
    )


def test_version_and_short_help_on_the_group_and_every_command() -> None:
    from click.testing import CliRunner

    from mlplatform import __version__
    from mlplatform.cli import app

    runner = CliRunner()
    assert mlplatform("--version").stdout == f"{__version__}\n"
    assert mlplatform("-h").stdout == mlplatform("--help").stdout
    shipped = {"check", "cost", "critical-path", "diff", "plan", "review", "summary", "version"}
    assert shipped <= set(app.commands)  # every command below, a new one too
    for command in app.commands:
        version = runner.invoke(app, [command, "--version"], prog_name="mlplatform")
        assert (version.exit_code, version.output) == (0, f"{__version__}\n"), command
        short = runner.invoke(app, [command, "-h"], prog_name="mlplatform")
        long = runner.invoke(app, [command, "--help"], prog_name="mlplatform")
        assert (short.exit_code, short.output) == (0, long.output)
        assert "-h, --help" in short.output
        assert "--version" in short.output


def test_plan_prints_preflights_warnings_and_goes_on() -> None:
    """A fact preflight has no data for is a warning, not a pass and not an error: no table
    gives Azure's GPU VM sizes per region (docs/preflight.md), so azure-dev's T4 pool is
    planned and warned about on stderr, the plan itself on stdout."""
    result = mlplatform("plan", "azure-dev", "--format", "urns")
    assert result.returncode == 0, result.stderr
    assert (
        "warning: preflight: gpuPools[0].gpu: 'T4' resolves to Standard_NC4as_T4_v3, whose "
        "availability in westeurope could not be checked (no availability table covers it "
        "there); check with `az vm list-skus --location westeurope --size "
        "Standard_NC4as_T4_v3 --output table`"
    ) in result.stderr.splitlines()
    assert all(line.startswith("urn:pulumi:azure-dev::") for line in result.stdout.splitlines())
