"""`monitoring.prometheus: managed` on Azure and GCP, on the captured plans of azure-prod and
gcp-prod: the managed store runs every platform rule and alerts to the platform's channel,
Prometheus ships to it on a workload identity, Grafana reads it back."""

from __future__ import annotations

import pytest

from mlplatform.azure.prometheus import azure_rules, iso_duration
from mlplatform.engine import Plan
from mlplatform.engine.mocks import TENANT_ID, physical_name
from mlplatform.gcp.prometheus import documentation_text, seconds
from mlplatform.kubernetes.monitoring.rules import rule_groups
from tests.helpers import one

RELEASE = "kubernetes:helm.sh/v3:Release"
RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule"


def prometheus_values(plan: Plan) -> dict:
    [stack] = [r for r in plan.of_type(RELEASE) if r.inputs["chart"] == "kube-prometheus-stack"]
    return stack.inputs["values"]


def test_durations_convert_or_refuse() -> None:
    assert [iso_duration(d) for d in ("30s", "15m", "1h", "2d")] == [
        "PT30S",
        "PT15M",
        "PT1H",
        "P2D",
    ]
    assert [seconds(d) for d in ("0m", "30s", "15m", "1h")] == ["0s", "30s", "900s", "3600s"]
    for convert in (iso_duration, seconds):
        with pytest.raises(ValueError, match="1h30m"):
            convert("1h30m")


def test_annotation_templates_become_documentation_variables() -> None:
    assert documentation_text(
        "{{ $labels.namespace }}/{{$labels.pod}} at {{ $value | humanize }}% ({{ $value }})"
    ) == (
        "${metric_or_resource.label.namespace}/${metric_or_resource.label.pod} at "
        "${metric.label.value}% (${metric.label.value})"
    )


def test_azure_rules_keep_expression_labels_and_annotations() -> None:
    [gpu, *_] = rule_groups()
    rules = azure_rules(gpu, "ag-id")
    assert [r["alert"] for r in rules] == [r["alert"] for r in gpu["rules"]]
    for azure, source in zip(rules, gpu["rules"], strict=True):
        assert (azure["expression"], azure["labels"], azure["annotations"]) == (
            source["expr"],
            source["labels"],
            source["annotations"],
        )
        assert azure["severity"] == {"critical": 0, "warning": 2}[source["labels"]["severity"]]
        assert azure["actions"] == [{"action_group_id": "ag-id"}]
    by_name = {r["alert"]: r for r in rules}
    assert by_name["GpuIdleWhileAllocated"]["for_"] == "PT60M"
    assert "for_" not in by_name["GpuXidError"]  # fires at once ("for: 0m")


def test_azure_monitor_workspace_runs_the_rules_and_alerts_to_the_action_group(
    shipped_plans: dict[str, Plan],
) -> None:
    plan = shipped_plans["azure-prod"]
    workspace = one(plan, "azure-native:monitor:AzureMonitorWorkspace")
    assert workspace.protect is True
    workspace_id = (
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/"
        f"{physical_name('ml-azure-prod-rg')}/providers/Microsoft.Monitor/accounts/"
        f"{physical_name(workspace.name)}"
    )
    action_group = one(plan, "azure-native:monitor:ActionGroup")
    cluster = physical_name(one(plan, "azure-native:containerservice:ManagedCluster").name)
    groups = {
        r.name.removeprefix("ml-azure-prod-prometheus-"): r.inputs
        for r in plan.of_type("azure-native:alertsmanagement:PrometheusRuleGroup")
    }
    # azure-prod queues its GPU jobs (mlplatform:scheduling) and serves models
    # (mlplatform:serving): the queue and serving groups come along.
    expected = {g["name"]: g for g in rule_groups(queues=True, serving=True)}
    assert sorted(groups) == sorted(expected)
    for name, group in groups.items():
        assert (group["scopes"], group["clusterName"], group["interval"]) == (
            [workspace_id],
            cluster,
            "PT1M",
        )
        assert [r["alert"] for r in group["rules"]] == [r["alert"] for r in expected[name]["rules"]]
        for rule in group["rules"]:
            [action] = rule["actions"]
            assert action["actionGroupId"].endswith(f"/{physical_name(action_group.name)}")
    # The same rules are not evaluated a second time in the cluster.
    assert plan.of_type(RULE) == []


