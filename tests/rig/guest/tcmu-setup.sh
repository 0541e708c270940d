# LIO wiring for odemu drives (sourced): a target_core_user backstore per
# drive, all LUNs of one tcm_loop target.  Layout from the kernel's
# Documentation/target/tcmu-design.rst and the configfs tree of
# target_core_mod / tcm_loop.
CFS=/sys/kernel/config/target
LOOP=$CFS/loopback/naa.5001405000000001
tcmu_init() {
	modprobe target_core_user || return 1
	modprobe tcm_loop || return 1
	grep -q " /sys/kernel/config " /proc/mounts || mount -t configfs configfs /sys/kernel/config
	[ -d $CFS/core ] || return 1
	mkdir -p $LOOP/tpgt_1 || return 1
	echo -n naa.5001405000000002 >$LOOP/tpgt_1/nexus
}
# tcmu_add NAME LUN STATE: backstore user_0/NAME served by `odemu tcmu`
tcmu_add() {
	name=$1 lun=$2 state=$3
	d=$CFS/core/user_0/$name
	mkdir -p $d || return 1
	echo -n "dev_config=$name/odemu" >$d/control
	# capacity the LIO core reports is irrelevant: READ CAPACITY etc.
	# are answered by odemu itself
	echo -n "dev_size=16777216,hw_block_size=2048" >$d/control
	echo -n 1 >$d/enable || return 1
	odemu tcmu $state --device $name --wait 10 -v 2>/tmp/tcmu-$name.log &
	echo $! >/tmp/tcmu-$name.pid
	sleep 0.3
	mkdir -p $LOOP/tpgt_1/lun/lun_$lun || return 1
	ln -s $d $LOOP/tpgt_1/lun/lun_$lun/$name
}
