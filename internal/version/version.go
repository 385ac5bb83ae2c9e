// Package version identifies the tracegate build, so that every result and
// document names the tool that produced it.
package version

import "runtime/debug"

// Set at build time: -ldflags "-X github.com/tracegate/tracegate/internal/version.Version=v1.2.3 -X ...Commit=abc".
var (
	Version = ""
	Commit  = ""
)

// Get returns the version and commit, falling back to the module's build
// information (go install pkg@version) and to "devel".
func Get() (version, commit string) {
	version, commit = Version, Commit
	if bi, ok := debug.ReadBuildInfo(); ok {
		if version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && commit == "" {
				commit = s.Value
			}
		}
	}
	if version == "" {
		version = "devel"
	}
	return version, commit
}
