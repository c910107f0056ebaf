#!/usr/bin/env python3
"""A plain HTTP forwarder that adds a fixed latency to every request, to
stand for S3's round trip in front of s3rver on loopback:

    latency_proxy.py LISTEN_PORT UPSTREAM_PORT [DELAY_MS=50] [replay]

Each request waits DELAY_MS, then goes to 127.0.0.1:UPSTREAM_PORT as it
came (method, path, headers, body: SigV4 signatures stay valid since the
Host header is kept) over that client connection's own upstream
connection; the response is passed back whole. One thread per client
connection, so concurrent requests wait concurrently, as on S3.

With "replay", a GET whose path and query were answered 200 before is
answered again from memory (after the same delay) without asking
s3rver: a warm-up listing records s3rver's own pages, and the listings
after it then cost the delay and the client's work only, as on S3, where
the server's time per page is small beside the round trip. Never used to
measure a listing unless the figures say so."""
import http.client
import http.server
import sys
import time

listen_port, upstream_port = int(sys.argv[1]), int(sys.argv[2])
delay_s = (int(sys.argv[3]) if len(sys.argv) > 3 else 50) / 1000.0
replay = len(sys.argv) > 4 and sys.argv[4] == "replay"
recorded = {}  # path -> (headers, body) of a 200 GET


class Forward(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def forward(self):
        time.sleep(delay_s)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if replay and self.command == "GET" and self.path in recorded:
            self.answer(200, *recorded[self.path])
            return
        if not hasattr(self, "upstream"):
            self.upstream = http.client.HTTPConnection("127.0.0.1",
                                                       upstream_port)
        self.upstream.putrequest(self.command, self.path, skip_host=True,
                                 skip_accept_encoding=True)
        for name, value in self.headers.items():
            self.upstream.putheader(name, value)
        self.upstream.endheaders(body)
        resp = self.upstream.getresponse()
        data = resp.read()
        headers = [(n, v) for n, v in resp.getheaders()
                   if n.lower() not in ("content-length", "connection",
                                        "transfer-encoding")]
        if replay and self.command == "GET" and resp.status == 200:
            recorded[self.path] = (headers, data)
        self.answer(resp.status, headers, data)

    def answer(self, status, headers, data):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = forward


# socketserver's default backlog of 5 drops the SYNs of 8 connections
# opened at once, and each dropped SYN costs a 1 s retransmission.
http.server.ThreadingHTTPServer.request_queue_size = 128
server = http.server.ThreadingHTTPServer(("127.0.0.1", listen_port), Forward)
server.daemon_threads = True
server.serve_forever()
