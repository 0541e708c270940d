#!/usr/bin/python3
"""Drive odflash-gtk through AT-SPI as a person would (issue #16).

Run by tests/gui/gui.sh inside xvfb-run and dbus-run-session, with the app
already started.  Prints TAP-style lines ("ok - ...", "not ok - ...") and
writes screenshots of the main screens (import -window root).  Arguments:
PHASE and key=value pairs (see gui.sh).  Phases:
  main   : drive list, drive page, verdict, flash, confirm, done; the boot
           mode drive's recover verdict; the wrong-model refusal
  close  : a second flash, Ctrl-Q past the point of no return refused,
           the flash completes
  quit   : Ctrl-Q while idle closes the app
  priv   : (the app started without CAP_SYS_RAWIO) the bar at the top says
           so and gives the pkexec and sudo commands
"""
import subprocess
import sys
import time

import pyatspi

ARGS = dict(a.split("=", 1) for a in sys.argv[2:])
PHASE = sys.argv[1]
FAILS = 0
SHOTS = []


T0 = time.time()


def ok(name):
    print("ok - " + name, flush=True)
    print("# %.1f s" % (time.time() - T0), flush=True)


def nok(name, why=""):
    global FAILS
    FAILS += 1
    print("not ok - " + name + (": " + why if why else ""), flush=True)


def check(name, cond, why=""):
    (ok if cond else lambda n: nok(n, why))(name)
    return cond


def app():
    desk = pyatspi.Registry.getDesktop(0)
    for i in range(desk.childCount):
        a = desk.getChildAtIndex(i)
        if a is not None and a.name == "odflash-gtk":
            return a
    return None


def wait(what, fn, timeout=20.0):
    end = time.time() + timeout
    while time.time() < end:
        try:
            v = fn()
        except Exception:  # the tree changes under us: try again
            v = None
        if v:
            return v
        time.sleep(0.2)
    return None


def find(root, role, pred):
    return pyatspi.findDescendant(
        root, lambda o: o is not None and o.getRole() == role and pred(o.name or ""))


def label(root, prefix):
    return find(root, pyatspi.ROLE_LABEL, lambda n: n.startswith(prefix))


def button(root, name):
    return find(root, pyatspi.ROLE_PUSH_BUTTON, lambda n: n == name)


def sensitive(o):
    return o.getState().contains(pyatspi.STATE_SENSITIVE)


def showing(o):
    return o.getState().contains(pyatspi.STATE_SHOWING)


def click(o):
    o.queryAction().doAction(0)


def shot(name):
    path = "%s/%s.png" % (ARGS["shots"], name)
    subprocess.run(["import", "-window", "root", path], check=False,
                   stderr=subprocess.DEVNULL)
    SHOTS.append(path)
    print("# screenshot " + path, flush=True)


def editable(o):
    """o or its first descendant that takes text (GtkEntry holds a GtkText)."""
    try:
        o.queryEditableText()
        return o
    except NotImplementedError:
        pass
    for i in range(o.childCount):
        e = editable(o.getChildAtIndex(i))
        if e is not None:
            return e
    return None


def set_file(a, path):
    e = wait("file entry", lambda: pyatspi.findDescendant(
        a, lambda o: o is not None and o.name == "Firmware file"
        and o.getRole() != pyatspi.ROLE_LABEL))
    e = editable(e) if e is not None else None
    if e is None:
        nok("the firmware file entry takes text")
        return False
    e.queryEditableText().setTextContents(path)
    return True


def ctrl_q():
    # X keycodes of Control_L (37) and q (24) on Xvfb's default keymap
    for code, kind in ((37, pyatspi.KEY_PRESS), (24, pyatspi.KEY_PRESS),
                       (24, pyatspi.KEY_RELEASE), (37, pyatspi.KEY_RELEASE)):
        pyatspi.Registry.generateKeyboardEvent(code, None, kind)
        time.sleep(0.05)


def select_drive(a, tail):
    b = wait("drive row", lambda: find(a, pyatspi.ROLE_PUSH_BUTTON,
                                       lambda n: n.endswith(tail)))
    if b is None:
        nok("the drive %s is listed" % tail)
        return False
    click(b)
    return True


