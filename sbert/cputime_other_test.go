//go:build !unix

package sbert

import "time"

func cpuTime() time.Duration { return 0 }
