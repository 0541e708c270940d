#!/usr/bin/env python3
"""Ground-truth sweep of odflash's outcomes against the emulated flash
(issue #12).  Run by tests/sweep/truth_sweep.sh, which sets the
environment; see that file for the knobs.

For every model of `odemu models`, a reference flash (the whole flash:
backup where the protocol has a dump, write, come back, read-back)
learns the command count N.  Then, for each sampled command index i and
each fault (power cut after i, SIGINT/SIGTERM/SIGKILL after i), a fresh
copy of the drive is flashed with the fault armed, and what odflash
reported (exit code, JSON `result`/`changed`/`drive_state`/
`recover_command`, the message on stderr, the journal entry) is compared
with the drive's truth (`odemu show --json`: mode, revision, power,
counters; `odemu dumpflash`: the flash bytes before vs after).

Properties (a case that breaks one is a violation):
  P1  exit in {2,3,4,5}  =>  flash byte-identical to before, mode normal
  P2  flash changed or mode not normal  =>  exit in {0,6,7}; and unless
      the drive already runs the target firmware, the JSON names the
      drive's state and the recover command and the message on stderr
      prints that exact command.  A SIGKILLed odflash cannot say
      anything: then the command must come from odflash's later output
      (`odflash history --json`, `odflash info`).
  P0  exit 0  =>  the drive runs the target: flash equals the reference
      flash, mode normal, revision 2.00 (a success claim is true)
  PC  JSON `changed` false  =>  the flash bytes equal those before and the
      mode is normal.  `changed` true means "may have changed" (issue #12
      item 1: the point-of-no-return step was sent); with the flash
      unchanged it is counted per group ("may have changed, did not"),
      not a violation
  PM  the message does not say nothing was changed ("nothing was
      changed", "unchanged", "before anything was written"...) when the
      flash changed or the mode is not normal
  P3  after `odemu power-on` and the recover command odflash printed
      (run as printed, --yes appended when absent: no terminal here;
      after a bridge cap, when that recover refuses the capped path and
      says to connect the drive directly, it is run again with the cap
      gone, as the user would),
      the drive runs the target firmware, or, when its flash is
      byte-identical to before and only its mode is not normal (a read
      in NEC safe mode killed: the journal says so and `odflash recover
      DEVICE` leaves the mode, flashing nothing), its own firmware in
      normal mode; a drive left byte-identical and in normal mode needs
      nothing.  For a SIGKILLed odflash that
      command is the journal's (`history --json` recover_command:
      `odflash recover DEVICE`, no FILE: the write-ahead journal names it)
  P4  a run the fault interrupted (a power cut came; the signal was
      raised) has a flash entry in the journal, whose exit_code equals
      the exit code odflash returned (when odflash returned one)

Output: TAP-style lines (ok / not ok / # SKIP) as tests/e2e/lib/tap.sh
prints them, one per (model, fault) group: "N cases, M violations",
after a `#` line per violation (printed as each case ends).  The planned and the run case counts are
written to $SWEEP_COUNTS for the calling script's count_is.
"""
import concurrent.futures
import hashlib
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import time

B = os.environ["ODF_BIN"]
T = os.environ["SWEEP_TMP"]
ODF = os.path.join(B, "odflash")
EMU = os.path.join(B, "odemu")
FULL = os.environ.get("SWEEP_FULL", "0") == "1"
JOBS = max(1, int(os.environ.get("SWEEP_JOBS", "2")))
SPREAD = max(0, int(os.environ.get("SWEEP_SPREAD", "2")))
ONLY = os.environ.get("SWEEP_MODELS", "").split()
FAULTS_ONLY = os.environ.get("SWEEP_FAULTS", "").split()
LEAN = os.environ.get("SWEEP_LEAN", "0") == "1"
SEED = os.environ.get("SWEEP_SEED", "12")
# SWEEP_CASES="model:fault:i ...": these cases too (with SWEEP_CASES_ONLY=1:
# only these, for the models they name)
CASES = [c.split(":") for c in os.environ.get("SWEEP_CASES", "").split()]
CASES_ONLY = os.environ.get("SWEEP_CASES_ONLY", "0") == "1"
PER_INDEX = max(1, int(os.environ.get("SWEEP_PER_INDEX", "2")))
COUNTS = os.environ["SWEEP_COUNTS"]
VERBOSE = os.environ.get("SWEEP_VERBOSE", "0") == "1"
CASE_TIMEOUT = 300

