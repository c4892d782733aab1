print("verbund")
