/// The host names and patterns a router rule matches on, read from the rule's text:
/// `Host(…)` and `HostSNI(…)` give names, `HostRegexp(…)` and `HostSNIRegexp(…)` patterns.
///
/// The Admin target does not parse rules (the data plane did, when it built the snapshot); this
/// reads only the matchers' quoted arguments, which is all the monitor shows.
struct HostMatchers: Equatable {
    /// Names from `Host` and `HostSNI`, as written (`*` for `HostSNI(`*`)`).
    var names: [String] = []
    /// Patterns from `HostRegexp` and `HostSNIRegexp`.
    var patterns: [String] = []

    /// The matchers of `rule`.
    init(rule: String?) {
        guard let rule else { return }
        let characters = Array(rule)
        var index = 0
        while index < characters.count {
            guard characters[index].isLetter else {
                index += 1
                continue
            }
            let start = index
            while index < characters.count, characters[index].isLetter { index += 1 }
            let identifier = String(characters[start..<index])
            var probe = index
            while probe < characters.count, characters[probe] == " " { probe += 1 }
            guard probe < characters.count, characters[probe] == "(" else { continue }
            let (arguments, end) = Self.arguments(characters, from: probe + 1)
            index = end
            switch identifier {
            case "Host", "HostSNI": names += arguments
            case "HostRegexp", "HostSNIRegexp": patterns += arguments
            default: break
            }
        }
    }

    /// The quoted arguments from just after `(` to the matching `)`, and the index after it.
    private static func arguments(_ characters: [Character], from start: Int) -> ([String], Int) {
        var values: [String] = []
        var index = start
        while index < characters.count {
            let character = characters[index]
            if character == ")" { return (values, index + 1) }
            if character == "`" || character == "\"" || character == "'" {
                var value = ""
                index += 1
                while index < characters.count, characters[index] != character {
                    if character == "\"", characters[index] == "\\", index + 1 < characters.count { index += 1 }
                    value.append(characters[index])
                    index += 1
                }
                values.append(value)
            }
            index += 1
        }
        return (values, index)
    }
}
