package kernels

// epilogue is work applied to each finished tile of c while it is still in
// cache: c = c + bias, then optionally GELU or + residual.
type epilogue struct {
	kind epKind
	bias []float32 // length n
	res  []float32 // m×n, row stride ldr
	ldr  int

	kinds   []uint8     // per row of c, or nil
	rowBias [][]float32 // added to rows of kind 1, 2, ... first
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
	if ep.kind == epNone && ep.rowBias == nil {
		return
	}
	var bias []float32
	if ep.kind != epNone {
		bias = ep.bias[j : j+cols]
	}
	for r := i; r < i+rows; r++ {
		c := t.c[r*t.ldc+j : r*t.ldc+j+cols]
		if ep.rowBias != nil {
			if k := int(ep.kinds[r]); k > 0 && k <= len(ep.rowBias) {
				rb := ep.rowBias[k-1][j : j+cols]
				for x := addBiasPrefix(c, rb, nil); x < len(c); x++ {
					c[x] += rb[x]
				}
			}
		}
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
