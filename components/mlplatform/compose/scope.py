"""What a target's builder is given (`Scope`), and the shape of the `build` that `MlPlatform`
calls (`Builder`)."""

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


Builder = Callable[[Scope], Built]
"""`mlplatform.compose.<target>.build`: the target's components under `Scope.parent`."""
