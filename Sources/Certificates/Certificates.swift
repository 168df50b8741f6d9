// The certificate manager lives in this module (work in progress).
