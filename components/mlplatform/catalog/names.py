"""The closed value sets of a GPU pool: portable GPU names and GPU sharing modes.

Each is a `StrEnum`, which the spec validates against and the component package's schema
shows other languages as an enum, and a `Literal` of the same values, which is what Python
code writes: `{"gpu": "H100"}` type-checks, `{"gpu": "H10"}` does not. A type checker cannot
derive either from the other, so both are here, side by side; `tests/unit/test_catalog.py`
holds them equal.
"""

from enum import StrEnum
from typing import Literal


class GpuName(StrEnum):
    """Portable GPU names, resolved per cloud by the GPU catalog."""

    T4 = "T4"
    L4 = "L4"
    A10 = "A10"
    A100_40GB = "A100-40GB"
    A100_80GB = "A100-80GB"
    H100 = "H100"
    H200 = "H200"


GpuNameText = Literal["T4", "L4", "A10", "A100-40GB", "A100-80GB", "H100", "H200"]
"""A `GpuName` as Python code writes it."""


class SharingMode(StrEnum):
    """How pods share a GPU."""

    # The NVIDIA device plugin's sharing strategies (k8s-device-plugin README, "Shared Access
    # to GPUs": `sharing.timeSlicing`, `sharing.mps`) and Multi-Instance GPU (NVIDIA MIG user
    # guide; the plugin's `migStrategy`).
    NONE = "none"
    TIME_SLICING = "time-slicing"
    MPS = "mps"
    MIG = "mig"


SharingModeText = Literal["none", "time-slicing", "mps", "mig"]
"""A `SharingMode` as Python code writes it."""
