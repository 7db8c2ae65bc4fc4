package packfile

import "syscall"

// mapPopulate asks Linux to map every page at once: the checksum reads them
// all anyway, and one call is cheaper than a page fault per 4 KiB.
const mapPopulate = syscall.MAP_POPULATE
