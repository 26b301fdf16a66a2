"""The monitoring stack on the captured plan: pinned charts, the DCGM exporter on GPU nodes
only, retention and volumes from config, the generated rules and dashboards, MLflow's scrape."""

from __future__ import annotations

import hashlib
import json

import yaml

from mlplatform.engine import Plan
from mlplatform.engine.mocks import physical_name
from mlplatform.kubernetes.monitoring.metrics import dcgm_counters_csv
from mlplatform.kubernetes.monitoring.rules import Thresholds, rule_groups
from tests.conftest import PlanConfig
from tests.helpers import depends_on, one

RELEASE = "kubernetes:helm.sh/v3:Release"
RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule"
MONITOR = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor"
GCP = {
    "target": "gcp",
    "environment": "dev",
    "region": "us-central1",
    "gcp": {"project": "my-ml-project"},
}


def release(plan: Plan, chart: str):
    [found] = [r for r in plan.of_type(RELEASE) if r.inputs["chart"] == chart]
    return found


def test_charts_are_pinned_upstream_releases(shipped_plans: dict[str, Plan]) -> None:
    plan = shipped_plans["gcp-prod"]
    stack = release(plan, "kube-prometheus-stack")
    dcgm = release(plan, "dcgm-exporter")
    assert (stack.inputs["version"], stack.inputs["repositoryOpts"]) == (
        "88.5.3",
        {"repo": "https://prometheus-community.github.io/helm-charts"},
    )
    assert (dcgm.inputs["version"], dcgm.inputs["repositoryOpts"]) == (
        "4.8.2",
        {"repo": "https://nvidia.github.io/dcgm-exporter/helm-charts"},
    )
    assert stack.inputs["namespace"] == dcgm.inputs["namespace"] == "monitoring"
    # The exporter installs beside the operator; only its ServiceMonitor needs the CRDs.
    assert not depends_on(dcgm, stack)
    monitor = one(plan, MONITOR, "-dcgm-exporter-monitor")
    assert depends_on(monitor, stack)


def test_dcgm_exporter_runs_only_on_gpu_nodes_with_our_counters(
    shipped_plans: dict[str, Plan],
) -> None:
    values = release(shipped_plans["aws-dev"], "dcgm-exporter").inputs["values"]
    assert values["nodeSelector"] == {"nvidia.com/gpu.present": "true"}
    assert {t["key"] for t in values["tolerations"]} == {
        "nvidia.com/gpu",
        "CriticalAddonsOnly",
        "kubernetes.azure.com/scalesetpriority",
    }
    assert values["customMetrics"] == dcgm_counters_csv()
    assert "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL, counter" in values["customMetrics"]
    assert values["serviceMonitor"] == {"enabled": False}  # ours, below, waits for the CRDs
    assert "extraVolumeMounts" not in values  # the chart's counters-file mount stays
    assert values["podAnnotations"]["mlplatform.io/counters-sha256"] == (
        hashlib.sha256(dcgm_counters_csv().encode()).hexdigest()
    )


def test_dcgm_exporter_is_scraped_by_our_service_monitor(shipped_plans: dict[str, Plan]) -> None:
    plan = shipped_plans["aws-dev"]
    monitor = one(plan, MONITOR, "-dcgm-exporter-monitor")
    assert monitor.inputs["metadata"]["name"] == "mlplatform-dcgm-exporter"
    assert monitor.inputs["metadata"]["namespace"] == "monitoring"
    # The chart's own selector: its Service carries the release's name and instance labels.
    assert monitor.inputs["spec"] == {
        "selector": {
            "matchLabels": {
                "app.kubernetes.io/name": "dcgm-exporter",
                "app.kubernetes.io/instance": "dcgm-exporter",
            }
        },
        "namespaceSelector": {"matchNames": ["monitoring"]},
        # The workload's pod/namespace labels win; GPUs no pod holds carry none.
        "endpoints": [
            {
                "port": "metrics",
                "path": "/metrics",
                "interval": "15s",
                "honorLabels": True,
                "relabelings": [{"action": "labeldrop", "regex": "pod|namespace|container"}],
            }
        ],
    }
    assert release(plan, "dcgm-exporter").inputs["name"] == "dcgm-exporter"


