"""Layer 3, monitoring on any cluster: metric catalogues (`metrics`), the GPU and platform alert
rules (`rules`), Grafana dashboards (`dashboards`), the pinned Prometheus stack and DCGM
exporter that carry them (`stack`), how they work with a cloud's managed Prometheus
(`managed`), and the query frontend through which Grafana reads Google's (`query_frontend`)."""
