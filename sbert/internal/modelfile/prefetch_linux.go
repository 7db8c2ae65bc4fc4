package modelfile

import (
	"os"

	"golang.org/x/sys/unix"
)

func adviseWillNeed(f *os.File, off, n int64) {
	unix.Fadvise(int(f.Fd()), off, n, unix.FADV_WILLNEED)
}
