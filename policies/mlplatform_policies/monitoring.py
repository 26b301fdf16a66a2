"""Monitoring: where GPU pools exist, the platform's GPU alert rules exist too, wherever they
run (in-cluster PrometheusRule, AMP rule namespace, Azure Prometheus rule group, or Cloud
Monitoring PromQL policy)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from mlplatform_policies.gpu import (
    EKS_NODE_GROUP,
    NO_ACCELERATORS,
    POOL_TYPES,
    S_EKS_INSTANCE_TYPES,
    gpu_pool,
)
from mlplatform_policies.model import Absent, Config, Resource, Rule, get, items, of_type

PROMETHEUS_RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule"
AMP_RULES = "aws:amp/ruleGroupNamespace:RuleGroupNamespace"
AZURE_RULES = "azure-native:alertsmanagement:PrometheusRuleGroup"
GCP_POLICY = "gcp:monitoring/alertPolicy:AlertPolicy"
GPU_METRIC = "DCGM_FI_"
"""Every GPU alert reads the DCGM exporter's metrics."""


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a nested value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, Sequence):
        for item in value:
            yield from _strings(item)


def _reads_gpu_metrics(resource: Resource) -> bool:
    props = resource.props
    if resource.type == PROMETHEUS_RULE:
        text = " ".join(_strings(get(props, "spec.groups")))
    elif resource.type == AMP_RULES:
        text = str(get(props, "data", ""))
    elif resource.type == AZURE_RULES:
        text = " ".join(str(get(r, "expression", "")) for r in items(props, "rules"))
    else:
        text = " ".join(
            str(get(c, "conditionPrometheusQueryLanguage.query", ""))
            for c in items(props, "conditions")
        )
    return GPU_METRIC in text


def _gpu_alerts(resources: Sequence[Resource], _: Config) -> Iterator[tuple[str, str]]:
    pools = [r for r in of_type(resources, *POOL_TYPES) if gpu_pool(r, resources) is not None]
    if not pools:
        return
    rules = of_type(resources, PROMETHEUS_RULE, AMP_RULES, AZURE_RULES, GCP_POLICY)
    if not any(_reads_gpu_metrics(r) for r in rules):
        yield "GPU pools exist but no alert rule reads GPU (DCGM) metrics", pools[0].urn


RULES = (
    Rule(
        id="MLP-MON-01",
        name="platform-gpu-alert-rules-present",
        description="Where GPU pools exist, GPU alert rules exist.",
        enforcement="mandatory",
        severity="medium",
        resource_types=(*POOL_TYPES, PROMETHEUS_RULE, AMP_RULES, AZURE_RULES, GCP_POLICY),
        anchor="mlplatform",
        frameworks=(),
        remediation="Set monitoring.enabled: true (the platform's GPU rules come with it).",
        stack_check=_gpu_alerts,
        absent=(
            Absent(
                PROMETHEUS_RULE,
                "spec.groups",
                "no rule groups: no alert",
                "prometheus-operator v0.93.1 CRD monitoring.coreos.com_prometheusrules.yaml "
                "(spec required, spec.groups not)",
                "unsafe",
            ),
            Absent(
                GCP_POLICY,
                "conditions[].conditionPrometheusQueryLanguage",
                "a condition of another kind (conditionThreshold, conditionAbsent, ...), which "
                "can read DCGM metrics too: the rule wants the PromQL it can read",
                "pulumi-gcp 10.2.0 AlertPolicy.conditions: one of conditionThreshold, "
                "conditionAbsent, conditionMatchedLog, conditionMonitoringQueryLanguage, "
                "conditionPrometheusQueryLanguage, conditionSql",
                "stricter",
            ),
            NO_ACCELERATORS,
            Absent(
                EKS_NODE_GROUP,
                "instanceTypes",
                "the launch template's instance type (followed through the launchTemplate "
                "dependency), else t3.medium",
                S_EKS_INSTANCE_TYPES,
                "unsafe",
            ),
        ),
    ),
)
