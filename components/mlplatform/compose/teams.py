"""Team namespaces on any target: one `TeamNamespace` per team, bound to its workload
identity, renames kept through aliases."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pulumi

from mlplatform.environment import PlatformConfig
from mlplatform.environment.queues import quota_ceilings

Identity = tuple[pulumi.Input[Mapping[str, str]], Mapping[str, str]]
"""(service account annotations, service account labels) of a team's workload identity."""
IdentityFor = Callable[[str, Sequence[pulumi.Alias]], Identity]
"""Makes the workload identity of a team (its name, the aliases of its old names)."""


def team_aliases(name: str, previous_names: Sequence[str]) -> list[pulumi.Alias]:
    """What keeps a renamed team's resources: its `TeamNamespace` and its workload identity
    are both named `<name>-team-<team>`, so each previous name is an alias of both; their
    children inherit it (the engine swaps their names' prefix too)."""
    return [pulumi.Alias(name=f"{name}-team-{old}") for old in previous_names]


def add_teams(
    name: str,
    cfg: PlatformConfig,
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
    identity_for: IdentityFor | None = None,
) -> list[pulumi.Output[str]]:
    """One `TeamNamespace` per team, its service account bound through `identity_for`; a
    team's `previousNames` become aliases of both. Its GPU quota is its `maxGpus`, or with
    scheduling on the most Kueue could admit for it (a ceiling for pods that bypass Kueue)."""
    from mlplatform.kubernetes.teams import TeamNamespace

    namespaces = []
    ceilings = quota_ceilings(cfg)
    for team in cfg.teams:
        aliases = team_aliases(name, team.previous_names)
        annotations, labels = identity_for(team.name, aliases) if identity_for else ({}, {})
        created = TeamNamespace(
            f"{name}-team-{team.name}",
            {
                "namespace": team.name,
                "max_gpus": ceilings[team.name],
                "service_account_annotations": annotations,
                "service_account_labels": labels,
                "tags": tags,
            },
            pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(aliases=aliases)),
        )
        namespaces.append(created.namespace)
    return namespaces
