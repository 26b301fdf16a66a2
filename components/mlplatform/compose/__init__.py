"""Layer 5 builders: one module per target turning a `PlatformConfig` into components.

`cloud` is the one skeleton of the cloud targets: `aws`, `azure` and `gcp` each implement its
steps (`CloudTarget`) and `build_cloud` orders them. `kubernetes` builds on an existing
cluster. What the targets share is split by concern: `scope` (what a builder is given),
`result` (what it hands back), `spec_args` (spec -> typed args), `gpus`, `teams`,
`namespaces`, `mlflow`, `ingress`, `monitoring` and `charts`.

Each module imports only its own cloud's SDK, and only when its target is built.
"""
