"""Page forms, one module per topic. They check shape only (required, types, choices in scope); rules are the
services' and models'."""
