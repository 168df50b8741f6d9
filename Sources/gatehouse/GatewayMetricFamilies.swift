import Admin
import Config
import Proxy
import Runtime

/// The gateway's metrics as Prometheus families, with Traefik's names under a `gatehouse_`
/// prefix and Traefik's labels. `settings` (static `metrics.prometheus`) decides whether the
/// entry point, router and service request families are shown.
struct GatewayMetricFamilies {
    let sample: GatewayMetricsSample
    let settings: PrometheusMetrics

    /// Every family, in a stable order.
    func families() -> [MetricFamily] {
        var families: [MetricFamily] = []
        let traffic = sample.traffic
        families.append(MetricFamily(
            name: "gatehouse_config_reloads_total", help: "Configuration loads and reloads, by result (failure: a file could not be read).",
            kind: .counter, samples: [
                MetricSample([MetricLabel("result", "success")], Double(sample.reloads.succeeded)),
                MetricSample([MetricLabel("result", "failure")], Double(sample.reloads.failed)),
            ]
        ))
        if let last = sample.reloads.lastSuccess {
            families.append(MetricFamily(
                name: "gatehouse_config_last_reload_success", help: "Time of the last successful configuration load, in seconds since 1970.",
                kind: .gauge, samples: [MetricSample([], last)]
            ))
        }
        families.append(MetricFamily(
            name: "gatehouse_open_connections", help: "Connections open now, by entry point and protocol.",
            kind: .gauge, samples: traffic.openConnections.sorted { $0.key < $1.key }.map {
                MetricSample([MetricLabel("entrypoint", $0.key), MetricLabel("protocol", "TCP")], Double($0.value))
            }
        ))
        families.append(MetricFamily(
            name: "gatehouse_tls_handshakes_total", help: "Completed TLS handshakes, by entry point and TLS version.",
            kind: .counter, samples: traffic.handshakes.sorted { ($0.key.entryPoint, $0.key.version) < ($1.key.entryPoint, $1.key.version) }.map {
                MetricSample([MetricLabel("entrypoint", $0.key.entryPoint), MetricLabel("tls_version", $0.key.version)], Double($0.value))
            }
        ))
        families.append(MetricFamily(
            name: "gatehouse_tls_handshake_failures_total", help: "TLS handshakes that failed, by entry point.",
            kind: .counter, samples: traffic.handshakeFailures.sorted { $0.key < $1.key }.map {
                MetricSample([MetricLabel("entrypoint", $0.key)], Double($0.value))
            }
        ))
        families.append(MetricFamily(
            name: "gatehouse_tls_certs_not_after", help: "End of validity of each served certificate, in seconds since 1970.",
            kind: .gauge, samples: sample.certificates.sorted { ($0.commonName, $0.serial) < ($1.commonName, $1.serial) }.map {
                MetricSample([MetricLabel("cn", $0.commonName), MetricLabel("serial", $0.serial),
                              MetricLabel("sans", $0.sans.joined(separator: ","))], $0.notAfter)
            }
        ))
        families.append(MetricFamily(
            name: "gatehouse_acme_orders_total", help: "Finished ACME orders, by result.",
            kind: .counter, samples: sample.orders.sorted { $0.key < $1.key }.map {
                MetricSample([MetricLabel("result", $0.key)], Double($0.value))
            }
        ))
        if settings.addEntryPointsLabels {
            families += requestFamilies(scope: "entrypoint", labels: { [MetricLabel("entrypoint", $0.entryPoint)] })
        }
        if settings.addRoutersLabels {
            families += requestFamilies(scope: "router", labels: {
                $0.router.isEmpty ? nil : [MetricLabel("router", $0.router), MetricLabel("service", $0.service)]
            })
        }
        if settings.addServicesLabels {
            families += requestFamilies(scope: "service", labels: { $0.service.isEmpty ? nil : [MetricLabel("service", $0.service)] })
            families.append(MetricFamily(
                name: "gatehouse_service_server_up", help: "Whether a service's server may be picked (1) or is held down by a health check (0).",
                kind: .gauge, samples: sample.servers.map {
                    MetricSample([MetricLabel("service", $0.service), MetricLabel("url", $0.url)], $0.isUp ? 1 : 0)
                }
            ))
        }
        return families
    }

    /// `gatehouse_<scope>_requests_total` and `gatehouse_<scope>_request_duration_seconds`: the
    /// requests summed over every key that maps to the same labels (`nil`: not counted here).
    private func requestFamilies(scope: String, labels: (RequestKey) -> [MetricLabel]?) -> [MetricFamily] {
        struct Group: Hashable {
            var labels: [MetricLabel]
        }
        let bounds = sample.traffic.bounds
        var cells: [Group: RequestCell] = [:]
        for (key, cell) in sample.traffic.requests {
            guard let own = labels(key) else { continue }
            let group = Group(labels: [
                MetricLabel("code", String(key.code)), MetricLabel("method", key.method), MetricLabel("protocol", key.protocolName),
            ] + own)
            var total = cells[group] ?? RequestCell(bucketCount: bounds.count)
            total.count += cell.count
            total.durationSum += cell.durationSum
            for index in total.bucketCounts.indices where index < cell.bucketCounts.count {
                total.bucketCounts[index] += cell.bucketCounts[index]
            }
            cells[group] = total
        }
        let ordered = cells.sorted { Self.order($0.key.labels) < Self.order($1.key.labels) }
        return [
            MetricFamily(
                name: "gatehouse_\(scope)_requests_total", help: "HTTP requests by \(scope), status code, method and protocol.",
                kind: .counter, samples: ordered.map { MetricSample($0.key.labels, Double($0.value.count)) }
            ),
            MetricFamily(
                name: "gatehouse_\(scope)_request_duration_seconds", help: "HTTP request durations by \(scope), status code, method and protocol.",
                kind: .histogram, samples: ordered.map {
                    MetricSample(labels: $0.key.labels, value: .histogram(HistogramValue(
                        bounds: bounds, counts: $0.value.bucketCounts, sum: $0.value.durationSum, count: $0.value.count
                    )))
                }
            ),
        ]
    }

    private static func order(_ labels: [MetricLabel]) -> String {
        labels.map { "\($0.name)=\($0.value)" }.joined(separator: "\u{0}")
    }
}

extension GatewayRuntimeView: MetricsView {
    func metricFamilies() async -> [MetricFamily] {
        guard let sample = await gateway.metrics.sample() else { return [] }
        return GatewayMetricFamilies(sample: sample, settings: staticConfig.prometheus).families()
    }
}