def test_azure_prometheus_writes_with_workload_identity_grafana_reads_the_workspace(
    shipped_plans: dict[str, Plan],
) -> None:
    plan = shipped_plans["azure-prod"]
    dce = one(plan, "azure-native:monitor:DataCollectionEndpoint")
    dcr = one(plan, "azure-native:monitor:DataCollectionRule", "-prometheus-dcr")
    assert (dcr.inputs["kind"], dcr.inputs["dataSources"]) == (
        "Linux",
        {
            "prometheusForwarder": [
                {"name": "prometheus", "streams": ["Microsoft-PrometheusMetrics"]}
            ]
        },
    )
    assert dcr.inputs["dataFlows"] == [
        {"streams": ["Microsoft-PrometheusMetrics"], "destinations": ["workspace"]}
    ]
    assert dcr.inputs["dataCollectionEndpointId"].endswith(f"/{physical_name(dce.name)}")
    roles = {
        r.name.removeprefix("ml-azure-prod-prometheus-"): r.inputs
        for r in plan.of_type("azure-native:authorization:RoleAssignment")
        if r.name.startswith("ml-azure-prod-prometheus-")
    }
    assert {k: v["roleDefinitionId"].rsplit("/", 1)[1] for k, v in roles.items()} == {
        "writer": "3913510d-42f4-4e42-8a64-420c390055eb",  # Monitoring Metrics Publisher
        "reader": "b0d8363b-8ddd-447d-831f-62ca05bff136",  # Monitoring Data Reader
    }
    assert roles["writer"]["scope"].endswith(f"/dataCollectionRules/{physical_name(dcr.name)}")
    federation = {
        r.name: r.inputs["subject"]
        for r in plan.of_type("azure-native:managedidentity:FederatedIdentityCredential")
    }
    assert federation["ml-azure-prod-prometheus-writer-federation"] == (
        "system:serviceaccount:monitoring:prometheus"
    )
    assert federation["ml-azure-prod-grafana-reader-federation"] == (
        "system:serviceaccount:monitoring:grafana"
    )
    values = prometheus_values(plan)
    spec = values["prometheus"]["prometheusSpec"]
    [remote] = spec["remoteWrite"]
    assert remote["url"].startswith("https://ml-azure-prod-prometheus-dce-")
    assert remote["url"].endswith(
        "/streams/Microsoft-PrometheusMetrics/api/v1/write?api-version=2023-04-24"
    )
    writer_client = remote["azureAd"]["workloadIdentity"]["clientId"]
    assert remote["azureAd"] == {
        "cloud": "AzurePublic",
        "workloadIdentity": {"clientId": writer_client, "tenantId": TENANT_ID},
    }
    assert values["prometheus"]["serviceAccount"]["annotations"] == {
        "azure.workload.identity/client-id": writer_client
    }
    assert spec["podMetadata"] == {"labels": {"azure.workload.identity/use": "true"}}
    assert spec["externalLabels"] == {"cluster": groups_cluster(plan)}
    grafana = values["grafana"]
    assert grafana["podLabels"] == {"azure.workload.identity/use": "true"}
    assert grafana["plugins"] == ["grafana-azureprometheus-datasource"]
    assert grafana["grafana.ini"] == {
        "auth": {"azure_auth_enabled": True},
        "azure": {"workload_identity_enabled": True},
    }
    [source] = grafana["additionalDataSources"]
    assert source["type"] == "grafana-azureprometheus-datasource"
    assert source["url"].endswith(".westeurope.prometheus.monitor.azure.com")
    assert source["jsonData"]["azureCredentials"] == {"authType": "workloadidentity"}
    assert (values["alertmanager"], values["defaultRules"]) == (
        {"enabled": False},
        {"create": False},
    )


def groups_cluster(plan: Plan) -> str:
    return physical_name(one(plan, "azure-native:containerservice:ManagedCluster").name)


