/// The format-independent tree every configuration file is read into before
/// decoding. Maps keep their key order; scalars keep their source text.
struct ConfigNode: Sendable {
    /// What a scalar looked like in the source, for loosely typed sections.
    enum ScalarHint: Sendable, Equatable {
        case string, int, float, bool
    }

    /// One key of a map, with the line the key was written on.
    struct Entry: Sendable {
        var key: String
        var line: Int?
        var value: ConfigNode
    }

    enum Content: Sendable {
        case null
        case scalar(String, ScalarHint)
        case map([Entry])
        case list([ConfigNode])
    }

    var content: Content
    /// 1-based line where the value starts, when known.
    var line: Int?

    init(_ content: Content, line: Int?) {
        self.content = content
        self.line = line
    }

    /// A short name of the node's shape, for error messages.
    var shapeName: String {
        switch content {
        case .null: "null"
        case .scalar: "a scalar"
        case .map: "a map"
        case .list: "a list"
        }
    }
}

/// A key path inside a configuration tree, e.g. `http.services.api.loadBalancer.servers[0].url`.
struct ConfigKeyPath: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    var segments: [Segment] = []

    static let root = ConfigKeyPath()

    func appending(_ key: String) -> ConfigKeyPath {
        var copy = self
        copy.segments.append(.key(key))
        return copy
    }

    func appending(index: Int) -> ConfigKeyPath {
        var copy = self
        copy.segments.append(.index(index))
        return copy
    }

    var description: String {
        var text = ""
        for segment in segments {
            switch segment {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}
