package kernels

// epilogue is work applied to each finished tile of c while it is still in
// cache: c = c + bias, then optionally GELU or + residual.
type epilogue struct {
	kind epKind
	bias []float32 // length n
	res  []float32 // m×n, row stride ldr
	ldr  int
}

type epKind int

const (
	epNone epKind = iota
	epBias
	epBiasGELU
	epBiasResidual
)

// epilogue applies t.ep to rows [i,i+rows) and columns [j,j+cols) of c.
func (t *task) epilogue(i, rows, j, cols int) {
	ep := &t.ep
	if ep.kind == epNone {
		return
	}
	bias := ep.bias[j : j+cols]
	for r := i; r < i+rows; r++ {
		c := t.c[r*t.ldc+j : r*t.ldc+j+cols]
		switch ep.kind {
		case epBias:
			for x := addBiasPrefix(c, bias, nil); x < len(c); x++ {
				c[x] += bias[x]
			}
		case epBiasGELU:
			done := geluBiasPrefix(c, bias)
			for x := done; x < len(c); x++ {
				c[x] = gelu(c[x] + bias[x])
			}
		case epBiasResidual:
			res := ep.res[r*ep.ldr+j : r*ep.ldr+j+cols]
			for x := addBiasPrefix(c, bias, res); x < len(c); x++ {
				c[x] += bias[x] + res[x]
			}
		}
	}
}
