#!/usr/bin/env python3
"""An HTTPS server on 127.0.0.1 for os-fetch's TLS test: answers every
request with Keystone's 401 and logs "METHOD PATH" to LOG.

Usage: tls-server.py CERT KEY LOG URLFILE"""

import json
import os
import ssl
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

CERT, KEY, LOG, URLFILE = sys.argv[1:5]
BODY = json.dumps({"error": {"code": 401, "title": "Unauthorized",
                             "message": "The request you have made "
                             "requires authentication."}}).encode()


class Handler(BaseHTTPRequestHandler):
    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(n)
        with open(LOG, "a") as f:
            f.write("%s %s\n" % (self.command, self.path))
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    do_GET = do_POST = answer

    def log_message(self, *args):
        pass


srv = HTTPServer(("127.0.0.1", 0), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(CERT, KEY)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
with open(URLFILE + ".tmp", "w") as f:
    f.write("https://127.0.0.1:%d\n" % srv.server_address[1])
os.rename(URLFILE + ".tmp", URLFILE)
srv.serve_forever()
