import Testing
@testable import VerbundDataspace

