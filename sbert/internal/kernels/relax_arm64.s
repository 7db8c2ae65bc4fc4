//go:build !purego

#include "textflag.h"

// func relax()
// relax executes YIELD twice, the arm64 spin-wait hint.
TEXT ·relax(SB), NOSPLIT, $0-0
	MOVD $2, R0
loop:
	YIELD
	SUBS $1, R0, R0
	BNE loop
	RET
