"""A local HTTP server for the client tests: replays recorded answers, in order, per path."""

from __future__ import annotations

import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


class ReplayServer:
    def __init__(self) -> None:
        self.routes: dict[str, list[tuple[int, dict[str, str], bytes]]] = defaultdict(list)
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.requests.append(self.path)
                path = self.path.split("?")[0]
                key = self.path if self.path in server.routes else path
                answers = server.routes.get(key)
                if not answers:
                    status, headers, body = 404, {"Content-Type": "text/html"}, b"<html>404</html>"
                else:
                    status, headers, body = answers.pop(0) if len(answers) > 1 else answers[0]
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def add(self, path: str, body: bytes | str = b"", status: int = 200, **headers: str) -> None:
        if isinstance(body, str):
            body = body.encode()
        self.routes[path].append(
            (status, {k.replace("_", "-"): v for k, v in headers.items()}, body)
        )

    def add_file(self, path: str, name: str, status: int = 200) -> None:
        text = (FIXTURES / name).read_text(encoding="utf-8").replace("{base}", self.base)
        self.add(path, text, status)

    def __enter__(self) -> ReplayServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
