import Config
import Testing
@testable import Middlewares

/// passTLSClientCert's encodings.
@Suite struct PassTLSClientCertTests {
    @Test("values are escaped like Go's url.QueryEscape")
    func queryEscape() {
        #expect(PassTLSClientCert.queryEscape("Subject=\"CN=a b\";NB=\"1\"") == "Subject%3D%22CN%3Da+b%22%3BNB%3D%221%22")
        #expect(PassTLSClientCert.queryEscape("MIIB+/x=") == "MIIB%2B%2Fx%3D")
        #expect(PassTLSClientCert.queryEscape("é") == "%C3%A9")
    }

    @Test("PEM delimiters and line breaks are removed")
    func bare() {
        #expect(PassTLSClientCert.bare("-----BEGIN CERTIFICATE-----\nMIIB\nAAAA\n-----END CERTIFICATE-----\n") == "MIIBAAAA")
    }

    @Test("a request without a client certificate passes unchanged")
    func withoutCertificate() {
        var config = Middleware.PassTLSClientCert()
        config.pem = true
        let (forwarded, answer) = run(PassTLSClientCert(config), request("/", tls: true))
        #expect(answer == nil)
        #expect(forwarded.header("x-forwarded-tls-client-cert") == nil)
    }
}
