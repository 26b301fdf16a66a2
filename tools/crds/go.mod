module mlplatform.local/tools/crds

go 1.26.0

// The Prometheus operator of the pinned kube-prometheus-stack chart (charts.py); the loopback
// cluster installs the CRDs of its example/prometheus-operator-crd folder.
require github.com/prometheus-operator/prometheus-operator v0.93.1