def test_dcgm_exporter_on_gke_finds_the_host_driver(shipped_plans: dict[str, Plan]) -> None:
    values = release(shipped_plans["gcp-prod"], "dcgm-exporter").inputs["values"]
    assert values["arguments"] == [
        "-f",
        "/etc/dcgm-exporter/default-counters.csv",
        "--kubernetes-gpu-id-type",
        "device-name",
    ]
    assert values["extraHostVolumes"] == [
        {"name": "nvidia-install-dir-host", "hostPath": "/home/kubernetes/bin/nvidia"}
    ]
    assert values["extraVolumeMounts"] == [
        {
            "name": "exporter-metrics-volume",
            "mountPath": "/etc/dcgm-exporter/default-counters.csv",
            "subPath": "default-counters.csv",
        },
        {"name": "nvidia-install-dir-host", "mountPath": "/usr/local/nvidia", "readOnly": True},
    ]
    assert values["extraEnv"] == [{"name": "LD_LIBRARY_PATH", "value": "/usr/local/nvidia/lib64"}]


def test_prometheus_retention_volume_and_resources_from_config(
    shipped_plans: dict[str, Plan],
) -> None:
    values = release(shipped_plans["local"], "kube-prometheus-stack").inputs["values"]
    spec = values["prometheus"]["prometheusSpec"]
    assert (spec["retention"], spec["retentionSize"]) == ("7d", "8GiB")
    assert spec["storageSpec"]["volumeClaimTemplate"]["spec"] == {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "10Gi"}},
    }
    assert spec["resources"] == {
        "requests": {"cpu": "500m", "memory": "2Gi"},
        "limits": {"memory": "2Gi"},
    }
    assert not any(
        spec[k]
        for k in (
            "ruleSelectorNilUsesHelmValues",
            "serviceMonitorSelectorNilUsesHelmValues",
            "podMonitorSelectorNilUsesHelmValues",
        )
    )
    grafana = values["grafana"]
    assert grafana["admin"]["existingSecret"] == "grafana-admin"
    assert grafana["sidecar"]["dashboards"]["label"] == "grafana_dashboard"
    assert "config" not in values["alertmanager"]  # no webhooks configured


def test_rules_carry_the_configured_thresholds(plan_config: PlanConfig) -> None:
    plan = plan_config(
        {
            **GCP,
            "monitoring": {
                "enabled": True,
                "alerts": {"gpuIdlePercent": 20, "gpuIdleMinutes": 45},
                "notifications": {"webhooks": ["https://hooks.example.com/alerts"]},
            },
        }
    )
    rule = one(plan, RULE)
    # No MLflow on this stack: no MLflow alerts (MlflowDown would fire for ever).
    assert rule.inputs["spec"]["groups"] == rule_groups(
        Thresholds(gpu_idle_percent=20, gpu_idle_minutes=45), mlflow=False
    )
    assert [g["name"] for g in rule.inputs["spec"]["groups"]] == [
        "mlplatform-gpu",
        "mlplatform-storage",
    ]
    assert depends_on(rule, release(plan, "kube-prometheus-stack"))
    values = release(plan, "kube-prometheus-stack").inputs["values"]
    assert values["alertmanager"]["config"] == "[secret]"
    # A stack without GPU pools gets no DCGM exporter.
    assert [r.inputs["chart"] for r in plan.of_type(RELEASE)] == ["kube-prometheus-stack"]


