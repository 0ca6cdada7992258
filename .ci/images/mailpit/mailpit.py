"""A stand-in for Mailpit built from Debian packages (see the Dockerfile): SMTP in, JSON out."""
import email
import email.policy
import email.utils
import html
import json
import os
import sys
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SMTP_PORT = 1025
HTTP_PORT = 8025
MAX_MESSAGES = int(os.environ.get("MP_MAX_MESSAGES", "500"))

lock = threading.Lock()
messages = []  # newest first, as Mailpit lists them


def addresses(header):
    return [{"Name": name, "Address": address} for name, address in email.utils.getaddresses([header or ""]) if address]


def body(message, mime_type):
    part = message.get_body(preferencelist=(mime_type.split("/")[1],))
    return part.get_content() if part is not None and part.get_content_type() == mime_type else ""


def store(raw, recipients):
    message = email.message_from_bytes(raw, policy=email.policy.default)
    text = body(message, "text/plain")
    entry = {
        "ID": uuid.uuid4().hex,
        "MessageID": (message.get("Message-ID") or "").strip().strip("<>"),
        "Read": False,
        "From": (addresses(message.get("From")) or [{"Name": "", "Address": ""}])[0],
        "To": addresses(message.get("To")),
        "Cc": addresses(message.get("Cc")),
        "Bcc": [],
        "ReplyTo": addresses(message.get("Reply-To")),
        "Subject": str(message.get("Subject") or ""),
        "Created": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
        "Tags": [],
        "Size": len(raw),
        "Attachments": 0,
        "Snippet": " ".join(text.split())[:250],
        "_envelope": recipients,
        "_raw": raw,
        "_text": text,
        "_html": body(message, "text/html"),
    }
    with lock:
        messages.insert(0, entry)
        if MAX_MESSAGES > 0:
            del messages[MAX_MESSAGES:]


def summary(entry):
    return {key: value for key, value in entry.items() if not key.startswith("_")}


class Api(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, payload, content_type="application/json"):
        data = payload if isinstance(payload, bytes) else (
            json.dumps(payload).encode() if content_type == "application/json" else payload.encode())
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def find(self, message_id):
        with lock:
            return next((m for m in messages if m["ID"] == message_id), None)

    def do_GET(self):
        path, _, query = self.path.partition("?")
        params = dict(p.partition("=")[::2] for p in query.split("&") if p)
        if path in ("/readyz", "/livez"):
            return self.send(200, "ok", "text/plain")
        if path == "/api/v1/messages":
            start, limit = int(params.get("start", 0)), int(params.get("limit", 50))
            with lock:
                page = [summary(m) for m in messages[start:start + limit]]
                total = len(messages)
            return self.send(200, {"total": total, "unread": total, "count": len(page), "messages_count": total,
                                   "start": start, "tags": [], "messages": page})
        if path.startswith("/api/v1/message/"):
            parts = path.split("/")
            entry = self.find(parts[4])
            if entry is None:
                return self.send(404, "message not found", "text/plain")
            if len(parts) > 5 and parts[5] == "raw":
                return self.send(200, entry["_raw"], "text/plain")
            full = summary(entry)
            full.update({"Text": entry["_text"], "HTML": entry["_html"], "Date": entry["Created"]})
            return self.send(200, full)
        if path == "/":
            with lock:
                rows = "".join(f"<tr><td>{html.escape(', '.join(a['Address'] for a in m['To']))}</td>"
                               f"<td>{html.escape(m['Subject'])}</td><td>{m['Created']}</td></tr>" for m in messages)
            return self.send(200, "<!doctype html><meta charset=utf-8><title>Inbox</title><h1>Inbox</h1>"
                                  f"<table><tr><th>To</th><th>Subject</th><th>Received</th></tr>{rows}</table>", "text/html")
        return self.send(404, "not found", "text/plain")

    def do_DELETE(self):
        if self.path.split("?")[0] == "/api/v1/messages":
            with lock:
                messages.clear()
            return self.send(200, "ok", "text/plain")
        return self.send(404, "not found", "text/plain")


class Catcher:
    async def handle_DATA(self, server, session, envelope):
        store(envelope.original_content or envelope.content, list(envelope.rcpt_tos))
        return "250 Message accepted"


def serve():
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    accept_any = lambda server, session, envelope, mechanism, auth_data: AuthResult(success=True)
    smtp = Controller(Catcher(), hostname="0.0.0.0", port=SMTP_PORT, authenticator=accept_any,
                      auth_require_tls=False, decode_data=False)
    smtp.start()
    print(f"[smtpd] accepting mail on 0.0.0.0:{SMTP_PORT}; [http] inbox and API on 0.0.0.0:{HTTP_PORT}", flush=True)
    ThreadingHTTPServer(("0.0.0.0", HTTP_PORT), Api).serve_forever()


def readyz():
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{HTTP_PORT}/readyz", timeout=3) as answer:
            return 0 if answer.status == 200 else 1
    except OSError:
        return 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["readyz"]:
        sys.exit(readyz())
    serve()
