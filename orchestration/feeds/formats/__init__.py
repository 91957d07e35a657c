"""File formats shared by several feeds or big enough to live apart from their feed spec."""