def test_serving_brings_its_alerts_and_dashboard(plan_config: PlanConfig) -> None:
    plan = plan_config(
        {
            "target": "kubernetes",
            "environment": "dev",
            "kubernetes": {"context": "kind-mlplatform"},
            "teams": [{"name": "research", "maxGpus": 1}],
            "mlflow": {"enabled": True, "replicas": 1},
            "serving": {
                "enabled": True,
                "models": [
                    {
                        "name": "churn",
                        "team": "research",
                        "modelUri": "mlflow-artifacts:/1/models/m-0123abcd/artifacts",
                    }
                ],
            },
            "monitoring": {
                "enabled": True,
                "alerts": {"servingLatencySeconds": 0.5, "servingErrorPercent": 2},
            },
        }
    )
    rule = one(plan, RULE)
    thresholds = Thresholds(serving_latency_seconds=0.5, serving_error_percent=2)
    assert rule.inputs["spec"]["groups"] == rule_groups(thresholds, serving=True)
    assert rule.inputs["spec"]["groups"][-1]["name"] == "mlplatform-serving"
    config_map = one(plan, "kubernetes:core/v1:ConfigMap", "-mlplatform-serving")
    assert config_map.inputs["metadata"]["labels"]["grafana_dashboard"] == "1"
    model = json.loads(config_map.inputs["data"]["mlplatform-serving.json"])
    assert [p["title"] for p in model["panels"]] == [
        "Inference requests per second by model",
        "Inference latency p95 by model",
        "Inference server errors by model",
        "Replicas available by model",
    ]
    assert model["panels"][1]["description"].endswith("ModelServingSlow fires above 0.5s.")


def test_dashboards_are_sidecar_configmaps_of_valid_json(shipped_plans: dict[str, Plan]) -> None:
    plan = shipped_plans["aws-dev"]
    maps = [r for r in plan.of_type("kubernetes:core/v1:ConfigMap") if "-mlplatform-" in r.name]
    assert sorted(m.inputs["metadata"]["name"] for m in maps) == [
        "mlplatform-gpu-fleet",
        "mlplatform-gpu-waste",
        "mlplatform-mlflow",
    ]
    for config_map in maps:
        assert config_map.inputs["metadata"]["labels"]["grafana_dashboard"] == "1"
        [(key, text)] = config_map.inputs["data"].items()
        dashboard = json.loads(text)
        assert key == f"{dashboard['uid']}.json" and dashboard["panels"]


def test_mlflow_is_scraped_with_its_admin_credentials(shipped_plans: dict[str, Plan]) -> None:
    plan = shipped_plans["aws-dev"]
    monitor = one(plan, MONITOR, "-mlflow-metrics")
    secret = one(plan, "kubernetes:core/v1:Secret", "-mlflow-credentials")
    secret_name = secret.inputs["metadata"]["name"]
    assert monitor.inputs["metadata"]["namespace"] == "mlflow"
    assert monitor.inputs["spec"] == {
        "jobLabel": "app.kubernetes.io/name",
        "selector": {
            "matchLabels": {
                "app.kubernetes.io/name": "mlflow",
                "app.kubernetes.io/component": "tracking-server",
            }
        },
        "endpoints": [
            {
                "port": "http",
                "path": "/metrics",
                "interval": "30s",
                "basicAuth": {
                    "username": {"name": secret_name, "key": "admin-username"},
                    "password": {"name": secret_name, "key": "admin-password"},
                },
            }
        ],
    }
    assert depends_on(monitor, release(plan, "kube-prometheus-stack"))
    policy = one(plan, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "-mlflow-ingress")
    peers = policy.inputs["spec"]["ingress"][0]["from"]
    assert {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}
    } in (peers)


def test_monitoring_off_creates_nothing(plan_config: PlanConfig) -> None:
    plan = plan_config({**GCP, "mlflow": {"enabled": True}})
    assert plan.of_type(RULE) == plan.of_type(MONITOR) == []
    assert plan.of_type("gcp:monitoring/alertPolicy:AlertPolicy") == []
    assert plan.of_type("gcp:monitoring/notificationChannel:NotificationChannel") == []
    assert "kube-prometheus-stack" not in [r.inputs["chart"] for r in plan.of_type(RELEASE)]
    assert plan.outputs["grafanaAdminPassword"] is None


