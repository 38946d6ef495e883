"""Benchmarks/soak: the end-of-run check over quarryd's socket, on one keep-alive connection.

check.py SOCKET WRITTEN_TSV EXPECTED_DOCUMENTS TIMEOUT_SECONDS OUT_JSON
WRITTEN_TSV holds id<TAB>token for every article the writer dropped. Waits (up to TIMEOUT_SECONDS) until
/stats reports EXPECTED_DOCUMENTS, then searches every token: each must find exactly its own article.
Writes {"documents", "expected", "checked", "missing": [...], "wrong": [...], "failed_requests"} to OUT_JSON.
"""
import http.client
import json
import socket
import sys
import time
import urllib.parse


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("quarry", timeout=30)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(self.unix_path)


def main():
    sock_path, written_path, expected, timeout, out_path = sys.argv[1:6]
    expected, timeout = int(expected), float(timeout)
    connection = UnixConnection(sock_path)
    failed = 0

    def get(target):
        nonlocal failed
        connection.request("GET", target)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            failed += 1
            raise RuntimeError(f"GET {target}: {response.status} {body[:200]!r}")
        return json.loads(body)

    deadline = time.monotonic() + timeout
    documents = get("/stats")["documents"]
    while documents != expected and time.monotonic() < deadline:
        time.sleep(0.5)
        documents = get("/stats")["documents"]

    written = [line.rstrip("\n").split("\t") for line in open(written_path, encoding="utf-8") if line.strip()]
    missing, wrong = [], []
    for article_id, token in written:
        hits = get("/search?" + urllib.parse.urlencode({"q": token, "limit": 5, "snippets": "false"}))["hits"]
        ids = [hit["id"] for hit in hits]
        if not ids:
            missing.append(article_id)
        elif ids != [article_id]:
            wrong.append({"id": article_id, "found": ids})
    result = {"documents": documents, "expected": expected, "checked": len(written), "missing": missing,
              "wrong": wrong, "failed_requests": failed}
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    return 0 if documents == expected and not missing and not wrong and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
