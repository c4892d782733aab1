import Foundation
import VerbundCLI

exit(VerbundCommandLine.main(Array(CommandLine.arguments.dropFirst())))
