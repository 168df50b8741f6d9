// The built-in authoritative DNS responder lives in this module (work in progress).
