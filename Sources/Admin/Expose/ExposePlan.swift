import Foundation
import Storage

/// What an expose or unexpose will create, change or remove, worked out from what exists: the
/// plan a pending change shows before it is approved.
public enum ExposePlan {
    /// The plan of exposing `spec` when `existing` is the stored route for its host (if any),
    /// and `certificates` the managed certificates.
    public static func expose(_ spec: ExposeSpec, existing: StoredRoute?, certificates: [CertificateRecord]) -> [ChangeRecord.PlanItem] {
        var plan: [ChangeRecord.PlanItem] = []
        let name = spec.itemName
        let kind = spec.tlsPassthrough ? "tcp router" : "router"
        let serviceKind = spec.tlsPassthrough ? "tcp service" : "service"
        let rule = spec.tlsPassthrough ? "HostSNI(`\(spec.host)`)" : "Host(`\(spec.host)`)"
        let backends = spec.backends.joined(separator: ", ")
        if let existing {
            if existing.spec == spec {
                plan.append(.init(action: "keep", kind: kind, name: name, detail: "\(rule) on \(spec.entryPoints.joined(separator: ", ")), unchanged"))
                plan.append(.init(action: "keep", kind: serviceKind, name: name, detail: backends))
            } else {
                var what: [String] = []
                if existing.spec.backends != spec.backends { what.append("backends \(existing.spec.backends.joined(separator: ", ")) → \(backends)") }
                if existing.spec.scheme != spec.scheme || existing.spec.tlsPassthrough != spec.tlsPassthrough {
                    what.append("protocol \(describe(existing.spec)) → \(describe(spec))")
                }
                if existing.spec.entryPoints != spec.entryPoints {
                    what.append("entry points \(existing.spec.entryPoints.joined(separator: ", ")) → \(spec.entryPoints.joined(separator: ", "))")
                }
                if existing.spec.resolver != spec.resolver { what.append("resolver \(existing.spec.resolver ?? "none") → \(spec.resolver ?? "none")") }
                plan.append(.init(action: "update", kind: kind, name: name, detail: what.isEmpty ? "settings" : what.joined(separator: "; ")))
                plan.append(.init(action: existing.spec.backends == spec.backends ? "keep" : "update", kind: serviceKind, name: name, detail: backends))
            }
        } else {
            plan.append(.init(action: "create", kind: kind, name: name, detail: "\(rule) on \(spec.entryPoints.joined(separator: ", ")) (\(describe(spec)))"))
            plan.append(.init(action: "create", kind: serviceKind, name: name, detail: backends))
        }
        if spec.needsCertificate, let resolver = spec.resolver {
            let names = spec.certificateNames.joined(separator: ", ")
            if let valid = usableCertificate(for: spec, in: certificates) {
                let until = valid.notAfter.map { " valid until \($0.formatted(.iso8601))" } ?? ""
                plan.append(.init(action: "reuse", kind: "certificate", name: names, detail: "certificate \(valid.id)\(until)"))
            } else {
                plan.append(.init(action: "create", kind: "certificate", name: names,
                                  detail: "order from resolver \(resolver)\(spec.challenge.map { " (\($0))" } ?? ""); the route goes live only once it is valid"))
            }
        }
        return plan
    }

    /// The plan of removing `route`, when `others` are the other stored routes.
    public static func unexpose(_ route: StoredRoute, others: [StoredRoute]) -> [ChangeRecord.PlanItem] {
        let spec = route.spec
        var plan: [ChangeRecord.PlanItem] = [
            .init(action: "remove", kind: spec.tlsPassthrough ? "tcp router" : "router", name: spec.itemName, detail: spec.host),
            .init(action: "remove", kind: spec.tlsPassthrough ? "tcp service" : "service", name: spec.itemName, detail: spec.backends.joined(separator: ", ")),
        ]
        if spec.needsCertificate {
            let names = spec.certificateNames.joined(separator: ", ")
            let sharing = others.filter { $0.spec.needsCertificate && $0.spec.certificateNames == spec.certificateNames && $0.spec.resolver == spec.resolver }
            if sharing.isEmpty {
                plan.append(.init(action: "release", kind: "certificate", name: names,
                                  detail: "no longer demanded by an API route: it stops being renewed (not revoked)"))
            } else {
                plan.append(.init(action: "keep", kind: "certificate", name: names,
                                  detail: "still used by \(sharing.map(\.host).joined(separator: ", "))"))
            }
        }
        return plan
    }

    /// A servable certificate of `spec`'s resolver for exactly its names, if one is stored.
    static func usableCertificate(for spec: ExposeSpec, in certificates: [CertificateRecord]) -> CertificateRecord? {
        let wanted = Set(spec.certificateNames)
        return certificates.first { $0.resolver == spec.resolver && Set($0.names) == wanted && $0.status.isServable }
    }

    /// `https`, `http` or `https (passthrough)`.
    static func describe(_ spec: ExposeSpec) -> String {
        spec.tlsPassthrough ? "https (passthrough)" : spec.scheme
    }
}
