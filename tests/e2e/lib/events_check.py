#!/usr/bin/env python3
"""Validate odflash --events streams against docs/events.schema.json.

usage: events_check.py SCHEMA RUN...   (RUN = FILE:EXIT_CODE, one odflash
run's events and the exit code it returned)

For each run: every line is one JSON object valid against the schema; the
first event is "start", there is exactly one "result" and it is the last;
the result's exit_code is the run's.  Prints one TAP line per run and
"# events: N runs, M events validated".  Without python3-jsonschema it
prints a "# SKIP" (tools/deps.sh installs it).
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("# SKIP events schema: python3-jsonschema is not installed "
          "(tools/deps.sh)")
    sys.exit(0)


def check_run(validator, path, want_rc):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    else:
        return 0, "the stream does not end with a newline"
    evs = []
    for n, line in enumerate(lines, 1):
        try:
            ev = json.loads(line)
        except ValueError as e:
            return n, "line %d is not JSON: %s" % (n, e)
        errs = sorted(validator.iter_errors(ev), key=lambda e: e.path)
        if errs:
            return n, "line %d (%s): %s" % (n, ev.get("event"),
                                            errs[0].message)
        evs.append(ev)
    if not evs or evs[0]["event"] != "start":
        return len(evs), "the first event is not start"
    results = [i for i, e in enumerate(evs) if e["event"] == "result"]
    if len(results) != 1 or results[0] != len(evs) - 1:
        return len(evs), "%d result events, last at %s of %d" % (
            len(results), results[-1] + 1 if results else "-", len(evs))
    if evs[-1]["exit_code"] != want_rc:
        return len(evs), "result exit_code %s, the run exited %d" % (
            evs[-1]["exit_code"], want_rc)
    return len(evs), None


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    runs = events = fails = 0
    for arg in sys.argv[2:]:
        path, rc = arg.rsplit(":", 1)
        n, why = check_run(validator, path, int(rc))
        runs += 1
        events += n
        name = path.rsplit("/", 1)[-1]
        if why:
            fails += 1
            print("not ok - events of %s validate: %s" % (name, why))
        else:
            print("ok - events of %s validate (%d events)" % (name, n))
    print("# events: %d runs, %d events validated" % (runs, events))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
