package report

import "testing"

// plainASCII's eight-bytes-at-a-time test agrees with the plain loop for
// every byte value at every position of a line of printable ASCII, and
// with two bytes changed at once (a borrow between bytes).
func TestPlainASCII(t *testing.T) {
	simple := func(b []byte) bool {
		for _, c := range b {
			if c < 0x20 || c >= 0x7f {
				return false
			}
		}
		return true
	}
	for n := 0; n <= 19; n++ {
		base := make([]byte, n)
		for i := range base {
			base[i] = byte(0x20 + (i*37)%0x5f)
		}
		if !plainASCII(base) {
			t.Fatalf("%q is plain ASCII", base)
		}
		for i := 0; i < n; i++ {
			for c := 0; c < 256; c++ {
				b := append([]byte(nil), base...)
				b[i] = byte(c)
				if got, want := plainASCII(b), simple(b); got != want {
					t.Fatalf("%q: %v, want %v", b, got, want)
				}
				for j := i + 1; j < n && j < i+9; j++ {
					for _, d := range []byte{0x00, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xff} {
						b2 := append([]byte(nil), b...)
						b2[j] = d
						if got, want := plainASCII(b2), simple(b2); got != want {
							t.Fatalf("%q: %v, want %v", b2, got, want)
						}
					}
				}
			}
		}
	}
}
