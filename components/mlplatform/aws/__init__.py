"""Layer 4, cloud foundations on AWS: the VPC (`network`) and its flow logs (`flow_logs`), the
EKS GPU cluster (`cluster`) and its Cluster Autoscaler (`autoscaler`), the S3 artifact store
(`storage`), the ECR registry (`registry`), RDS PostgreSQL for MLflow (`database`), IAM roles
and IRSA workload identity (`iam`), a KMS key per component's data (`kms`), alarms through SNS
and CloudWatch (`observability`) and Amazon Managed Service for Prometheus (`prometheus`)."""
