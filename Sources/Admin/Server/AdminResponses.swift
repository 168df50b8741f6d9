import Foundation
import Hummingbird
import Storage

/// Response helpers shared by the admin routes: JSON bodies and Traefik-style error messages
/// (`{"message": "…"}`).
enum AdminResponses {
    /// `value` as JSON with keys sorted, status `status`.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: value.encoded())))
    }

    /// Raw JSON text (the OpenAPI document).
    static func jsonText(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A plain-text body.
    static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// An error as Traefik's API writes them: `{"message": "…"}`.
    static func error(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) -> Response {
        json(.object(["message": .string(message)]), status: status, headers: headers)
    }
}
