import Foundation
import Storage

/// Certificate records in the admin API's shapes. Only public material is shown: names, status,
/// dates, issuer, serial and, in the detail, the chain PEM. The private key and the key reserved
/// for an order in flight are never read here.
enum CertificateView {
    /// RFC 3339 with seconds, UTC (`2026-11-23T22:51:00Z`).
    static func timestamp(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        return .string(date.formatted(.iso8601))
    }

    /// Whole days from `now` until `notAfter` (negative once expired); `nil` without a date.
    static func daysUntil(_ notAfter: Date?, now: Date) -> Int? {
        guard let notAfter else { return nil }
        return Int((notAfter.timeIntervalSince(now) / 86_400).rounded(.down))
    }

    /// The list representation.
    static func summary(_ record: CertificateRecord, now: Date) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        fields["id"] = .string(record.id)
        fields["names"] = .strings(record.names)
        fields["status"] = .string(record.status.rawValue)
        fields["statusReason"] = record.statusReason.map(JSONValue.string) ?? .null
        fields["issuer"] = record.issuer.map(JSONValue.string) ?? .null
        fields["serialNumber"] = record.serialNumber.map(JSONValue.string) ?? .null
        fields["notBefore"] = timestamp(record.notBefore)
        fields["notAfter"] = timestamp(record.notAfter)
        fields["daysUntilExpiry"] = daysUntil(record.notAfter, now: now).map(JSONValue.int) ?? .null
        fields["resolver"] = .string(record.resolver)
        fields["source"] = .string(record.source.rawValue)
        fields["inUse"] = .bool(record.isInUse)
        return .object(fields)
    }

    /// The detail representation: the summary, the renewal state, the last error and the chain.
    static func detail(_ record: CertificateRecord, now: Date) -> JSONValue {
        guard case .object(var fields) = summary(record, now: now) else { return .null }
        fields["keyType"] = record.keyType.map(JSONValue.string) ?? .null
        fields["renewalTime"] = timestamp(record.renewalTime)
        fields["nextRetryTime"] = timestamp(record.nextRetryTime)
        fields["failureCount"] = .int(record.failureCount)
        fields["lastError"] = record.lastError.map(JSONValue.string) ?? .null
        fields["profile"] = record.profile.map(JSONValue.string) ?? .null
        fields["challenge"] = record.challenge.map(JSONValue.string) ?? .null
        fields["dnsCredential"] = record.dnsCredential.map(JSONValue.string) ?? .null
        fields["createdAt"] = timestamp(record.createdAt)
        fields["updatedAt"] = timestamp(record.updatedAt)
        fields["chainPEM"] = record.chainPEM.map(JSONValue.string) ?? .null
        return .object(fields)
    }
}
