#!/usr/bin/env python3
"""Is the latency proxy itself a bottleneck? Run by hand (figures in
docs/performance.md):

    bench/objstore/proxy_check.py [DELAY_MS=50] [BODY_BYTES=282000] [RUNS=5]

Starts a stub origin on 127.0.0.1 answering every GET with BODY_BYTES
(the size of a 1,000-key ListObjectsV2 page), puts the proxy
(build/bench/objstore/latency_proxy, or the command in $PROXY) in
replay mode in front of it, and times 20 GETs through the proxy over 1
and over 8 keep-alive connections, alternating, with curl as the client
(no work but reading; its own start and one request, measured first on
the origin directly, are taken off). The floor is 20 x DELAY_MS for
1 connection and 3 x DELAY_MS for 8 (20 requests over 8 connections are
3 rounds): what the proxy adds on top is its own cost, which a listing
through it cannot beat."""
import http.server
import os
import shlex
import socket
import subprocess
import sys
import threading
import time

delay_ms = int(sys.argv[1]) if len(sys.argv) > 1 else 50
body = b"x" * (int(sys.argv[2]) if len(sys.argv) > 2 else 282000)
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
REQUESTS = 20


class Origin(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit("the proxy did not start")


def curl_ms(urls, connections):
    """Wall ms of one curl run fetching urls over `connections` keep-alive
    connections (curl reuses a connection as soon as its transfer ends)."""
    args = ["curl", "--silent", "--no-progress-meter"]
    if connections > 1:
        args += ["--parallel", "--parallel-immediate", "--parallel-max",
                 str(connections)]
    for url in urls:
        args += ["-o", "/dev/null", url]
    start = time.monotonic()
    subprocess.run(args, check=True)
    return (time.monotonic() - start) * 1000


def timed(port, connections):
    return curl_ms([f"http://127.0.0.1:{port}/page/{i}"
                    for i in range(REQUESTS)], connections)


origin = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Origin)
origin.daemon_threads = True
threading.Thread(target=origin.serve_forever, daemon=True).start()
port = free_port()
here = os.path.dirname(os.path.abspath(__file__))
command = shlex.split(os.environ.get("PROXY") or os.path.join(
    here, "..", "..", "build", "bench", "objstore", "latency_proxy"))
proxy = subprocess.Popen(command + [str(port), str(origin.server_address[1]),
                                    str(delay_ms), "replay"])
try:
    wait_port(port)
    timed(port, 8)  # records every page
    # What curl itself costs (start, one request, exit), taken off below.
    own = sorted(curl_ms([f"http://127.0.0.1:{origin.server_address[1]}/x"], 1)
                 for _ in range(7))[3]
    print(f"curl's own start and one request on loopback: {own:.1f} ms")
    for run in range(1, runs + 1):
        for connections in (1, 8):
            floor = (REQUESTS if connections == 1 else 3) * delay_ms
            wall = timed(port, connections) - own
            print(f"run {run} connections={connections} wall_ms={wall:.0f}"
                  f" floor_ms={floor} proxy_overhead_ms={wall - floor:.0f}")
finally:
    proxy.terminate()
    proxy.wait()
