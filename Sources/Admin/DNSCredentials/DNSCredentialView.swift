import Foundation
import Storage

/// The JSON shapes of DNS credentials and pre-flight reports. A credential shows which variable
/// names are set, never a value.
enum DNSCredentialView {
    /// `{"id", "name", "provider", "variables", "createdAt", "createdBy", "lastTest"}`.
    static func credential(_ record: DNSCredentialRecord) -> JSONValue {
        let lastTest: JSONValue = record.lastTest.map { test in
            .object([
                "time": CertificateView.timestamp(test.time),
                "domain": .string(test.domain),
                "succeeded": .bool(test.succeeded),
                "failedStep": test.failedStep.map(JSONValue.string) ?? .null,
                "failureKind": test.failureKind.map(JSONValue.string) ?? .null,
            ])
        } ?? .null
        return .object([
            "id": .string(record.id),
            "name": .string(record.name),
            "provider": .string(record.provider),
            "variables": .strings(record.variableNames),
            "createdAt": CertificateView.timestamp(record.createdAt),
            "createdBy": .string(record.createdBy),
            "lastTest": lastTest,
        ])
    }

    /// `{"domain", "provider", "succeeded", "failedStep", "failureKind", "steps": [...]}`.
    static func report(_ report: DNSCredentialTestReport, credential: DNSCredentialRecord) -> JSONValue {
        .object([
            "credential": .string(credential.id),
            "domain": .string(report.domain),
            "provider": .string(report.provider),
            "succeeded": .bool(report.succeeded),
            "failedStep": report.failedStep.map { .string($0.name) } ?? .null,
            "failureKind": report.failedStep?.failureKind.map(JSONValue.string) ?? .null,
            "steps": .array(report.steps.map { step in
                .object([
                    "name": .string(step.name),
                    "status": .string(step.status.rawValue),
                    "detail": step.detail.map(JSONValue.string) ?? .null,
                    "failureKind": step.failureKind.map(JSONValue.string) ?? .null,
                    "milliseconds": .int(step.milliseconds),
                ])
            }),
        ])
    }
}
