extension AdminRoute {
    /// Changes waiting for approval, and their approval or rejection.
    static let changeRoutes: [AdminRoute] = [
        AdminRoute(.get, "/api/v1/changes", .scope(.ingressRead), .changes, OperationDescription(
            "listChanges", summary: "Changes",
            description: "Changes made with approvals required, newest first, each with its plan: what approving it creates, changes or removes.",
            parameters: [
                .query("status", "Only changes with this status.", schema: ["enum": ["pending", "approved", "rejected"], "type": "string"]),
            ],
            success: .json(200, "The changes.", .list(of: "Change")),
            errors: [.shared(400, "BadRequest"), .shared(503, "RouteStorageUnavailable")]
        )),
        AdminRoute(.get, "/api/v1/changes/{id}", .scope(.ingressRead), .change, OperationDescription(
            "getChange", summary: "A change and its plan",
            description: "The change, its plan and its decision.",
            parameters: [.shared("ChangeIdPath")],
            success: .json(200, "The change.", .schema("Change")),
            errors: [.shared(404, "NotFound"), .shared(503, "RouteStorageUnavailable")]
        )),
        AdminRoute(.post, "/api/v1/changes/{id}/approve", .scope(.ingressManage), .approveChange, OperationDescription(
            "approveChange", summary: "Approve a change",
            description: "Approves a pending change and starts its operation. With `admin.fourEyes` the token that requested it cannot approve it (403). Audited.",
            parameters: [.shared("ChangeIdPath")],
            success: .json(202, "Approved; the operation runs on.", .schema("ChangeApproved")),
            errors: [
                .shared(404, "NotFound"),
                .json(409, "Already decided, or the host now clashes with the file provider.", .schema("Message")),
                .shared(503, "RouteStorageUnavailable"),
            ]
        )),
        AdminRoute(.post, "/api/v1/changes/{id}/reject", .scope(.ingressManage), .rejectChange, OperationDescription(
            "rejectChange", summary: "Reject a change",
            description: "Rejects a pending change; nothing is applied. Audited.",
            parameters: [.shared("ChangeIdPath")],
            success: .json(200, "Rejected.", .schema("Change")),
            errors: [
                .shared(404, "NotFound"),
                .json(409, "Already decided.", .schema("Message")),
                .shared(503, "RouteStorageUnavailable"),
            ]
        )),
    ]
}
