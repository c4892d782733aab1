import Testing
import VerbundTestSupport
@testable import VerbundConnector

@Suite(.offCooperativePool) struct ConnectorVersionTests {
    @Test func versionIsSemantic() {
        let parts = ConnectorVersion.current.split(separator: ".")
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { Int($0) != nil })
    }
}
