"""peer_server.py ROOT RESULT PORT - serves ROOT over HTTP for peer_pose.html and writes the body
of its POST /result to RESULT (bench/run-bench-peer.sh)."""
import http.server
import os
import sys

ROOT, RESULT, PORT = sys.argv[1], sys.argv[2], int(sys.argv[3])


class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory=ROOT, **k)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(RESULT + ".tmp", "wb") as f:
            f.write(body)
        os.replace(RESULT + ".tmp", RESULT)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *a):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