def phase_main():
    a = wait("app", app, 30)
    if not check("odflash-gtk shows up on the accessibility bus", a):
        return
    def emu_rows():
        v = pyatspi.findAllDescendants(
            a, lambda o: o is not None and o.getRole() == pyatspi.ROLE_PUSH_BUTTON
            and "emu:" in (o.name or ""))
        return v if len(v) == 2 else None
    rows = wait("rows", emu_rows)
    check("the drive list shows the two emulated drives", rows,
          "rows: %s" % rows)
    boot = find(a, pyatspi.ROLE_PUSH_BUTTON, lambda n: n.endswith(ARGS["boot"]))
    check("the drive in safe/boot mode is marked as not running its firmware",
          boot is not None and "NOT RUNNING ITS FIRMWARE" in boot.name
          and "mode: safe" in boot.name, boot.name if boot else "missing")
    shot("01-drive-list")

    # the boot-mode drive: a file gives the recover verdict, never Flash
    select_drive(a, ARGS["boot"])
    set_file(a, ARGS["good"])
    v = wait("verdict", lambda: label(a, "Verdict:") or label(a, "Refused:"))
    check("boot-mode drive: the verdict offers a recover",
          v is not None and "can recover it" in v.name,
          v.name if v else "no verdict")
    check("boot-mode drive: Recover enabled, Flash disabled",
          sensitive(button(a, "Recover")) and not sensitive(button(a, "Flash")))
    shot("02-boot-drive-recover-verdict")

    select_drive(a, ARGS["drive"])
    ident = wait("identity", lambda: (lambda l: l if l and ARGS["drive"] in l.name
                                      else None)(label(a, "Device: emu:")))
    check("the drive page shows identity, driver and revision",
          ident is not None and "Firmware revision: 2.10" in ident.name
          and "Driver: NEC" in ident.name, ident.name if ident else "none")
    caps = label(a, "Backup (firmware read-back)")
    check("the drive page says what the family supports",
          caps is not None and "by reading the firmware back" in caps.name,
          caps.name if caps else "none")
    set_file(a, ARGS["good"])
    info = wait("identify", lambda: label(a, "Identified:"))
    check("the file is identified at once (family, target, version, checksum)",
          info is not None and "nec firmware" in info.name and "2.16" in info.name
          and "Checksum: good" in info.name, info.name if info else "none")
    v = wait("verdict", lambda: label(a, "Verdict:") or label(a, "Refused:"))
    check("the verdict says the file fits, before Flash is enabled",
          v is not None and v.name.startswith("Verdict: this file fits")
          and "becomes 2.16 (an upgrade)" in v.name, v.name if v else "none")
    fl = button(a, "Flash")
    check("Flash is enabled after the verdict", fl and sensitive(fl))
    shot("03-verdict-fits")

    click(fl)
    conf = wait("confirm", lambda: label(a, "• Job: flash"), 20)
    check("the confirmation lists what will happen (backup path, version)",
          conf is not None and "saved to" in conf.name and "2.16" in conf.name,
          conf.name if conf else "no dialog")
    shot("04-confirm")
    yes = wait("yes", lambda: button(a, "Yes, flash now"))
    if yes is not None:
        click(yes)
    done = wait("done", lambda: label(a, "Done:") or label(a, "The flash")
                or label(a, "Refused: nothing"), 60)
    check("the flash ends with 'Done' and the new version",
          done is not None and done.name.startswith("Done: the drive now runs "
                                                     "firmware 2.16"),
          done.name if done else "timeout")
    shot("05-done")

    click(button(a, "Back to the drive"))
    set_file(a, ARGS["wrong"])
    v = wait("refusal", lambda: label(a, "Refused:") or label(a, "Verdict:"))
    check("a file for another model (ND-3550A) is refused in words",
          v is not None and v.name.startswith("Refused:")
          and ("another drive model" in v.name or "cannot be written to this drive" in v.name), v.name if v else "none")
    check("Flash stays disabled for the wrong-model file",
          not sensitive(button(a, "Flash")) and not sensitive(button(a, "Recover")))
    time.sleep(0.5)
    check("Flash is still disabled half a second later",
          not sensitive(button(a, "Flash")))
    shot("06-wrong-model-refused")


