#!/usr/bin/env python3
"""envelope.py: wrap OpenStack fixture bodies in os-fetch's page envelope.

Writes a run_start line, one page line per FILE and a run_end line (JSON
Lines), the stream os-normalize reads.  A fixture body is used as it is
published: a plain JSON file keeps its bytes (its newlines, which valid JSON
only has between tokens, become spaces); a template is expanded first:

  - nova's notification samples use "$ref" (nova/tests/json_ref.py):
    a dict with "$ref": "<file>#" is replaced by that file (relative to the
    referring file, itself expanded), its other keys deep-merged on top;
  - nova's api_samples templates use %(name)s placeholders: each is
    replaced by a fixed value derived from its name.

With --zed, FILE is a response recorded from a real cloud
({"request", "response", "recorded_at"}): the body is response.body and
the status, URL, microversion and fetch time come from the recording.

--expand prints the expanded body of one FILE the way nova's docs
serialise it (sort_keys, indent 4), to compare with nova-expanded/.
Standard library only.
"""
import argparse
import json
import os
import re
import sys
import urllib.parse

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def placeholder_value(name):
    """A fixed stand-in for a %(name)s placeholder."""
    if "uuid" in name or name.endswith("_id"):
        return "00000000-0000-4000-8000-%012d" % (sum(map(ord, name)) % 10**12)
    if "time" in name or name.endswith("_at"):
        return "2026-01-01T00:00:00Z"
    return "x-" + name


def expand_placeholders(text):
    return PLACEHOLDER.sub(lambda m: placeholder_value(m.group(1)), text)


def merge(base, overrides):
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = value


def load_ref(ref, base_dir):
    path, _, pointer = ref.partition("#")
    if pointer:
        raise SystemExit("envelope.py: JSON pointers in $ref are not "
                         "supported: %s" % ref)
    path = os.path.join(base_dir, path)
    with open(path, encoding="utf-8") as f:
        return resolve(json.load(f), os.path.dirname(path))


def resolve(value, base_dir):
    if isinstance(value, list):
        return [resolve(v, base_dir) for v in value]
    if not isinstance(value, dict):
        return value
    if "$ref" in value:
        rest = dict(value)
        target = load_ref(rest.pop("$ref"), base_dir)
        merge(target, resolve(rest, base_dir))
        return target
    return {k: resolve(v, base_dir) for k, v in value.items()}


def body_of(path):
    """The page body text of a fixture file, one line."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if PLACEHOLDER.search(text):
        text = expand_placeholders(text)
    if "$ref" in text:
        value = resolve(json.loads(text), os.path.dirname(path))
        return json.dumps(value, separators=(",", ":"))
    return text.replace("\r", " ").replace("\n", " ").strip()


def zed_context(url):
    """The context os-fetch gives these requests, read from the URL."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qs(parts.query)
    ctx = {}
    m = re.search(r"/servers/([^/]+)/os-instance-actions", parts.path)
    if m:
        ctx["server_id"] = m.group(1)
    for key in ("start", "end"):
        if key in query:
            ctx[key] = query[key][0]
    return ctx


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--service")
    ap.add_argument("--resource")
    ap.add_argument("--region", default="RegionOne")
    ap.add_argument("--run-id", default="run-1")
    ap.add_argument("--fetched-at", default="2026-11-25T16:00:00Z")
    ap.add_argument("--status", type=int, default=200)
    ap.add_argument("--microversion")
    ap.add_argument("--context", action="append", default=[],
                    metavar="KEY=VALUE")
    ap.add_argument("--zed", action="store_true")
    ap.add_argument("--expand", action="store_true")
    ap.add_argument("--no-run", action="store_true",
                    help="pages only, without run_start and run_end")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()

    if args.expand:
        with open(args.files[0], encoding="utf-8") as f:
            value = resolve(json.load(f), os.path.dirname(args.files[0]))
        print(json.dumps(value, sort_keys=True, indent=4))
        return
    if not args.service or not args.resource:
        ap.error("--service and --resource are required")

    out = sys.stdout
    resources = ["%s/%s" % (args.service, args.resource)]
    if not args.no_run:
        out.write(json.dumps({
            "type": "run_start", "run_id": args.run_id,
            "source": "openstack", "cloud": "test", "region": args.region,
            "started_at": args.fetched_at, "resources": resources}) + "\n")
    for n, path in enumerate(args.files, 1):
        context = dict(kv.split("=", 1) for kv in args.context)
        status, url, mv, fetched = (args.status, "https://cloud.test/",
                                    args.microversion, args.fetched_at)
        if args.zed:
            with open(path, encoding="utf-8") as f:
                rec = json.load(f)
            body = json.dumps(rec["response"]["body"], separators=(",", ":"))
            status = rec["response"]["status"]
            url = rec["request"]["url"]
            hdr = rec["request"].get("headers", {})
            ver = hdr.get("OpenStack-API-Version", "")
            mv = ver.split(" ", 1)[1] if " " in ver else None
            fetched = rec["recorded_at"]
            context.update(zed_context(url))
        else:
            body = body_of(path)
        head = {"type": "page", "run_id": args.run_id,
                "service": args.service, "resource": args.resource,
                "region": args.region, "method": "GET", "url": url,
                "status": status, "microversion": mv,
                "fetched_at": fetched, "page": n, "context": context}
        # The body goes in as text, so its numbers keep their spelling.
        out.write(json.dumps(head, separators=(",", ":"))[:-1] +
                  ',"body":' + body + "}\n")
    if not args.no_run:
        out.write(json.dumps({
            "type": "run_end", "run_id": args.run_id,
            "ended_at": args.fetched_at, "complete": True,
            "pages": len(args.files), "failed": []}) + "\n")


if __name__ == "__main__":
    main()
