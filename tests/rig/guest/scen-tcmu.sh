# Scenario tcmu: odemu drives served to the real kernel through
# target_core_user + tcm_loop (`odemu tcmu STATE`), seen as /dev/sgN +
# /dev/srN: a full NEC flash with backup, verify and history; a power cut
# in the middle, power-on and recover; every device naming; two odflash
# runs on two names of the drive (the second refused, exit 5); scan and
# info as an unprivileged user.  Then the third-party tools checks (tools).
. /rig/tcmu-setup.sh
NEC=/tmp/nec.state SPC=/tmp/spc.state
check "tcmu: odemu new nec-nd3500" 0 odemu new nec-nd3500 $NEC
check "tcmu: odemu new spc-generic" 0 odemu new spc-generic $SPC
if ! tcmu_init; then
	notok "tcmu: target_core_user + tcm_loop + configfs set up"
	return 0 2>/dev/null || exit 0
fi
tcmu_add nec0 0 $NEC && tcmu_add spc0 1 $SPC
wait_sg tcm_loopback 2
for n in nec0 spc0; do
	kill -0 $(cat /tmp/tcmu-$n.pid) 2>/dev/null ||
		{ notok "tcmu: odemu tcmu $n is running"; sed 's/^/  /' /tmp/tcmu-$n.log; }
done
sg= spcsg=
for s in $(sgs_of tcm_loopback); do
	case $(hctl_of $s) in *:0) sg=$s ;; *:1) spcsg=$s ;; esac
done
sr=${sg:+$(sr_of $sg)}
if [ -n "$sg" ] && [ -n "$sr" ] && [ "$(cat /sys/class/scsi_generic/$sg/device/type)" = 5 ]; then
	ok "tcmu: the kernel exposes the emulated NEC drive as /dev/$sg + /dev/$sr"
else
	notok "tcmu: the kernel exposes the emulated NEC drive as /dev/sgN + /dev/srN"
	for n in nec0 spc0; do sed 's/^/  /' /tmp/tcmu-$n.log; done
	return 0 2>/dev/null || exit 0
