/// Why the OpenAPI document could not be built from the route list and the components: a
/// mistake in the descriptions, which the document tests catch before anything is served.
enum OpenAPIDocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A concern's components are not a JSON object of JSON objects.
    case unreadablePart(String)
    /// Two parts give the same component (`schemas/Message`).
    case duplicateComponent(String)
    /// Two routes have the same method and path.
    case duplicateOperation(String)
    /// A route gives a status twice (its own, or one its access adds).
    case duplicateStatus(String, Int)

    /// What is wrong, and where.
    var description: String {
        switch self {
        case .unreadablePart(let concern): "the OpenAPI components of \(concern) are not a JSON object of sections"
        case .duplicateComponent(let name): "the OpenAPI component \(name) is given by two concerns"
        case .duplicateOperation(let route): "two routes are \(route)"
        case .duplicateStatus(let route, let status): "\(route) gives the response \(status) twice"
        }
    }
}
