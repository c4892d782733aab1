import Testing
@testable import VerbundHTTP

