"""Realistic mock outputs per resource type, so outputs and dependency edges survive offline.

Every custom resource gets an id, a physical `name` (auto-named like Pulumi
does: logical name + 7 characters, deterministic here so plans diff cleanly)
and the identifiers its dependants read: ARNs, URLs, login servers, resource ids.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from typing import Any

import pulumi

ACCOUNT_ID = "123456789012"
SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000"
TENANT_ID = "11111111-1111-1111-1111-111111111111"
DEFAULT_REGION = "us-east-1"
GCP_PROJECT_NUMBER = "123456789012"

State = dict[str, Any]


def _suffix(text: str, length: int = 7) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def physical_name(logical: str) -> str:
    """Pulumi-style auto name: `logical-xxxxxxx`, deterministic."""
    return f"{logical}-{_suffix(logical)}"


class PlatformMocks(pulumi.runtime.Mocks):
    """Mocks for every resource type mlplatform creates, with a generic fallback."""

    def __init__(self) -> None:
        self._provider_regions: dict[str, str] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict]:
        if not args.custom:
            return None, {}
        inputs = dict(args.inputs)
        if args.typ.startswith("pulumi:providers:"):
            region = inputs.get("region") or inputs.get("location")
            if region:
                self._provider_regions[args.name] = str(region)
            return f"{args.name}-provider-id", inputs
        region = self._region(args.provider)
        state: State = {**inputs}
        state.setdefault("name", physical_name(args.name))
        extra = _TYPE_OUTPUTS.get(args.typ)
        if extra is not None:
            state.update(extra(args.name, inputs, state, region))
        elif args.typ.startswith("azure-native:"):
            state.update(_azure_generic(args.typ, inputs, state))
            state.update(_azure_user_assigned(inputs))
        elif args.typ.startswith("aws:"):
            service = args.typ.split(":")[1].split("/")[0]
            state.setdefault("arn", f"arn:aws:{service}:{region}:{ACCOUNT_ID}:{state['name']}")
        return str(state.get("id") or f"{state['name']}-id"), state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict, list[tuple[str, str]] | None]:
        answer = _CALLS.get(args.token)
        return (answer(args.args, self._region(args.provider)) if answer else {}), []

    def _region(self, provider_ref: str | None) -> str:
        if not provider_ref:
            return DEFAULT_REGION
        urn = provider_ref.rsplit("::", 1)[0]
        return self._provider_regions.get(urn.rsplit("::", 1)[-1], DEFAULT_REGION)


def _s3_bucket(name: str, inputs: State, state: State, region: str) -> State:
    bucket = inputs.get("bucket") or physical_name(name)
    return {
        "bucket": bucket,
        "arn": f"arn:aws:s3:::{bucket}",
        "id": bucket,
        "bucketRegionalDomainName": f"{bucket}.s3.{region}.amazonaws.com",
    }


def _kms_key(name: str, inputs: State, state: State, region: str) -> State:
    key_id = f"{_suffix(name, 8)}-0000-4000-8000-{_suffix(name + 'k', 12)}"
    return {"keyId": key_id, "id": key_id, "arn": f"arn:aws:kms:{region}:{ACCOUNT_ID}:key/{key_id}"}


def _ecr_repository(name: str, inputs: State, state: State, region: str) -> State:
    repo = inputs.get("name") or physical_name(name)
    return {
        "name": repo,
        "arn": f"arn:aws:ecr:{region}:{ACCOUNT_ID}:repository/{repo}",
        "registryId": ACCOUNT_ID,
        "repositoryUrl": f"{ACCOUNT_ID}.dkr.ecr.{region}.amazonaws.com/{repo}",
    }


def _azure_id(provider: str, kind: str) -> Callable[[str, State, State, str], State]:
    def outputs(name: str, inputs: State, state: State, region: str) -> State:
        rg = inputs.get("resourceGroupName", "rg")
        return {
            "id": f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{rg}/providers/"
            f"{provider}/{kind}/{state['name']}"
        }

    return outputs


def _azure_named(
    name_input: str, provider: str, kind: str, extra: Callable[[str], State] | None = None
):
    def outputs(name: str, inputs: State, state: State, region: str) -> State:
        physical = inputs.get(name_input) or physical_name(name)
        result = {
            "name": physical,
            **_azure_id(provider, kind)(name, inputs, {"name": physical}, region),
        }
        return {**result, **(extra(physical) if extra else {})}

    return outputs


def _resource_group(name: str, inputs: State, state: State, region: str) -> State:
    group = inputs.get("resourceGroupName") or physical_name(name)
    return {"name": group, "id": f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{group}"}


def _random_string(name: str, inputs: State, state: State, region: str) -> State:
    length = int(inputs.get("length", 8))
    return {"result": _suffix(name, length), "id": _suffix(name, length)}


def _gcs_bucket(name: str, inputs: State, state: State, region: str) -> State:
    bucket = inputs.get("name") or physical_name(name)
    return {
        "name": bucket,
        "id": bucket,
        "url": f"gs://{bucket}",
        "selfLink": f"https://www.googleapis.com/storage/v1/b/{bucket}",
    }


def _artifact_registry(name: str, inputs: State, state: State, region: str) -> State:
    project, location = inputs.get("project", "project"), inputs.get("location", region)
    full = f"projects/{project}/locations/{location}/repositories/{inputs.get('repositoryId')}"
    return {"name": full, "id": full}


def _eks_cluster(name: str, inputs: State, state: State, region: str) -> State:
    cluster = state["name"]
    oidc_id = _suffix(name, 32).upper()
    return {
        "arn": f"arn:aws:eks:{region}:{ACCOUNT_ID}:cluster/{cluster}",
        "endpoint": f"https://{oidc_id}.gr7.{region}.eks.amazonaws.com",
        "certificateAuthority": {"data": "LS0tLS1CRUdJTi1DRVJUSUZJQ0FURS0tLS0t"},
        "vpcConfig": {
            **inputs.get("vpcConfig", {}),
            "clusterSecurityGroupId": f"sg-{_suffix(name, 17)}",
        },
        "identities": [
            {"oidcs": [{"issuer": f"https://oidc.eks.{region}.amazonaws.com/id/{oidc_id}"}]}
        ],
        "id": cluster,
    }


def _iam_arn(kind: str) -> Callable[[str, State, State, str], State]:
    def outputs(name: str, inputs: State, state: State, region: str) -> State:
        if kind == "oidc-provider":
            host = str(inputs.get("url", "")).removeprefix("https://")
            return {"arn": f"arn:aws:iam::{ACCOUNT_ID}:oidc-provider/{host}", "id": host}
        return {
            "arn": f"arn:aws:iam::{ACCOUNT_ID}:{kind}/{state['name']}",
            "id": state["name"],
            "uniqueId": f"AROA{_suffix(name, 16).upper()}",
        }

    return outputs


def _launch_template(name: str, inputs: State, state: State, region: str) -> State:
    return {"id": f"lt-{_suffix(name, 17)}", "latestVersion": 1, "defaultVersion": 1}


def _aws_id(prefix: str) -> Callable[[str, State, State, str], State]:
    def outputs(name: str, inputs: State, state: State, region: str) -> State:
        return {"id": f"{prefix}-{_suffix(name, 17)}"}

    return outputs


def _gke_cluster(name: str, inputs: State, state: State, region: str) -> State:
    return {
        "endpoint": "10.0.64.2",
        "id": f"projects/{inputs.get('project')}/locations/"
        f"{inputs.get('location')}/clusters/{state['name']}",
        "masterAuth": {"clusterCaCertificate": "LS0tLS1CRUdJTi1DRVJUSUZJQ0FURS0tLS0t"},
    }


def _gcp_service_account(name: str, inputs: State, state: State, region: str) -> State:
    email = f"{inputs.get('accountId')}@{inputs.get('project')}.iam.gserviceaccount.com"
    return {
        "email": email,
        "member": f"serviceAccount:{email}",
        "name": f"projects/{inputs.get('project')}/serviceAccounts/{email}",
        "id": f"projects/{inputs.get('project')}/serviceAccounts/{email}",
    }


def _gcp_key_ring(name: str, inputs: State, state: State, region: str) -> State:
    ring = (
        f"projects/{inputs.get('project')}/locations/{inputs.get('location')}/keyRings/"
        f"{state['name']}"
    )
    return {"id": ring}


def _gcp_crypto_key(name: str, inputs: State, state: State, region: str) -> State:
    return {"id": f"{inputs.get('keyRing')}/cryptoKeys/{state['name']}"}


def _gcp_self_link(kind: str) -> Callable[[str, State, State, str], State]:
    def outputs(name: str, inputs: State, state: State, region: str) -> State:
        scope = f"regions/{inputs['region']}" if "region" in inputs else "global"
        link = f"projects/{inputs.get('project')}/{scope}/{kind}/{state['name']}"
        return {"id": link, "selfLink": f"https://www.googleapis.com/compute/v1/{link}"}

    return outputs


def _azure_generic(typ: str, inputs: State, state: State) -> State:
    module, kind = typ.split(":")[1], typ.split(":")[2]
    rg = inputs.get("resourceGroupName", "rg")
    return {
        "id": f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{rg}/providers/"
        f"Microsoft.{module}/{kind}/{state['name']}"
    }


def _azure_user_assigned(inputs: State) -> State:
    """A resource's user-assigned identities as ARM returns them: the request lists their ids,
    the response maps each id to its principal and client ids."""
    identity = inputs.get("identity")
    if not isinstance(identity, dict):
        return {}
    ids = identity.get("userAssignedIdentities")
    if not isinstance(ids, list):
        return {}
    assigned = {i: {"principalId": _guid(f"{i}p"), "clientId": _guid(f"{i}c")} for i in ids}
    return {"identity": {**identity, "userAssignedIdentities": assigned}}


def _aks_cluster(name: str, inputs: State, state: State, region: str) -> State:
    return {
        **_azure_generic("azure-native:containerservice:managedClusters", inputs, state),
        "oidcIssuerProfile": {
            "enabled": True,
            "issuerURL": f"https://{region}.oic.prod-aks.azure.com/{SUBSCRIPTION_ID}/"
            f"{_suffix(name, 36)}/",
        },
        "identityProfile": {
            "kubeletidentity": {
                "objectId": _guid(name + "kubelet"),
                "clientId": _guid(name + "kubelet-client"),
                "resourceId": f"/subscriptions/{SUBSCRIPTION_ID}/resourcegroups/MC_{state['name']}/"
                f"providers/Microsoft.ManagedIdentity/userAssignedIdentities/"
                f"{state['name']}-agentpool",
            }
        },
        "fqdn": f"{state['name']}.hcp.{region}.azmk8s.io",
        "identity": {
            "type": "SystemAssigned",
            "principalId": _guid(name + "cluster"),
            "tenantId": TENANT_ID,
        },
    }


def _guid(seed: str) -> str:
    h = hashlib.sha256(seed.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-8{h[17:20]}-{h[20:32]}"


def _user_assigned_identity(name: str, inputs: State, state: State, region: str) -> State:
    return {
        **_azure_generic("azure-native:ManagedIdentity:userAssignedIdentities", inputs, state),
        "clientId": _guid(name + "client"),
        "principalId": _guid(name + "principal"),
        "tenantId": TENANT_ID,
    }


def _rds_instance(name: str, inputs: State, state: State, region: str) -> State:
    return {
        "address": f"{state['name']}.c{_suffix(name, 12)}.{region}.rds.amazonaws.com",
        "arn": f"arn:aws:rds:{region}:{ACCOUNT_ID}:db:{state['name']}",
        "identifier": inputs.get("identifier") or state["name"],
        "id": f"db-{_suffix(name, 26).upper()}",
    }


def _cloud_sql_instance(name: str, inputs: State, state: State, region: str) -> State:
    instance = inputs.get("name") or physical_name(name)
    project = inputs.get("project", "project")
    return {
        "name": instance,
        "id": instance,
        "connectionName": f"{project}:{inputs.get('region', region)}:{instance}",
        "privateIpAddress": f"10.{_octet(name)}.0.3",
        "selfLink": f"https://sqladmin.googleapis.com/sql/v1beta4/projects/{project}/instances/"
        f"{instance}",
    }


def _octet(seed: str) -> int:
    return 100 + int(_suffix(seed, 2), 16) % 100


def _amp_workspace(name: str, inputs: State, state: State, region: str) -> State:
    workspace = f"ws-{_guid(name)}"
    return {
        "id": workspace,
        "arn": f"arn:aws:aps:{region}:{ACCOUNT_ID}:workspace/{workspace}",
        "prometheusEndpoint": f"https://aps-workspaces.{region}.amazonaws.com/workspaces/"
        f"{workspace}/",
    }


def _azure_monitor_workspace(name: str, inputs: State, state: State, region: str) -> State:
    physical = inputs.get("azureMonitorWorkspaceName") or physical_name(name)
    outputs = _azure_id("Microsoft.Monitor", "accounts")(name, inputs, {"name": physical}, region)
    endpoint = f"https://{physical}-{_suffix(name, 4)}.{region}.prometheus.monitor.azure.com"
    return {**outputs, "name": physical, "metrics": {"prometheusQueryEndpoint": endpoint}}


def _data_collection_endpoint(name: str, inputs: State, state: State, region: str) -> State:
    physical = inputs.get("dataCollectionEndpointName") or physical_name(name)
    outputs = _azure_id("Microsoft.Insights", "dataCollectionEndpoints")(
        name, inputs, {"name": physical}, region
    )
    host = f"{physical}-{_suffix(name, 4)}.{region}-1.metrics.ingest.monitor.azure.com"
    return {**outputs, "name": physical, "metricsIngestion": {"endpoint": f"https://{host}"}}


def _data_collection_rule(name: str, inputs: State, state: State, region: str) -> State:
    physical = inputs.get("dataCollectionRuleName") or physical_name(name)
    outputs = _azure_id("Microsoft.Insights", "dataCollectionRules")(
        name, inputs, {"name": physical}, region
    )
    return {**outputs, "name": physical, "immutableId": f"dcr-{_suffix(name, 32)}"}


def _log_bucket(name: str, inputs: State, state: State, region: str) -> State:
    path = (
        f"projects/{inputs.get('project')}/locations/{inputs.get('location')}/buckets/"
        f"{inputs.get('bucketId')}"
    )
    return {"name": path, "id": path}


_TYPE_OUTPUTS: dict[str, Callable[[str, State, State, str], State]] = {
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": _log_bucket,
    "azure-native:monitor:AzureMonitorWorkspace": _azure_monitor_workspace,
    "azure-native:monitor:DataCollectionEndpoint": _data_collection_endpoint,
    "azure-native:monitor:DataCollectionRule": _data_collection_rule,
    "aws:rds/instance:Instance": _rds_instance,
    "aws:amp/workspace:Workspace": _amp_workspace,
    "azure-native:containerservice:ManagedCluster": _aks_cluster,
    "azure-native:managedidentity:UserAssignedIdentity": _user_assigned_identity,
    "gcp:container/cluster:Cluster": _gke_cluster,
    "gcp:serviceaccount/account:Account": _gcp_service_account,
    "gcp:kms/keyRing:KeyRing": _gcp_key_ring,
    "gcp:kms/cryptoKey:CryptoKey": _gcp_crypto_key,
    "gcp:compute/network:Network": _gcp_self_link("networks"),
    "gcp:compute/subnetwork:Subnetwork": _gcp_self_link("subnetworks"),
    "aws:eks/cluster:Cluster": _eks_cluster,
    "aws:iam/role:Role": _iam_arn("role"),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": _iam_arn("oidc-provider"),
    "aws:ec2/launchTemplate:LaunchTemplate": _launch_template,
    "aws:ec2/vpc:Vpc": _aws_id("vpc"),
    "aws:ec2/securityGroup:SecurityGroup": _aws_id("sg"),
    "aws:ec2/subnet:Subnet": _aws_id("subnet"),
    "aws:ec2/internetGateway:InternetGateway": _aws_id("igw"),
    "aws:ec2/natGateway:NatGateway": _aws_id("nat"),
    "aws:ec2/eip:Eip": _aws_id("eipalloc"),
    "aws:ec2/routeTable:RouteTable": _aws_id("rtb"),
    "aws:s3/bucket:Bucket": _s3_bucket,
    "aws:kms/key:Key": _kms_key,
    "aws:ecr/repository:Repository": _ecr_repository,
    "azure-native:resources:ResourceGroup": _resource_group,
    "azure-native:storage:StorageAccount": _azure_named(
        "accountName", "Microsoft.Storage", "storageAccounts"
    ),
    "azure-native:storage:BlobContainer": _azure_named(
        "containerName", "Microsoft.Storage", "storageAccounts/blobServices/default/containers"
    ),
    "azure-native:containerregistry:Registry": _azure_named(
        "registryName",
        "Microsoft.ContainerRegistry",
        "registries",
        lambda n: {"loginServer": f"{n}.azurecr.io"},
    ),
    "azure-native:dbforpostgresql:Server": _azure_named(
        "serverName",
        "Microsoft.DBforPostgreSQL",
        "flexibleServers",
        lambda n: {"fullyQualifiedDomainName": f"{n}.postgres.database.azure.com"},
    ),
    "azure-native:dbforpostgresql:Database": _azure_named(
        "databaseName", "Microsoft.DBforPostgreSQL", "flexibleServers/server/databases"
    ),
    "gcp:sql/databaseInstance:DatabaseInstance": _cloud_sql_instance,
    "random:index/randomString:RandomString": _random_string,
    "gcp:storage/bucket:Bucket": _gcs_bucket,
    "gcp:artifactregistry/repository:Repository": _artifact_registry,
}


def _caller_identity(args: State, region: str) -> State:
    return {
        "accountId": ACCOUNT_ID,
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:root",
        "userId": ACCOUNT_ID,
        "id": ACCOUNT_ID,
    }


PARTITIONS = {"us-gov-": ("aws-us-gov", "amazonaws.com"), "cn-": ("aws-cn", "amazonaws.com.cn")}
"""Regions outside the `aws` partition, by prefix: its name and DNS suffix (AWS General
Reference, "Amazon Resource Names (ARNs)": partitions aws, aws-cn, aws-us-gov)."""


def _partition_info(args: State, region: str) -> State:
    name, dns = next(
        (found for prefix, found in PARTITIONS.items() if region.startswith(prefix)),
        ("aws", "amazonaws.com"),
    )
    return {
        "partition": name,
        "dnsSuffix": dns,
        "reverseDnsPrefix": ".".join(reversed(dns.split("."))),
        "id": name,
    }


def _region_info(args: State, region: str) -> State:
    return {
        "region": region,
        "name": region,
        "id": region,
        "endpoint": f"ec2.{region}.amazonaws.com",
        "description": region,
    }


def _availability_zones(args: State, region: str) -> State:
    names = [f"{region}{letter}" for letter in "abcdef"]
    return {"names": names, "zoneIds": [f"use1-az{i}" for i in range(1, 7)], "id": region}


def _gcs_service_agent(args: State, region: str) -> State:
    email = f"service-{GCP_PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com"
    return {"emailAddress": email, "member": f"serviceAccount:{email}", "id": email}


def _gcp_project(args: State, region: str) -> State:
    project = args.get("projectId", "project")
    return {"number": GCP_PROJECT_NUMBER, "projectId": project, "name": project, "id": project}


def _aks_user_credentials(args: State, region: str) -> State:
    cluster = args.get("resourceName", "cluster")
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": cluster,
        "clusters": [
            {
                "name": cluster,
                "cluster": {
                    "server": f"https://{cluster}.hcp.{region}.azmk8s.io:443",
                    "certificate-authority-data": "LS0tLS1CRUdJTi1DRVJUSUZJQ0FURS0tLS0t",
                },
            }
        ],
        "contexts": [
            {"name": cluster, "context": {"cluster": cluster, "user": f"clusterUser_{cluster}"}}
        ],
        "users": [{"name": f"clusterUser_{cluster}", "user": {"exec": {"command": "kubelogin"}}}],
    }
    encoded = base64.b64encode(json.dumps(config).encode()).decode()
    return {"kubeconfigs": [{"name": "clusterUser", "value": encoded}]}


def _azure_client_config(args: State, region: str) -> State:
    return {
        "subscriptionId": SUBSCRIPTION_ID,
        "tenantId": TENANT_ID,
        "clientId": _guid("client"),
        "objectId": _guid("object"),
    }


_CALLS: dict[str, Callable[[State, str], State]] = {
    "azure-native:containerservice:listManagedClusterUserCredentials": _aks_user_credentials,
    "azure-native:authorization:getClientConfig": _azure_client_config,
    "aws:index/getCallerIdentity:getCallerIdentity": _caller_identity,
    "aws:index/getAvailabilityZones:getAvailabilityZones": _availability_zones,
    "aws:index/getRegion:getRegion": _region_info,
    "aws:index/getPartition:getPartition": _partition_info,
    "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": _gcs_service_agent,
    "gcp:organizations/getProject:getProject": _gcp_project,
}
