"""What a target's builder is given (`Scope`), and the `build` that `MlPlatform` calls."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pulumi

from mlplatform.compose.result import Built
from mlplatform.environment import PlatformConfig


@dataclass(frozen=True)
class Scope:
    """What every step builds from: the `MlPlatform` the resources go under, its name, the
    spec, the tags of every resource and the webhooks alerts post to."""

    parent: pulumi.Resource
    name: str
    cfg: PlatformConfig
    tags: Mapping[str, str]
    webhooks: Sequence[pulumi.Input[str]]


Builder = Callable[
    [pulumi.Resource, str, PlatformConfig, Mapping[str, str], Sequence[pulumi.Input[str]]], Built
]
"""A target's `build`: its components under the platform (parent, name, spec, tags,
webhooks)."""


def scoped(build: Callable[[Scope], Built]) -> Builder:
    """The `build` of a target that builds from a `Scope`."""

    def builder(
        parent: pulumi.Resource,
        name: str,
        cfg: PlatformConfig,
        tags: Mapping[str, str],
        webhooks: Sequence[pulumi.Input[str]],
    ) -> Built:
        return build(Scope(parent, name, cfg, tags, webhooks))

    return builder
