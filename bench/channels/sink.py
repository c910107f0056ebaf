#!/usr/bin/python3
"""Receivers that accept and discard: HTTP (any POST, 200) and SMTP
(aiosmtpd, 250), on free ports of 127.0.0.1. Prints "PORT_HTTP PORT_SMTP"
on one line once both listen; runs until its standard input closes."""
import http.server
import socket
import sys
import threading

from aiosmtpd.controller import Controller


class Discard(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


class Accept:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


http_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Discard)
threading.Thread(target=http_server.serve_forever, daemon=True).start()
smtp_port = free_port()
smtp = Controller(Accept(), hostname="127.0.0.1", port=smtp_port,
                  data_size_limit=0)
smtp.start()
print(http_server.server_address[1], smtp_port, flush=True)
sys.stdin.read()
smtp.stop()
http_server.shutdown()
