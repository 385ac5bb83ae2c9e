package dose

import "testing"

// Verifies: SRS-009
func TestLibraryVerify(t *testing.T) {
	lib := Library{Version: "ICU-2024.2", Entries: []DrugEntry{morphineAdult, noradrenaline, heparin}}
	good := Manifest{LibraryVersion: "ICU-2024.2", LibraryCRC: lib.Checksum()}

	edited := lib
	edited.Entries = append([]DrugEntry(nil), lib.Entries...)
	edited.Entries[1].HardMax = 10 // one limit changed, version not bumped

	tests := []struct {
		name string
		lib  Library
		m    Manifest
		ok   bool
	}{
		{"library of this release", lib, good, true},
		{"library of the previous release", Library{Version: "ICU-2024.1", Entries: lib.Entries}, good, false},
		{"limits changed without a new version", edited, good, false},
		{"manifest of another release", lib, Manifest{LibraryVersion: "ICU-2025.1", LibraryCRC: good.LibraryCRC}, false},
	}
	for _, tc := range tests {
		if err := tc.lib.Verify(tc.m); (err == nil) != tc.ok {
			t.Errorf("%s: Verify() = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}
