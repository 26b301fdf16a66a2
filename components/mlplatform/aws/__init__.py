"""Layer 3 on AWS: S3 artifact store, ECR registry (and, later, EKS, RDS, IAM)."""
