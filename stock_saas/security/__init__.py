"""Password hashing, tokens and the signing-key store."""
