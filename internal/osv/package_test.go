package osv

import (
	"slices"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	co := func(eco, name, version string) Coordinate { return Coordinate{eco, name, version} }
	for _, tc := range []struct {
		name   string
		pkg    Package
		want   []Coordinate
		reason string // substring of the not-checked reason
	}{
		// Language ecosystems.
		{"npm", Package{PURL: "pkg:npm/lodash@4.17.20"}, []Coordinate{co("npm", "lodash", "4.17.20")}, ""},
		{"npm scope", Package{PURL: "pkg:npm/%40angular/core@12.0.0"}, []Coordinate{co("npm", "@angular/core", "12.0.0")}, ""},
		{"pypi PEP 503", Package{PURL: "pkg:pypi/Zope.Interface@5.4.0"}, []Coordinate{co("PyPI", "zope-interface", "5.4.0")}, ""},
		{"pypi without purl", Package{Ecosystem: "pypi", Name: "Typing_Extensions", Version: "4.0.0"}, []Coordinate{co("PyPI", "typing-extensions", "4.0.0")}, ""},
		{"maven", Package{PURL: "pkg:maven/org.apache.zeppelin/zeppelin-server@0.11.0?type=jar"}, []Coordinate{co("Maven", "org.apache.zeppelin:zeppelin-server", "0.11.0")}, ""},
		{"maven classifier", Package{PURL: "pkg:maven/org.yaml/snakeyaml@1.30?classifier=android"}, []Coordinate{co("Maven", "org.yaml:snakeyaml", "1.30")}, ""},
		{"maven without group", Package{PURL: "pkg:maven/snakeyaml@1.30"}, nil, "no group id"},
		{"cargo", Package{PURL: "pkg:cargo/tokio@1.0.0"}, []Coordinate{co("crates.io", "tokio", "1.0.0")}, ""},
		{"gem", Package{PURL: "pkg:gem/rails@7.0.0"}, []Coordinate{co("RubyGems", "rails", "7.0.0")}, ""},
		{"nuget", Package{PURL: "pkg:nuget/Newtonsoft.Json@13.0.1"}, []Coordinate{co("NuGet", "Newtonsoft.Json", "13.0.1")}, ""},
		{"composer", Package{PURL: "pkg:composer/laravel/framework@7.12.0"}, []Coordinate{co("Packagist", "laravel/framework", "7.12.0")}, ""},
		{"hex", Package{PURL: "pkg:hex/phoenix@1.6.0"}, []Coordinate{co("Hex", "phoenix", "1.6.0")}, ""},
		{"pub", Package{PURL: "pkg:pub/http@0.13.0"}, []Coordinate{co("Pub", "http", "0.13.0")}, ""},
		{"swift", Package{PURL: "pkg:swift/github.com/apple/swift-nio-http2@1.19.0"}, []Coordinate{co("SwiftURL", "github.com/apple/swift-nio-http2", "1.19.0")}, ""},
		{"cran", Package{PURL: "pkg:cran/readr@2.1.0"}, []Coordinate{co("CRAN", "readr", "2.1.0")}, ""},
		{"hackage", Package{PURL: "pkg:hackage/aeson@2.0.0.0"}, []Coordinate{co("Hackage", "aeson", "2.0.0.0")}, ""},
		{"github actions", Package{PURL: "pkg:githubactions/actions/checkout@v4"}, []Coordinate{co("GitHub Actions", "actions/checkout", "v4")}, ""},
		// Go: module paths keep their case, the purl's v goes.
		{"go pseudo-version", Package{PURL: "pkg:golang/golang.org/x/net@v0.0.0-20210525063256-abc453219eb5?type=module"},
			[]Coordinate{co("Go", "golang.org/x/net", "0.0.0-20210525063256-abc453219eb5")}, ""},
		{"go case", Package{PURL: "pkg:golang/github.com/BurntSushi/toml@v1.0.0"}, []Coordinate{co("Go", "github.com/BurntSushi/toml", "1.0.0")}, ""},
		{"go major suffix", Package{PURL: "pkg:golang/github.com/Delta456/box-cli-maker/v2@v2.2.2?type=module"}, []Coordinate{co("Go", "github.com/Delta456/box-cli-maker/v2", "2.2.2")}, ""},
		{"go stdlib", Package{Ecosystem: "Go", Name: "stdlib", Version: "go1.22.4"}, []Coordinate{co("Go", "stdlib", "1.22.4")}, ""},
		{"go version field with v", Package{PURL: "pkg:golang/github.com/gogo/protobuf@v1.3.2", Version: "v1.3.2"}, []Coordinate{co("Go", "github.com/gogo/protobuf", "1.3.2")}, ""},
		// Distributions: the release from the distro qualifier, the source
		// package from upstream/origin.
		{"apk", Package{PURL: "pkg:apk/alpine/zlib@1.2.10-r0?arch=x86_64&upstream=zlib&distro=alpine-3.17.2"},
			[]Coordinate{co("Alpine:v3.17", "zlib", "1.2.10-r0")}, ""},
		{"apk binary of openssl", Package{PURL: "pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&upstream=openssl&distro=alpine-3.17.2"},
			[]Coordinate{co("Alpine:v3.17", "libcrypto3", "3.0.8-r0"), co("Alpine:v3.17", "openssl", "3.0.8-r0")}, ""},
		{"apk origin", Package{PURL: "pkg:apk/alpine/zlib@1.2.12-r1?arch=x86_64&distro=3.22.0&origin=zlib"}, []Coordinate{co("Alpine:v3.22", "zlib", "1.2.12-r1")}, ""},
		{"apk without distro", Package{PURL: "pkg:apk/alpine/musl@1.2.3-r4"}, nil, "no distro qualifier"},
		{"apk without distro, release given", Package{PURL: "pkg:apk/alpine/musl@1.2.3-r4", Ecosystem: "Alpine:v3.17"}, []Coordinate{co("Alpine:v3.17", "musl", "1.2.3-r4")}, ""},
		{"apk release contradicted", Package{PURL: "pkg:apk/alpine/musl@1.2.3-r4?distro=alpine-3.17.2", Ecosystem: "Alpine:v3.18"}, nil, "contradicts"},
		{"apk edge", Package{PURL: "pkg:apk/alpine/musl@1.2.3-r4?distro=alpine-edge"}, nil, "edge"},
		{"deb", Package{PURL: "pkg:deb/debian/libssl1.1@1.1.1n-0+deb11u3?arch=amd64&upstream=openssl&distro=debian-11"},
			[]Coordinate{co("Debian:11", "libssl1.1", "1.1.1n-0+deb11u3"), co("Debian:11", "openssl", "1.1.1n-0+deb11u3")}, ""},
		{"deb code name, source version", Package{PURL: "pkg:deb/debian/libc6@2.31-13+deb11u5?distro=bullseye&upstream=glibc%402.31-13"},
			[]Coordinate{co("Debian:11", "libc6", "2.31-13+deb11u5"), co("Debian:11", "glibc", "2.31-13")}, ""},
		{"ubuntu LTS", Package{PURL: "pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.4?distro=ubuntu-22.04"}, []Coordinate{co("Ubuntu:22.04:LTS", "curl", "7.81.0-1ubuntu1.4")}, ""},
		{"ubuntu interim", Package{PURL: "pkg:deb/ubuntu/curl@7.88.1-8ubuntu1?distro=ubuntu-23.04"}, []Coordinate{co("Ubuntu:23.04", "curl", "7.88.1-8ubuntu1")}, ""},
		{"rpm alma", Package{PURL: "pkg:rpm/almalinux/openssl-libs@1.1.1k-7.el8_6?epoch=1&distro=almalinux-8.6&upstream=openssl-1.1.1k-7.el8_6.src.rpm"},
			[]Coordinate{co("AlmaLinux:8", "openssl-libs", "1:1.1.1k-7.el8_6"), co("AlmaLinux:8", "openssl", "1:1.1.1k-7.el8_6")}, ""},
		{"rpm redhat", Package{PURL: "pkg:rpm/redhat/openssl@1.1.1k-7.el8_6"}, nil, "product stream"},
		{"rpm redhat, stream given", Package{PURL: "pkg:rpm/redhat/openssl@1.1.1k-7.el8_6", Ecosystem: "Red Hat:enterprise_linux:8::baseos"},
			[]Coordinate{co("Red Hat:enterprise_linux:8::baseos", "openssl", "1.1.1k-7.el8_6")}, ""},
		// Fail closed.
		{"unknown purl type", Package{PURL: "pkg:generic/openssl@3.0.0"}, nil, `purl type "generic" has no OSV ecosystem`},
		{"unknown deb namespace", Package{PURL: "pkg:deb/kali/curl@1?distro=kali-2023"}, nil, "no OSV ecosystem"},
		{"malformed purl", Package{PURL: "npm/lodash@1"}, nil, "cannot be parsed"},
		{"unknown ecosystem", Package{Ecosystem: "Conda", Name: "numpy", Version: "1.0"}, nil, "not an OSV ecosystem"},
		{"nothing to go on", Package{Name: "openssl", Version: "3.0.0"}, nil, "no purl and no ecosystem"},
		{"no version", Package{PURL: "pkg:npm/lodash"}, nil, "no version"},
		// Found by FuzzResolve: "v" was looked up as Go version "".
		{"go version that is only its prefix", Package{PURL: "pkg:golang/example.com/m", Version: "v"}, nil, `no version: "v"`},
		{"versions disagree", Package{PURL: "pkg:npm/lodash@4.17.20", Version: "4.17.21"}, nil, "ambiguous"},
		{"ecosystem disagrees", Package{PURL: "pkg:npm/lodash@4.17.20", Ecosystem: "PyPI"}, nil, "contradicts"},
		{"invalid CRAN version", Package{PURL: "pkg:cran/readr@x"}, nil, "not a valid CRAN version"},
		{"debian without release", Package{Ecosystem: "Debian", Name: "openssl", Version: "1.1.1n-0+deb11u3"}, nil, "per release"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, reason := resolve(tc.pkg)
			if tc.reason != "" {
				if !strings.Contains(reason, tc.reason) || got != nil {
					t.Fatalf("resolve = %v, %q; want not checked with %q", got, reason, tc.reason)
				}
				return
			}
			if reason != "" || !slices.Equal(got, tc.want) {
				t.Errorf("resolve = %v, %q; want %v", got, reason, tc.want)
			}
		})
	}
}

