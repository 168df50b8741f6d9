"""Fakes of DNS providers' HTTP APIs, each following its provider's documented contract."""
