// The storage contract and its SQLite backend live in this module (work in progress).
