"""moto's server on loopback, with the two Step Functions calls that the
real AWS provider makes and moto 5.2.5 lacks answered: the provider
validates a definition before creating a state machine
(ValidateStateMachineDefinition: answered OK, after checking that the
definition is JSON) and lists versions when reading one
(ListStateMachineVersions: none). moto stores state machines but does not
run them.

S3 Control (which provider 6.x calls for every bucket's tags) puts the
account ID in front of its endpoint's host name (123456789012.<endpoint>),
which no loopback address allows. So the S3 Control endpoint is moto's own
host name for it (s3-control.eu-west-1.amazonaws.com, over plain HTTP), and
this launcher also runs a forward proxy on PROXY_PORT that sends every
request it gets to moto, Host header kept: with HTTP_PROXY pointing at it,
the provider's S3 Control calls reach moto, which routes them by that host
name; every other endpoint is on loopback, which Go never proxies.

Usage: python moto_server.py PORT PROXY_PORT   (scripts/ci/apply.sh runs it)
"""

import http.client
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from moto.core.responses import ActionResult
from moto.server import main
from moto.stepfunctions.exceptions import ValidationException
from moto.stepfunctions.responses import StepFunctionResponse


def validate_state_machine_definition(self):
    try:
        json.loads(self._get_param("definition"))
    except (TypeError, ValueError) as err:
        raise ValidationException(f"definition is not JSON: {err}")
    return ActionResult({"result": "OK", "diagnostics": [], "truncated": False})


def list_state_machine_versions(self):
    return ActionResult({"stateMachineVersions": []})


StepFunctionResponse.validate_state_machine_definition = validate_state_machine_definition
StepFunctionResponse.list_state_machine_versions = list_state_machine_versions

def forward_proxy(proxy_port, moto_port):
    """A plain-HTTP forward proxy on loopback that hands every request to moto."""

    class Forward(BaseHTTPRequestHandler):
        def forward(self):
            url = urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "connection")}
            conn = http.client.HTTPConnection("127.0.0.1", moto_port, timeout=60)
            try:
                conn.request(self.command, url.path + ("?" + url.query if url.query else ""), body, headers)
                resp = conn.getresponse()
                data = resp.read()
            finally:
                conn.close()
            self.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = forward

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", proxy_port), Forward)
    threading.Thread(target=server.serve_forever, daemon=True).start()


if __name__ == "__main__":
    forward_proxy(int(sys.argv[2]), int(sys.argv[1]))
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
