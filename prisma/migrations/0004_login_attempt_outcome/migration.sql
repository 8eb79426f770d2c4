-- A sign-in attempt is recorded as failed before the password is checked (so
-- parallel guesses count against each other) and marked a success afterwards
-- when it was right: the app role may change that one column and nothing else.
GRANT UPDATE (succeeded) ON login_attempts TO enclave_app;
