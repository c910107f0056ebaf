"""Throw-away TLS certificates for tests, made with the `openssl` command
(Debian package openssl) into a directory the test owns and removes.

    cert, key = self_signed(directory, "server")
    ca = ThrowAwayCA(directory)
    cert, key = ca.issue("good")                        # for 127.0.0.1
    cert, key = ca.issue("wrong", san="DNS:s3.example.org")

Every certificate is valid for one day. A client trusts a self-signed
certificate or ca.cert only when told to (a CA file option); the system's
CA bundle never holds them.
"""
import os
import subprocess

LOOPBACK_SAN = "IP:127.0.0.1"
_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes"]


def _req(directory, name, subject, *extra):
    cert = os.path.join(directory, f"{name}.pem")
    key = os.path.join(directory, f"{name}.key")
    subprocess.run(["openssl", "req", "-x509", *_KEY, "-keyout", key,
                    "-out", cert, "-days", "1", "-subj", subject, *extra],
                   check=True, capture_output=True)
    return cert, key


def self_signed(directory, name, cn="127.0.0.1", san=LOOPBACK_SAN):
    """A self-signed server certificate: (cert path, key path)."""
    return _req(directory, name, f"/CN={cn}", "-addext",
                f"subjectAltName={san}")


class ThrowAwayCA:
    """A certificate authority of its own: ca.cert is what a client is
    given to trust; issue() signs server certificates with it."""

    def __init__(self, directory, name="ca"):
        self.directory = directory
        self.cert, self.key = _req(directory, name, f"/CN=nbaq test {name}")

    def issue(self, name, cn="127.0.0.1", san=LOOPBACK_SAN):
        """A server certificate signed by this CA: (cert path, key path)."""
        return _req(self.directory, name, f"/CN={cn}", "-CA", self.cert,
                    "-CAkey", self.key, "-addext", f"subjectAltName={san}",
                    "-addext", "basicConstraints=critical,CA:FALSE")
