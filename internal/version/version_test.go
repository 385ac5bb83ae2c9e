package version

import (
	"runtime/debug"
	"testing"
)

func TestResolve(t *testing.T) {
	vcs := func(mainVersion, rev, modified string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/tracegate/tracegate", Version: mainVersion}}
		if rev != "" {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: "vcs", Value: "git"},
				debug.BuildSetting{Key: "vcs.revision", Value: rev}, debug.BuildSetting{Key: "vcs.modified", Value: modified})
		}
		return bi
	}
	const rev = "9a410311fd06f48e43b5e41909f3cf37727d5aa1"
	cases := []struct {
		name                 string
		ldVersion, ldCommit  string
		bi                   *debug.BuildInfo
		wantVersion, wantSHA string
	}{
		{"release build", "v1.2.3", rev, vcs("(devel)", "", ""), "v1.2.3", rev},
		{"release build without a commit takes the stamp", "v1.2.3", "", vcs("(devel)", rev, "false"), "v1.2.3", rev},
		{"go install at a version", "", "", vcs("v1.4.0", "", ""), "v1.4.0", ""},
		{"go build in a clean clone (Go 1.24+)", "", "", vcs("v0.0.0-20261207061845-9a410311fd06", rev, "false"), "v0.0.0-20261207061845-9a410311fd06", rev},
		{"go build in a modified clone (Go 1.24+)", "", "", vcs("v0.0.0-20261207061845-9a410311fd06+dirty", rev, "true"), "v0.0.0-20261207061845-9a410311fd06+dirty", rev},
		{"stamp without a module version", "", "", vcs("(devel)", rev, "false"), "devel+9a410311fd06", rev},
		{"stamp without a module version, modified", "", "", vcs("(devel)", rev, "true"), "devel+9a410311fd06.dirty", rev},
		{"module version that lacks the dirty mark", "", "", vcs("v0.0.0-20261207061845-9a410311fd06", rev, "true"), "v0.0.0-20261207061845-9a410311fd06+dirty", rev},
		{"no stamp at all (-buildvcs=false, go run)", "", "", vcs("(devel)", "", ""), "devel", ""},
		{"no build information", "", "", nil, "devel", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, c := resolve(tc.ldVersion, tc.ldCommit, tc.bi)
			if v != tc.wantVersion || c != tc.wantSHA {
				t.Errorf("resolve = %q, %q; want %q, %q", v, c, tc.wantVersion, tc.wantSHA)
			}
		})
	}
}
