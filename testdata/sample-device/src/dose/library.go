package dose

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
)

// DrugEntry is one drug in one care area of the drug library. Limits are in
// the entry's dose unit.
type DrugEntry struct {
	Name          string
	CareArea      string
	Concentration Concentration
	Unit          DoseUnit
	SoftMax       float64 // above it the user must confirm the dose
	HardMax       float64 // above it the dose cannot be programmed
	MaxBolusML    float64 // largest single bolus; 0 disables bolus
	MaxMLPerHour  float64 // basal plus bolus volume in any 60 minutes
}

// Library is the drug library as installed with a software release.
type Library struct {
	Version string
	Entries []DrugEntry
}

// Manifest is what the release package says about the library it installed.
// The device keeps it in a separate flash sector, so an update that replaced
// the software but not the library (or the reverse) is detected at boot.
type Manifest struct {
	LibraryVersion string
	LibraryCRC     uint32
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Checksum is the CRC-32C of the library's canonical encoding.
func (l Library) Checksum() uint32 {
	var b []byte
	str := func(s string) {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(s)))
		b = append(b, s...)
	}
	num := func(f float64) { b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f)) }
	str(l.Version)
	for _, e := range l.Entries {
		str(e.Name)
		str(e.CareArea)
		num(e.Concentration.Amount)
		str(e.Concentration.Unit)
		num(e.Concentration.VolumeML)
		str(string(e.Unit))
		num(e.SoftMax)
		num(e.HardMax)
		num(e.MaxBolusML)
		num(e.MaxMLPerHour)
	}
	return crc32.Checksum(b, castagnoli)
}

// Verify checks the library against the release manifest. On mismatch the
// caller must not use the library's limits: it falls back to basic mL/h
// mode and tells the user why.
func (l Library) Verify(m Manifest) error {
	if l.Version != m.LibraryVersion {
		return fmt.Errorf("drug library %s does not belong to this software release (expects %s)", l.Version, m.LibraryVersion)
	}
	if got := l.Checksum(); got != m.LibraryCRC {
		return fmt.Errorf("drug library %s is corrupt (CRC %08x, expected %08x)", l.Version, got, m.LibraryCRC)
	}
	return nil
}

// Lookup finds a drug by name in a care area.
func (l Library) Lookup(careArea, name string) (DrugEntry, error) {
	for _, e := range l.Entries {
		if e.CareArea == careArea && e.Name == name {
			return e, nil
		}
	}
	return DrugEntry{}, fmt.Errorf("%q is not in the %s drug library", name, careArea)
}
