package osv

import "testing"

func TestCompareVersions(t *testing.T) {
	cases := []struct {
		p    Package
		a, b string
		want int
		err  bool
	}{
		{Package{PURL: "pkg:npm/lodash@4.17.20"}, "4.17.20", "4.17.21", -1, false},
		{Package{PURL: "pkg:golang/golang.org/x/net"}, "v0.0.0-20210525063256-abc453219eb5", "v0.4.0", -1, false},
		{Package{PURL: "pkg:pypi/requests"}, "2.31.0", "2.4.0", 1, false},
		{Package{PURL: "pkg:maven/org.example/x"}, "1.0.0-SNAPSHOT", "1.0.0", -1, false},
		{Package{PURL: "pkg:deb/debian/zlib?distro=debian-11"}, "1:1.2.11.dfsg-2", "1:1.2.11.dfsg-2", 0, false},
		{Package{Name: "x"}, "1", "2", 0, true}, // no ecosystem: no order
	}
	for _, c := range cases {
		got, err := CompareVersions(c.p, c.a, c.b)
		if (err != nil) != c.err || (!c.err && sign(got) != c.want) {
			t.Errorf("CompareVersions(%v, %s, %s) = %d, %v; want %d, error %v", c.p, c.a, c.b, got, err, c.want, c.err)
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
