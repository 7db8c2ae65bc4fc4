package packfile

import "syscall"

// adviseWillNeed asks the kernel to start reading the pages of b, part of
// a mapping, in the background.
func adviseWillNeed(b []byte) { syscall.Madvise(b, syscall.MADV_WILLNEED) }
