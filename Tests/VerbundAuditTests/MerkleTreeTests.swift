import Testing
@testable import VerbundAudit
