#!/bin/sh
# Dependencies point only downward: cli -> flash -> drivers -> scsi ->
# transport; image stands alone; emu uses only public headers (lib/util
# through odf/bytes.h and odf/error.h) + image.
# Fails if a file includes a header of a layer above it.
cd "$(dirname "$0")/.." || exit 2
bad=0
check() { # dir, forbidden-regex, why
	hits=$(grep -rnE "^#include \"($2)" "$1" 2>/dev/null)
	if [ -n "$hits" ]; then
		echo "layer violation ($3):"; echo "$hits"; bad=1
	fi
}
check lib/image 'odf/(transport|scsi|vendor|flash|plan)\.h|transport/|scsi/|drivers/|flash/|odemu' "image never touches a device"
check lib/transport 'odf/(scsi|vendor|flash|plan)\.h|scsi/|drivers/|flash/' "transport is the bottom layer"
check lib/scsi 'odf/(vendor|flash|plan)\.h|drivers/|flash/' "scsi is below the drivers"
check lib/drivers 'odf/flash\.h|flash/' "the drivers are below the pipeline"
check emu 'odf/(scsi|vendor|flash|plan)\.h|scsi/|drivers/|flash/|transport/|util/' "emu uses only public headers (lib/util through them) and the image library"
[ $bad = 0 ] && echo "layers: ok"
exit $bad
