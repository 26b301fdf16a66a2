"""Layer 4, cloud foundations on GCP: the VPC with Cloud NAT (`network`), the GKE GPU cluster
(`cluster`), the GCS artifact store (`storage`), the Artifact Registry repository
(`registry`), Cloud SQL for PostgreSQL for MLflow (`database`), service accounts for Workload
Identity (`identity`), Cloud Monitoring alert policies (`observability`) and the platform's
alert rules on Google Cloud Managed Service for Prometheus (`prometheus`)."""
