// The RFC 8555 ACME client lives in this module (work in progress on its own branch).
