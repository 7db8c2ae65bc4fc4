//go:build !purego

#include "textflag.h"

// func range16(x *float32, n int) (lo, hi float32)
// n is a positive multiple of 16.
TEXT ·range16(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	SHRQ $4, CX
	VMOVUPS (SI), Z0 // min
	VMOVUPS Z0, Z1   // max
rangeloop:
	VMOVUPS (SI), Z2
	VMINPS Z2, Z0, Z0
	VMAXPS Z2, Z1, Z1
	ADDQ $64, SI
	DECQ CX
	JNZ rangeloop
	VEXTRACTF64X4 $1, Z0, Y2
	VMINPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X2
	VMINPS X2, X0, X0
	VPERMILPS $0x4e, X0, X2
	VMINPS X2, X0, X0
	VPERMILPS $0xb1, X0, X2
	VMINPS X2, X0, X0
	VMOVSS X0, lo+16(FP)
	VEXTRACTF64X4 $1, Z1, Y2
	VMAXPS Y2, Y1, Y1
	VEXTRACTF128 $1, Y1, X2
	VMAXPS X2, X1, X1
	VPERMILPS $0x4e, X1, X2
	VMAXPS X2, X1, X1
	VPERMILPS $0xb1, X1, X2
	VMAXPS X2, X1, X1
	VMOVSS X1, hi+20(FP)
	VZEROUPPER
	RET

// func quant16(x *float32, n int, inv, off float32, dst *uint8)
// dst[i] = min(int32(float32(x[i]*inv) + off), 255), rounding as Go does:
// multiply, round, add, round, truncate; VPMOVUSDB saturates at 255 (the
// truncated values are never negative). n is a positive multiple of 16.
TEXT ·quant16(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	SHRQ $4, CX
	VBROADCASTSS inv+16(FP), Z1
	VBROADCASTSS off+20(FP), Z2
	MOVQ dst+24(FP), DI
qloop:
	VMULPS (SI), Z1, Z0
	VADDPS Z2, Z0, Z0
	VCVTTPS2DQ Z0, Z0
	VPMOVUSDB Z0, (DI)
	ADDQ $64, SI
	ADDQ $16, DI
	DECQ CX
	JNZ qloop
	VZEROUPPER
	RET
