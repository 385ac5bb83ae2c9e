// Package version identifies the tracegate build, so that every result and
// document names the tool that produced it.
package version

import (
	"runtime/debug"
	"strings"
)

// Set at build time: -ldflags "-X github.com/tracegate/tracegate/internal/version.Version=v1.2.3 -X ...Commit=abc".
var (
	Version = ""
	Commit  = ""
)

// Devel is the version of a build that carries no version at all: built
// with -buildvcs=false (or by go run, or from a git worktree, which Go does
// not stamp), without the release build's -ldflags.
const Devel = "devel"

// Get returns the version and commit. What the release build set with
// -ldflags wins; else the build information Go stamps into the binary:
// the module version (go install pkg@version), else the commit of the
// checkout it was built from (vcs.revision) with "+dirty" when the work
// tree had changes (vcs.modified) — so that a binary built from source
// says which source, and whether it was committed, in every record.
func Get() (version, commit string) {
	bi, _ := debug.ReadBuildInfo()
	return resolve(Version, Commit, bi)
}

// resolve is Get over given build information (nil when there is none).
func resolve(version, commit string, bi *debug.BuildInfo) (string, string) {
	if bi == nil {
		return orDevel(version), commit
	}
	var rev string
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if commit == "" {
		commit = rev
	}
	if version != "" {
		return version, commit
	}
	switch v := bi.Main.Version; {
	case v != "" && v != "(devel)":
		// Go 1.24 and later derive it from the checkout: a tag, or a
		// pseudo-version naming the commit, "+dirty" when modified.
		version = v
		if modified && !strings.HasSuffix(v, "+dirty") {
			version += "+dirty"
		}
	case rev != "":
		version = Devel + "+" + short(rev)
		if modified {
			version += ".dirty"
		}
	}
	return orDevel(version), commit
}

// Stamped reports whether the build says what it was built from: a version
// other than Devel, or a commit.
func Stamped() bool {
	v, c := Get()
	return v != Devel || c != ""
}

func orDevel(v string) string {
	if v == "" {
		return Devel
	}
	return v
}

func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}
