import Foundation

if CommandLine.arguments.dropFirst().first == "negotiation" { exit(NegotiationBenchmark.main(Array(CommandLine.arguments.dropFirst(2)))) }
print("verbund-bench: no benchmarks yet")
