import Testing
@testable import VerbundTransport

