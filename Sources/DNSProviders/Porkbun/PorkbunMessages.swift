/// The keys every Porkbun request carries in its JSON body.
struct PorkbunAuthentication: Encodable, Sendable {
    var apikey: String
    var secretapikey: String
}

/// `POST /dns/create/{domain}`: the keys and the record.
struct PorkbunCreateRecord: Encodable, Sendable {
    var apikey: String
    var secretapikey: String
    var name: String
    var type: String
    var content: String
    var ttl: String
}

/// Porkbun's answers: `{"status": "SUCCESS" | "ERROR", "message"?, "records"?, "id"?}`.
struct PorkbunAnswer: Decodable, Sendable {
    struct Record: Decodable, Sendable {
        var id: String
        var name: String?
        var type: String?
        var content: String
    }

    var status: String
    var message: String?
    var records: [Record]?
}