fi
hctl=$(hctl_of $sg)
mk_by_path
bypath=$(ls /dev/disk/by-path/*-scsi-$hctl 2>/dev/null | head -n 1)
echo "RIG: NEC drive /dev/$sg /dev/$sr $hctl $bypath; spc drive /dev/$spcsg"

# ---- scan and info, every naming
run odflash scan --json
if [ $RC = 0 ] && has $W/out "\"/dev/$sr\"" && has $W/out 'ND-3500AG'; then
	ok "tcmu: odflash scan lists the NEC drive /dev/$sr"
else
	notok "tcmu: odflash scan lists the NEC drive /dev/$sr (exit $RC)"
fi
for name in /dev/$sr /dev/$sg $hctl $bypath; do
	check "tcmu: odflash info $name" 0 odflash info $name --json &&
		{ has $W/out '"model":"DVD_RW ND-3500AG"' && has $W/out "\"hctl\":\"$hctl\"" &&
			ok "tcmu: info $name names the drive and its H:C:T:L" ||
			notok "tcmu: info $name names the drive and its H:C:T:L"; }
done

# ---- a full flash with backup, verify and history
odemu mkimage nec-nd3500 -o /tmp/nec-217.bin --version 2.17 >/dev/null 2>&1 ||
	notok "tcmu: odemu mkimage nec-nd3500"
# two writers, one drive, two names (issue #18): while the flash through
# /dev/sgN runs, a dump through /dev/srN is refused with exit 5 naming
# the flash's PID (no extra guest time: it runs during the flash)
echo "---- \$ odflash flash /dev/$sg /tmp/nec-217.bin --yes --backup /tmp/nec-backup.bin &"
odflash flash /dev/$sg /tmp/nec-217.bin --yes --backup /tmp/nec-backup.bin \
	>$W/flash.out 2>$W/flash.err &
A=$!
i=0
while [ $i -lt 400 ] && ! grep -qs "^$A " $XDG_STATE_HOME/odflash/locks/*.lock; do
	sleep 0.05; i=$((i + 1))
done
grep -qs "^$A " $XDG_STATE_HOME/odflash/locks/*.lock &&
	ok "tcmu: two names: the flash through /dev/$sg holds the drive lock" ||
	notok "tcmu: two names: the flash through /dev/$sg holds the drive lock"
check "tcmu: two names: a dump through /dev/$sr meanwhile is refused with exit 5" 5 \
	odflash dump /dev/$sr -o /tmp/two.bin
has $W/err "busy: odflash PID $A is flashing it" &&
	ok "tcmu: two names: \"busy: odflash PID $A is flashing it\"" ||
	notok "tcmu: two names: \"busy: odflash PID $A is flashing it\""
wait $A; RC=$?
cat $W/flash.out; sed 's/^/  stderr: /' $W/flash.err
[ $RC = 0 ] && ok "tcmu: odflash flash /dev/$sg (NEC, with backup)" ||
	notok "tcmu: odflash flash /dev/$sg (NEC, with backup) (exit $RC, expected 0)"
[ -s /tmp/nec-backup.bin ] && ok "tcmu: the backup file was written" ||
	notok "tcmu: the backup file was written"
check "tcmu: odflash verify /dev/$sr against the flashed image" 0 \
	odflash verify /dev/$sr /tmp/nec-217.bin
check "tcmu: odflash verify against the old firmware fails with exit 7" 7 \
	odflash verify /dev/$sr /tmp/nec-backup.bin
run odflash info $hctl --json
has $W/out '"revision":"2.17"' && ok "tcmu: the drive reports revision 2.17 after the flash" ||
	notok "tcmu: the drive reports revision 2.17 after the flash"
check "tcmu: odflash flash back the backup through $hctl" 0 \
	odflash flash $hctl /tmp/nec-backup.bin --yes --no-backup
if [ -n "$bypath" ]; then
	check "tcmu: odflash verify the restored firmware through $bypath" 0 \
		odflash verify $bypath /tmp/nec-backup.bin
else
	notok "tcmu: a by-path link for the drive exists"
fi
run odflash history --json
if [ $RC = 0 ] && [ $(grep -o '"result"' $W/out | wc -l) -ge 2 ]; then
	ok "tcmu: odflash history records the flashes"
else
	notok "tcmu: odflash history records the flashes (exit $RC)"
fi

# ---- a power cut in the middle of a flash, then power-on and recover
check "tcmu: odemu fault --power-cut-after-cmds 50" 0 \
	odemu fault $NEC --power-cut-after-cmds ${RIG_CUT_AFTER:-50}
check "tcmu: flash with a power cut fails with exit 6" 6 \
	odflash flash /dev/$sg /tmp/nec-217.bin --yes --no-backup
has $W/err 'odflash recover' && ok "tcmu: the failure names the odflash recover command" ||
	notok "tcmu: the failure names the odflash recover command"
sleep 0.2
check "tcmu: odemu power-on" 0 odemu power-on $NEC
check "tcmu: odflash recover /dev/$sg" 0 odflash recover /dev/$sg /tmp/nec-217.bin --yes
# (recover itself reads the firmware back and compares: no separate
# verify, which would cost another 1 MiB of 4 KiB reads under TCG)
has $W/out 'verified by reading the firmware back' &&
	ok "tcmu: recover verified the firmware by reading it back" ||
	notok "tcmu: recover verified the firmware by reading it back"
run odflash info /dev/$sr --json
has $W/out '"mode":"normal"' && ok "tcmu: the drive is back in normal mode" ||
	notok "tcmu: the drive is back in normal mode"

# ---- scan and info as an unprivileged user
chmod 600 /dev/$sg /dev/$sr
check "tcmu: odflash scan as user nobody" 0 su -s /bin/sh nobody -c "odflash scan --json"
has $W/out "\"/dev/$sr\"" && ok "tcmu: scan as nobody lists /dev/$sr" ||
	notok "tcmu: scan as nobody lists /dev/$sr"
check "tcmu: info as nobody without access is refused with exit 2" 2 \
	su -s /bin/sh nobody -c "odflash info /dev/$sr"
has $W/err 'cdrom|permission|Permission' && ok "tcmu: the refusal explains the permission problem" ||
	notok "tcmu: the refusal explains the permission problem"
sed -i 's/^cdrom:x:24:.*/cdrom:x:24:nobody/' /etc/group
chgrp cdrom /dev/$sg /dev/$sr; chmod 660 /dev/$sg /dev/$sr
check "tcmu: info as nobody in group cdrom" 0 su -s /bin/sh nobody -c "odflash info /dev/$sr --json"
has $W/out 'ND-3500AG' && ok "tcmu: info as nobody reads the drive" ||
	notok "tcmu: info as nobody reads the drive"

# ---- third-party tools agree with us
. /rig/scen-tools.sh

for n in nec0 spc0; do kill $(cat /tmp/tcmu-$n.pid) 2>/dev/null; done
sleep 0.3
for n in nec0 spc0; do
	if kill -0 $(cat /tmp/tcmu-$n.pid) 2>/dev/null; then
		notok "tcmu: odemu tcmu $n exits on SIGTERM"
	else
		ok "tcmu: odemu tcmu $n exits on SIGTERM"
	fi
	echo "RIG: odemu tcmu $n log:"; sed 's/^/  /' /tmp/tcmu-$n.log | tail -n 20
done
