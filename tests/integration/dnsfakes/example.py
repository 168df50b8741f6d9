"""A minimal fake used to test the fake machinery itself: POST /records {"name","value"} with
`Authorization: Bearer <TOKEN credential>`; DELETE /records {"name","value"}."""
from __future__ import annotations

import sys

from base import FakeProvider, Reply, Request, main


class ExampleFake(FakeProvider):
    name = "example"

    def handle(self, request: Request) -> Reply:
        if request.header("Authorization") != f"Bearer {self.credentials.get('TOKEN', '')}":
            return Reply(401, {"error": "bad token"})
        body = request.json() or {}
        if self.zone_for(body.get("name", "")) is None:
            return Reply(404, {"error": "no such zone"})
        if request.method == "POST" and request.path == "/records":
            self.dns.add_txt(body["name"], body["value"])
            return Reply(201, {"ok": True})
        if request.method == "DELETE" and request.path == "/records":
            self.dns.remove_txt(body["name"], body["value"])
            return Reply(204)
        return Reply(404, {"error": "not found"})


if __name__ == "__main__":
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    main(ExampleFake)
