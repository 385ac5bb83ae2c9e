package main

import "example.com/syringeflow/dose"

// releaseLibrary is the drug library released with software 2.3.0. The
// version string is what the release manifest expects.
func releaseLibrary(version string) dose.Library {
	return dose.Library{Version: version, Entries: []dose.DrugEntry{
		{Name: "Morphine", CareArea: "ICU-adult", Concentration: dose.Concentration{Amount: 50, Unit: "mg", VolumeML: 50},
			Unit: dose.MgPerH, SoftMax: 10, HardMax: 20, MaxBolusML: 2, MaxMLPerHour: 25},
		{Name: "Noradrenaline", CareArea: "ICU-adult", Concentration: dose.Concentration{Amount: 4, Unit: "mg", VolumeML: 50},
			Unit: dose.McgPerKgPerMin, SoftMax: 0.5, HardMax: 1.0},
		{Name: "Propofol 1%", CareArea: "ICU-adult", Concentration: dose.Concentration{Amount: 500, Unit: "mg", VolumeML: 50},
			Unit: dose.MgPerKgPerH, SoftMax: 4, HardMax: 5, MaxBolusML: 5, MaxMLPerHour: 45},
		{Name: "Heparin", CareArea: "ICU-adult", Concentration: dose.Concentration{Amount: 25000, Unit: "units", VolumeML: 50},
			Unit: dose.UnitsPerH, SoftMax: 2000, HardMax: 3000, MaxBolusML: 10, MaxMLPerHour: 16},
		{Name: "Dopamine", CareArea: "ICU-adult", Concentration: dose.Concentration{Amount: 200, Unit: "mg", VolumeML: 50},
			Unit: dose.McgPerKgPerMin, SoftMax: 15, HardMax: 20},
		{Name: "Dobutamine", CareArea: "ICU-adult", Concentration: dose.Concentration{Amount: 250, Unit: "mg", VolumeML: 50},
			Unit: dose.McgPerKgPerMin, SoftMax: 15, HardMax: 20},
		{Name: "Morphine", CareArea: "PICU", Concentration: dose.Concentration{Amount: 50, Unit: "mg", VolumeML: 50},
			Unit: dose.MgPerKgPerH, SoftMax: 0.04, HardMax: 0.06, MaxBolusML: 1, MaxMLPerHour: 5},
		basicEntry,
	}}
}

// basicEntry is the only entry of basic mode: mL/h within the mechanism's
// limits, used when no drug library can be trusted.
var basicEntry = dose.DrugEntry{Name: "Basic mL/h", CareArea: "any", Unit: dose.MLPerH}

const (
	softwareVersion = "2.3.0"
	releasedLibrary = "ICU-2024.2"
)

// manifest is the release manifest of software 2.3.0.
func manifest() dose.Manifest {
	return dose.Manifest{LibraryVersion: releasedLibrary, LibraryCRC: releaseLibrary(releasedLibrary).Checksum()}
}
