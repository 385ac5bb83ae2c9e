package main

import (
	"strings"
	"testing"
)

// Globs given on the command line are the flag's, not the policy's: one
// that leaves the repository or does not parse is a usage error naming the
// flag.
func TestFlagGlobsBlameTheFlag(t *testing.T) {
	dir := releasedRepo(t, "").Dir()
	for _, args := range [][]string{
		{"check", "release", "--tests", "../x"},
		{"check", "release", "--tests", "/etc/passwd"},
		{"check", "release", "--tests", "reports/[x"},
		{"evidence", "--out", t.TempDir(), "--sbom", "../x"},
	} {
		code, _, errs := tracegate(t, append(args, "--dir", dir)...)
		flag, glob := args[len(args)-2], args[len(args)-1]
		if code != 2 || !strings.Contains(errs, flag+` "`+glob+`"`) || strings.Contains(errs, "tracegate.yml") {
			t.Errorf("%s: exit %d, want 2 and an error naming %s %s, not the policy:\n%s", strings.Join(args, " "), code, flag, glob, errs)
		}
	}
}
