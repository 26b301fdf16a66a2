"""Layer 4, cloud foundations on Azure: the VNet with private endpoints (`network`) and its flow
log (`flow_logs`), the AKS GPU cluster (`cluster`), the Storage artifact store (`storage`), the
ACR registry (`registry`), PostgreSQL Flexible Server for MLflow (`database`), managed-identity
workload identity (`identity`), Azure Monitor alerts through an action group (`observability`)
and Azure Monitor managed Prometheus (`prometheus`)."""
