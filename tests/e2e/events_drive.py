#!/usr/bin/env python3
"""A front end without a shell: drive a whole `odflash flash` from its
--events stream alone (issue #15).  Spawns odflash with --events on a
pipe, reads one event per line, answers the prompt event on stdin from
what it names, follows stages, blocks and the point of no return, and
judges the run from the result event.  Prints TAP lines.

usage: events_drive.py ODFLASH DEVICE FILE WANT_REVISION
"""
import json
import subprocess
import sys

fails = 0


def check(name, cond, why=""):
    global fails
    if cond:
        print("ok - events drive: " + name)
    else:
        fails += 1
        print("not ok - events drive: %s%s" % (name, ": " + why if why else ""))


def main():
    odflash, device, image, want = sys.argv[1:5]
    p = subprocess.Popen([odflash, "--events", "flash", device, image],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    stages, kinds, prompt, result = [], {}, None, None
    last_block = (0, 0)
    ponr = []
    progress_ok = True
    for line in p.stdout:
        ev = json.loads(line)
        k = ev["event"]
        kinds[k] = kinds.get(k, 0) + 1
        if k == "stage":
            stages.append(ev["stage"])
        elif k == "prompt":
            prompt = ev
            # answer from what the prompt names: an upgrade of this
            # drive, with a backup
            yes = (ev["version_change"] == "upgrade" and ev["backup"]
                   and not ev["crossflash"])
            p.stdin.write("yes\n" if yes else "no\n")
            p.stdin.flush()
        elif k == "progress" and ev["stage"] == "write":
            if ev["done"] > ev["total"] or ev["block"] < last_block[0]:
                progress_ok = False
            last_block = (ev["block"], ev["blocks"])
        elif k == "ponr":
            ponr.append(ev["state"])
        elif k == "result":
            result = ev
    err = p.stderr.read()
    rc = p.wait()
    check("the run exits 0", rc == 0, "exit %d: %s" % (rc, err[-300:]))
    check("the prompt named the upgrade and the backup",
          prompt is not None and prompt["image_version"] == want and
          prompt["drive"]["model"] is not None, str(prompt)[:200])
    check("stages in order", stages[:1] == ["identify"] and
          "write" in stages and "verify" in stages and
          stages.index("confirm") < stages.index("backup") <
          stages.index("write") < stages.index("verify"), str(stages))
    check("write progress reached its last block",
          progress_ok and last_block[0] == last_block[1] and
          last_block[1] > 0, str(last_block))
    check("the point of no return was entered and left",
          ponr == ["entered", "left"], str(ponr))
    check("one result, ok, at the new revision",
          kinds.get("result") == 1 and result and
          result["result"] == "ok" and result["exit_code"] == 0 and
          result["revision_after"] == want, str(result)[:300])
    print("# events drive: %d events (%s)" % (
        sum(kinds.values()), ", ".join("%s %d" % kv for kv in
                                       sorted(kinds.items()))))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