def test_gcp_rules_are_promql_alert_policies_to_the_channels(
    shipped_plans: dict[str, Plan],
) -> None:
    plan = shipped_plans["gcp-prod"]
    channel = physical_name(
        one(plan, "gcp:monitoring/notificationChannel:NotificationChannel").name
    )
    policies = {
        r.name.removeprefix("ml-gcp-prod-prometheus-"): r.inputs
        for r in plan.of_type("gcp:monitoring/alertPolicy:AlertPolicy")
        if r.name.startswith("ml-gcp-prod-prometheus-")
    }
    every = rule_groups(queues=True, serving=True)  # gcp-prod queues jobs and serves models
    rules = {r["alert"]: (g["name"], r) for g in every for r in g["rules"]}
    assert sorted(policies) == sorted(rules)
    for alert, (group, rule) in rules.items():
        policy = policies[alert]
        [condition] = policy["conditions"]
        assert condition["conditionPrometheusQueryLanguage"] == {
            "query": rule["expr"],
            "duration": seconds(rule["for"]),
            "evaluationInterval": "60s",
            "labels": rule["labels"],
            "ruleGroup": group,
            "alertRule": alert,
            "disableMetricValidation": True,
        }
        assert policy["severity"] == rule["labels"]["severity"].upper()
        assert policy["notificationChannels"] == [channel]
        assert "{{" not in policy["documentation"]["content"], alert
    assert (
        policies["GpuIdleWhileAllocated"]["conditions"][0]["conditionPrometheusQueryLanguage"][
            "duration"
        ]
        == "3600s"
    )
    assert plan.of_type(RULE) == []


def test_gcp_prometheus_exports_through_the_gmp_fork_and_grafana_reads_the_frontend(
    shipped_plans: dict[str, Plan],
) -> None:
    plan = shipped_plans["gcp-prod"]
    cluster = physical_name(one(plan, "gcp:container/cluster:Cluster").name)
    values = prometheus_values(plan)
    spec = values["prometheus"]["prometheusSpec"]
    assert spec["image"] == {
        "registry": "gke.gcr.io",
        "repository": "prometheus-engine/prometheus",
        "tag": "v2.53.5-gmp.2-gke.0",
    }
    assert spec["version"] == "v2.53.5"
    assert "remoteWrite" not in spec
    assert spec["externalLabels"] == {
        "project_id": "my-ml-platform-prod",
        "location": "us-central1",
        "cluster": cluster,
    }
    writer = "ml-gcp-prod-prometheus-writer@my-ml-platform-prod.iam.gserviceaccount.com"
    reader = "ml-gcp-prod-query-reader@my-ml-platform-prod.iam.gserviceaccount.com"
    assert values["prometheus"]["serviceAccount"]["annotations"] == {
        "iam.gke.io/gcp-service-account": writer
    }
    grants = {
        r.name: (r.inputs["role"], r.inputs["member"])
        for r in plan.of_type("gcp:projects/iAMMember:IAMMember")
        if r.name.startswith("ml-gcp-prod-prometheus-")
    }
    assert grants == {
        "ml-gcp-prod-prometheus-writer": (
            "roles/monitoring.metricWriter",
            f"serviceAccount:{writer}",
        ),
        "ml-gcp-prod-prometheus-reader": ("roles/monitoring.viewer", f"serviceAccount:{reader}"),
    }
    bindings = {
        r.name: r.inputs["member"] for r in plan.of_type("gcp:serviceaccount/iAMMember:IAMMember")
    }
    assert bindings["ml-gcp-prod-query-reader-wi-user"] == (
        "serviceAccount:my-ml-platform-prod.svc.id.goog[monitoring/gmp-query-frontend]"
    )
    account = one(plan, "kubernetes:core/v1:ServiceAccount", "-query-frontend")
    assert account.inputs["metadata"]["annotations"] == {"iam.gke.io/gcp-service-account": reader}
    deployment = one(plan, "kubernetes:apps/v1:Deployment", "-query-frontend")
    [container] = deployment.inputs["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "gke.gcr.io/prometheus-engine/frontend:v0.15.3-gke.0"
    assert container["args"] == [
        "--web.listen-address=:9090",
        "--query.project-id=my-ml-platform-prod",
    ]
    assert deployment.inputs["spec"]["template"]["spec"]["serviceAccountName"] == (
        "gmp-query-frontend"
    )
    policy = one(plan, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "-query-frontend")
    assert (
        policy.inputs["spec"]["podSelector"]["matchLabels"]
        == (deployment.inputs["spec"]["selector"]["matchLabels"])
    )
    assert policy.inputs["spec"]["ingress"] == [
        {
            "from": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "grafana"}}}],
            "ports": [{"protocol": "TCP", "port": 9090}],
        }
    ]
    service = one(plan, "kubernetes:core/v1:Service", "-query-frontend")
    assert service.inputs["metadata"]["name"] == "gmp-query-frontend"
    grafana = values["grafana"]
    [source] = grafana["additionalDataSources"]
    assert (source["type"], source["url"], source["isDefault"]) == (
        "prometheus",
        "http://gmp-query-frontend:9090",
        True,
    )
    assert "serviceAccount" not in grafana  # Grafana holds no Google credential
