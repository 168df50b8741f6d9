import Foundation
import Storage
import Testing

@Suite("The expose store: API routes, operations and changes in SQLite")
struct ExposeStoreTests {
    static let spec = ExposeSpec(host: "app.example.com", scheme: "https", backends: ["http://10.0.0.5:8080"], resolver: "le",
                                 challenge: "http-01", entryPoints: ["websecure"], certificateNames: ["app.example.com"])

    @Test("routes are stored by host, replaced, listed in host order, removed, and survive reopening")
    func routes() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory, environment: ["GATEHOUSE_SECRET_KEY": testEnvironmentKey]) { storage in
                var route = StoredRoute(spec: Self.spec, state: .prepared, operationID: "op-1")
                try await storage.saveRoute(route)
                var other = Self.spec
                other.host = "aaa.example.com"
                try await storage.saveRoute(StoredRoute(spec: other, state: .active))
                route.state = .active
                route.certificateID = "cert-1"
                try await storage.saveRoute(route)
                #expect(try await storage.storedRoutes().map(\.host) == ["aaa.example.com", "app.example.com"])
                let stored = try #require(try await storage.storedRoute(host: "app.example.com"))
                #expect(stored.state == .active && stored.certificateID == "cert-1" && stored.spec == Self.spec)
                try await storage.deleteRoute(host: "aaa.example.com")
                try await storage.deleteRoute(host: "never.example.com")
            }
            try await withStorage(in: directory, environment: ["GATEHOUSE_SECRET_KEY": testEnvironmentKey]) { storage in
                let routes = try await storage.storedRoutes()
                #expect(routes.map(\.host) == ["app.example.com"] && routes.first?.certificateID == "cert-1")
            }
        }
    }

    @Test("operations keep their steps; changes are listed newest first and filtered by status")
    func operationsAndChanges() async throws {
        try await withDataDirectory { directory in
            try await withStorage(in: directory, environment: ["GATEHOUSE_SECRET_KEY": testEnvironmentKey]) { storage in
                var operation = OperationRecord(action: "expose", host: Self.spec.host, spec: Self.spec, requestedBy: "deployer",
                                                stepNames: ["validate", "route", "certificate", "activate"])
                try await storage.saveOperation(operation)
                operation.steps[2].status = .failed
                operation.steps[2].error = "urn:ietf:params:acme:error:connection"
                operation.status = .failed
                try await storage.saveOperation(operation)
                let read = try #require(try await storage.operation(id: operation.id))
                #expect(read.status == .failed && read.steps[2].error == "urn:ietf:params:acme:error:connection")
                #expect(read.steps.map(\.name) == ["validate", "route", "certificate", "activate"])
                #expect(try await storage.operation(id: "missing") == nil)

                let plan = [ChangeRecord.PlanItem(action: "create", kind: "router", name: "expose-app-example-com")]
                var first = ChangeRecord(action: "expose", host: Self.spec.host, spec: Self.spec, plan: plan, requestedBy: "alice",
                                         createdAt: Date(timeIntervalSince1970: 1_000))
                let second = ChangeRecord(action: "unexpose", host: Self.spec.host, spec: nil, plan: [], requestedBy: "alice",
                                          createdAt: Date(timeIntervalSince1970: 2_000))
                try await storage.saveChange(first)
                try await storage.saveChange(second)
                #expect(try await storage.changes(status: nil).map(\.id) == [second.id, first.id])
                first.status = .approved
                first.decidedBy = "bob"
                try await storage.saveChange(first)
                #expect(try await storage.changes(status: .pending).map(\.id) == [second.id])
                #expect(try await storage.changes(status: .approved).first?.decidedBy == "bob")
                #expect(try await storage.change(id: first.id)?.plan == plan)
            }
        }
    }
}
