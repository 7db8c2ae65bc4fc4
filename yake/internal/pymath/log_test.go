package pymath

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

const prec = 300

// bigLog computes log(x) to prec bits with math/big, independently of Log:
// x = m·2^e, log(m) by the series log(m) = -Σ (1-m)^k/k after taking square
// roots until m is within 2^-20 of 1.
func bigLog(x float64) *big.Float {
	m := new(big.Float).SetPrec(prec).SetFloat64(x)
	e := m.MantExp(m) // m in [0.5, 1)
	one := new(big.Float).SetPrec(prec).SetInt64(1)
	roots := 0
	eps := new(big.Float).SetPrec(prec).SetMantExp(one, -20)
	for {
		d := new(big.Float).SetPrec(prec).Sub(one, m)
		if d.Abs(d).Cmp(eps) < 0 {
			break
		}
		m.Sqrt(m)
		roots++
	}
	// log(m) = log(1+u) = u - u²/2 + u³/3 - ...
	u := new(big.Float).SetPrec(prec).Sub(m, one)
	sum := new(big.Float).SetPrec(prec)
	pow := new(big.Float).SetPrec(prec).Set(u)
	for k := int64(1); k < 40; k++ {
		t := new(big.Float).SetPrec(prec).Quo(pow, new(big.Float).SetInt64(k))
		if k%2 == 0 {
			sum.Sub(sum, t)
		} else {
			sum.Add(sum, t)
		}
		pow.Mul(pow, u)
	}
	sum.SetMantExp(sum, roots)
	if e != 0 {
		sum.Add(sum, new(big.Float).SetPrec(prec).Mul(bigLn2(), new(big.Float).SetInt64(int64(e))))
	}
	return sum
}

var ln2Big *big.Float

// bigLn2 is log(2) = 2·atanh(1/3) = 2·Σ 1/((2k+1)·3^(2k+1)).
func bigLn2() *big.Float {
	if ln2Big != nil {
		return ln2Big
	}
	sum := new(big.Float).SetPrec(prec)
	third := new(big.Float).SetPrec(prec).Quo(big.NewFloat(1), big.NewFloat(3))
	ninth := new(big.Float).SetPrec(prec).Mul(third, third)
	pow := new(big.Float).SetPrec(prec).Set(third)
	for k := int64(0); k < 200; k++ {
		t := new(big.Float).SetPrec(prec).Quo(pow, new(big.Float).SetInt64(2*k+1))
		sum.Add(sum, t)
		pow.Mul(pow, ninth)
	}
	ln2Big = sum.Mul(sum, big.NewFloat(2))
	return ln2Big
}

func checkLog(t *testing.T, x float64) bool {
	t.Helper()
	want, _ := bigLog(x).Float64() // rounds to nearest even
	if got := Log(x); got != want {
		t.Errorf("Log(%v) = %v, want %v (math.Log %v)", x, got, want, math.Log(x))
		return false
	}
	return true
}

// TestLogAgainstBig compares with a 300-bit evaluation on integers,
// half-integers and logs of integers (the values yake takes logs of) and
// random doubles; math.Log misrounds 258 of the first 9000.
func TestLogAgainstBig(t *testing.T) {
	var xs []float64
	for i := 1; i <= 3000; i++ {
		xs = append(xs, float64(i), float64(i)+0.5, math.Log(float64(i)+3))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		xs = append(xs, math.Float64frombits(r.Uint64N(0x7FF0000000000000-1)+1))
		xs = append(xs, 1+r.NormFloat64()*1e-3, 0.5+r.Float64()*2)
	}
	xs = append(xs, math.SmallestNonzeroFloat64, math.MaxFloat64, 1-1.0/(1<<53), 1+1.0/(1<<52), 2, 0.5, math.E)
	bad := 0
	for _, x := range xs {
		if x > 0 && x != 1 && !checkLog(t, x) {
			if bad++; bad > 10 {
				t.Fatal("too many failures")
			}
		}
	}
}

func TestLogSpecial(t *testing.T) {
	for _, x := range []float64{0, -1, math.Inf(1), math.NaN(), 1} {
		got, want := Log(x), math.Log(x)
		if !(got == want || math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("Log(%v) = %v, want %v", x, got, want)
		}
	}
}

// TestLogKnown checks values printed by CPython 3.11 (glibc) with repr().
func TestLogKnown(t *testing.T) {
	for _, c := range []struct{ x, want float64 }{
		{3, 1.0986122886681098},
		{10, 2.302585092994046},
		{2, 0.6931471805599453},
	} {
		if got := Log(c.x); got != c.want {
			t.Errorf("Log(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}
