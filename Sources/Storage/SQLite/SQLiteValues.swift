import Foundation
import NIOCore
import SQLiteNIO

/// Conversions between record fields and SQLite values. Times are INTEGER milliseconds since
/// 1970-01-01T00:00:00Z.
enum SQLiteValues {
    static func time(_ date: Date) -> SQLiteData {
        .integer(milliseconds(date))
    }

    static func time(_ date: Date?) -> SQLiteData {
        date.map { time($0) } ?? .null
    }

    static func milliseconds(_ date: Date) -> Int {
        Int((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func text(_ value: String?) -> SQLiteData {
        value.map { .text($0) } ?? .null
    }

    static func blob(_ bytes: [UInt8]?) -> SQLiteData {
        bytes.map { .blob(ByteBuffer(bytes: $0)) } ?? .null
    }
}

extension SQLiteRow {
    func text(_ column: String) -> String? {
        guard let value = self.column(column), !value.isNull else { return nil }
        return value.string
    }

    func integer(_ column: String) -> Int? {
        guard let value = self.column(column), !value.isNull else { return nil }
        return value.integer
    }

    func time(_ column: String) -> Date? {
        integer(column).map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    func bytes(_ column: String) -> [UInt8]? {
        guard let value = self.column(column), let buffer = value.blob else { return nil }
        return Array(buffer.readableBytesView)
    }
}
