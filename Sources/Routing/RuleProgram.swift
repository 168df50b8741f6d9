/// The rules of a whole route table compiled into flat arrays for evaluation: nodes refer to their
/// children and matchers by index, so evaluating touches no reference-counted boxes (the tree
/// form, `RuleExpression`, is kept for analysis and for `Rule.matches`).
struct RuleProgram: Sendable {
    enum Op: UInt8, Sendable {
        /// `first` is an index into `matchers`.
        case matcher
        /// `first` is the operand's node.
        case not
        /// Children are the nodes `first ..< first + count`.
        case and
        case or
    }

    struct Node: Sendable {
        var op: Op
        var first: Int32
        var count: Int32
    }

    private(set) var nodes: [Node] = []
    private(set) var matchers: [Matcher] = []
    /// The root node of each rule, by route position.
    private(set) var roots: [Int32] = []

    init(_ expressions: [RuleExpression]) {
        roots.reserveCapacity(expressions.count)
        for expression in expressions {
            let root = Int32(nodes.count)
            nodes.append(Node(op: .matcher, first: 0, count: 0))
            fill(root, with: expression)
            roots.append(root)
        }
    }

    /// Writes `expression` into the already reserved slot `slot`, reserving its children's slots
    /// contiguously.
    private mutating func fill(_ slot: Int32, with expression: RuleExpression) {
        switch expression {
        case .matcher(let matcher):
            nodes[Int(slot)] = Node(op: .matcher, first: Int32(matchers.count), count: 0)
            matchers.append(matcher)
        case .not(let inner):
            let child = Int32(nodes.count)
            nodes.append(Node(op: .matcher, first: 0, count: 0))
            nodes[Int(slot)] = Node(op: .not, first: child, count: 1)
            fill(child, with: inner)
        case .and(let terms), .or(let terms):
            let first = Int32(nodes.count)
            for _ in terms { nodes.append(Node(op: .matcher, first: 0, count: 0)) }
            let op: Op
            if case .and = expression { op = .and } else { op = .or }
            nodes[Int(slot)] = Node(op: op, first: first, count: Int32(terms.count))
            for (offset, term) in terms.enumerated() { fill(first + Int32(offset), with: term) }
        }
    }

    /// Whether rule `position` accepts the request.
    @inline(__always)
    func matches(_ position: Int, _ request: RoutingRequest) -> Bool {
        nodes.withUnsafeBufferPointer { nodes in
            matchers.withUnsafeBufferPointer { matchers in
                RuleProgram.evaluate(Int(roots[position]), nodes, matchers, request)
            }
        }
    }

    /// Whether rule `position` accepts the connection.
    @inline(__always)
    func matches(_ position: Int, _ connection: TCPRoutingInput) -> Bool {
        nodes.withUnsafeBufferPointer { nodes in
            matchers.withUnsafeBufferPointer { matchers in
                RuleProgram.evaluate(Int(roots[position]), nodes, matchers, connection)
            }
        }
    }

    // Two copies of the same walk: a closure for the leaves would copy the request at each call.

    private static func evaluate(
        _ index: Int, _ nodes: UnsafeBufferPointer<Node>, _ matchers: UnsafeBufferPointer<Matcher>, _ request: RoutingRequest
    ) -> Bool {
        let node = nodes[index]
        switch node.op {
        case .matcher:
            return matchers[Int(node.first)].matches(request)
        case .not:
            return !evaluate(Int(node.first), nodes, matchers, request)
        case .and:
            for child in Int(node.first)..<Int(node.first + node.count) where !evaluate(child, nodes, matchers, request) {
                return false
            }
            return true
        case .or:
            for child in Int(node.first)..<Int(node.first + node.count) where evaluate(child, nodes, matchers, request) {
                return true
            }
            return false
        }
    }

    private static func evaluate(
        _ index: Int, _ nodes: UnsafeBufferPointer<Node>, _ matchers: UnsafeBufferPointer<Matcher>, _ connection: TCPRoutingInput
    ) -> Bool {
        let node = nodes[index]
        switch node.op {
        case .matcher:
            return matchers[Int(node.first)].matches(connection)
        case .not:
            return !evaluate(Int(node.first), nodes, matchers, connection)
        case .and:
            for child in Int(node.first)..<Int(node.first + node.count) where !evaluate(child, nodes, matchers, connection) {
                return false
            }
            return true
        case .or:
            for child in Int(node.first)..<Int(node.first + node.count) where evaluate(child, nodes, matchers, connection) {
                return true
            }
            return false
        }
    }
}
