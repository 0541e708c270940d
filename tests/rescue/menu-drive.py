#!/usr/bin/env python3
"""Drive the rescue image's interactive menu over QEMU's serial port
(tests/rescue/boot-test.sh, issue #17): an expect-like script.

  menu-drive.py --log CONSOLE --timeout S [--step-timeout S] --script FILE
                -- QEMU-ARGS...

QEMU-ARGS must not name a -serial: this script listens on a Unix socket,
adds `-chardev socket,id=ser0,path=SOCK -serial chardev:ser0` and starts
QEMU itself, so the whole serial console (GRUB, kernel, menu) goes to
CONSOLE and the script's keys go to the guest.

FILE holds one step a line, tab-separated:
  expect<TAB>REGEX<TAB>NAME      wait for REGEX (Python re, on the console
                                 text since the previous expect, escape
                                 sequences and CRs removed), at most
                                 --step-timeout s (default 150) and
                                 within --timeout s of QEMU's start
  send<TAB>TEXT                  send TEXT (\\r, \\n, \\x0e escapes)
  absent<TAB>REGEX<TAB>NAME      REGEX must not be in the text between the
                                 last two expects
Each expect or absent prints "ok - NAME" or "not ok - NAME"; a failed
expect kills QEMU and ends the run (the rest could only time out).  The script then waits
for QEMU to exit (the menu's power-off) and prints
  # menu-drive: READY-UPTIME <s> PROMPT-WALL <s> QEMU-EXIT <rc> WALL <s>
where READY-UPTIME is the guest's uptime on its ODFLASH-RESCUE-READY line
and PROMPT-WALL the host seconds from QEMU's start to the first menu
prompt.  Exit status: the number of failed steps (0 = all passed), 125
for a usage or start-up error.
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

ANSI = re.compile(r'\x1b\[[0-9;=?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\r')


def main():
    args = sys.argv[1:]
    if '--' not in args:
        print(__doc__, file=sys.stderr)
        return 125
    opts, qemu = args[:args.index('--')], args[args.index('--') + 1:]
    o = dict(zip(opts[0::2], opts[1::2]))
    log, tmo, script = o['--log'], float(o['--timeout']), o['--script']
    step = float(o.get('--step-timeout', 150))
    steps = []
    with open(script, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line and not line.startswith('#'):
                steps.append(line.split('\t'))

    d = tempfile.mkdtemp(prefix='odf-menu-')
    sock_path = os.path.join(d, 'serial')
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(sock_path)
    srv.listen(1)
    start = time.monotonic()
    qlog = open(log + '.qemu', 'wb')
    p = subprocess.Popen(qemu + ['-chardev', 'socket,id=ser0,path=' + sock_path,
                                 '-serial', 'chardev:ser0'],
                         stdin=subprocess.DEVNULL, stdout=qlog, stderr=qlog)
    srv.settimeout(30)
    try:
        conn, _ = srv.accept()
    except OSError:
        p.kill()
        p.wait()
        print('not ok - menu: QEMU connected to the serial socket')
        return 125
    conn.settimeout(0.2)
    out = open(log, 'wb')
    raw = b''          # the whole console
    seen = 0           # offset in the cleaned text already matched
    last = ''          # the text matched by the previous expect
    fails = 0
    prompt_wall = None

    def text():
        return ANSI.sub('', raw.decode('latin-1'))

    def pump(wait):
        nonlocal raw, prompt_wall
        end = time.monotonic() + wait
        while time.monotonic() < end:
            try:
                b = conn.recv(65536)
            except socket.timeout:
                if p.poll() is not None:
                    return False
                continue
            if not b:
                return False
            raw += b
            out.write(b)
            out.flush()
            if prompt_wall is None and b'Choice: ' in raw:
                prompt_wall = time.monotonic() - start
            return True
        return True

    for st in steps:
        kind = st[0]
        if kind == 'send':
            data = st[1].encode().decode('unicode_escape').encode('latin-1')
            # GRUB and busybox read the serial port a byte at a time
            for ch in data:
                conn.sendall(bytes([ch]))
                time.sleep(0.02)
        elif kind == 'expect':
            rx = re.compile(st[1])
            # each expect gets at most STEP s after the previous one
            deadline = min(start + tmo, time.monotonic() + step)
            m = None
            while True:
                t = text()
                m = rx.search(t, seen)
                if m or time.monotonic() > deadline:
                    break
                if not pump(min(1.0, max(0.0, deadline - time.monotonic()))):
                    if p.poll() is not None and not rx.search(text(), seen):
                        break
                    time.sleep(0.2)
            if m:
                last = t[seen:m.end()]
                seen = m.end()
                print('ok - ' + st[2])
            else:
                fails += 1
                print('not ok - %s (no /%s/ after %.0f s%s)' % (
                    st[2], st[1], time.monotonic() - start, '; QEMU exited' if p.poll() is not None else ''))
                # the rest of the script cannot be driven: end the guest now
                p.kill()
                break
        elif kind == 'absent':
            if re.search(st[1], last):
                fails += 1
                print('not ok - ' + st[2])
            else:
                print('ok - ' + st[2])
        else:
            print('menu-drive: unknown step %r' % kind, file=sys.stderr)
            return 125
    # the guest powers off at the end of a passing script
    while p.poll() is None and time.monotonic() < start + tmo:
        pump(1.0)
    if p.poll() is None:
        p.kill()
    rc = p.wait()
    while pump(0.2):
        pass
    out.close()
    m = re.search(r'ODFLASH-RESCUE-READY uptime ([0-9.]+) s', text())
    print('# menu-drive: READY-UPTIME %s PROMPT-WALL %s QEMU-EXIT %d WALL %.1f' % (
        m.group(1) if m else '-', '%.1f' % prompt_wall if prompt_wall else '-',
        rc, time.monotonic() - start))
    os.unlink(sock_path)
    os.rmdir(d)
    return min(fails, 124)


if __name__ == '__main__':
    sys.exit(main())
