import Testing
@testable import VerbundStore

