import Testing
@testable import VerbundCLI

