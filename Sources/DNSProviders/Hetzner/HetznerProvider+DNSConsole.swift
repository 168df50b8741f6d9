import Foundation
import NIOHTTP1

/// The legacy DNS Console API (`https://dns.hetzner.com/api/v1`, `Auth-API-Token` header), used
/// as lego uses it when only `HETZNER_API_KEY` is set: the zone's id from `GET /zones?name=`,
/// records listed with `GET /records?zone_id=`, created with `POST /records`, deleted by id.
extension HetznerProvider {
    func presentThroughDNSConsole(_ record: ChallengeRecord) async throws(DNSProviderError) {
        logger.warning("hetzner: HETZNER_API_KEY uses Hetzner's deprecated DNS Console API; set HETZNER_API_TOKEN (a Cloud API token) instead")
        let zoneID = try await consoleZoneID(record.zoneWithoutDot)
        if try await consoleRecords(record, zoneID: zoneID).isEmpty == false { return }
        let body = HetznerConsoleRecord(type: "TXT", name: record.relativeName, value: record.value, ttl: ttl(for: record), zoneID: zoneID)
        let response = try await http.sendJSON(.POST, baseURL + "/records", headers: consoleHeaders(), json: body)
        guard (200..<300).contains(response.status) else { throw consoleFailure(response) }
    }

    func cleanUpThroughDNSConsole(_ record: ChallengeRecord) async throws(DNSProviderError) {
        let zoneID = try await consoleZoneID(record.zoneWithoutDot)
        for match in try await consoleRecords(record, zoneID: zoneID) {
            guard let id = match.id else { continue }
            let response = try await http.send(.DELETE, "\(baseURL)/records/\(id)", headers: consoleHeaders())
            guard (200..<300).contains(response.status) || response.status == 404 else { throw consoleFailure(response) }
        }
    }

    private func consoleZoneID(_ zone: String) async throws(DNSProviderError) -> String {
        let response = try await http.send(.GET, "\(baseURL)/zones?name=\(zone)", headers: consoleHeaders())
        guard response.status == 200 else { throw consoleFailure(response) }
        guard let found = try response.decode(HetznerConsoleZones.self, provider: name).zones.first(where: { $0.name.lowercased() == zone }) else {
            throw DNSProviderError(.zoneNotFound, provider: name, "no zone \(zone) in the DNS Console account", status: response.status)
        }
        return found.id
    }

    /// The TXT records at the record's name holding its value.
    private func consoleRecords(_ record: ChallengeRecord, zoneID: String) async throws(DNSProviderError) -> [HetznerConsoleRecord] {
        let response = try await http.send(.GET, "\(baseURL)/records?zone_id=\(zoneID)", headers: consoleHeaders())
        guard response.status == 200 else { throw consoleFailure(response) }
        return try response.decode(HetznerConsoleRecords.self, provider: name).records.filter {
            $0.type == "TXT" && $0.name.lowercased() == record.relativeName && Self.unquoted($0.value) == record.value
        }
    }

    private func consoleHeaders() -> HTTPHeaders {
        HTTPHeaders([("Auth-API-Token", token), ("Accept", "application/json")])
    }

    private func consoleFailure(_ response: ProviderHTTPClient.Response) -> DNSProviderError {
        let body = try? JSONDecoder().decode(HetznerConsoleErrorBody.self, from: Data(response.body))
        return http.classify(response, message: body?.message ?? body?.error?.message ?? "")
    }
}
