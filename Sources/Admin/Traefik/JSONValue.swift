import Foundation
import Storage

extension JSONValue {
    /// UTF-8 JSON with sorted keys.
    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data("null".utf8))
    }
}

/// A JSON object under construction; `set` leaves out absent values, as Go's `omitempty` does.
struct JSONObject: Sendable {
    private(set) var fields: [String: JSONValue] = [:]

    mutating func set(_ key: String, _ value: JSONValue?) {
        guard let value else { return }
        fields[key] = value
    }

    mutating func set(_ key: String, _ value: String?) {
        guard let value, !value.isEmpty else { return }
        fields[key] = .string(value)
    }

    mutating func set(_ key: String, _ value: Int?) {
        guard let value else { return }
        fields[key] = .int(value)
    }

    mutating func set(_ key: String, _ value: Bool?) {
        guard let value else { return }
        fields[key] = .bool(value)
    }

    mutating func set(_ key: String, _ values: [String]?) {
        guard let values, !values.isEmpty else { return }
        fields[key] = .strings(values)
    }

    mutating func set(_ key: String, _ object: JSONObject?) {
        guard let object else { return }
        fields[key] = object.value
    }

    subscript(key: String) -> JSONValue? { fields[key] }

    var isEmpty: Bool { fields.isEmpty }

    var value: JSONValue { .object(fields) }
}
