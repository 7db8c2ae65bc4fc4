//go:build !purego

#include "textflag.h"

// func maxAbs16(x *float32, n int) float32
// n is a positive multiple of 16.
TEXT ·maxAbs16(SB), NOSPLIT, $0-20
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	SHRQ $4, CX
	VPXORD Z0, Z0, Z0
	MOVL $0x7fffffff, AX
	VPBROADCASTD AX, Z1
maxloop:
	VPANDD (SI), Z1, Z2
	VMAXPS Z2, Z0, Z0
	ADDQ $64, SI
	DECQ CX
	JNZ maxloop
	VEXTRACTF64X4 $1, Z0, Y2
	VMAXPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X2
	VMAXPS X2, X0, X0
	VPERMILPS $0x4e, X0, X2
	VMAXPS X2, X0, X0
	VPERMILPS $0xb1, X0, X2
	VMAXPS X2, X0, X0
	VMOVSS X0, ret+16(FP)
	VZEROUPPER
	RET

// func quant16(x *float32, n int, inv float32, dst *uint8)
// dst[i] = uint8(int32(x[i]*inv + 128.5)), rounding as Go does: multiply,
// round, add, round, truncate. n is a positive multiple of 16.
TEXT ·quant16(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	SHRQ $4, CX
	VBROADCASTSS inv+16(FP), Z1
	MOVL $0x43008000, AX // 128.5
	VPBROADCASTD AX, Z2
	MOVQ dst+24(FP), DI
qloop:
	VMULPS (SI), Z1, Z0
	VADDPS Z2, Z0, Z0
	VCVTTPS2DQ Z0, Z0
	VPMOVDB Z0, (DI)
	ADDQ $64, SI
	ADDQ $16, DI
	DECQ CX
	JNZ qloop
	VZEROUPPER
	RET
