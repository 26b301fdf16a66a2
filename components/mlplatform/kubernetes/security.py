"""The hardened security contexts every platform pod uses (Pod Security "restricted")."""

from __future__ import annotations

import pulumi_kubernetes as k8s

RESTRICTED_CONTAINER: k8s.core.v1.SecurityContextArgsDict = {
    "allow_privilege_escalation": False,
    "read_only_root_filesystem": True,
    "capabilities": {"drop": ["ALL"]},
}
"""No privilege escalation, read-only root filesystem, every capability dropped."""


def restricted_pod(uid: int) -> k8s.core.v1.PodSecurityContextArgsDict:
    """Non-root as `uid` (user, group and volume group), RuntimeDefault seccomp."""
    return {
        "run_as_non_root": True,
        "run_as_user": uid,
        "run_as_group": uid,
        "fs_group": uid,
        "seccomp_profile": {"type": "RuntimeDefault"},
    }
