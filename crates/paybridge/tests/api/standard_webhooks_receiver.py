"""A store's webhook receiver built on the official Standard Webhooks library.

Prints its port on the first line of stdout, then serves:
  PUT  /secrets  {"name": "whsec_..."}  secrets to verify with (each checked alone)
  POST /hook     a delivery: verified with every secret; 204 if any verifies, 400 otherwise
  GET  /log      every delivery seen: webhook id, which secrets verified it, body
"""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook

LOCK = threading.Lock()
SECRETS = {}
LOG = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _body(self):
        return self.rfile.read(int(self.headers.get("content-length") or 0))

    def _answer(self, code, payload=None):
        data = json.dumps(payload).encode() if payload is not None else b""
        self.send_response(code)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        secrets = json.loads(self._body())
        with LOCK:
            SECRETS.clear()
            SECRETS.update(secrets)
        self._answer(200, {"ok": True})

    def do_GET(self):
        with LOCK:
            self._answer(200, LOG)

    def do_POST(self):
        body = self._body()
        headers = {k.lower(): v for k, v in self.headers.items()}
        with LOCK:
            secrets = dict(SECRETS)
        verified = []
        errors = {}
        for name, secret in secrets.items():
            try:
                Webhook(secret).verify(body, headers)
                verified.append(name)
            except Exception as e:  # the library raises WebhookVerificationError
                errors[name] = str(e)
        verified.sort()
        with LOCK:
            LOG.append(
                {
                    "webhook_id": headers.get("webhook-id"),
                    "signatures": headers.get("webhook-signature", "").count("v1,"),
                    "verified_by": verified,
                    "errors": errors,
                    "body": body.decode("utf-8", "replace"),
                }
            )
        self._answer(204 if verified else 400)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
