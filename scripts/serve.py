#!/usr/bin/env python3
"""Serves site/ on 127.0.0.1 with the response headers netlify.toml declares, so that local runs
and tests see what production sends (CSP, framing, caching).

Usage: serve.py [--dir site] [--port 8080] [--config netlify.toml]   (port 0 picks a free one)
Prints the URL on its first line of output.
"""
import argparse
import functools
import http.server
import re
import sys
import tomllib


def load_rules(config_path):
    with open(config_path, "rb") as f:
        config = tomllib.load(f)
    rules = []
    for rule in config.get("headers", []):
        pattern = "^" + ".*".join(re.escape(part) for part in rule["for"].split("*")) + "$"
        rules.append((re.compile(pattern), rule.get("values", {})))
    return rules


class Handler(http.server.SimpleHTTPRequestHandler):
    rules = []

    def end_headers(self):
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        for pattern, values in self.rules:
            if pattern.match(path):
                for name, value in values.items():
                    self.send_header(name, value)
        super().end_headers()

    def list_directory(self, path):
        self.send_error(404, "Not found")
        return None

    def log_message(self, format, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="site")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--config", default="netlify.toml")
    args = parser.parse_args()
    Handler.rules = load_rules(args.config)
    Handler.extensions_map = {**Handler.extensions_map, ".wasm": "application/wasm", ".js": "text/javascript"}
    handler = functools.partial(Handler, directory=args.dir)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    print(f"http://127.0.0.1:{server.server_address[1]}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
