"""A small HTTP endpoint on 127.0.0.1 for the lib/http, lib/objstore and
cloudwatch tests: it records every request and answers from a function
the test gives (or, ScriptedServer, from a list of replies). It stands in
only for what a real server cannot be made to do (wrong signatures,
broken XML, endless listings, failures and retries) and for CloudWatch's
query API, which has no local server.
"""
import collections
import http.server
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "tests", "support"))
from nbaq_test import LoopbackHttpServer  # noqa: E402

# One request as the server received it: headers a list of (name, value).
Request = collections.namedtuple("Request", "method path headers body")


class Reply:
    """What to answer: a status, headers and a body; or an action:
    'drop' closes the connection without a reply, 'truncate' announces
    more bytes than it sends, 'stall' waits (until the server stops)."""

    def __init__(self, status=200, body=b"", headers=None, action=None,
                 content_length=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode()
        self.headers = headers or {}
        self.action = action
        self.content_length = content_length


class RecordingServer:
    def __init__(self, respond):
        """respond(request) -> Reply; request is a Request (path raw, as
        sent)."""
        self.respond = respond
        self.requests = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls

            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(self.command, self.path,
                                  list(self.headers.items()), body)
                with server._lock:
                    server.requests.append(request)
                reply = server.respond(request)
                if reply.action == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if reply.action == "stall":
                    server._stop.wait(30)
                    self.close_connection = True
                    return
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                length = reply.content_length
                if length is None:
                    length = len(reply.body)
                self.send_header("Content-Length", str(length))
                self.end_headers()
                self.wfile.write(reply.body)
                if reply.action == "truncate":
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)

            do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _handle

        # Bound now, served from __enter__: a subclass may adjust httpd.
        self._http = LoopbackHttpServer(Handler, start=False)
        self.httpd = self._http.server
        self.port = self._http.port
        self.url = self._http.url("")

    def __enter__(self):
        self._http.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()  # ends the stalls
        self._http.stop()

    def header_values(self, request, name):
        return [v for k, v in request.headers if k.lower() == name.lower()]


class ScriptedServer(RecordingServer):
    """Answers from a script of (status, body) pairs, in order, then with
    `then`; every reply carries `headers`. Records when each request
    arrived (time.monotonic()) in arrivals."""

    def __init__(self, script=(), then=(200, b"done"), headers=None):
        self.script = list(script)
        self.then = then
        self.reply_headers = headers or {}
        self.arrivals = []
        self._script_lock = threading.Lock()
        super().__init__(self._answer)

    def _answer(self, request):
        with self._script_lock:
            self.arrivals.append(time.monotonic())
            status, body = self.script.pop(0) if self.script else self.then
        return Reply(status, body, headers=self.reply_headers)
