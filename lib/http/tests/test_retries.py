"""Retries in lib/http, through http_probe against the recording server:
a retried request waits the configured backoff between tries - no less,
and not a whole poll interval more - and a caller's retry_if makes a
response lib/http would not retry by itself (HTTP 400 Throttling) retried
within the same budget."""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from recording_server import ScriptedServer  # noqa: E402

BUILD = os.environ.get("NBAQ_BUILD_DIR", "")
HTTP_PROBE = os.path.join(BUILD, "lib/http/tests/http_probe")

# Room for a loaded machine (and sanitizers) on top of the backoff. The
# client polls curl in slices of 1 s; a wait that ran to the end of a
# slice instead of the backoff would add about 1 s per retry, far more.
SLACK_MS = 900
# Clocks are read in whole milliseconds.
CLOCK_MS = 2


def probe(server, *options):
    out = subprocess.run([HTTP_PROBE, *options, "GET", server.url + "/x"],
                         capture_output=True, text=True, timeout=60)
    first = out.stdout.splitlines()[0]
    fields = dict(item.split("=", 1) for item in first.split())
    return out, fields


class BackoffTest(unittest.TestCase):
    def test_retries_wait_the_configured_backoff(self):
        base = 20
        backoffs = [base, 2 * base, 4 * base]  # doubled at each retry
        with ScriptedServer([(500, "a"), (500, "b"), (500, "c")]) as server:
            out, fields = probe(server, "--retries", "3", "--retry-base-ms",
                                str(base))
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertEqual(fields["status"], "200")
        self.assertEqual(fields["attempts"], "4")
        self.assertEqual(len(server.requests), 4)

        # What the client says it waited, and what the server saw.
        waited = int(fields["retry_wait_ms"])
        self.assertGreaterEqual(waited, sum(backoffs))
        self.assertLess(waited, sum(backoffs) + SLACK_MS)
        gaps = [(b - a) * 1000 for a, b in zip(server.arrivals,
                                               server.arrivals[1:])]
        for gap, backoff in zip(gaps, backoffs):
            self.assertGreaterEqual(gap, backoff - CLOCK_MS, gaps)
        self.assertLess(sum(gaps), sum(backoffs) + SLACK_MS, gaps)

    def test_no_wait_without_retries(self):
        with ScriptedServer([]) as server:
            out, fields = probe(server, "--retries", "3")
        self.assertEqual((fields["status"], fields["attempts"],
                          fields["retry_wait_ms"]), ("200", "1", "0"))


class RetryIfTest(unittest.TestCase):
    THROTTLED = (400, "<Error><Code>Throttling</Code></Error>")

    def test_caller_marks_a_response_retryable(self):
        with ScriptedServer([self.THROTTLED, self.THROTTLED]) as server:
            out, fields = probe(server, "--retries", "3", "--retry-base-ms",
                                "10", "--retry-if-body", "Throttling")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertEqual((fields["status"], fields["attempts"]), ("200", "3"))
        self.assertEqual(len(server.requests), 3)
        self.assertGreaterEqual(int(fields["retry_wait_ms"]), 10 + 20)

    def test_other_responses_are_not_retried(self):
        refused = (400, "<Error><Code>ValidationError</Code></Error>")
        with ScriptedServer([refused]) as server:
            out, fields = probe(server, "--retries", "3", "--retry-if-body",
                                "Throttling")
        self.assertEqual((fields["status"], fields["attempts"]), ("400", "1"))
        self.assertIn("ValidationError", out.stdout)
        # without retry_if, a 400 is final whatever its body says
        with ScriptedServer([self.THROTTLED]) as server:
            out, fields = probe(server, "--retries", "3")
        self.assertEqual((fields["status"], fields["attempts"]), ("400", "1"))

    def test_retry_if_stays_within_max_retries(self):
        with ScriptedServer([self.THROTTLED] * 5) as server:
            out, fields = probe(server, "--retries", "2", "--retry-base-ms",
                                "10", "--retry-if-body", "Throttling")
        # a response arrived: the caller judges its status
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertEqual((fields["status"], fields["attempts"]), ("400", "3"))
        self.assertEqual(len(server.requests), 3)


if __name__ == "__main__":
    unittest.main(verbosity=2)