# Every model the sweep knows, with what its protocol can do (from
# `odemu models`, docs/supported-drives.md and the family e2e tests):
#   dump:  the protocol reads the firmware back, so the whole flash has a
#          backup step; without one odflash refuses a flash without
#          --no-backup (exit 5, checked below) and the sweep passes it
#   flash: the emulated drive takes a firmware write at all (spc-refuse
#          rejects WRITE BUFFER like QEMU's CD drives: every case must be
#          "rejected, nothing changed")
# A model odemu lists that is missing here fails the sweep.
MODELS = {
    "nec-nd3500": dict(dump=True, flash=True),
    "nec-nd3550": dict(dump=True, flash=True),
    "optiarc-ad7170": dict(dump=True, flash=True),
    "spc-generic": dict(dump=True, flash=True),
    "spc-quiet": dict(dump=False, flash=True),
    "spc-refuse": dict(dump=False, flash=False),
    "ps3-bd": dict(dump=False, flash=True),
    # no read-back and no version in its files: a flash that went
    # through ends "cannot-verify", exit 7 (issue #12 item 3)
    "plextor-px716": dict(dump=False, flash=True, ok_exit=7),
    "tsst-se506cb": dict(dump=True, flash=True),
    "pioneer-dvr109": dict(dump=False, flash=True),
    "pioneer-dvr104": dict(dump=False, flash=True),
    "tsst-tsh353c": dict(dump=False, flash=True),
    "lg-gsa4163b": dict(dump=True, flash=True),
    "lg-gdr8164b": dict(dump=True, flash=True),
    # MediaTek MT1959: no public read of the whole flash (dump refused),
    # verify by identity
    "lg-bh16ns40": dict(dump=False, flash=True),
    "lg-bu40n": dict(dump=False, flash=True),
    "asus-bw16d1ht": dict(dump=False, flash=True),
    # BTC (btcflash): no read-back command, verify by identity
    "btc-drw1008": dict(dump=False, flash=True),
    "btc-drw1004": dict(dump=False, flash=True),
    # Samsung SD-616F (redumper): no read-back, verify by identity
    "samsung-sd616f": dict(dump=False, flash=True),
}

# (name, odemu fault arguments for index i)
FAULTS = [
    ("power-cut", lambda i: ["--power-cut-after-cmds", str(i)]),
    ("SIGINT", lambda i: ["--signal-after-cmds", str(i), "--signal", "INT"]),
    ("SIGTERM", lambda i: ["--signal-after-cmds", str(i), "--signal", "TERM"]),
    ("SIGKILL", lambda i: ["--signal-after-cmds", str(i), "--signal", "KILL"]),
    # a transport error (EIO) on the path at command i, once
    ("EIO", lambda i: ["--eio-at-cmd", str(i)]),
    # an 8 KiB bridge cap that bites from command i (no cap before, and
    # none reported when odflash opened the drive)
    ("cap-from-i", lambda i: ["--max-transfer", "8192",
                              "--max-transfer-from-cmd", str(i)]),
]
CAPS = [8192, 16384]
# words by which odflash's message says the drive was not changed
NOTHING = ("nothing was changed", "nothing changed", "unchanged",
           "before anything was written")
STATIC_FAULT = "bridge-cap"

out_lines = []


def emit(s):
    print(s, flush=True)


def sh(args, cwd=None, env=None, stdin=None, timeout=CASE_TIMEOUT):
    p = subprocess.run(args, cwd=cwd, env=env, stdin=subprocess.DEVNULL
                       if stdin is None else stdin, capture_output=True,
                       timeout=timeout)
    rc = p.returncode
    if rc < 0:
        rc = 128 - rc
    return rc, p.stdout.decode(errors="replace"), p.stderr.decode(
        errors="replace")


def must(args, cwd=None, env=None):
    rc, o, e = sh(args, cwd=cwd, env=env)
    if rc != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(args), rc, e.strip()))
    return o