func TestNormalizeName(t *testing.T) {
	for _, tc := range []struct{ eco, a, b string }{
		{"PyPI", "Gradio", "gradio"},
		{"PyPI", "zope.interface", "Zope_Interface"},
		{"PyPI", "a-_.b", "a-b"},
		{"NuGet", "Newtonsoft.Json", "newtonsoft.json"},
		{"crates.io", "serde_json", "serde-json"},
		{"GitHub Actions", "Actions/Checkout", "actions/checkout"},
	} {
		if normalizeName(tc.eco, tc.a) != normalizeName(tc.eco, tc.b) {
			t.Errorf("%s: %q and %q should be one package", tc.eco, tc.a, tc.b)
		}
	}
	for _, tc := range []struct{ eco, a, b string }{
		{"Go", "github.com/BurntSushi/toml", "github.com/burntsushi/toml"},
		{"npm", "JSONStream", "jsonstream"},
		{"Maven", "org.yaml:snakeyaml", "org.yaml:SnakeYAML"},
		{"PyPI", "gradio", "gradi0"},
	} {
		if normalizeName(tc.eco, tc.a) == normalizeName(tc.eco, tc.b) {
			t.Errorf("%s: %q and %q are different packages", tc.eco, tc.a, tc.b)
		}
	}
}
