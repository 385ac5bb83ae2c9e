package dose

// Drug library entries used by the tests, as the pharmacy committee
// released them in library ICU-2024.2.
var (
	morphineAdult = DrugEntry{
		Name: "Morphine", CareArea: "ICU-adult",
		Concentration: Concentration{Amount: 50, Unit: "mg", VolumeML: 50},
		Unit:          MgPerH, SoftMax: 10, HardMax: 20, MaxBolusML: 2, MaxMLPerHour: 25,
	}
	morphinePaed = DrugEntry{
		Name: "Morphine", CareArea: "PICU",
		Concentration: Concentration{Amount: 50, Unit: "mg", VolumeML: 50},
		Unit:          MgPerKgPerH, SoftMax: 0.04, HardMax: 0.06, MaxBolusML: 1, MaxMLPerHour: 5,
	}
	noradrenaline = DrugEntry{
		Name: "Noradrenaline", CareArea: "ICU-adult",
		Concentration: Concentration{Amount: 4, Unit: "mg", VolumeML: 50},
		Unit:          McgPerKgPerMin, SoftMax: 0.5, HardMax: 1.0,
	}
	heparin = DrugEntry{
		Name: "Heparin", CareArea: "ICU-adult",
		Concentration: Concentration{Amount: 25000, Unit: "units", VolumeML: 50},
		Unit:          UnitsPerH, SoftMax: 2000, HardMax: 3000, MaxBolusML: 10, MaxMLPerHour: 16,
	}
	basic = DrugEntry{Name: "Basic mL/h", CareArea: "ICU-adult", Unit: MLPerH}
)

// fakeMotor records what the engine asked of the stepper driver.
type fakeMotor struct{ rates []float64 }

func (m *fakeMotor) SetStepRate(r float64) { m.rates = append(m.rates, r) }

func (m *fakeMotor) last() float64 {
	if len(m.rates) == 0 {
		return 0
	}
	return m.rates[len(m.rates)-1]
}