def show(state):
    return json.loads(must([EMU, "show", state, "--json"]))


def flash_sha(state, scratch):
    f = scratch + ".flash"
    must([EMU, "dumpflash", state, "-o", f])
    with open(f, "rb") as fh:
        data = fh.read()
    os.unlink(f)
    if not data:
        raise RuntimeError("dumpflash %s: empty flash" % state)
    return hashlib.sha256(data).hexdigest()


def odf_env(case_dir):
    env = dict(os.environ)
    env["XDG_STATE_HOME"] = os.path.join(case_dir, "xdg")
    return env


def parse_json(stdout):
    """The one JSON object odflash --json prints on stdout (None when it
    printed none, e.g. killed)."""
    objs = []
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                objs.append(json.loads(line))
            except ValueError:
                pass
    for o in reversed(objs):
        if "result" in o:
            return o
    return None


def message(stderr):
    """odflash's words on stderr, without the --json progress events."""
    return "\n".join(l for l in stderr.splitlines()
                     if not l.lstrip().startswith("{"))


class Model:
    def __init__(self, name, caps):
        self.name = name
        self.caps = caps
        self.dir = os.path.join(T, name)
        os.makedirs(self.dir)
        self.pristine = os.path.join(self.dir, "pristine.st")
        self.image = os.path.join(self.dir, "v2.bin")
        self.opts = [] if caps["dump"] else ["--no-backup"]

    def setup(self):
        must([EMU, "new", self.name, self.pristine, "--version", "1.00",
              "--serial", "SWEEP1"])
        must([EMU, "mkimage", self.name, "-o", self.image, "--version",
              "2.00"])
        self.before = flash_sha(self.pristine, self.pristine)
        notes = []
        if not self.caps["dump"]:
            # no dump: the backup step is impossible, odflash must refuse
            # a flash that asks for one, unchanged
            d = self.fresh("nodump")
            rc, o, e = sh([ODF, "-q", "flash", "emu:" + d.state, self.image,
                           "--yes", "--json"], cwd=d.dir, env=odf_env(d.dir))
            same = flash_sha(d.state, d.state) == self.before
            notes.append(("no dump in the protocol: flash without "
                          "--no-backup stops unchanged (exit 5 refused, or "
                          "3 when the drive rejects the read)",
                          rc in (3, 5) and same, "exit %d, flash %s" %
                          (rc, "unchanged" if same else "CHANGED")))
        d = self.fresh("ref")
        self.ref_state = d.state
        rc, o, e = sh([ODF, "-q", "flash", "emu:" + d.state, self.image,
                       "--yes", "--json"] + self.opts, cwd=d.dir,
                      env=odf_env(d.dir))
        s = show(d.state)
        self.N = s["counters"]["commands"]
        self.ref_erases = s["counters"]["erases"]
        self.ref_prog = s["counters"]["bytes_programmed"]
        self.target = flash_sha(d.state, d.state)
        # the cases read the flash's hash from `odemu show` (one process
        # less per case); it must be the hash of what dumpflash gives
        shown = (show(self.pristine)["flash_sha256"], s["flash_sha256"])
        notes.append(("odemu show's flash_sha256 is the sha256 of odemu "
                      "dumpflash (before and after the reference flash)",
                      shown == (self.before, self.target),
                      "show %s / %s, dumpflash %s / %s" % (
                          shown + (self.before, self.target))))
        if self.caps["flash"]:
            good = rc == self.caps.get("ok_exit", 0) and \
                s["revision"] == "2.00" and \
                s["mode"] == "normal" and self.target != self.before
            notes.append(("reference flash (%s): exit %d, runs 2.00, %d "
                          "commands" % ("backup, write, come back, "
                                        "read-back" if self.caps["dump"]
                                        else "--no-backup",
                                        self.caps.get("ok_exit", 0), self.N),
                          good,
                          "exit %d, revision %s, mode %s" %
                          (rc, s["revision"], s["mode"])))
        else:
            good = rc == 3 and self.target == self.before
            notes.append(("reference flash: the drive cannot take firmware; "
                          "rejected unchanged (exit 3), %d commands" % self.N,
                          good, "exit %d" % rc))
            self.target = None
        self.ref_ok = good
        return notes

    def fresh(self, tag):
        return Case(self, tag)

    def probe(self, i):
        """Counters after command i: odflash SIGKILLed right after it
        (the drive's state is saved before the signal).  The commands up
        to i are those of a power cut after i, and the flash counters the
        same; without a cut armed the emulated drive does not rewrite its
        state at every command, so a probe costs a fraction of one."""
        d = self.fresh("probe-%d" % i)
        must([EMU, "fault", d.state, "--signal-after-cmds", str(i),
              "--signal", "KILL"])
        sh([ODF, "-q", "flash", "emu:" + d.state, self.image, "--yes",
            "--json"] + self.opts, cwd=d.dir, env=odf_env(d.dir))
        c = show(d.state)["counters"]
        shutil.rmtree(d.dir, ignore_errors=True)
        return c

    def first_true(self, pred, lo, hi):
        """Smallest i in [lo, hi] with pred(probe(i)), hi + 1 if none
        (pred is monotone in i: flash counters only grow)."""
        while lo <= hi:
            mid = (lo + hi) // 2
            if pred(self.probe(mid)):
                hi = mid - 1
            else:
                lo = mid + 1
        return lo

    def readback(self, after):
        """The first and the last firmware read (IN, 4 KiB or more) of
        the reference flash after command `after` (the read-back), from
        the emulated drive's command log; None when there is none."""
        reads = []
        try:
            with open(self.ref_state + ".log") as fh:
                for line in fh:
                    f = line.split()
                    n = int(f[0])
                    ln = [x for x in f if x.startswith("len=")]
                    if n > after and "dir=in" in f and ln and \
                            int(ln[0][4:]) >= 4096:
                        reads.append(n)
        except (OSError, ValueError):
            return None
        return (reads[0], reads[-1]) if reads else None

    def plan(self):
        """The sampled command indexes: the first flash change (first
        erase or program) and the one before it, the last one (the
        commit) and the two after it (coming back, the wait), the first
        and the last command, and SPREAD evenly spaced ones (the backup,
        the read-back).  E and L are found by probes (binary search on
        odemu's erase/program counters).  SWEEP_LEAN=1: only the indexes
        around the first change and the commit and the read-back's first
        and last command (cases() then picks the faults per index)."""
        N = self.N
        idx = set() if LEAN else {1, N}
        if self.caps["flash"] and (self.ref_erases or self.ref_prog):
            E = self.first_true(
                lambda c: c["erases"] + c["bytes_programmed"] > 0, 1, N)
            L = self.first_true(
                lambda c: c["erases"] >= self.ref_erases and
                c["bytes_programmed"] >= self.ref_prog, E, N)
            self.first, self.last = E, L
            for j in (E - 1, E, L, L + 1, L + 2):
                idx.add(j)
        else:
            self.first = self.last = None
        if LEAN:
            rb = self.readback(self.last + 2 if self.last else 0)
            if rb:
                idx.update(rb)
            if not idx:
                idx = {1, N}
            return sorted(j for j in idx if 1 <= j <= N)
        if FULL:
            return list(range(1, N + 1))
        for k in range(1, SPREAD + 1):
            idx.add(k * N // (SPREAD + 1))
        return sorted(j for j in idx if 1 <= j <= N)


class Case:
    n = itertools.count(1)   # next() is atomic: cases run in threads

    def __init__(self, model, tag):
        self.dir = os.path.join(model.dir, "%s.%d" % (tag, next(Case.n)))
        os.makedirs(self.dir)
        self.state = os.path.join(self.dir, "s.st")
        shutil.copyfile(model.pristine, self.state)


def recover_cmd_from(js, msg, later):
    """The recover command as odflash printed it: the JSON field, else
    the first `odflash recover ...` in its message, else in its later
    output (journal, info)."""
    if js and js.get("recover_command"):
        return js["recover_command"], "json"
    for src, text in (("message", msg), ("later", later)):
        for line in text.splitlines():
            p = line.find("odflash recover ")
            if p >= 0:
                return line[p:].strip().rstrip("."), src
    return None, None


def run_case(m, fault, i, fargs, opts):
    """One (model, i, fault) case; returns (violations, facts)."""
    d = Case(m, "%s-%d" % (fault, i))
    env = odf_env(d.dir)
    if fargs:
        must([EMU, "fault", d.state] + fargs)
    rc, o, e = sh([ODF, "-q", "flash", "emu:" + d.state, m.image, "--yes",
                   "--json"] + opts, cwd=d.dir, env=env)
    js = parse_json(o)
    msg = message(e)
    s1 = show(d.state)
    if fault == "power-cut":
        fired = s1["counters"]["power_cuts"] > 0
    elif fault.startswith("SIG") or fault in ("EIO", "cap-from-i"):
        fired = s1["counters"]["commands"] >= i
    else:
        fired = False
    if fargs and not fired:
        must([EMU, "fault", d.state, "--clear"])   # it did not come
    s2 = s1
    if s1["power"] != "on":
        must([EMU, "power-on", d.state])
        s2 = show(d.state)
    sha = s2["flash_sha256"]
    mode = s2["mode"]
    changed = sha != m.before
    runs_target = m.target is not None and sha == m.target and \
        mode == "normal" and s2["revision"] == "2.00"
    hist = json.loads(must([ODF, "history", "--json"], cwd=d.dir, env=env))
    entries = [x for x in hist.get("entries", []) if x.get("op") == "flash"]
    later = ""
    if rc == 137:
        # a killed run prints nothing: the journal's entry names the
        # command (history --json recover_command), on a line of its own
        later = "".join((x.get("recover_command") or "") + "\n"
                        for x in entries[-1:]) + json.dumps(hist)
        _, io, ie = sh([ODF, "info", "emu:" + d.state], cwd=d.dir, env=env)
        later += "\n" + io + "\n" + ie
    v = []
    killed = rc == 137
    if rc in (2, 3, 4, 5) and (changed or mode != "normal"):
        v.append("P1")
    need_cmd = (changed or mode != "normal") and not runs_target
    cmd, src = recover_cmd_from(js, msg, later)
    if changed or mode != "normal":
        if killed:
            if need_cmd and src != "later":
                v.append("P2")
        elif rc not in (0, 6, 7):
            v.append("P2")
        elif need_cmd and not (js and js.get("drive_state") and
                               js.get("recover_command") and
                               js["recover_command"] in msg):
            v.append("P2")
    if rc == 0 and not runs_target:
        v.append("P0")
    low = msg.lower()
    if (changed or mode != "normal") and any(w in low for w in NOTHING):
        v.append("PM")
    # changed:false is a promise (exit 2-5 may follow); changed:true means
    # "may have changed" (issue #12 item 1: the point-of-no-return step
    # was sent), so it is no lie when the drive happened not to act
    maybe = js is not None and bool(js.get("changed")) and not changed
    if js is not None and not js.get("changed") and (changed or
                                                     mode != "normal"):
        v.append("PC")
    after = "no recovery needed"
    if need_cmd:
        if cmd is None or not cmd.startswith("odflash recover "):
            v.append("P3")
            after = "no recover command printed"
            # what the documented command would do (facts for the
            # report, not a pass): odflash recover DEVICE FILE --yes
            rrc, _, _ = sh([ODF, "-q", "recover", "emu:" + d.state, m.image,
                            "--yes"], cwd=d.dir, env=env)
            s3 = show(d.state)
            after += "; the documented 'odflash recover emu:STATE FILE " \
                "--yes' exits %d, drive %s %s" % (rrc, s3["mode"],
                                                   s3["revision"])
        else:
            argv = cmd.split()[1:]
            if "--yes" not in argv:
                argv.append("--yes")
            rrc, _, re_ = sh([ODF, "-q"] + argv, cwd=d.dir, env=env)
            if fault == "cap-from-i" and rrc == 5 and \
                    "connect the drive directly" in re_:
                # the recover refused the capped path, saying why (a
                # protocol that cannot send less): the user connects the
                # drive directly, as told, and runs the same command
                must([EMU, "fault", d.state, "--clear"])
                rrc, _, re_ = sh([ODF, "-q"] + argv, cwd=d.dir, env=env)
                src += ", connected directly"
            s3 = show(d.state)
            sha3 = s3["flash_sha256"]
            ok3 = sha3 == m.target and s3["mode"] == "normal" and \
                s3["revision"] == "2.00"
            if not changed and sha3 == m.before and s3["mode"] == "normal":
                ok3 = True     # its own firmware, untouched, running
            after = "recover (%s) exit %d -> %s %s%s" % (
                src, rrc, s3["mode"], s3["revision"],
                "" if sha3 == m.target else ", flash != target")
            if not ok3:
                v.append("P3")
    if fired:
        if not entries:
            v.append("P4")
        elif not killed and entries[-1].get("exit_code") != rc:
            v.append("P4")
    facts = dict(exit=rc, result=js.get("result") if js else None,
                 changed=js.get("changed") if js else None,
                 flash_changed=changed, mode=mode, revision=s2["revision"],
                 fired=fired, journal=[x.get("result") for x in entries],
                 msg=msg.strip().splitlines()[0] if msg.strip() else "",
                 after=after, drive_state=js.get("drive_state") if js else
                 None)
    facts["maybe"] = maybe
    if not v and not VERBOSE:
        shutil.rmtree(d.dir, ignore_errors=True)
    return v, facts


def fmt(m, fault, i, v, f):
    return ("# %s %s i=%s: %s; exit %d, result %s, changed %s, flash "
            "changed %s, mode %s, revision %s, fault fired %s, journal %s, "
            "%s; said: %s" % (
                m.name, fault, i, ",".join(v), f["exit"], f["result"],
                json.dumps(f["changed"]), "yes" if f["flash_changed"] else
                "no", f["mode"], f["revision"], "yes" if f["fired"] else "no",
                json.dumps(f["journal"]), f["after"], f["msg"][:200]))


def pick(name, idx, faults):
    """{fault: [indexes]}: every index for every fault, or (SWEEP_LEAN=1)
    PER_INDEX faults an index drawn with SWEEP_SEED (the same seed, the
    same cases), and every fault at least once: a fault no index drew
    goes to an index drawn for it."""
    sel = {f: [] for f, _ in faults}
    if not LEAN:
        for f in sel:
            sel[f] = list(idx)
        return sel
    names = [f for f, _ in faults]
    for i in idx:
        rng = random.Random("%s:%s:%d" % (SEED, name, i))
        for f in rng.sample(names, min(PER_INDEX, len(names))):
            sel[f].append(i)
    for f in names:
        if not sel[f] and idx:
            rng = random.Random("%s:%s:%s" % (SEED, name, f))
            sel[f].append(rng.choice(idx))
    for f in names:
        sel[f].sort()
    return sel


def main():
    t0 = time.time()
    fails = 0
    planned = ran = 0
    rc, o, e = sh([EMU, "models"])
    listed = [l.split()[0] for l in o.splitlines() if l.strip()]
    if rc != 0 or not listed:
        emit("not ok - odemu models: exit %d, %d models" % (rc, len(listed)))
        return 1
    missing = [x for x in listed if x not in MODELS]
    gone = [x for x in MODELS if x not in listed]
    if missing or gone:
        fails += 1
        emit("not ok - every odemu model is in the sweep's table: "
             "not covered %s, no longer listed %s" % (missing, gone))
    else:
        emit("ok - every odemu model is in the sweep's table (%d models)" %
             len(listed))
    models = [x for x in (ONLY or listed) if x in MODELS and x in listed]
    for x in ONLY:
        if x not in listed:
            emit("not ok - SWEEP_MODELS names %s, which odemu does not "
                 "list" % x)
            fails += 1
    if ONLY:
        emit("# SWEEP_MODELS: %d of %d models (%s)" % (
            len(models), len(listed), " ".join(models)))
    faults = [f for f in FAULTS if not FAULTS_ONLY or f[0] in FAULTS_ONLY]
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=JOBS)
    for name in models:
        tm = time.time()
        m = Model(name, MODELS[name])
        for what, good, why in m.setup():
            if good:
                emit("ok - %s: %s" % (name, what))
            else:
                fails += 1
                emit("not ok - %s: %s: %s" % (name, what, why))
        if not m.ref_ok:
            emit("# %s: no sweep without a good reference flash" % name)
            continue
        idx = m.plan()
        where = ""
        if m.first is not None:
            where = ", first flash change at command %d, last at %d" % (
                m.first, m.last)
        emit("# %s: %d commands%s; %s indexes: %s" % (
            name, m.N, where, "all" if FULL else "%d sampled" % len(idx),
            "1..%d" % m.N if FULL else " ".join(map(str, idx))))
        sel = pick(name, idx, faults)
        mine = [(f, int(i)) for mn, f, i in CASES if mn == name]
        if CASES_ONLY:
            sel = {f: [] for f, _ in faults}
        for f, i in mine:
            if f in sel and i not in sel[f]:
                sel[f].append(i)
                sel[f].sort()
        if mine:
            emit("# %s: cases asked for (SWEEP_CASES%s): %s" % (
                name, ", only these" if CASES_ONLY else "", " ".join(
                    "%s %d" % c for c in mine)))
        if LEAN:
            emit("# %s: %d (index, fault) cases picked (SWEEP_SEED %s, %d "
                 "faults an index): %s" % (name, sum(map(len, sel.values())),
                                           SEED, PER_INDEX, "; ".join(
                    "%s %s" % (f, " ".join(map(str, sel[f])))
                    for f, _ in faults)))
        # every case of the model queued at once (the pool keeps JOBS
        # busy across the fault groups), read back group by group
        queued = [(fault, [(i, pool.submit(run_case, m, fault, i, mk(i),
                                           m.opts)) for i in sel[fault]])
                  for fault, mk in faults]
        for fault, futs in queued:
            planned += len(futs)
            bad = []
            n = 0
            exits = {}
            maybe = 0
            for i, fu in futs:
                v, f = fu.result()
                n += 1
                if f["maybe"]:
                    maybe += 1
                exits[f["exit"]] = exits.get(f["exit"], 0) + 1
                if v:
                    # at once, so that a long run stopped early still
                    # leaves its findings
                    bad.append(fmt(m, fault, i, v, f))
                    emit(bad[-1])
            ran += n
            line = "%s %s: %d cases, %d violations" % (name, fault, n,
                                                      len(bad))
            if bad:
                fails += 1
                emit("not ok - " + line)
            else:
                emit("ok - " + line)
            emit("# %s %s exit codes: %s%s" % (name, fault, ", ".join(
                "%d x%d" % (k, exits[k]) for k in sorted(exits)),
                "; changed:true with the flash unchanged (may have "
                "changed, did not): %d" % maybe if maybe else ""))
        # the fixed bridge cap (odemu --max-transfer from command 1), with
        # and without the backup step where the protocol has one
        if not FAULTS_ONLY or STATIC_FAULT in FAULTS_ONLY:
            combos = [(c, o) for c in CAPS for o in
                      ([[], ["--no-backup"]] if m.caps["dump"] else
                       [["--no-backup"]])]
            if LEAN:   # one of them, by the seed
                combos = [random.Random("%s:%s:cap" % (SEED, name)).choice(
                    combos)]
            planned += len(combos)
            bad = []
            for cap, opts in combos:
                lab = "%s-%d%s" % (STATIC_FAULT, cap, " --no-backup" if opts
                                   else "")
                v, f = run_case(m, lab, 0, ["--max-transfer", str(cap)],
                                opts)
                ran += 1
                if v:
                    bad.append(fmt(m, lab, "-", v, f))
            line = "%s bridge cap %s from command 1: %d cases, %d " \
                "violations" % (name, "/".join(map(str, CAPS)), len(combos),
                                len(bad))
            if bad:
                fails += 1
                emit("not ok - " + line)
                for b in bad:
                    emit(b)
            else:
                emit("ok - " + line)
        emit("# %s: %.1f s" % (name, time.time() - tm))
        shutil.rmtree(m.dir, ignore_errors=True)
    pool.shutdown()
    emit("# sweep: %d (model, i, fault) cases ran of %d planned, %s, "
         "%d jobs, wall time %.1f s" % (
             ran, planned, "lean" if LEAN else "full" if FULL else "sampled",
             JOBS, time.time() - t0))
    with open(COUNTS, "w") as fh:
        fh.write("%d %d\n" % (planned, ran))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
