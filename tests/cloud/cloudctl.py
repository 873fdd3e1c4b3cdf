#!/usr/bin/env python3
"""A small client of the loopback test cloud, for the shell tests.

  cloudctl.py BASE token [--appcred] [--password PW] [--scope project|system]
        print a token issued by POST /identity/v3/auth/tokens
  cloudctl.py BASE get PATH [--token T] [--mv "compute 2.79"] [--include]
        print the body; exit 0 on 2xx, else print "HTTP <status>" on stderr
        and exit 1; exit 3 when the body is cut short, 4 when the
        connection is reset
  cloudctl.py BASE pages PATH KEY [--token T] [--mv ...]
        follow KEY_links "next" (or Neutron's links) to the end; print
        "<items> items in <pages> pages" and each id on its own line after
  cloudctl.py BASE control PATH [JSON]
        POST JSON (or GET without it) to a /_control endpoint
"""

import argparse
import http.client
import json
import signal
import sys
import urllib.error
import urllib.request


def request(url, method="GET", body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    h = {"Accept": "application/json"}
    if data is not None:
        h["Content-Type"] = "application/json"
    h.update(headers or {})
    req = urllib.request.Request(url, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def token(base, args):
    if args.appcred:
        ident = {"methods": ["application_credential"],
                 "application_credential": {
                     "id": "0f9c3ab2c1d84a7b9e6f5d4c3b2a1900",
                     "secret": args.password or "secret-app-cred"}}
        auth = {"identity": ident}
    else:
        ident = {"methods": ["password"], "password": {"user": {
            "name": "admin", "domain": {"name": "Default"},
            "password": args.password or "secret-admin-password"}}}
        scope = {"project": {"name": "admin",
                             "domain": {"name": "Default"}}}
        if args.scope == "system":
            scope = {"system": {"all": True}}
        auth = {"identity": ident, "scope": scope}
    st, hdr, body = request(base + "/identity/v3/auth/tokens", "POST",
                            {"auth": auth})
    if st != 201:
        sys.stderr.write("HTTP %d %s\n" % (st, body.decode()))
        return 1
    print(hdr["X-Subject-Token"])
    return 0


def headers_of(args):
    h = {}
    if args.token:
        h["X-Auth-Token"] = args.token
    if args.mv:
        h["OpenStack-API-Version"] = args.mv
    return h


def get(base, args):
    try:
        st, hdr, body = request(base + args.path, headers=headers_of(args))
    except http.client.IncompleteRead as e:
        sys.stderr.write("truncated body: %d bytes, %d more expected\n"
                         % (len(e.partial), e.expected or 0))
        return 3
    except (ConnectionError, http.client.RemoteDisconnected) as e:
        sys.stderr.write("connection failed: %s\n" % e.__class__.__name__)
        return 4
    if args.include:
        print("HTTP %d" % st)
        for k, v in hdr.items():
            print("%s: %s" % (k, v))
        print()
    sys.stdout.write(body.decode())
    sys.stdout.write("\n")
    if not 200 <= st < 300:
        sys.stderr.write("HTTP %d\n" % st)
        return 1
    return 0


def pages(base, args):
    url = base + args.path
    ids = []
    n = 0
    while url:
        st, _, body = request(url, headers=headers_of(args))
        if st != 200:
            sys.stderr.write("HTTP %d on page %d: %s\n"
                             % (st, n + 1, body.decode()[:300]))
            return 1
        doc = json.loads(body)
        n += 1
        for item in doc[args.key]:
            if "server_usages" in item:     # os-simple-tenant-usage
                ids.extend(u["instance_id"] for u in item["server_usages"])
            else:
                ids.append(item.get("id") or item.get("request_id"))
        url = None
        links = doc.get(args.key + "_links") or doc.get("links") or []
        for link in links if isinstance(links, list) else []:
            if link.get("rel") == "next":
                url = link["href"]
        if n > 100000:
            sys.stderr.write("paging does not end\n")
            return 1
    print("%d items in %d pages" % (len(ids), n))
    for i in ids:
        print(i)
    return 0


def control(base, args):
    if args.json is None:
        st, _, body = request(base + args.path)
    else:
        st, _, body = request(base + args.path, "POST", json.loads(args.json))
    sys.stdout.write(body.decode() + "\n")
    return 0 if st == 200 else 1


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)   # quiet under | head
    ap = argparse.ArgumentParser(prog="cloudctl.py")
    ap.add_argument("base")
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("token")
    t.add_argument("--appcred", action="store_true")
    t.add_argument("--password")
    t.add_argument("--scope", default="project")
    for name in ("get", "pages"):
        g = sub.add_parser(name)
        g.add_argument("path")
        if name == "pages":
            g.add_argument("key")
        g.add_argument("--token")
        g.add_argument("--mv")
        g.add_argument("--include", action="store_true",
                       help="print the status line and headers first")
    c = sub.add_parser("control")
    c.add_argument("path")
    c.add_argument("json", nargs="?")
    args = ap.parse_args()
    base = args.base.rstrip("/")
    return {"token": token, "get": get, "pages": pages,
            "control": control}[args.cmd](base, args)


if __name__ == "__main__":
    sys.exit(main())