def test_aws_alarms_watch_nodes_and_the_database_to_the_configured_subscribers(
    plan_config: PlanConfig,
) -> None:
    plan = plan_config(
        {
            "target": "aws",
            "environment": "dev",
            "region": "eu-west-1",
            "mlflow": {"enabled": True, "database": {"storageGb": 100}},
            "monitoring": {
                "enabled": True,
                "notifications": {
                    "emails": ["oncall@example.com"],
                    "webhooks": ["https://hooks.example.com/aws"],
                },
            },
        }
    )
    topic = one(plan, "aws:sns/topic:Topic")
    # Not the AWS-managed aws/sns key: CloudWatch could not publish through it.
    key = one(plan, "aws:kms/key:Key", "-alarms-topic-key")
    assert topic.inputs["kmsMasterKeyId"].startswith("arn:aws:kms:eu-west-1:123456789012:key/")
    assert depends_on(topic, key) and key.protect is True
    key_policy = json.loads(key.inputs["policy"])["Statement"]
    assert key_policy[1] == {
        "Sid": "ServicesEncrypt",
        "Effect": "Allow",
        "Principal": {"Service": ["cloudwatch.amazonaws.com"]},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
        "Resource": "*",
    }
    policy = json.loads(one(plan, "aws:sns/topicPolicy:TopicPolicy").inputs["policy"])
    publish = policy["Statement"][1]
    assert (publish["Principal"], publish["Action"]) == (
        {"Service": ["cloudwatch.amazonaws.com"]},
        ["sns:Publish", "sns:GetTopicAttributes"],
    )
    assert publish["Resource"] == topic_arn(plan)
    assert publish["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    subscriptions = {
        r.inputs["protocol"]: r.inputs["endpoint"]
        for r in plan.of_type("aws:sns/topicSubscription:TopicSubscription")
    }
    assert subscriptions == {"email": "oncall@example.com", "https": "[secret]"}
    alarms = {
        r.name.removeprefix("ml-test-alarms-"): r.inputs
        for r in plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    }
    assert sorted(alarms) == [
        "database-connections",
        "database-cpu",
        "database-storage",
        "failed-nodes",
    ]
    db = one(plan, "aws:rds/instance:Instance")
    identifier = {"DBInstanceIdentifier": physical_name(db.name)}
    expected = {
        "failed-nodes": (
            "ContainerInsights",
            "cluster_failed_node_count",
            "GreaterThanThreshold",
            0,
        ),
        "database-cpu": ("AWS/RDS", "CPUUtilization", "GreaterThanThreshold", 80),
        "database-storage": (
            "AWS/RDS",
            "FreeStorageSpace",
            "LessThanThreshold",
            100 * 1024**3 / 10,
        ),
        # (2 replicas + 1 surge) x 2 workers x 2 pools x 15 connections
        "database-connections": ("AWS/RDS", "DatabaseConnections", "GreaterThanThreshold", 180),
    }
    for key, (namespace, metric, comparison, threshold) in expected.items():
        alarm = alarms[key]
        assert (
            alarm["namespace"],
            alarm["metricName"],
            alarm["comparisonOperator"],
            alarm["threshold"],
        ) == (namespace, metric, comparison, threshold), key
        assert alarm["alarmActions"] == alarm["okActions"] == [topic_arn(plan)]
    assert alarms["failed-nodes"]["dimensions"] == {"ClusterName": "ml-test-eks-cluster"}
    assert alarms["database-cpu"]["dimensions"] == identifier
    addon = one(plan, "aws:eks/addon:Addon", "-amazon-cloudwatch-observability")
    role = one(plan, "aws:iam/role:Role", "-cloudwatch-role")
    assert addon.inputs["serviceAccountRoleArn"].endswith(physical_name(role.name))
    assert (
        "system:serviceaccount:amazon-cloudwatch:cloudwatch-agent"
        in (role.inputs["assumeRolePolicy"])
    )


def topic_arn(plan: Plan, region: str = "eu-west-1", name: str = "") -> str:
    topic = one(plan, "aws:sns/topic:Topic", name)
    return f"arn:aws:sns:{region}:123456789012:{physical_name(topic.name)}"


