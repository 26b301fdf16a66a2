"""Layer 3, the Kubernetes platform, on any cluster: GPU enablement (`gpu`), the MLflow server
(`mlflow`, configured by `mlflow_config`), team namespaces with GPU quotas (`teams`),
monitoring (`monitoring`), and the `kubernetes` target's in-cluster stand-ins for the artifact
store, registry and database (`storage`, `registry`, `postgres`, their volumes by `claims`);
with what they share: the pinned charts' installer (`charts`), labels (`labels`) and the
restricted security contexts (`security`).

It imports no cloud; the clouds (layer 4) build on it: the EKS Cluster Autoscaler is one of
its charts, and each cloud's database gives MLflow its URI through `mlflow_config`."""
