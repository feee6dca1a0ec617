#!/usr/bin/env python3
"""Full TLS handshakes per second against host:port, SNI cycling through the names in a file.

Every connection is a new full handshake (no session is offered for resumption); the
certificate is not verified (self-signed test certificates). Usage:
  tls_handshakes.py <port> <names-file> <seconds> <processes>
Prints: handshakes, errors, handshakes/s.
"""
import multiprocessing
import socket
import ssl
import sys
import time


def worker(port, names, seconds, offset, results):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    done = errors = 0
    i = offset
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        name = names[i % len(names)]
        i += 1
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
                with context.wrap_socket(raw, server_hostname=name) as tls:
                    if tls.getpeercert(binary_form=True) is None:
                        raise ssl.SSLError("no certificate")
            done += 1
        except OSError:
            errors += 1
    results.put((done, errors))


def main():
    port, names_file, seconds, processes = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    with open(names_file) as f:
        names = [line.strip() for line in f if line.strip()]
    results = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=worker, args=(port, names, seconds, k * 37, results))
               for k in range(processes)]
    start = time.monotonic()
    for w in workers:
        w.start()
    totals = [results.get() for _ in workers]
    for w in workers:
        w.join()
    elapsed = time.monotonic() - start
    done = sum(t[0] for t in totals)
    errors = sum(t[1] for t in totals)
    print(f"{done} {errors} {done / elapsed:.0f}")


if __name__ == "__main__":
    main()