def phase_close():
    a = wait("app", app, 10)
    if not check("odflash-gtk is still running", a):
        return
    set_file(a, ARGS["good2"])
    v = wait("verdict", lambda: label(a, "Verdict:") or label(a, "Refused:"))
    check("the second file's verdict fits", v is not None
          and v.name.startswith("Verdict:"), v.name if v else "none")
    fl = wait("flash", lambda: button(a, "Flash") if sensitive(button(a, "Flash")) else None)
    if not check("Flash is enabled for the second file", fl):
        return
    click(fl)
    yes = wait("yes", lambda: button(a, "Yes, flash now"), 20)
    if not check("the confirmation comes again", yes):
        return
    click(yes)
    p = wait("ponr", lambda: label(a, "Do not power off"), 30)
    if not check("past the point of no return the page says 'do not power off'", p):
        l = label(a, "Do not power off")
        print("# ponr label: %s states %s; stage %s; step %s" % (
            l, l.getState().getStates() if l else None,
            (label(a, "Now:") or a).name, (label(a, "Step ") or a).name))
    cancel = button(a, "Cancel")
    check("Cancel is disabled past the point of no return",
          cancel is not None and not sensitive(cancel))
    shot("07-flashing-do-not-power-off")
    ctrl_q()
    r = wait("refusal", lambda: label(app() or a, "odflash cannot close now"), 10)
    check("Ctrl-Q past the point of no return is refused with a dialog", r)
    shot("08-close-refused")
    k = button(app() or a, "Keep flashing")
    if k is not None:
        click(k)
    done = wait("done", lambda: label(app(), "Done: the drive now runs firmware 2.17")
                or label(app(), "The flash"), 90)
    check("the flash completes after the refused close",
          done is not None and "firmware 2.17" in done.name,
          done.name if done else "timeout")
    a = app()
    click(button(a, "Back to the drive"))
    hist = wait("history", lambda: find(a, pyatspi.ROLE_LABEL,
                                        lambda n: "flash  ok  2.10 -> 2.16" in n))
    check("the drive page shows the journal's history of the drive",
          hist is not None and "flash  ok  2.16 -> 2.17" in hist.name,
          hist.name if hist else "none")
    bk = wait("backups", lambda: label(a, ARGS["state"] + "/odflash/backups/"))
    check("the drive page lists the backups made before the flashes", bk)

    # Back up: its dialog, then the dump into the state directory
    click(button(a, "Back up"))
    yes = wait("yes", lambda: button(a, "Yes, back up now"), 10)
    conf = label(a, "• The firmware of")
    check("Back up asks first, naming the file it writes",
          yes is not None and conf is not None and "backups/" in conf.name
          and "Nothing is written" in conf.name, conf.name if conf else "none")
    if yes is not None:
        click(yes)
    done = wait("done", lambda: label(a, "Done: the firmware was read")
                or label(a, "The job"), 30)
    check("Back up ends with 'Done' and the file's name",
          done is not None and done.name.startswith("Done: the firmware was read twice")
          and "2.17" in done.name, done.name if done else "timeout")
    shot("09-backup-done")

    # Recover the drive left in safe mode
    click(button(a, "Back to the drive"))
    select_drive(a, ARGS["boot"])
    set_file(a, ARGS["good"])
    v = wait("verdict", lambda: label(a, "Verdict:") or label(a, "Refused:"))
    rb = button(a, "Recover")
    if not check("the safe-mode drive's Recover is enabled", v and rb and sensitive(rb)):
        return
    click(rb)
    yes = wait("yes", lambda: button(a, "Yes, recover now"), 20)
    conf = label(a, "• Job: ")
    check("Recover asks with libodf's facts (job, file, no backup)",
          yes is not None and conf is not None and "recover" in conf.name
          and "v216.bin" in conf.name and "No backup" in conf.name,
          conf.name if conf else "none")
    if yes is not None:
        click(yes)
    done = wait("done", lambda: label(a, "Done: the drive now runs")
                or label(a, "The "), 60)
    check("Recover ends with 'Done': the drive runs 2.16 again",
          done is not None and "firmware 2.16" in done.name,
          done.name if done else "timeout")


def phase_priv():
    a = wait("app", app, 30)
    if not check("odflash-gtk without CAP_SYS_RAWIO starts", a):
        return
    bar = wait("privilege", lambda: label(a, "odflash-gtk runs without the CAP_SYS_RAWIO"))
    check("without CAP_SYS_RAWIO it says so and gives the pkexec and sudo commands",
          bar is not None and "pkexec env DISPLAY=" in bar.name
          and "sudo -E " in bar.name, bar.name if bar else "none")
    shot("10-no-rawio-privilege")
    ctrl_q()


def phase_quit():
    a = wait("app", app, 10)
    if a is None:
        nok("odflash-gtk is running before Ctrl-Q")
        return
    ctrl_q()


{"main": phase_main, "close": phase_close, "quit": phase_quit,
 "priv": phase_priv}[PHASE]()
sys.exit(0)
