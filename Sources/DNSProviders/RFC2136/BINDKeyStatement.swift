/// A BIND `key` statement, as `tsig-keygen` writes it:
///
///     key "gatehouse-key" {
///         algorithm hmac-sha256;
///         secret "base64…";
///     };
struct BINDKeyStatement: Sendable {
    var name: String
    var algorithm: String
    var secret: String

    /// Reads the first `key` statement in `text`; `nil` when there is none or it lacks the
    /// algorithm or the secret.
    init?(_ text: String) {
        // Tokens: words, quoted strings and the punctuation { } ;
        var tokens: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if quoted {
                if character == "\"" { tokens.append(current); current = ""; quoted = false } else { current.append(character) }
                continue
            }
            switch character {
            case "\"":
                quoted = true
            case "{", "}", ";":
                if !current.isEmpty { tokens.append(current); current = "" }
                tokens.append(String(character))
            case " ", "\t", "\n", "\r":
                if !current.isEmpty { tokens.append(current); current = "" }
            default:
                current.append(character)
            }
        }
        guard let keyIndex = tokens.firstIndex(of: "key"), keyIndex + 2 < tokens.count, tokens[keyIndex + 2] == "{" else { return nil }
        var algorithm: String? = nil
        var secret: String? = nil
        var index = keyIndex + 3
        while index + 1 < tokens.count, tokens[index] != "}" {
            switch tokens[index] {
            case "algorithm": algorithm = tokens[index + 1]
            case "secret": secret = tokens[index + 1]
            default: break
            }
            index += 1
        }
        guard let algorithm, let secret else { return nil }
        self.name = tokens[keyIndex + 1]
        self.algorithm = algorithm
        self.secret = secret
    }
}