def test_azure_alerts_on_the_database_to_the_action_group(shipped_plans: dict[str, Plan]) -> None:
    plan = shipped_plans["azure-prod"]
    group = one(plan, "azure-native:monitor:ActionGroup")
    assert group.inputs["groupShortName"] == "mlplatform"
    assert group.inputs["emailReceivers"] == [
        {
            "name": "email-0",
            "emailAddress": "ml-platform-oncall@example.com",
            "useCommonAlertSchema": True,
        }
    ]
    server = one(plan, "azure-native:dbforpostgresql:Server")
    alerts = {
        r.name.removeprefix("ml-azure-prod-alarms-"): r.inputs
        for r in plan.of_type("azure-native:monitor:MetricAlert")
    }
    expected = {
        "database-down": ("is_db_alive", "LessThan", 1, "Maximum", 0),
        "database-cpu": ("cpu_percent", "GreaterThan", 80, "Average", 2),
        "database-storage": ("storage_percent", "GreaterThan", 90, "Maximum", 1),
        "database-failed-connections": ("connections_failed", "GreaterThan", 10, "Total", 2),
    }
    assert sorted(alerts) == sorted(expected)
    for key, (metric, operator, threshold, aggregation, severity) in expected.items():
        alert = alerts[key]
        [criterion] = alert["criteria"]["allOf"]
        assert alert["criteria"]["odataType"] == (
            "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria"
        )
        assert (
            criterion["metricName"],
            criterion["operator"],
            criterion["threshold"],
            criterion["timeAggregation"],
            alert["severity"],
        ) == (metric, operator, threshold, aggregation, severity), key
        assert criterion["metricNamespace"] == "Microsoft.DBforPostgreSQL/flexibleServers"
        assert alert["scopes"] == [server_id(plan, server)]
        assert len(alert["actions"]) == 1


def server_id(plan: Plan, server) -> str:
    rg = one(plan, "azure-native:resources:ResourceGroup")
    return (
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/"
        f"{physical_name(rg.name)}/providers/Microsoft.DBforPostgreSQL/flexibleServers/"
        f"{physical_name(server.name)}"
    )


def test_gcp_policies_on_cloud_sql_and_gke_nodes(shipped_plans: dict[str, Plan]) -> None:
    plan = shipped_plans["gcp-prod"]
    [channel] = plan.of_type("gcp:monitoring/notificationChannel:NotificationChannel")
    assert (channel.inputs["type"], channel.inputs["labels"]) == (
        "email",
        {"email_address": "ml-platform-oncall@example.com"},
    )
    instance = physical_name(one(plan, "gcp:sql/databaseInstance:DatabaseInstance").name)
    policies = {
        r.name.removeprefix("ml-gcp-prod-alarms-"): r.inputs
        for r in plan.of_type("gcp:monitoring/alertPolicy:AlertPolicy")
        if r.name.startswith("ml-gcp-prod-alarms-")
    }
    expected = {
        "database-down": ("up", "COMPARISON_LT", 1),
        "database-cpu": ("cpu/utilization", "COMPARISON_GT", 0.8),
        "database-disk": ("disk/utilization", "COMPARISON_GT", 0.9),
        "database-connections": ("postgresql/num_backends", "COMPARISON_GT", 180),
    }
    assert sorted(policies) == sorted([*expected, "nodes-not-ready"])
    for key, (metric, comparison, threshold) in expected.items():
        [condition] = policies[key]["conditions"]
        threshold_spec = condition["conditionThreshold"]
        assert threshold_spec["filter"] == (
            'resource.type = "cloudsql_database" AND resource.label.database_id = '
            f'"my-ml-platform-prod:{instance}" AND metric.type = '
            f'"cloudsql.googleapis.com/database/{metric}"'
        )
        assert (threshold_spec["comparison"], threshold_spec["thresholdValue"]) == (
            comparison,
            threshold,
        ), key
    nodes = policies["nodes-not-ready"]["conditions"][0]["conditionThreshold"]
    cluster = physical_name(one(plan, "gcp:container/cluster:Cluster").name)
    assert f'resource.label.cluster_name = "{cluster}"' in nodes["filter"]
    assert 'metric.label.condition = "Ready" AND metric.label.status != "True"' in (nodes["filter"])
    assert all(
        p["notificationChannels"] == [physical_name(channel.name)] for p in policies.values()
    )


