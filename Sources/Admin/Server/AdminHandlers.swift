import Foundation
import Hummingbird

/// Answers the admin routes from the runtime view.
struct AdminHandlers: Sendable {
    let runtime: any RuntimeView
    /// The certificate operations; `nil` when the gateway manages no certificates.
    var certificates: (any CertificateControl)?
    /// The audit log; `nil` when the gateway keeps none.
    var audit: (any AuditTrail)?
    /// The expose chain; `nil` when the gateway stores no API routes.
    var expose: ExposeService?
    /// The DNS credential operations; `nil` when the gateway stores none.
    var dnsCredentials: (any DNSCredentialControl)?

    func respond(to endpoint: AdminRoute.Endpoint, request: Request, context: AdminRequestContext) async -> Response {
        switch endpoint {
        case .ping:
            return AdminResponses.text("OK")
        case .openAPI:
            return AdminResponses.jsonText(OpenAPIDocument.served)
        case .metrics:
            let families = await (runtime as? any MetricsView)?.metricFamilies() ?? []
            return AdminResponses.text(PrometheusText.render(families), contentType: PrometheusText.contentType)
        case .certificates, .certificate, .issueCertificate, .renewCertificate, .revokeCertificate:
            return await respondCertificates(to: endpoint, request: request, context: context)
        case .audit:
            return await respondAudit(request: request)
        case .expose, .unexpose, .operation:
            return await respondExpose(to: endpoint, request: request, context: context)
        case .changes, .change, .approveChange, .rejectChange:
            return await respondChanges(to: endpoint, request: request, context: context)
        case .dnsCredentials, .dnsCredential, .createDNSCredential, .deleteDNSCredential, .testDNSCredential:
            return await respondDNSCredentials(to: endpoint, request: request, context: context)
        default:
            break
        }
        guard let state = await runtime.currentState() else {
            return AdminResponses.error(.serviceUnavailable, "the gateway has not loaded its configuration yet")
        }
        let view = TraefikView(state)
        let name = Self.name(in: context)
        switch endpoint {
        case .ping, .openAPI, .metrics, .certificates, .certificate, .issueCertificate, .renewCertificate, .revokeCertificate, .audit,
             .expose, .unexpose, .operation, .changes, .change, .approveChange, .rejectChange,
             .dnsCredentials, .dnsCredential, .createDNSCredential, .deleteDNSCredential, .testDNSCredential:
            return AdminResponses.error(.internalServerError, "unreachable")
        case .routes:
            return await respondRoutes(state: state, request: request)
        case .rawData:
            return AdminResponses.json(view.rawData())
        case .overview:
            return AdminResponses.json(view.overview())
        case .entryPoints:
            return TraefikListing.paginate(view.entryPoints().map(\.value), request: request)
        case .entryPoint:
            guard let entryPoint = view.entryPoints().first(where: { $0["name"] == .string(name) }) else {
                return AdminResponses.error(.notFound, "entry point not found: \(name)")
            }
            return AdminResponses.json(entryPoint.value)
        case .httpRouters:
            return TraefikListing.list(view.httpRouterInfos(), request: request)
        case .httpRouter:
            return TraefikListing.detail(view.httpRouterInfos(), name: name, kind: "router")
        case .httpServices:
            return TraefikListing.list(view.httpServiceInfos(), request: request, type: TraefikView.serviceType)
        case .httpService:
            return TraefikListing.detail(view.httpServiceInfos(), name: name, kind: "service", type: TraefikView.serviceType)
        case .httpMiddlewares:
            return TraefikListing.list(view.httpMiddlewareInfos(), request: request)
        case .httpMiddleware:
            return TraefikListing.detail(view.httpMiddlewareInfos(), name: name, kind: "middleware")
        case .tcpRouters:
            return TraefikListing.list(view.tcpRouterInfos(), request: request)
        case .tcpRouter:
            return TraefikListing.detail(view.tcpRouterInfos(), name: name, kind: "router")
        case .tcpServices:
            return TraefikListing.list(view.tcpServiceInfos(), request: request, type: TraefikView.serviceType)
        case .tcpService:
            return TraefikListing.detail(view.tcpServiceInfos(), name: name, kind: "service", type: TraefikView.serviceType)
        case .tcpMiddlewares:
            return TraefikListing.list(view.tcpMiddlewareInfos(), request: request)
        case .udpRouters:
            return TraefikListing.list(view.udpRouterInfos(), request: request)
        case .udpServices:
            return TraefikListing.list(view.udpServiceInfos(), request: request, type: TraefikView.serviceType)
        }
    }

    /// The `{name}` path parameter, percent-decoded (`web%40file` → `web@file`).
    private static func name(in context: AdminRequestContext) -> String {
        let raw = context.parameters.get("name") ?? ""
        return raw.removingPercentEncoding ?? raw
    }
}
