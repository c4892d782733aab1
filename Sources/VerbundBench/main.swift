print("verbund-bench: no benchmarks yet")
