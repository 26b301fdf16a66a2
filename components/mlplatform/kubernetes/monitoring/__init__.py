"""Monitoring on any cluster: metric catalogues, the GPU and platform alert rules, Grafana
dashboards, and the pinned Prometheus stack and DCGM exporter that carry them."""