def test_aws_managed_prometheus_runs_the_rules_and_alerts_to_the_topic(
    shipped_plans: dict[str, Plan],
) -> None:
    plan = shipped_plans["aws-prod"]
    workspace = one(plan, "aws:amp/workspace:Workspace")
    assert workspace.protect is True
    rules = one(plan, "aws:amp/ruleGroupNamespace:RuleGroupNamespace")
    # aws-prod runs MLflow, queues its GPU jobs and serves models: every group.
    every = rule_groups(queues=True, serving=True)
    assert yaml.safe_load(rules.inputs["data"]) == {"groups": every}
    definition = one(plan, "aws:amp/alertManagerDefinition:AlertManagerDefinition")
    config = yaml.safe_load(yaml.safe_load(definition.inputs["definition"])["alertmanager_config"])
    [sns] = config["receivers"][1]["sns_configs"]
    assert sns["topic_arn"] == topic_arn(plan, "us-east-1", "ml-aws-prod-alarms-topic")
    assert sns["sigv4"] == {"region": "us-east-1"}
    # AMP may publish to the topic: its key and its policy say so.
    key = one(plan, "aws:kms/key:Key", "-alarms-topic-key")
    assert json.loads(key.inputs["policy"])["Statement"][1]["Principal"] == {
        "Service": ["cloudwatch.amazonaws.com", "aps.amazonaws.com"]
    }
    values = release(plan, "kube-prometheus-stack").inputs["values"]
    spec = values["prometheus"]["prometheusSpec"]
    endpoint = (
        f"https://aps-workspaces.us-east-1.amazonaws.com/workspaces/{workspace_id(workspace)}/"
    )
    assert spec["remoteWrite"] == [
        {"url": f"{endpoint}api/v1/remote_write", "sigv4": {"region": "us-east-1"}}
    ]
    assert spec["retention"] == "2d"
    assert (values["alertmanager"], values["defaultRules"]) == (
        {"enabled": False},
        {"create": False},
    )
    writer = one(plan, "aws:iam/role:Role", "-prometheus-writer-role")
    writer_arn = f"arn:aws:iam::123456789012:role/{physical_name(writer.name)}"
    assert values["prometheus"]["serviceAccount"] == {
        "create": True,
        "name": "prometheus",
        "annotations": {"eks.amazonaws.com/role-arn": writer_arn},
    }
    assert "system:serviceaccount:monitoring:prometheus" in writer.inputs["assumeRolePolicy"]
    one(
        plan,
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "-AmazonPrometheusRemoteWriteAccess",
    )
    grafana = values["grafana"]
    [source] = grafana["additionalDataSources"]
    assert (source["type"], source["url"], source["isDefault"]) == (
        "grafana-amazonprometheus-datasource",
        endpoint,
        True,
    )
    assert source["jsonData"] == {
        "httpMethod": "POST",
        "sigV4Auth": True,
        "sigV4AuthType": "default",
        "sigV4Region": "us-east-1",
    }
    # Grafana signs SigV4 only with this switch, through Amazon's plugin.
    assert grafana["grafana.ini"] == {"auth": {"sigv4_auth_enabled": True}}
    assert grafana["plugins"] == ["grafana-amazonprometheus-datasource"]
    assert grafana["sidecar"]["datasources"] == {
        "isDefaultDatasource": False,
        "alertmanager": {"enabled": False},
    }
    dashboard = json.loads(
        one(plan, "kubernetes:core/v1:ConfigMap", "-mlplatform-gpu-fleet").inputs["data"][
            "mlplatform-gpu-fleet.json"
        ]
    )
    assert dashboard["templating"]["list"][0]["query"] == "grafana-amazonprometheus-datasource"
    logs = one(plan, "aws:cloudwatch/logGroup:LogGroup", "-prometheus-logs")
    assert logs.inputs["retentionInDays"] == 30
    assert workspace.inputs["loggingConfiguration"]["logGroupArn"].endswith(":*")
    # Rules run in AMP, not twice.
    assert plan.of_type(RULE) == []


def workspace_id(workspace) -> str:
    from mlplatform.engine.mocks import _guid

    return f"ws-{_guid(workspace.name)}"
