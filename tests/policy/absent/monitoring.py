"""Left-out cases for the rules of policies/mlplatform_policies/monitoring.py."""

from __future__ import annotations

from tests.policy.absent.common import left_out
from tests.policy.absent.gpu import AUTOSCALED, gke, templated
from tests.policy.cases import NG, NP, POLICY, PROM_RULE, Case, eks_pool, res

ALERTS = "platform-gpu-alert-rules-present"
NO_GPU_ALERTS = ["GPU pools exist but no alert rule reads GPU (DCGM) metrics"]
DCGM_THRESHOLD = {
    "displayName": "GPU idle",
    "conditionThreshold": {
        "filter": 'metric.type = "prometheus.googleapis.com/DCGM_FI_DEV_GPU_UTIL/gauge"',
        "comparison": "COMPARISON_LT",
        "thresholdValue": 10,
        "duration": "1800s",
    },
}

CASES: list[Case] = [
    left_out(
        ALERTS, PROM_RULE, "spec.groups", [eks_pool(), res(PROM_RULE, {"spec": {}})], NO_GPU_ALERTS
    ),
    # A metric-threshold condition can read DCGM too: the rule wants the PromQL it knows.
    left_out(
        ALERTS,
        POLICY,
        "conditions[].conditionPrometheusQueryLanguage",
        [eks_pool(), res(POLICY, {"conditions": [DCGM_THRESHOLD]})],
        NO_GPU_ALERTS,
    ),
    left_out(
        ALERTS,
        NP,
        "nodeConfig.guestAccelerators",
        [gke(AUTOSCALED, "guestAccelerators")],
        NO_GPU_ALERTS,
    ),
    left_out(ALERTS, NG, "instanceTypes", templated("g5.xlarge"), NO_GPU_ALERTS),
]
