/// Path helpers shared by the path middlewares, with Traefik's (Go's) meaning.
enum PathRewriting {
    /// `X-Forwarded-Prefix`: the prefix stripPrefix/stripPrefixRegex removed.
    static let forwardedPrefixHeader = "X-Forwarded-Prefix"
    /// `X-Replaced-Path`: the path before replacePath/replacePathRegex.
    static let replacedPathHeader = "X-Replaced-Path"

    /// Prepends `/` unless the path is empty or already starts with one (Traefik's
    /// `ensureLeadingSlash`); an empty path is forwarded as `/`.
    static func ensureLeadingSlash(_ path: some StringProtocol) -> String {
        if path.isEmpty { return "/" }
        if path.first == "/" { return String(path) }
        return "/" + path
    }
}
